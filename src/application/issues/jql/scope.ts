import type { Tx } from "../../../infrastructure/db/database";

/** What a JQL query is evaluated against: one Jira instance of the caller's tenant, at `now`. */
export interface JqlScope {
  tx: Tx;
  instanceId: string;
  /** The Jira account's time zone (its /myself `timeZone`): dates are read in it. */
  timeZone: string;
  /** The Jira account the instance connects as: `currentUser()`. */
  accountId: string | null;
  now: number;
  /** The tenant's key for emailHash: `assignee = someone@example.com` finds them by hash. */
  emailKey: CryptoKey;
}
