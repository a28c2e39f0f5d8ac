import "server-only";

import { and, eq, sql } from "drizzle-orm";

import type { Database } from "../db/client";
import { sessions, users } from "../db/schema";
import type { RequestContext } from "../device/request-context";
import { recordSecurityEvent } from "../security-events";
import { verifyPassword } from "./password";
import { tokenSubjectColumns } from "./sessions";
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

/**
 * Checks the user's password for an active session and, when it matches, records the
 * check as the session's new `last_verified_at` (the token's `auth_time`). Returns the
 * updated token subject, or null for a wrong password or an ended session.
 */
export async function verifyPasswordForSession(
  db: Database,
  session: TokenSubject,
  password: string,
  context: RequestContext,
): Promise<TokenSubject | null> {
  const [user] = await db
    .select({ passwordHash: users.passwordHash })
    .from(users)
    .where(eq(users.id, session.userId))
    .limit(1);
  if (!user || !(await verifyPassword(user.passwordHash, password))) {
    await recordSecurityEvent(db, {
      type: "sign_in_failed",
      userId: session.userId,
      sessionId: session.sessionId,
      context,
      detail: { step: "password_confirmation" },
    });
    return null;
  }

  const [updated] = await db
    .update(sessions)
    .set({ lastVerifiedAt: sql`now()` })
    .where(and(eq(sessions.id, session.sessionId), eq(sessions.status, "active")))
    .returning(tokenSubjectColumns);
  if (!updated) return null;
  await recordSecurityEvent(db, {
    type: "password_verified",
    userId: session.userId,
    sessionId: session.sessionId,
    context,
  });
  return updated;
}
