/** Issue search: GET /v1/issues with full text (q) and filters, page by page. */
import { api, type Instance, type IssueSummary, type Page } from "../api";
import { h } from "../dom";
import type { PageContext } from "./context";

const FILTERS = ["q", "instanceId", "project", "statusCategory", "type", "priority"] as const;

export async function renderSearch({ page, params, signal }: PageContext): Promise<void> {
  const { items: instances } = await api<Page<Instance>>("GET", "/v1/instances", {
    query: { limit: 100 },
  });
  if (signal.aborted) {
    return; // the user moved on: this page's elements must not land on the next one
  }
  page.append(h("h1", {}, "Issues"));
  const value = (name: string) => params.get(name) ?? "";
  const form = h(
    "form",
    { class: "card controls", role: "search", "aria-label": "Search issues" },
    h(
      "label",
      { class: "wide" },
      "Text",
      h("input", { type: "search", name: "q", value: value("q") }),
    ),
    h(
      "label",
      {},
      "Instance",
      h(
        "select",
        { name: "instanceId" },
        h("option", { value: "" }, "All instances"),
        ...instances.map((i) =>
          h("option", { value: i.id, selected: i.id === value("instanceId") }, i.name),
        ),
      ),
    ),
    h(
      "label",
      {},
      "Project key",
      h("input", { name: "project", value: value("project"), size: 8 }),
    ),
    h(
      "label",
      {},
      "Status category",
      h(
        "select",
        { name: "statusCategory" },
        ...[
          ["", "Any"],
          ["new", "To do"],
          ["indeterminate", "In progress"],
          ["done", "Done"],
        ].map(([v = "", label]) =>
          h("option", { value: v, selected: v === value("statusCategory") }, label),
        ),
      ),
    ),
    h("label", {}, "Type", h("input", { name: "type", value: value("type"), size: 8 })),
    h("label", {}, "Priority", h("input", { name: "priority", value: value("priority"), size: 8 })),
    h("button", { type: "submit" }, "Search"),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const query = new URLSearchParams();
    for (const name of FILTERS) {
      const entry = String(data.get(name) ?? "").trim();
      if (entry) {
        query.set(name, entry);
      }
    }
    window.location.hash = `#/search?${query}`;
  });
  page.append(form);

  const count = h("p", { class: "muted", role: "status", "aria-live": "polite" });
  const body = h("tbody");
  const more = h("button", { type: "button", hidden: true }, "More results");
  page.append(
    count,
    h(
      "div",
      { class: "table-scroll card" },
      h(
        "table",
        { id: "issue-results" },
        h("caption", { class: "visually-hidden" }, "Matching issues"),
        h(
          "thead",
          {},
          h(
            "tr",
            {},
            ...["Key", "Summary", "Status", "Type", "Priority", "Assignee", "Updated"].map(
              (label) => h("th", { scope: "col" }, label),
            ),
          ),
        ),
        body,
      ),
    ),
    more,
  );

  let shown = 0;
  const load = async (cursor?: string) => {
    const query: Record<string, string | number | undefined> = { limit: 50, cursor };
    for (const name of FILTERS) {
      query[name] = params.get(name) ?? undefined;
    }
    const result = await api<Page<IssueSummary>>("GET", "/v1/issues", { query });
    if (signal.aborted) {
      return;
    }
    for (const issue of result.items) {
      body.append(
        h(
          "tr",
          {},
          h("th", { scope: "row" }, issue.key),
          h("td", {}, issue.summary),
          h("td", {}, issue.status ?? "—"),
          h("td", {}, issue.type ?? "—"),
          h("td", {}, issue.priority ?? "—"),
          h("td", {}, issue.assignee?.displayName ?? "Unassigned"),
          h("td", {}, issue.updated.slice(0, 10)),
        ),
      );
    }
    shown += result.items.length;
    count.textContent =
      shown === 0
        ? "No issue matches."
        : `${shown} issue(s) shown${result.nextCursor ? ", more available" : ""}.`;
    more.hidden = result.nextCursor === null;
    more.onclick = () => {
      if (result.nextCursor) {
        void load(result.nextCursor);
      }
    };
  };
  await load();
}
