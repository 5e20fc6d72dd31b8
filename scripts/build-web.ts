/**
 * `npm run build:web` (run before dev, test and deploy by npm's pre-hooks): the browser pages the
 * Worker serves as static assets, bundled into dist-web/ (gitignored; wrangler.toml `[assets]`).
 *
 *   dist-web/app/   the dashboard: index.html, app.js and app.css (uPlot and its CSS bundled in)
 *   dist-web/docs/  the API reference: index.html, docs.js and Scalar's standalone bundle
 *
 * Nothing is fetched from a CDN at run time: every script and style is served by the Worker.
 */
import { copyFileSync, mkdirSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const out = path.join(root, "dist-web");
const require = createRequire(import.meta.url);

async function main(): Promise<void> {
  const started = Date.now();
  rmSync(out, { recursive: true, force: true });
  mkdirSync(path.join(out, "app"), { recursive: true });
  mkdirSync(path.join(out, "docs"), { recursive: true });

  await build({
    entryPoints: {
      "app/app": path.join(root, "web/app/main.ts"),
      "docs/docs": path.join(root, "web/docs/docs.ts"),
    },
    outdir: out,
    bundle: true,
    minify: true,
    format: "esm",
    target: "es2022",
    sourcemap: false,
    legalComments: "none",
    logLevel: "warning",
  });
  copyFileSync(path.join(root, "web/app/index.html"), path.join(out, "app/index.html"));
  copyFileSync(path.join(root, "web/docs/index.html"), path.join(out, "docs/index.html"));
  // Scalar's self-contained UMD bundle (registers window.Scalar); docs.js starts it.
  copyFileSync(
    path.join(path.dirname(require.resolve("@scalar/api-reference")), "browser/standalone.js"),
    path.join(out, "docs/scalar.js"),
  );
  console.log(`[build:web] dist-web/ built in ${Date.now() - started} ms`);
}

main().catch((error: unknown) => {
  console.error("[build:web]", error);
  process.exit(1);
});
