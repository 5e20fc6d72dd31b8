// Atlassian Document Format: v3 returns rich text (description, comments, textarea custom fields)
// as ADF, while webhooks use the v2 representation where the same text is wiki markup. This
// module generates realistic documents and converts them to wiki markup and HTML.

import type { Rng } from "./prng.ts";

export interface AdfMark {
  type: string;
  attrs?: Record<string, unknown>;
}

export interface AdfNode {
  type: string;
  text?: string;
  attrs?: Record<string, unknown>;
  marks?: AdfMark[];
  content?: AdfNode[];
}

export interface AdfDoc {
  type: "doc";
  version: 1;
  content: AdfNode[];
}

export interface Mentionable {
  accountId: string;
  displayName: string;
}

const WORDS = (
  "sync ingest webhook token cursor tenant replica shard backfill retry budget latency " +
  "queue worker schema migration index partition snapshot checksum payload gateway cache " +
  "deploy rollout canary metric alert dashboard query planner vacuum lock deadlock timeout " +
  "customer invoice export report filter sprint board epic story release hotfix regression"
).split(" ");

const UNICODE_SNIPPETS = [
  "Grüße aus München",
  "naïve café résumé",
  "日本語のテキスト",
  "Ελληνικά κείμενα",
  "מחרוזת בעברית",
  "emoji 🚀🔥✅",
  "ZWJ 👩‍💻 family 👨‍👩‍👧",
  "math ∑ ∫ √ ≠ ≤",
];

const EMOJI = [
  { shortName: ":smile:", id: "1f604", text: "😄" },
  { shortName: ":rocket:", id: "1f680", text: "🚀" },
  { shortName: ":warning:", id: "atlassian-warning", text: ":warning:" },
  { shortName: ":thumbsup:", id: "1f44d", text: "👍" },
];

export function text(value: string, marks?: AdfMark[]): AdfNode {
  return marks && marks.length > 0
    ? { type: "text", text: value, marks }
    : { type: "text", text: value };
}

export function paragraph(...content: AdfNode[]): AdfNode {
  return { type: "paragraph", content };
}

export function doc(...content: AdfNode[]): AdfDoc {
  return { type: "doc", version: 1, content };
}

/** Plain text to ADF: one paragraph per blank-line separated block. */
export function textToAdf(value: string): AdfDoc {
  const blocks = value.split(/\n{2,}/);
  return doc(
    ...blocks.map((b) => {
      const lines = b.split("\n");
      const content: AdfNode[] = [];
      lines.forEach((line, i) => {
        if (i > 0) {
          content.push({ type: "hardBreak" });
        }
        if (line.length > 0) {
          content.push(text(line));
        }
      });
      return { type: "paragraph", content };
    }),
  );
}

export function sentence(rng: Rng, min = 4, max = 12): string {
  const n = rng.int(min, max);
  const words: string[] = [];
  for (let i = 0; i < n; i++) {
    words.push(rng.pick(WORDS));
  }
  const s = words.join(" ");
  return `${s.charAt(0).toUpperCase()}${s.slice(1)}.`;
}

function richParagraph(rng: Rng, users: readonly Mentionable[]): AdfNode {
  const content: AdfNode[] = [text(`${sentence(rng)} `)];
  const roll = rng.next();
  if (roll < 0.2 && users.length > 0) {
    const u = rng.pick(users);
    content.push({
      type: "mention",
      attrs: { id: u.accountId, text: `@${u.displayName}`, accessLevel: "" },
    });
    content.push(text(" please take a look."));
  } else if (roll < 0.35) {
    content.push(
      text("see the runbook", [{ type: "link", attrs: { href: "https://example.com/runbook" } }]),
    );
    content.push(text(" for details."));
  } else if (roll < 0.5) {
    content.push(text("important", [{ type: "strong" }]));
    content.push(text(" and "));
    content.push(text("subtle", [{ type: "em" }]));
    content.push(text(" with "));
    content.push(text("inline_code()", [{ type: "code" }]));
  } else if (roll < 0.62) {
    content.push(text(rng.pick(UNICODE_SNIPPETS)));
  } else if (roll < 0.72) {
    const e = rng.pick(EMOJI);
    content.push({ type: "emoji", attrs: { shortName: e.shortName, id: e.id, text: e.text } });
  }
  return { type: "paragraph", content };
}

function list(rng: Rng, ordered: boolean): AdfNode {
  const items: AdfNode[] = [];
  const n = rng.int(2, 4);
  for (let i = 0; i < n; i++) {
    items.push({ type: "listItem", content: [paragraph(text(sentence(rng, 3, 7)))] });
  }
  return ordered
    ? { type: "orderedList", attrs: { order: 1 }, content: items }
    : { type: "bulletList", content: items };
}

function codeBlock(rng: Rng): AdfNode {
  const lang = rng.pick(["typescript", "sql", "json", "bash"]);
  const body =
    lang === "sql"
      ? "SELECT id, key FROM issues\nWHERE updated >= $1\nORDER BY updated, id;"
      : lang === "json"
        ? '{\n  "jql": "project = OPS",\n  "maxResults": 100\n}'
        : lang === "bash"
          ? 'curl -s -u "$EMAIL:$TOKEN" "$BASE/rest/api/3/myself"'
          : "const page = await client.search({ jql, nextPageToken });\nif (page.isLast) { break; }";
  return { type: "codeBlock", attrs: { language: lang }, content: [text(body)] };
}

/** A description-like document; `long` produces a very large one (tens of KB). */
export function generateDoc(rng: Rng, users: readonly Mentionable[], long = false): AdfDoc {
  const content: AdfNode[] = [];
  const blocks = long ? rng.int(150, 250) : rng.int(1, 6);
  for (let i = 0; i < blocks; i++) {
    const roll = rng.next();
    if (roll < 0.12) {
      content.push({
        type: "heading",
        attrs: { level: rng.int(1, 3) },
        content: [text(sentence(rng, 2, 5).replace(/\.$/, ""))],
      });
    } else if (roll < 0.24) {
      content.push(list(rng, rng.chance(0.4)));
    } else if (roll < 0.32) {
      content.push(codeBlock(rng));
    } else {
      content.push(richParagraph(rng, users));
    }
  }
  return doc(...content);
}

/** A short comment body. */
export function generateCommentDoc(rng: Rng, users: readonly Mentionable[]): AdfDoc {
  const content: AdfNode[] = [richParagraph(rng, users)];
  if (rng.chance(0.15)) {
    content.push(list(rng, false));
  }
  return doc(...content);
}

function markWrap(value: string, marks: readonly AdfMark[] | undefined, html: boolean): string {
  let out = html ? escapeHtml(value) : value;
  for (const m of marks ?? []) {
    if (m.type === "strong") {
      out = html ? `<b>${out}</b>` : `*${out}*`;
    } else if (m.type === "em") {
      out = html ? `<em>${out}</em>` : `_${out}_`;
    } else if (m.type === "code") {
      out = html ? `<tt>${out}</tt>` : `{{${out}}}`;
    } else if (m.type === "link") {
      const href = String(m.attrs?.href ?? "");
      out = html
        ? `<a href="${escapeHtml(href)}" class="external-link" rel="nofollow noreferrer">${out}</a>`
        : `[${out}|${href}]`;
    }
  }
  return out;
}

function inlineToWiki(nodes: readonly AdfNode[] | undefined): string {
  let out = "";
  for (const n of nodes ?? []) {
    if (n.type === "text") {
      out += markWrap(n.text ?? "", n.marks, false);
    } else if (n.type === "hardBreak") {
      out += "\n";
    } else if (n.type === "mention") {
      out += `[~accountid:${String(n.attrs?.id ?? "")}]`;
    } else if (n.type === "emoji") {
      out += String(n.attrs?.shortName ?? "");
    } else if (n.type === "inlineCard") {
      out += `[${String(n.attrs?.url ?? "")}|${String(n.attrs?.url ?? "")}|smart-link]`;
    } else if (n.content) {
      out += inlineToWiki(n.content);
    }
  }
  return out;
}

function blockToWiki(node: AdfNode, bullet = ""): string {
  switch (node.type) {
    case "paragraph":
      return inlineToWiki(node.content);
    case "heading":
      return `h${Number(node.attrs?.level ?? 1)}. ${inlineToWiki(node.content)}`;
    case "bulletList":
    case "orderedList": {
      const marker = `${bullet}${node.type === "bulletList" ? "*" : "#"}`;
      return (node.content ?? [])
        .map((item) =>
          (item.content ?? [])
            .map((c) =>
              c.type === "bulletList" || c.type === "orderedList"
                ? blockToWiki(c, marker)
                : `${marker} ${blockToWiki(c)}`,
            )
            .join("\n"),
        )
        .join("\n");
    }
    case "codeBlock": {
      const lang = node.attrs?.language ? `:${String(node.attrs.language)}` : "";
      return `{code${lang}}${inlineToWiki(node.content)}{code}`;
    }
    case "blockquote":
      return `{quote}${(node.content ?? []).map((c) => blockToWiki(c)).join("\n\n")}{quote}`;
    case "rule":
      return "----";
    default:
      return node.content ? (node.content ?? []).map((c) => blockToWiki(c)).join("\n") : "";
  }
}

/** ADF to the wiki-markup string that v2 (and webhooks) return. */
export function adfToWiki(value: AdfDoc | null | undefined): string | null {
  if (!value) {
    return null;
  }
  return value.content.map((n) => blockToWiki(n)).join("\n\n");
}

export function escapeHtml(value: string): string {
  return value
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;");
}

function inlineToHtml(nodes: readonly AdfNode[] | undefined, baseUrl: string): string {
  let out = "";
  for (const n of nodes ?? []) {
    if (n.type === "text") {
      out += markWrap(n.text ?? "", n.marks, true);
    } else if (n.type === "hardBreak") {
      out += "<br/>";
    } else if (n.type === "mention") {
      const id = String(n.attrs?.id ?? "");
      out += `<a href="${escapeHtml(baseUrl)}/secure/ViewProfile.jspa?accountId=${encodeURIComponent(id)}" class="user-hover" rel="${escapeHtml(id)}">${escapeHtml(String(n.attrs?.text ?? ""))}</a>`;
    } else if (n.type === "emoji") {
      out += escapeHtml(String(n.attrs?.text ?? n.attrs?.shortName ?? ""));
    } else if (n.content) {
      out += inlineToHtml(n.content, baseUrl);
    }
  }
  return out;
}

function blockToHtml(node: AdfNode, baseUrl: string): string {
  const inner = () => (node.content ?? []).map((c) => blockToHtml(c, baseUrl)).join("");
  switch (node.type) {
    case "paragraph":
      return `<p>${inlineToHtml(node.content, baseUrl)}</p>`;
    case "heading": {
      const level = Number(node.attrs?.level ?? 1);
      return `<h${level}>${inlineToHtml(node.content, baseUrl)}</h${level}>`;
    }
    case "bulletList":
      return `<ul>${inner()}</ul>`;
    case "orderedList":
      return `<ol>${inner()}</ol>`;
    case "listItem":
      return `<li>${(node.content ?? [])
        .map((c) =>
          c.type === "paragraph" ? inlineToHtml(c.content, baseUrl) : blockToHtml(c, baseUrl),
        )
        .join("")}</li>`;
    case "codeBlock":
      return `<div class="code panel"><div class="codeContent panelContent"><pre class="code-${escapeHtml(String(node.attrs?.language ?? "java"))}">${escapeHtml(inlineToWiki(node.content))}</pre></div></div>`;
    case "blockquote":
      return `<blockquote>${inner()}</blockquote>`;
    case "rule":
      return "<hr/>";
    default:
      return inner();
  }
}

/** ADF to the HTML Jira returns in renderedFields / renderedBody. */
export function adfToHtml(value: AdfDoc | null | undefined, baseUrl: string): string | null {
  if (!value) {
    return null;
  }
  return value.content.map((n) => blockToHtml(n, baseUrl)).join("");
}

/** Validates the top-level ADF shape Jira requires for rich-text fields. */
export function isAdfDoc(value: unknown): value is AdfDoc {
  if (typeof value !== "object" || value === null) {
    return false;
  }
  const v = value as Record<string, unknown>;
  return v.type === "doc" && v.version === 1 && Array.isArray(v.content);
}
