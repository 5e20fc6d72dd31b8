import { isQuestion, sentences, tokens } from "./text";

export interface ThreadEntry {
  /** Who wrote it: the reporter for the description, the author for a comment. */
  author: string | null;
  text: string;
}

export interface ExtractiveSummary {
  summary: string;
  keyPoints: string[];
  openQuestions: string[];
}

interface Scored {
  text: string;
  /** Position in the thread, to put chosen sentences back in reading order. */
  order: number;
  score: number;
}

const MAX_SENTENCE = 300;
const clip = (text: string) =>
  text.length > MAX_SENTENCE ? `${text.slice(0, MAX_SENTENCE - 1)}…` : text;

/**
 * Scores each sentence by how central its words are (their frequency across the whole thread,
 * normalised by length), with a bonus for the opening of the description and for words of the
 * title: the classic frequency-based extractive summary (Luhn), no model needed.
 */
function scoreSentences(title: string, entries: readonly ThreadEntry[]): Scored[] {
  const all = entries.flatMap((entry, e) =>
    sentences(entry.text).map((text, s) => ({ text, entry: e, index: s })),
  );
  const frequency = new Map<string, number>();
  for (const { text } of all) {
    for (const word of new Set(tokens(text))) {
      frequency.set(word, (frequency.get(word) ?? 0) + 1);
    }
  }
  const titleWords = new Set(tokens(title));
  return all.map(({ text, entry, index }, order) => {
    const words = tokens(text);
    const weight = words.reduce((sum, w) => sum + (frequency.get(w) ?? 0), 0);
    const inTitle = words.filter((w) => titleWords.has(w)).length;
    const lead = entry === 0 && index === 0 ? 1.5 : 1;
    const score =
      words.length === 0 ? 0 : ((weight + 2 * inTitle) / Math.sqrt(words.length)) * lead;
    return { text, order, score };
  });
}

/**
 * Questions nobody answered: a question in an entry counts as answered once someone other than
 * its author writes after it.
 */
export function openQuestions(entries: readonly ThreadEntry[]): string[] {
  const open: string[] = [];
  entries.forEach((entry, i) => {
    const answered = entries.slice(i + 1).some((later) => later.author !== entry.author);
    if (!answered) {
      open.push(...sentences(entry.text).filter(isQuestion).map(clip));
    }
  });
  return [...new Set(open)].slice(0, 5);
}

/**
 * An extractive summary of an issue: the title plus the best-scoring sentence, key points (the
 * best sentences in reading order) and the open questions of the thread.
 *
 * @example
 * summarizeThread("Login fails", [{ author: "a", text: "SSO login fails after the upgrade. Who owns SSO?" }])
 */
export function summarizeThread(title: string, entries: readonly ThreadEntry[]): ExtractiveSummary {
  const scored = scoreSentences(title, entries).filter((s) => !isQuestion(s.text));
  const best = [...scored].sort((a, b) => b.score - a.score || a.order - b.order);
  const keyPoints = best
    .slice(0, 5)
    .sort((a, b) => a.order - b.order)
    .map((s) => clip(s.text));
  const lead = best[0]?.text;
  const summary = lead ? `${title.trim()}: ${clip(lead)}` : title.trim();
  return { summary, keyPoints, openQuestions: openQuestions(entries) };
}
