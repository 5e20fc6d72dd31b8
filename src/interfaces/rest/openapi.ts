import { z } from "@hono/zod-openapi";

/** Shared OpenAPI components: the problem schema and the error responses every route may give. */
export const ProblemSchema = z
  .object({
    type: z.string().openapi({ example: "https://api.example.com/problems/invalid_request" }),
    title: z.string().openapi({ example: "Bad Request" }),
    status: z.number().int().openapi({ example: 400 }),
    detail: z.string(),
    instance: z.string().openapi({ example: "/v1/issues" }),
    requestId: z.string(),
    code: z.string().openapi({
      description: "Stable, machine-readable; `type` is the page explaining it.",
      example: "invalid_request",
    }),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .openapi("Problem");

const problemResponse = (description: string) => ({
  description,
  content: { "application/problem+json": { schema: ProblemSchema } },
});

export const errorResponses = {
  400: problemResponse("The request is invalid; `errors` names each bad field."),
  401: problemResponse("Missing or unknown credentials."),
  403: problemResponse("The API key lacks the scope this operation needs."),
  404: problemResponse("Not found (or owned by another tenant)."),
  409: problemResponse("Conflicts with existing state."),
  422: problemResponse("Well-formed, but Jira (or the data) refused it; `errors` says why."),
  429: problemResponse("Rate limited; see `Retry-After`."),
  500: problemResponse("Unexpected server error."),
  503: problemResponse("A dependency (Jira, the database) did not answer; retry later."),
} as const;

export const jsonContent = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { "application/json": { schema } },
});
