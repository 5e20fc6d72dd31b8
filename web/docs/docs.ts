/**
 * Starts Scalar's API reference (the standalone bundle /docs/scalar.js, served by the Worker) on
 * /openapi.json. A separate file because the page's CSP allows no inline script.
 */
interface ScalarGlobal {
  createApiReference(selector: string, config: Record<string, unknown>): unknown;
}

const scalar = (window as unknown as { Scalar?: ScalarGlobal }).Scalar;
if (scalar) {
  scalar.createApiReference("#reference", {
    url: "/openapi.json",
    // Everything from this origin: no web fonts from fonts.scalar.com, no telemetry, and "try it"
    // requests go straight to this API (same origin) rather than through Scalar's proxy.
    withDefaultFonts: false,
    telemetry: false,
    hideClientButton: true,
    showDeveloperTools: "never",
    agent: { disabled: true },
  });
}
