/**
 * Refreshes test/jira-sim/fixtures from Atlassian's published OpenAPI document: keeps only the
 * paths the simulator serves and every component they reference, so the parity test runs from a
 * fresh clone without the 2.4 MB original.
 *   node scripts/vendor-jira-openapi.ts path/to/jira-platform.v3.json
 */
import { readFileSync, writeFileSync } from "node:fs";

const SERVED = [
  /^\/rest\/api\/3\/search(\/jql)?$/,
  /^\/rest\/api\/3\/issue$/,
  /^\/rest\/api\/3\/issue\/bulkfetch$/,
  /^\/rest\/api\/3\/issue\/\{issueIdOrKey\}(\/(transitions|changelog|comment(\/\{id\})?))?$/,
  /^\/rest\/api\/3\/changelog\/bulkfetch$/,
  /^\/rest\/api\/3\/issueLink(\/\{linkId\})?$/,
  /^\/rest\/api\/3\/(field|myself|serverInfo|status|priority|issuetype|resolution|issueLinkType)$/,
  /^\/rest\/api\/3\/(project|users)\/search$/,
];

const [source = "../shared/jira-openapi/jira-platform.v3.json"] = process.argv.slice(2);
type Doc = { paths: Record<string, unknown>; components: { schemas: Record<string, unknown> } };
const doc = JSON.parse(readFileSync(source, "utf8")) as Doc & Record<string, unknown>;

const paths = Object.fromEntries(
  Object.entries(doc.paths).filter(([path]) => SERVED.some((re) => re.test(path))),
);
/** Schemas the parity test checks issue field values against, and Jira's error shape. */
const EXTRA = [
  "Attachment",
  "ErrorCollection",
  "IssueLink",
  "IssueTypeDetails",
  "LinkedIssue",
  "PageOfComments",
  "PageOfWorklogs",
  "Priority",
  "ProjectComponent",
  "ProjectDetails",
  "Resolution",
  "StatusDetails",
  "TimeTrackingDetails",
  "UserDetails",
  "Version",
  "Votes",
  "Watchers",
];
const needed = new Set<string>();
const visit = (value: unknown): void => {
  if (Array.isArray(value)) {
    value.forEach(visit);
  } else if (value && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) {
      if (key === "$ref" && typeof item === "string" && item.startsWith("#/components/schemas/")) {
        const name = item.slice("#/components/schemas/".length);
        if (!needed.has(name)) {
          needed.add(name);
          visit(doc.components.schemas[name]);
        }
      } else {
        visit(item);
      }
    }
  }
};
visit(paths);
visit(EXTRA.map((name) => ({ $ref: `#/components/schemas/${name}` })));
const schemas = Object.fromEntries([...needed].sort().map((n) => [n, doc.components.schemas[n]]));
const subset = { openapi: doc.openapi, info: doc.info, paths, components: { schemas } };
writeFileSync("test/jira-sim/fixtures/jira-platform.v3.subset.json", `${JSON.stringify(subset)}\n`);
console.log(`kept ${Object.keys(paths).length} paths and ${needed.size} schemas`);
