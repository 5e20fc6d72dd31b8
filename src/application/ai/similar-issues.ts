import { and, eq, isNull, sql } from "drizzle-orm";
import { issues } from "../../../drizzle/schema";
import { tokens } from "../../domain/ai/text";
import { notFound } from "../../domain/errors";
import { type AiCaller, type AiDeps, auditedAiCall } from "./ai-call";

export interface SimilarIssue {
  key: string;
  summary: string;
  score: number;
  reason: string;
  likelyDuplicate: boolean;
}

/** Summaries at least this alike (trigram similarity) are reported as likely duplicates. */
const DUPLICATE_SIMILARITY = 0.5;
const QUERY_TERMS = 40;

/** An OR of the issue's own words: every issue sharing terms is a candidate, ranked after. */
function orQuery(text: string): string {
  const words = tokens(text)
    .map((w) => w.replace(/[^\p{L}\p{N}]/gu, ""))
    .filter((w) => w.length > 2);
  return [...new Set(words)].slice(0, QUERY_TERMS).join(" | ");
}

const pct = (n: number) => `${Math.round(n * 100)}%`;

/**
 * Issues like the given one, by Postgres alone: trigram similarity of the summaries (pg_trgm)
 * and a full-text match of its words against summary, description and comments. Likely
 * duplicates come first; the issue itself never appears.
 */
export function findSimilarIssues(
  deps: AiDeps,
  input: AiCaller & { instanceId: string; key: string; limit: number },
) {
  return auditedAiCall(
    deps,
    input,
    "ai.similar",
    { type: "issue", id: input.key },
    async () => {
      const rows = await deps.db.withTenant(input.tenantId, async (tx) => {
        const [target] = await tx
          .select({ id: issues.id, summary: issues.summary, description: issues.descriptionText })
          .from(issues)
          .where(
            and(
              eq(issues.instanceId, input.instanceId),
              eq(issues.key, input.key),
              isNull(issues.deletedAt),
            ),
          );
        if (!target) {
          throw notFound(`Issue ${input.key}`);
        }
        const query = orQuery(`${target.summary} ${target.description.slice(0, 1000)}`);
        const result = await tx.execute<{
          key: string;
          summary: string;
          trigram: number;
          text_rank: number;
        }>(sql`
          select i.key, i.summary, similarity(i.summary, ${target.summary})::float8 as trigram,
            coalesce(ts_rank_cd(i.search_vector, q, 32), 0)::float8 as text_rank
          from issues i, to_tsquery('english', ${query}) q
          where i.instance_id = ${input.instanceId} and i.deleted_at is null
            and i.id <> ${target.id}
            and (i.summary % ${target.summary} or i.search_vector @@ q)
          order by similarity(i.summary, ${target.summary}) + coalesce(ts_rank_cd(i.search_vector, q, 32), 0) desc
          limit 200`);
        return result.rows;
      });
      const ranked: SimilarIssue[] = rows.map((row) => {
        const trigram = Number(row.trigram);
        const rank = Number(row.text_rank);
        const likelyDuplicate = trigram >= DUPLICATE_SIMILARITY;
        const score = Math.min(1, 0.65 * trigram + 0.35 * rank + (likelyDuplicate ? 0.1 : 0));
        return {
          key: row.key,
          summary: row.summary,
          score: Math.round(score * 1000) / 1000,
          likelyDuplicate,
          reason: likelyDuplicate
            ? `likely duplicate: summaries ${pct(trigram)} alike`
            : `shares terms (text match ${pct(rank)}); summaries ${pct(trigram)} alike`,
        };
      });
      ranked.sort(
        (a, b) => Number(b.likelyDuplicate) - Number(a.likelyDuplicate) || b.score - a.score,
      );
      return { result: ranked.slice(0, input.limit) };
    },
    { builtinOnly: true },
  );
}
