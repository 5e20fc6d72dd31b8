// Types `exports` from "cloudflare:workers" in tests with the Worker's real entry module.
declare namespace Cloudflare {
  interface GlobalProps {
    mainModule: typeof import("../src/index");
  }
}
