import "server-only";

import { and, eq, sql } from "drizzle-orm";

import type { Database } from "../db/client";
import { sessions, users } from "../db/schema";
import type { RequestContext } from "../device/request-context";
import { log } from "../log";
import { recordSecurityEvent } from "../security-events";
import { verifyPassword } from "./password";
import { tokenSubjectColumns } from "./sessions";
import {
  accountLimit,
  reserveAttempt,
  settleSuccessfulAttempt,
  type ThrottleOptions,
} from "./throttle";
import type { TokenSubject } from "./token";

/**
 * Returns whether the password was checked for this session within `maxAgeSeconds`. Sensitive
 * actions ask for the password again when it was not, because a session cookie left on
 * an unattended computer should not be enough to lock the owner out.
 */
export function isRecentlyVerified(
  session: Pick<TokenSubject, "lastVerifiedAt">,
  maxAgeSeconds: number,
  now: Date = new Date(),
): boolean {
  return now.getTime() - session.lastVerifiedAt.getTime() < maxAgeSeconds * 1000;
}

export type PasswordConfirmation =
  | { ok: true; subject: TokenSubject }
  | { ok: false; error: "wrong_password" | "session_ended" }
  /** Too many recent failures for this account; the password was not checked. */
  | { ok: false; error: "throttled"; retryAfterSeconds: number };

/**
 * Checks the user's password for an active session and, when it matches, records the
 * check as the session's new `last_verified_at` (the token's `auth_time`). Returns the
 * updated token subject. Attempts count against the same per-account limit as sign-in, but
 * not against the address limit, because the caller already has a session.
 */
export async function verifyPasswordForSession(
  db: Database,
  session: TokenSubject,
  password: string,
  context: RequestContext,
  options: ThrottleOptions = {},
): Promise<PasswordConfirmation> {
  const [user] = await db
    .select({ email: users.email, passwordHash: users.passwordHash })
    .from(users)
    .where(eq(users.id, session.userId))
    .limit(1);
  // Deleting a user deletes their sessions, so this session has ended.
  if (!user) return { ok: false, error: "session_ended" };

  const reservation = await reserveAttempt(db, [accountLimit(user.email)], options);
  if (!reservation.admitted) {
    if (reservation.firstRejection) {
      await recordFailedConfirmation(db, session, context, { reason: "throttled" });
      log.info(
        { userId: session.userId, sessionId: session.sessionId },
        "password confirmation throttled",
      );
    }
    return { ok: false, error: "throttled", retryAfterSeconds: reservation.retryAfterSeconds };
  }

  if (!(await verifyPassword(user.passwordHash, password))) {
    await recordFailedConfirmation(db, session, context);
    return { ok: false, error: "wrong_password" };
  }

  await settleSuccessfulAttempt(db, reservation.keys);
  const [updated] = await db
    .update(sessions)
    .set({ lastVerifiedAt: sql`now()` })
    .where(and(eq(sessions.id, session.sessionId), eq(sessions.status, "active")))
    .returning(tokenSubjectColumns);
  if (!updated) return { ok: false, error: "session_ended" };
  await recordSecurityEvent(db, {
    type: "password_verified",
    userId: session.userId,
    sessionId: session.sessionId,
    context,
  });
  return { ok: true, subject: updated };
}

function recordFailedConfirmation(
  db: Database,
  session: TokenSubject,
  context: RequestContext,
  detail: Record<string, string> = {},
): Promise<void> {
  return recordSecurityEvent(db, {
    type: "sign_in_failed",
    userId: session.userId,
    sessionId: session.sessionId,
    context,
    detail: { step: "password_confirmation", ...detail },
  });
}
