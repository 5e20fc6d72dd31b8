import { describe, expect, it } from "vitest";
import { type AdfNode, adfToText, isAdfDocument, textToAdf } from "../../src/domain/adf";

const doc = (...content: AdfNode[]) => ({ type: "doc", version: 1, content });
const p = (...content: AdfNode[]): AdfNode => ({ type: "paragraph", content });
const t = (text: string, marks?: AdfNode["marks"]): AdfNode => ({ type: "text", text, marks });
const li = (...content: AdfNode[]): AdfNode => ({ type: "listItem", content });

describe("adfToText", () => {
  it("renders paragraphs separated by a blank line, keeping marked text", () => {
    const input = doc(
      p(t("Hello "), t("world", [{ type: "strong" }]), t("!")),
      p(t("Second "), t("link", [{ type: "link", attrs: { href: "https://x" } }])),
    );
    expect(adfToText(input)).toBe("Hello world!\n\nSecond link");
  });

  it("renders headings, hard breaks, rules and blockquotes", () => {
    const input = doc(
      { type: "heading", attrs: { level: 2 }, content: [t("Title")] },
      p(t("line one"), { type: "hardBreak" }, t("line two")),
      { type: "rule" },
      { type: "blockquote", content: [p(t("quoted"))] },
    );
    expect(adfToText(input)).toBe("Title\n\nline one\nline two\n\n---\n\nquoted");
  });

  it("renders bullet, ordered and nested lists", () => {
    const input = doc(
      { type: "bulletList", content: [li(p(t("one"))), li(p(t("two")))] },
      {
        type: "orderedList",
        attrs: { order: 3 },
        content: [
          li(p(t("three")), { type: "bulletList", content: [li(p(t("nested")))] }),
          li(p(t("four"))),
        ],
      },
    );
    expect(adfToText(input)).toBe("- one\n- two\n\n3. three\n   - nested\n4. four");
  });

  it("keeps code blocks verbatim", () => {
    const input = doc({
      type: "codeBlock",
      attrs: { language: "ts" },
      content: [t("const a = 1;\nconst b = 2;")],
    });
    expect(adfToText(input)).toBe("const a = 1;\nconst b = 2;");
  });

  it("renders mentions as @Name, emoji, dates, status and cards", () => {
    const input = doc(
      p(
        { type: "mention", attrs: { id: "5b10a2844c20165700ede21g", text: "@Ada Lovelace" } },
        t(" and "),
        { type: "mention", attrs: { id: "abc", text: "Grace" } },
        t(" "),
        { type: "emoji", attrs: { shortName: ":smile:", text: "😄" } },
        t(" "),
        { type: "emoji", attrs: { shortName: ":custom:" } },
        t(" due "),
        { type: "date", attrs: { timestamp: "1700000000000" } },
        t(" "),
        { type: "status", attrs: { text: "IN PROGRESS", color: "blue" } },
        t(" "),
        { type: "inlineCard", attrs: { url: "https://example.com/x" } },
      ),
      { type: "mention", attrs: { id: "no-text" } },
    );
    expect(adfToText(input)).toBe(
      "@Ada Lovelace and @Grace 😄 :custom: due 2023-11-14 IN PROGRESS https://example.com/x\n\n@no-text",
    );
  });

  it("renders tables row by row with cells separated by |", () => {
    const cell = (type: string, text: string): AdfNode => ({ type, content: [p(t(text))] });
    const input = doc({
      type: "table",
      content: [
        { type: "tableRow", content: [cell("tableHeader", "Key"), cell("tableHeader", "Value")] },
        { type: "tableRow", content: [cell("tableCell", "a"), cell("tableCell", "1")] },
      ],
    });
    expect(adfToText(input)).toBe("Key | Value\na | 1");
  });

  it("renders panels, task lists, media and expands", () => {
    const input = doc(
      { type: "panel", attrs: { panelType: "info" }, content: [p(t("note"))] },
      {
        type: "taskList",
        content: [
          { type: "taskItem", attrs: { state: "DONE" }, content: [t("done")] },
          { type: "taskItem", attrs: { state: "TODO" }, content: [t("todo")] },
        ],
      },
      {
        type: "mediaSingle",
        content: [{ type: "media", attrs: { id: "m", type: "file", alt: "screenshot.png" } }],
      },
      { type: "expand", attrs: { title: "Details" }, content: [p(t("hidden"))] },
    );
    expect(adfToText(input)).toBe(
      "note\n\n[x] done\n[ ] todo\n\nscreenshot.png\n\nDetails\nhidden",
    );
  });

  it("degrades unknown nodes to their text", () => {
    const input = doc(
      { type: "futureBlock", content: [p(t("inside future"))] },
      p(t("a "), { type: "futureInline", text: "leaf" }, t(" b")),
      { type: "mysteryLeaf" },
      { type: "layoutSection", content: [{ type: "layoutColumn", content: [p(t("col"))] }] },
    );
    expect(adfToText(input)).toBe("inside future\n\na leaf b\n\ncol");
  });

  it("accepts strings (v2 bodies), null and garbage", () => {
    expect(adfToText("plain v2 body")).toBe("plain v2 body");
    expect(adfToText(null)).toBe("");
    expect(adfToText(undefined)).toBe("");
    expect(adfToText(42)).toBe("");
    expect(adfToText({ type: "doc", content: "nope" })).toBe("");
    expect(adfToText({ type: "doc", content: [null, 3, p(t("ok"))] })).toBe("ok");
  });
});

describe("textToAdf", () => {
  it("builds a valid doc with paragraphs and hard breaks", () => {
    expect(textToAdf("first line\nsecond line\n\nnext paragraph")).toEqual({
      type: "doc",
      version: 1,
      content: [
        p(t("first line"), { type: "hardBreak" }, t("second line")),
        p(t("next paragraph")),
      ],
    });
  });

  it("produces an empty doc for empty text and never empty text nodes", () => {
    expect(textToAdf("  \n ")).toEqual({ type: "doc", version: 1, content: [] });
    const adf = textToAdf("a\n\nb\n\n\n\nc\n\nd\n");
    expect(JSON.stringify(adf)).not.toContain('"text":""');
    expect(adf.content).toHaveLength(4);
    expect(isAdfDocument(adf)).toBe(true);
  });

  it.each([
    "single line",
    "line one\nline two",
    "para one\n\npara two\nwith break",
    "@Ada mentioned :smile: in text",
    "  indented code-ish\n    more",
    "ünïcödé ✓ 日本語",
  ])("round trips %j", (text) => {
    expect(adfToText(textToAdf(text))).toBe(text.trim());
  });

  it("normalizes CRLF and collapses runs of blank lines", () => {
    expect(adfToText(textToAdf("a\r\nb\r\n\r\n\r\n\r\nc"))).toBe("a\nb\n\nc");
  });
});
