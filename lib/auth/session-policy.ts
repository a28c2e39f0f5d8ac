// Session lifetime rules: an absolute limit from creation and an idle limit from the last
// user activity, each tightened by the active organization's policy. Pure functions for
// display and tests; lib/auth/session-limits-sql.ts states the same rules in SQL for the
// statements that enforce them.

export type ExpiryReason = "absolute_timeout" | "idle_timeout";

export interface SessionLimits {
  absoluteTimeoutSeconds: number;
  idleTimeoutSeconds: number;
}

/** An organization's own limits; null where it adds none. */
export interface OrganizationLimits {
  absoluteTimeoutSeconds: number | null;
  idleTimeoutSeconds: number | null;
}

/** Returns the strictest of the app-wide limits and the organization's. */
export function effectiveLimits(
  app: SessionLimits,
  organization: OrganizationLimits | null,
): SessionLimits {
  return {
    absoluteTimeoutSeconds: Math.min(
      app.absoluteTimeoutSeconds,
      organization?.absoluteTimeoutSeconds ?? Number.POSITIVE_INFINITY,
    ),
    idleTimeoutSeconds: Math.min(
      app.idleTimeoutSeconds,
      organization?.idleTimeoutSeconds ?? Number.POSITIVE_INFINITY,
    ),
  };
}

export type SessionVerdict =
  | { live: true; absoluteDeadline: Date; idleDeadline: Date }
  | { live: false; reason: ExpiryReason; endedAt: Date };

const SECOND_MS = 1000;

/**
 * Decides whether a session is still live at `now`. A session is over at its deadline
 * exactly, not a moment after. When both limits have passed, the one reached first is the
 * reason, and the absolute limit wins a tie.
 */
export function evaluateSession(
  times: { createdAt: Date; lastActiveAt: Date },
  limits: SessionLimits,
  now: Date,
): SessionVerdict {
  const absoluteDeadline = new Date(
    times.createdAt.getTime() + limits.absoluteTimeoutSeconds * SECOND_MS,
  );
  const idleDeadline = new Date(
    times.lastActiveAt.getTime() + limits.idleTimeoutSeconds * SECOND_MS,
  );
  const first = absoluteDeadline <= idleDeadline ? absoluteDeadline : idleDeadline;
  if (now < first) return { live: true, absoluteDeadline, idleDeadline };
  return {
    live: false,
    reason: absoluteDeadline <= idleDeadline ? "absolute_timeout" : "idle_timeout",
    endedAt: first,
  };
}
