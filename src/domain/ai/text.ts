/** Text helpers shared by the built-in summariser and classifier: pure, language-light. */

const STOPWORDS = new Set(
  (
    "a an and are as at be been but by can could did do does for from had has have he her his " +
    "i if in into is it its just me my no not of on or our please she so some than that the " +
    "their them then there these they this to too up us was we were what when where which who " +
    "will with would you your also any all about after before more most only other over same " +
    "should very via see take look still get got new one two per"
  ).split(" "),
);

/** Lower-cased word tokens (letters and digits, any script), stopwords and 1-letter words dropped. */
export function tokens(text: string): string[] {
  const words = text.toLowerCase().match(/[\p{L}\p{N}][\p{L}\p{N}_'-]*/gu) ?? [];
  return words.filter((w) => w.length > 1 && !STOPWORDS.has(w));
}

/** Sentences of a text: split after . ! ? or a line break; trimmed, empty ones dropped. */
export function sentences(text: string): string[] {
  return text
    .split(/(?<=[.!?])\s+|\n+/u)
    .map((s) => s.replace(/\s+/g, " ").trim())
    .filter((s) => s.length > 0);
}

export const isQuestion = (sentence: string) => /\?\s*$/.test(sentence);
