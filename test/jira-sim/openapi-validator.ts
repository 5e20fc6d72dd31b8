// Validates simulator responses against Atlassian's published OpenAPI document for Jira Cloud
// (a subset of shared/jira-openapi/jira-platform.v3.json in fixtures/). The schema for a response is looked up from the
// operation (method + path template + status); undocumented error statuses use Jira's
// ErrorCollection. Known places where real Jira deviates from its own document are patched
// explicitly and listed in DEVIATIONS so the proof stays honest.

import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import Ajv, { type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";

type Schema = Record<string, unknown>;

/** Where Jira's real responses differ from its OpenAPI document. */
export const DEVIATIONS = [
  "date-time: Jira writes offsets without a colon (2025-01-15T10:23:45.123+0100), also in the document's own examples",
  "ChangeDetails.from/fromString/to/toString: null when a field had or gets no value (not marked nullable)",
  "IssueLink.required: an issue's issuelinks entry carries only inwardIssue or outwardIssue",
];

/** Schemas checked for well-known values inside IssueBean.fields (the document types it as {}). */
const FIELD_SCHEMAS: Record<string, { ref: string; array?: boolean; nullable?: boolean }> = {
  status: { ref: "StatusDetails" },
  issuetype: { ref: "IssueTypeDetails" },
  priority: { ref: "Priority", nullable: true },
  resolution: { ref: "Resolution", nullable: true },
  assignee: { ref: "UserDetails", nullable: true },
  reporter: { ref: "UserDetails", nullable: true },
  creator: { ref: "UserDetails", nullable: true },
  project: { ref: "ProjectDetails" },
  comment: { ref: "PageOfComments" },
  components: { ref: "ProjectComponent", array: true },
  fixVersions: { ref: "Version", array: true },
  versions: { ref: "Version", array: true },
  issuelinks: { ref: "IssueLink", array: true },
  subtasks: { ref: "LinkedIssue", array: true },
  parent: { ref: "LinkedIssue" },
  watches: { ref: "Watchers" },
  votes: { ref: "Votes" },
  worklog: { ref: "PageOfWorklogs" },
  timetracking: { ref: "TimeTrackingDetails" },
  attachment: { ref: "Attachment", array: true },
};

const JIRA_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:?\d{2})$/;

export function openApiPath(): string {
  const fromEnv = process.env.JIRA_OPENAPI_PATH;
  if (fromEnv) {
    return fromEnv;
  }
  // The paths the simulator serves, cut from Atlassian's document by
  // scripts/vendor-jira-openapi.ts, so a fresh clone can run the parity test.
  return fileURLToPath(new URL("./fixtures/jira-platform.v3.subset.json", import.meta.url));
}

interface Operation {
  template: string;
  regex: RegExp;
  params: number;
  methods: Record<
    string,
    { responses?: Record<string, { content?: Record<string, { schema?: Schema }> }> }
  >;
}

export interface Verdict {
  valid: boolean;
  schema: string;
  errors: string[];
}

export class JiraOpenApi {
  private readonly ajv: Ajv;
  private readonly operations: Operation[] = [];
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(docPath = openApiPath()) {
    if (!existsSync(docPath)) {
      throw new Error(`Jira OpenAPI document not found at ${docPath} (set JIRA_OPENAPI_PATH)`);
    }
    const doc = JSON.parse(readFileSync(docPath, "utf8")) as {
      paths: Record<string, Operation["methods"]>;
      components: { schemas: Record<string, Schema> };
    };
    const schemas = structuredClone(doc.components.schemas);
    patchDeviations(schemas);
    this.ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false });
    addFormats(this.ajv);
    this.ajv.addFormat("date-time", JIRA_DATE_TIME);
    this.ajv.addFormat("url", true);
    this.ajv.addSchema({ $id: "jira", components: { schemas } });
    for (const [template, methods] of Object.entries(doc.paths)) {
      const source = template.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{[^}]+\}/g, "[^/]+");
      this.operations.push({
        template,
        regex: new RegExp(`^${source}$`),
        params: (template.match(/\{/g) ?? []).length,
        methods,
      });
    }
    // Literal segments win over parameters (issue/bulkfetch before issue/{issueIdOrKey}).
    this.operations.sort((a, b) => a.params - b.params);
  }

  private validator(key: string, schema: Schema): ValidateFunction {
    let v = this.compiled.get(key);
    if (!v) {
      v = this.ajv.compile(schema);
      this.compiled.set(key, v);
    }
    return v;
  }

  /** Finds the documented response schema; errors fall back to ErrorCollection. */
  schemaFor(method: string, path: string, status: number): { name: string; schema: Schema | null } {
    const op = this.operations.find((o) => o.regex.test(path) && o.methods[method.toLowerCase()]);
    const responses = op?.methods[method.toLowerCase()]?.responses ?? {};
    const declared = responses[String(status)]?.content?.["application/json"]?.schema;
    const opName = op
      ? `${method.toUpperCase()} ${op.template} ${status}`
      : `${method.toUpperCase()} ${path} ${status}`;
    if (declared && Object.keys(declared).length > 0) {
      return { name: opName, schema: resolveLocal(declared) };
    }
    if (status >= 400) {
      return {
        name: `${opName} (ErrorCollection)`,
        schema: { $ref: "jira#/components/schemas/ErrorCollection" },
      };
    }
    return { name: `${opName} (no body schema)`, schema: declared ? {} : null };
  }

  validate(method: string, path: string, status: number, body: unknown): Verdict {
    const { name, schema } = this.schemaFor(method, path, status);
    if (schema === null) {
      const valid = body === undefined || body === "";
      return { valid, schema: name, errors: valid ? [] : ["expected an empty body"] };
    }
    const v = this.validator(name, schema);
    const errors: string[] = [];
    if (!v(body)) {
      errors.push(
        ...(v.errors ?? []).map(
          (e) => `${e.instancePath || "/"} ${e.message ?? ""} ${JSON.stringify(e.params)}`,
        ),
      );
    }
    for (const issue of collectIssues(body)) {
      errors.push(...this.validateFields(issue));
    }
    return { valid: errors.length === 0, schema: name, errors };
  }

  /** Checks well-known issue field values against their component schemas. */
  validateFields(issue: Record<string, unknown>): string[] {
    const fields = issue.fields as Record<string, unknown> | undefined;
    if (!fields) {
      return [];
    }
    const errors: string[] = [];
    for (const [id, value] of Object.entries(fields)) {
      const spec = FIELD_SCHEMAS[id];
      if (!spec || (value === null && spec.nullable)) {
        continue;
      }
      const item = { $ref: `jira#/components/schemas/${spec.ref}` };
      const v = this.validator(`field:${id}`, spec.array ? { type: "array", items: item } : item);
      if (!v(value)) {
        for (const e of v.errors ?? []) {
          errors.push(
            `${String(issue.key)} fields.${id}${e.instancePath} ${e.message ?? ""} ${JSON.stringify(e.params)}`,
          );
        }
      }
    }
    return errors;
  }
}

function resolveLocal(schema: Schema): Schema {
  return JSON.parse(
    JSON.stringify(schema).replaceAll('"#/components/schemas/', '"jira#/components/schemas/'),
  ) as Schema;
}

function collectIssues(body: unknown): Record<string, unknown>[] {
  if (typeof body !== "object" || body === null) {
    return [];
  }
  const b = body as Record<string, unknown>;
  if (Array.isArray(b.issues)) {
    return b.issues.filter(
      (i): i is Record<string, unknown> => typeof i === "object" && i !== null,
    );
  }
  return "fields" in b && "key" in b ? [b] : [];
}

function patchDeviations(schemas: Record<string, Schema>): void {
  const change = schemas.ChangeDetails as { properties: Record<string, Schema> } | undefined;
  for (const p of ["from", "fromString", "to", "toString"]) {
    const prop = change?.properties[p];
    if (prop) {
      prop.nullable = true;
    }
  }
  const link = schemas.IssueLink;
  if (link) {
    delete link.required;
  }
}
