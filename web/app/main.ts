/**
 * The dashboard at /app: a sign-in with an API key, then hash-routed pages (#/instances, #/flow,
 * #/search) that read and act only through the public /v1 API with that key.
 */
import "./styles.css";
import { ApiError, api, forgetKey, type Instance, type Page, storedKey, storeKey } from "./api";
import { destroyCharts } from "./charts";
import { clear } from "./dom";
import { renderFlow } from "./pages/flow";
import { renderInstances } from "./pages/instances";
import { renderSearch } from "./pages/search";

const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

/** Work of the page being shown (timers, requests); aborted when another page is shown. */
let pageScope = new AbortController();

async function route(focusHeading = false): Promise<void> {
  pageScope.abort();
  pageScope = new AbortController();
  destroyCharts();
  const page = byId<HTMLDivElement>("page");
  clear(page);
  const signedIn = storedKey() !== null;
  byId("sign-in").hidden = signedIn;
  byId("nav").hidden = !signedIn;
  if (!signedIn) {
    byId<HTMLInputElement>("api-key").focus();
    return;
  }
  const [path = "", query = ""] = window.location.hash.replace(/^#/, "").split("?");
  const params = new URLSearchParams(query);
  for (const link of byId("nav").querySelectorAll("a")) {
    const current = link.getAttribute("href") === `#${path}`;
    if (current) {
      link.setAttribute("aria-current", "page");
    } else {
      link.removeAttribute("aria-current");
    }
  }
  const context = { page, params, signal: pageScope.signal };
  try {
    if (path === "/flow") {
      await renderFlow(context);
    } else if (path === "/search") {
      await renderSearch(context);
    } else {
      await renderInstances(context);
    }
    if (focusHeading && !context.signal.aborted) {
      // Tell screen-reader and keyboard users the page changed: focus its heading.
      const heading = page.querySelector("h1");
      heading?.setAttribute("tabindex", "-1");
      heading?.focus();
    }
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      signOut("Your key is no longer accepted; sign in again.");
      return;
    }
    if (!pageScope.signal.aborted) {
      page.append(errorBox(error));
    }
  }
}

function errorBox(error: unknown): HTMLElement {
  const box = document.createElement("p");
  box.className = "error card";
  box.setAttribute("role", "alert");
  box.textContent = error instanceof Error ? error.message : String(error);
  return box;
}

function signOut(message = ""): void {
  forgetKey();
  byId("sign-in-error").textContent = message;
  window.location.hash = "";
  void route();
}

async function signIn(event: SubmitEvent): Promise<void> {
  event.preventDefault();
  const input = byId<HTMLInputElement>("api-key");
  const error = byId("sign-in-error");
  const key = input.value.trim();
  error.textContent = "";
  if (!key) {
    error.textContent = "Enter an API key.";
    return;
  }
  try {
    // Any read proves the key; the instances list is what the first page shows anyway.
    await api<Page<Instance>>("GET", "/v1/instances", { key, query: { limit: 1 } });
  } catch (failure) {
    error.textContent =
      failure instanceof ApiError && (failure.status === 401 || failure.status === 403)
        ? "That API key was refused. Check it and try again."
        : `Could not sign in: ${failure instanceof Error ? failure.message : failure}`;
    input.select();
    return;
  }
  storeKey(key);
  input.value = "";
  if (window.location.hash === "" || window.location.hash === "#/instances") {
    void route();
  } else {
    window.location.hash = "#/instances";
  }
}

document.addEventListener("DOMContentLoaded", () => {
  byId<HTMLFormElement>("sign-in-form").addEventListener("submit", (event) => {
    void signIn(event);
  });
  byId("sign-out").addEventListener("click", () => signOut());
  window.addEventListener("hashchange", () => void route(true));
  // Milliseconds from navigation to the first usable page (read by the browser tests).
  void route().finally(() => performance.mark("ds:first-render"));
});
