/**
 * Atlassian Document Format (ADF) helpers: ADF → plain text for search/storage, and plain text →
 * ADF document for comments. Pure: no I/O. Unknown node types degrade to the text they contain.
 * https://developer.atlassian.com/cloud/jira/platform/apis/document/structure/
 */

export interface AdfMark {
  type: string;
  attrs?: Record<string, unknown>;
}

export interface AdfNode {
  type: string;
  text?: string;
  attrs?: Record<string, unknown>;
  content?: AdfNode[];
  marks?: AdfMark[];
}

export interface AdfDocument {
  type: "doc";
  version: 1;
  content: AdfNode[];
}

const INLINE_TYPES = new Set([
  "text",
  "hardBreak",
  "mention",
  "emoji",
  "inlineCard",
  "date",
  "status",
  "mediaInline",
  "inlineExtension",
  "placeholder",
]);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function str(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

function children(node: Record<string, unknown>): Record<string, unknown>[] {
  return Array.isArray(node.content) ? node.content.filter(isRecord) : [];
}

function isInline(node: Record<string, unknown>): boolean {
  const type = typeof node.type === "string" ? node.type : "";
  if (INLINE_TYPES.has(type)) {
    return true;
  }
  // Unknown types: a leaf carrying text is inline; a wrapper is a block unless named inline*.
  if (children(node).length === 0) {
    return typeof node.text === "string";
  }
  return type.startsWith("inline");
}

function dateText(timestamp: unknown): string {
  const ms = Number(timestamp);
  return Number.isFinite(ms) ? new Date(ms).toISOString().slice(0, 10) : "";
}

function inlineText(node: Record<string, unknown>): string {
  const attrs = isRecord(node.attrs) ? node.attrs : {};
  switch (node.type) {
    case "text":
      return typeof node.text === "string" ? node.text : "";
    case "hardBreak":
      return "\n";
    case "mention": {
      const name = str(attrs.text) ?? str(attrs.displayName) ?? str(attrs.id) ?? "unknown";
      return name.startsWith("@") ? name : `@${name}`;
    }
    case "emoji":
      return str(attrs.text) ?? str(attrs.shortName) ?? "";
    case "inlineCard":
      return str(attrs.url) ?? "";
    case "date":
      return dateText(attrs.timestamp);
    case "status":
    case "placeholder":
      return str(attrs.text) ?? "";
    case "mediaInline":
      return str(attrs.alt) ?? str(attrs.name) ?? "";
    default:
      if (typeof node.text === "string") {
        return node.text;
      }
      return children(node).map(inlineText).join("");
  }
}

function indent(text: string, prefix: string): string {
  const pad = " ".repeat(prefix.length);
  return text
    .split("\n")
    .map((line, i) => (i === 0 ? prefix + line : line === "" ? line : pad + line))
    .join("\n");
}

function listText(node: Record<string, unknown>, ordered: boolean): string {
  const attrs = isRecord(node.attrs) ? node.attrs : {};
  const start = typeof attrs.order === "number" ? attrs.order : 1;
  return children(node)
    .map((item, i) => indent(blocksText(children(item), "\n"), ordered ? `${start + i}. ` : "- "))
    .join("\n");
}

function tableText(node: Record<string, unknown>): string {
  return children(node)
    .map((row) =>
      children(row)
        .map((cell) => blocksText(children(cell), " ").replace(/\n+/g, " "))
        .join(" | "),
    )
    .join("\n");
}

function blockText(node: Record<string, unknown>): string {
  const attrs = isRecord(node.attrs) ? node.attrs : {};
  switch (node.type) {
    case "bulletList":
      return listText(node, false);
    case "orderedList":
      return listText(node, true);
    case "taskList":
      return children(node)
        .map((item) => {
          const done = isRecord(item.attrs) && item.attrs.state === "DONE";
          return indent(blocksText(children(item), "\n"), done ? "[x] " : "[ ] ");
        })
        .join("\n");
    case "decisionList":
      return children(node)
        .map((item) => blocksText(children(item), "\n"))
        .join("\n");
    case "codeBlock":
      return children(node).map(inlineText).join("");
    case "rule":
      return "---";
    case "table":
      return tableText(node);
    case "blockCard":
    case "embedCard":
      return str(attrs.url) ?? "";
    case "media":
      return str(attrs.alt) ?? "";
    case "expand":
    case "nestedExpand": {
      const body = blocksText(children(node), "\n\n");
      const title = str(attrs.title);
      return title ? `${title}\n${body}` : body;
    }
    default:
      return blocksText(children(node), "\n\n");
  }
}

/** Render a sequence of nodes: consecutive inline nodes form one run; blocks are separated. */
function blocksText(nodes: Record<string, unknown>[], separator: string): string {
  const parts: string[] = [];
  let run = "";
  let inRun = false;
  for (const node of nodes) {
    if (isInline(node)) {
      run += inlineText(node);
      inRun = true;
      continue;
    }
    if (inRun) {
      parts.push(run);
      run = "";
      inRun = false;
    }
    parts.push(blockText(node));
  }
  if (inRun) {
    parts.push(run);
  }
  return parts.filter((p) => p.trim() !== "").join(separator);
}

/**
 * ADF → plain text. Accepts anything: an ADF document or node, a plain string (v2 / webhook
 * bodies are strings), null/undefined (→ ""). Paragraphs and blocks are separated by a blank line.
 */
export function adfToText(input: unknown): string {
  if (typeof input === "string") {
    return input;
  }
  if (!isRecord(input)) {
    return "";
  }
  const text = isInline(input) ? inlineText(input) : blockText(input);
  return text.replace(/[ \t]+\n/g, "\n").trim();
}

/** Plain text → ADF document: blank lines split paragraphs, single newlines become hardBreaks. */
export function textToAdf(text: string): AdfDocument {
  const normalized = text.replace(/\r\n?/g, "\n").trim();
  if (normalized === "") {
    return { type: "doc", version: 1, content: [] };
  }
  const content: AdfNode[] = normalized.split(/\n[ \t]*\n\s*/).map((para) => {
    const inline: AdfNode[] = [];
    para.split("\n").forEach((line, i) => {
      if (i > 0) {
        inline.push({ type: "hardBreak" });
      }
      if (line !== "") {
        inline.push({ type: "text", text: line });
      }
    });
    return { type: "paragraph", content: inline };
  });
  return { type: "doc", version: 1, content };
}

/** Type guard for an ADF document root. */
export function isAdfDocument(value: unknown): value is AdfDocument {
  return isRecord(value) && value.type === "doc" && Array.isArray(value.content);
}
