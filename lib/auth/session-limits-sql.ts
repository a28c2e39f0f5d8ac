import "server-only";

import { sql, type SQL } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";

import { organizations, sessions } from "../db/schema";
import type { SessionLimits } from "./session-policy";

// The rules of session-policy.ts as SQL over the `sessions` row of the statement, so the
// check and the change it leads to happen in one statement. Any change here must keep
// lib/auth/session-policy.ts in step; the integration tests compare the two.

function organizationLimit(column: AnyPgColumn) {
  return sql`(select ${column} from ${organizations} where ${organizations.id} = ${sessions.activeOrganizationId})`;
}

export interface SessionLimitExpressions {
  absoluteDeadline: SQL;
  idleDeadline: SQL;
  /** 'absolute_timeout' or 'idle_timeout' once a limit has passed, else null. */
  expiryReason: SQL;
  /** When the session ended: the earlier deadline. */
  expiredAt: SQL;
}

export function sessionLimitExpressions(app: SessionLimits): SessionLimitExpressions {
  // The casts are bigint because the app-wide limits come from the environment with no upper
  // bound. An integer cast fails every statement once a limit reaches 2^31 seconds (68 years).
  const absoluteSeconds = sql`least(${app.absoluteTimeoutSeconds}::bigint, coalesce(${organizationLimit(organizations.sessionAbsoluteTimeoutSeconds)}, ${app.absoluteTimeoutSeconds}::bigint))`;
  const idleSeconds = sql`least(${app.idleTimeoutSeconds}::bigint, coalesce(${organizationLimit(organizations.sessionIdleTimeoutSeconds)}, ${app.idleTimeoutSeconds}::bigint))`;
  const absoluteDeadline = sql`(${sessions.createdAt} + make_interval(secs => ${absoluteSeconds}))`;
  const idleDeadline = sql`(${sessions.lastActiveAt} + make_interval(secs => ${idleSeconds}))`;
  const expiryReason = sql`(case when least(${absoluteDeadline}, ${idleDeadline}) > now() then null when ${absoluteDeadline} <= ${idleDeadline} then 'absolute_timeout' else 'idle_timeout' end)`;
  return {
    absoluteDeadline,
    idleDeadline,
    expiryReason,
    expiredAt: sql`least(${absoluteDeadline}, ${idleDeadline})`,
  };
}

/**
 * Whole seconds from now until `deadline`, never negative. Rounded down for a limit nothing
 * may outlive (a token's lifetime), up for a moment to check after (the idle deadline the
 * client re-checks once it has passed).
 */
export function secondsUntil(deadline: SQL, rounding: "down" | "up" = "down"): SQL<number> {
  const round = rounding === "down" ? sql`floor` : sql`ceil`;
  // postgres.js returns bigint as a string and PGlite as a number; mapWith makes both a number.
  return sql<number>`greatest(0, ${round}(extract(epoch from (${deadline} - now()))))::bigint`.mapWith(
    Number,
  );
}
