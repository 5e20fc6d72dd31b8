import { tokens } from "./text.ts";

/** One synced issue the built-in triage learns from. */
export interface TriageExample {
  key: string;
  text: string;
  type: string | null;
  priority: string | null;
  assignee: string | null;
  labels: readonly string[];
  components: readonly string[];
}

export interface Suggestion {
  value: string | null;
  /** 0..1 */
  confidence: number;
  /** Issue keys the suggestion relied on, or a reason. */
  evidence: string[];
}

export interface TriageSuggestions {
  type: Suggestion;
  priority: Suggestion;
  labels: Suggestion[];
  components: Suggestion[];
  assignee: Suggestion;
}

type Vector = Map<string, number>;

interface Neighbour {
  example: TriageExample;
  similarity: number;
}

const round = (n: number) => Math.round(n * 1000) / 1000;

function counts(words: readonly string[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const w of words) {
    out.set(w, (out.get(w) ?? 0) + 1);
  }
  return out;
}

/**
 * Multinomial naive Bayes (Laplace smoothing) for single-valued fields, and TF-IDF nearest
 * neighbours for multi-valued ones and for the evidence: small, explainable models that learn
 * from the tenant's own issues at request time (no training step, nothing stored).
 */
export class TriageModel {
  readonly #docs: { example: TriageExample; words: string[]; vector: Vector }[];
  readonly #idf = new Map<string, number>();

  constructor(examples: readonly TriageExample[]) {
    const tokenized = examples.map((example) => ({ example, words: tokens(example.text) }));
    const df = new Map<string, number>();
    for (const { words } of tokenized) {
      for (const w of new Set(words)) {
        df.set(w, (df.get(w) ?? 0) + 1);
      }
    }
    const n = Math.max(1, tokenized.length);
    for (const [w, d] of df) {
      this.#idf.set(w, Math.log((1 + n) / (1 + d)) + 1);
    }
    this.#docs = tokenized.map(({ example, words }) => ({
      example,
      words,
      vector: this.#vector(words),
    }));
  }

  get size(): number {
    return this.#docs.length;
  }

  #vector(words: readonly string[]): Vector {
    const v: Vector = new Map();
    for (const [w, c] of counts(words)) {
      const idf = this.#idf.get(w);
      if (idf !== undefined) {
        v.set(w, (1 + Math.log(c)) * idf);
      }
    }
    const norm = Math.sqrt([...v.values()].reduce((s, x) => s + x * x, 0)) || 1;
    for (const [w, x] of v) {
      v.set(w, x / norm);
    }
    return v;
  }

  #neighbours(words: readonly string[], k: number): Neighbour[] {
    const query = this.#vector(words);
    const scored: Neighbour[] = [];
    for (const doc of this.#docs) {
      let dot = 0;
      for (const [w, x] of query) {
        dot += x * (doc.vector.get(w) ?? 0);
      }
      if (dot > 0) {
        scored.push({ example: doc.example, similarity: dot });
      }
    }
    return scored.sort((a, b) => b.similarity - a.similarity).slice(0, k);
  }

  /** Posterior over the values of one field; null values are not a class. */
  #bayes(words: readonly string[], field: (e: TriageExample) => string | null) {
    const classes = new Map<string, { docs: number; words: Map<string, number>; total: number }>();
    for (const doc of this.#docs) {
      const value = field(doc.example);
      if (value === null) {
        continue;
      }
      let c = classes.get(value);
      if (!c) {
        c = { docs: 0, words: new Map(), total: 0 };
        classes.set(value, c);
      }
      c.docs += 1;
      for (const w of doc.words) {
        c.words.set(w, (c.words.get(w) ?? 0) + 1);
        c.total += 1;
      }
    }
    const labelled = [...classes.values()].reduce((s, c) => s + c.docs, 0);
    const vocabulary = this.#idf.size || 1;
    const known = words.filter((w) => this.#idf.has(w));
    const logs = [...classes].map(([value, c]) => {
      let log = Math.log(c.docs / labelled);
      for (const w of known) {
        log += Math.log(((c.words.get(w) ?? 0) + 1) / (c.total + vocabulary));
      }
      return { value, log };
    });
    const max = Math.max(...logs.map((l) => l.log));
    const sum = logs.reduce((s, l) => s + Math.exp(l.log - max), 0);
    return logs
      .map(({ value, log }) => ({ value, p: Math.exp(log - max) / sum }))
      .sort((a, b) => b.p - a.p);
  }

  #single(
    words: readonly string[],
    neighbours: readonly Neighbour[],
    field: (e: TriageExample) => string | null,
  ): Suggestion {
    const [best] = this.#bayes(words, field);
    if (!best) {
      return { value: null, confidence: 0, evidence: ["no synced issue has this field set"] };
    }
    const evidence = neighbours
      .filter((n) => field(n.example) === best.value)
      .slice(0, 3)
      .map((n) => n.example.key);
    return {
      value: best.value,
      confidence: round(best.p),
      evidence: evidence.length > 0 ? evidence : ["most common value among similar issues"],
    };
  }

  #multi(
    neighbours: readonly Neighbour[],
    field: (e: TriageExample) => readonly string[],
  ): Suggestion[] {
    const total = neighbours.reduce((s, n) => s + n.similarity, 0);
    if (total === 0) {
      return [];
    }
    const votes = new Map<string, { score: number; keys: string[] }>();
    for (const n of neighbours) {
      for (const value of field(n.example)) {
        const vote = votes.get(value) ?? { score: 0, keys: [] };
        vote.score += n.similarity;
        vote.keys.push(n.example.key);
        votes.set(value, vote);
      }
    }
    return [...votes]
      .map(([value, v]) => ({
        value,
        confidence: round(v.score / total),
        evidence: v.keys.slice(0, 3),
      }))
      .filter((s) => s.confidence >= 0.35)
      .sort((a, b) => b.confidence - a.confidence)
      .slice(0, 3);
  }

  suggest(text: string): TriageSuggestions {
    const words = tokens(text);
    const neighbours = this.#neighbours(words, 15);
    return {
      type: this.#single(words, neighbours, (e) => e.type),
      priority: this.#single(words, neighbours, (e) => e.priority),
      labels: this.#multi(neighbours, (e) => e.labels),
      components: this.#multi(neighbours, (e) => e.components),
      assignee: this.#single(words, neighbours, (e) => e.assignee),
    };
  }
}
