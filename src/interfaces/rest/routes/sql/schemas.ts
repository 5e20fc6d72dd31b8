import { z } from "@hono/zod-openapi";
import { ProblemSchema } from "../../openapi";

const MAX_QUERY_BYTES = 100 * 1024;
const encoder = new TextEncoder();

const SqlParamSchema = z.union([z.string().max(100_000), z.number(), z.boolean(), z.null()]);

export const SqlQueryBody = z
  .object({
    query: z
      .string()
      .min(1)
      .refine((query) => query.trim().length > 0, "The query is empty.")
      .refine(
        (query) => encoder.encode(query).length <= MAX_QUERY_BYTES,
        "The query is longer than 100 KB.",
      )
      .refine((query) => !query.includes("\u0000"), "The query contains a NUL character.")
      .openapi({
        description:
          "One read-only query (SELECT, WITH … SELECT, VALUES or TABLE); `$1`… are params.",
        example: "select status, count(*) from v_issues where project_key = $1 group by 1",
      }),
    params: z
      .array(SqlParamSchema)
      .max(100)
      .default([])
      .openapi({ description: "Values for $1, $2, …", example: ["PROJ"] }),
    maxRows: z
      .number()
      .int()
      .min(1)
      .max(10_000)
      .default(1000)
      .openapi({ description: "At most this many rows come back; `truncated` says if more." }),
  })
  .openapi("SqlQuery");

export const SqlResultSchema = z
  .object({
    columns: z
      .array(
        z.object({
          name: z.string(),
          type: z.string().openapi({ description: "Postgres type name: text, int4, timestamptz…" }),
        }),
      )
      .openapi({
        example: [
          { name: "status", type: "text" },
          { name: "count", type: "int8" },
        ],
      }),
    rows: z.array(z.array(z.unknown())).openapi({
      description:
        "Rows as arrays, in column order. int8 and numeric come as strings (exact); timestamptz " +
        "as ISO-8601 UTC; json, jsonb, arrays and records as JSON.",
      example: [
        ["Done", "12"],
        ["In Progress", "3"],
      ],
    }),
    rowCount: z.number().int(),
    truncated: z.boolean().openapi({ description: "More rows (or bytes) than returned." }),
  })
  .openapi("SqlResult");

export const SqlProblemSchema = ProblemSchema.extend({
  sqlState: z.string().optional().openapi({ description: "Postgres SQLSTATE", example: "42501" }),
  position: z.number().int().optional().openapi({ description: "1-based offset in `query`." }),
  hint: z.string().optional(),
}).openapi("SqlProblem");

export const SqlSchemaSchema = z
  .object({
    tables: z.array(
      z.object({
        name: z.string().openapi({ example: "v_issues" }),
        kind: z.enum(["table", "view"]),
        description: z.string().nullable(),
        columns: z.array(
          z.object({
            name: z.string().openapi({ example: "status" }),
            type: z.string().openapi({ example: "text" }),
            nullable: z.boolean(),
            description: z.string().nullable(),
          }),
        ),
      }),
    ),
  })
  .openapi("SqlSchema");
