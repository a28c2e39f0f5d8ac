import "server-only";

import { and, eq, inArray, sql } from "drizzle-orm";

import type { Database } from "../db/client";
import { memberships, organizations, sessions, users } from "../db/schema";
import { maskIp } from "../device/ip-mask";
import type { RequestContext } from "../device/request-context";
import { log } from "../log";
import { recordSecurityEvent } from "../security-events";
import type { SignInInput, SignUpInput } from "./forms";
import { createOrganization, findDefaultMembership } from "../orgs/organizations";
import { hashPassword, verifyAgainstDummyHash, verifyPassword } from "./password";
import { hashSessionSecret } from "./secret";
import { createSession, revokeOtherSessions, type CreatedSession } from "./sessions";
import { verifyPasswordForSession } from "./step-up";
import { accountLimit, ipLimit, reserveAttempt, settleSuccessfulAttempt } from "./throttle";
import type { TokenSubject } from "./token";

export type SignUpResult =
  { ok: true; session: CreatedSession } | { ok: false; error: "email_taken" };

const UNIQUE_VIOLATION = "23505";

/** Creates an account and its first session. */
export async function signUp(
  db: Database,
  input: SignUpInput,
  context: RequestContext,
): Promise<SignUpResult> {
  const passwordHash = await hashPassword(input.password);
  try {
    return await db.transaction(async (tx) => {
      const [user] = await tx
        .insert(users)
        .values({ email: input.email, displayName: input.displayName, passwordHash })
        .returning({ id: users.id });
      if (!user) throw new Error("Inserting the user returned no row.");
      const organization = await createOrganization(
        tx,
        user.id,
        personalOrganizationName(input.displayName),
      );
      const session = await createSession(tx, user.id, context, {
        organizationId: organization.id,
        role: organization.role,
      });
      await recordSecurityEvent(tx, {
        type: "sign_up",
        userId: user.id,
        sessionId: session.subject.sessionId,
        context,
      });
      log.info({ userId: user.id, sessionId: session.subject.sessionId }, "account created");
      return { ok: true as const, session };
    });
  } catch (error) {
    if (isUniqueViolation(error)) return { ok: false, error: "email_taken" };
    throw error;
  }
}

export type SignInResult =
  | { ok: true; session: CreatedSession }
  | { ok: false }
  /** Too many recent failures for this email or address; the password was not checked. */
  | { ok: false; retryAfterSeconds: number };

export interface SignInOptions {
  /**
   * The session secret from a cookie the browser already sent. Its session, if still
   * active, ends as signed out when the new one starts, because the new cookie overwrites
   * the old one and no browser can use that session any more.
   */
  replacedSessionSecret?: string;
  /** The current time for throttling; tests pass a fixed one. */
  now?: Date;
}

/**
 * Checks the password and creates a new session with a new id and secret. Every failure
 * looks the same to the caller, and an unknown email costs one password hash like a known
 * one. Throttled attempts are rejected before any hashing, alike for known and unknown
 * emails.
 */
export async function signIn(
  db: Database,
  input: SignInInput,
  context: RequestContext,
  options: SignInOptions = {},
): Promise<SignInResult> {
  const ip = ipLimit(context.ip);
  const limits = ip ? [accountLimit(input.email), ip] : [accountLimit(input.email)];
  const reservation = await reserveAttempt(db, limits, { now: options.now });
  if (!reservation.admitted) {
    if (reservation.firstRejection) await recordThrottledSignIn(db, input, context, reservation);
    return { ok: false, retryAfterSeconds: reservation.retryAfterSeconds };
  }

  const user = await findUserByEmail(db, input.email);

  if (!user) {
    await verifyAgainstDummyHash(input.password);
    await recordSecurityEvent(db, { type: "sign_in_failed", userId: null, context });
    log.info({ reason: "unknown_email", ip: maskIp(context.ip) }, "sign-in failed");
    return { ok: false };
  }

  if (!(await verifyPassword(user.passwordHash, input.password))) {
    await recordSecurityEvent(db, { type: "sign_in_failed", userId: user.id, context });
    log.info(
      { userId: user.id, reason: "wrong_password", ip: maskIp(context.ip) },
      "sign-in failed",
    );
    return { ok: false };
  }

  const session = await db.transaction(async (tx) => {
    await settleSuccessfulAttempt(tx, reservation.keys);
    if (options.replacedSessionSecret) {
      await endReplacedSession(tx, options.replacedSessionSecret, context);
    }
    const created = await createSession(
      tx,
      user.id,
      context,
      await findDefaultMembership(tx, user.id),
    );
    await recordSecurityEvent(tx, {
      type: "sign_in",
      userId: user.id,
      sessionId: created.subject.sessionId,
      context,
      detail: newSignInDetail(created),
    });
    return created;
  });
  log.info(
    {
      userId: user.id,
      sessionId: session.subject.sessionId,
      ip: maskIp(context.ip),
      newDevice: session.alert?.newDevice ?? false,
      newCountry: session.alert?.newCountry ?? false,
    },
    "signed in",
  );
  return { ok: true, session };
}

async function findUserByEmail(db: Database, email: string) {
  const [user] = await db
    .select({ id: users.id, passwordHash: users.passwordHash })
    .from(users)
    .where(eq(sql`lower(${users.email})`, email.toLowerCase()))
    .limit(1);
  return user;
}

// Recorded once per lock and key, however many attempts the lock rejects.
async function recordThrottledSignIn(
  db: Database,
  input: SignInInput,
  context: RequestContext,
  rejection: { key: string; retryAfterSeconds: number },
): Promise<void> {
  const user = await findUserByEmail(db, input.email);
  const limit = rejection.key.startsWith("ip:") ? "ip" : "account";
  await recordSecurityEvent(db, {
    type: "sign_in_failed",
    userId: user?.id ?? null,
    context,
    detail: { reason: "throttled", limit },
  });
  log.info(
    {
      userId: user?.id,
      limit,
      ip: maskIp(context.ip),
      retryAfterSeconds: rejection.retryAfterSeconds,
    },
    "sign-in throttled",
  );
}

// Signs out the session whose cookie this sign-in replaces, of this user or any other.
async function endReplacedSession(
  db: Database,
  secret: string,
  context: RequestContext,
): Promise<void> {
  const [ended] = await db
    .update(sessions)
    .set({ status: "ended", endReason: "signed_out", endedAt: sql`now()` })
    .where(and(eq(sessions.secretHash, hashSessionSecret(secret)), eq(sessions.status, "active")))
    .returning({ id: sessions.id, userId: sessions.userId });
  if (!ended) return;
  await recordSecurityEvent(db, {
    type: "sign_out",
    userId: ended.userId,
    sessionId: ended.id,
    context,
  });
  log.info({ userId: ended.userId, sessionId: ended.id }, "signed out by a new sign-in");
}

// The devices page marks these sign-ins "New"; a key is present only when it is true.
function newSignInDetail(session: CreatedSession): Record<string, string> | undefined {
  if (!session.alert) return undefined;
  const detail: Record<string, string> = {};
  if (session.alert.newDevice) detail.newDevice = "true";
  if (session.alert.newCountry) detail.newCountry = "true";
  return detail;
}

// Drizzle 0.45 wraps driver errors; the Postgres error code sits on the error or its cause.
function isUniqueViolation(error: unknown): boolean {
  for (let current = error; current instanceof Error || isObject(current);) {
    if ((current as { code?: unknown }).code === UNIQUE_VIOLATION) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

function isObject(value: unknown): value is object {
  return typeof value === "object" && value !== null;
}

/** Names the organization every account starts with. */
export function personalOrganizationName(displayName: string): string {
  return `${displayName}'s workspace`;
}

export type PasswordChangeResult =
  | { ok: true; subject: TokenSubject; signedOutSessions: number }
  | { ok: false; error: "wrong_password" | "session_ended" }
  | { ok: false; error: "throttled"; retryAfterSeconds: number };

/**
 * Changes the password after checking the current one, and signs out every other session
 * of the user (reason: password changed), because anyone who knew the old password may hold
 * one. The current session stays, with its verification time set to now.
 */
export async function changePassword(
  db: Database,
  session: TokenSubject,
  passwords: { current: string; next: string },
  context: RequestContext,
): Promise<PasswordChangeResult> {
  const confirmation = await verifyPasswordForSession(db, session, passwords.current, context);
  if (!confirmation.ok) return confirmation;
  const verified = confirmation.subject;

  const passwordHash = await hashPassword(passwords.next);
  const signedOut = await db.transaction(async (tx) => {
    await tx.update(users).set({ passwordHash }).where(eq(users.id, session.userId));
    const revoked = await revokeOtherSessions(tx, {
      userId: session.userId,
      currentSessionId: session.sessionId,
      reason: "password_changed",
    });
    await recordSecurityEvent(tx, {
      type: "password_changed",
      userId: session.userId,
      sessionId: session.sessionId,
      context,
      detail: { sessionsSignedOut: String(revoked.length) },
    });
    return revoked.length;
  });
  log.info({ userId: session.userId, sessionsSignedOut: signedOut }, "password changed");
  return { ok: true, subject: verified, signedOutSessions: signedOut };
}

export type DeleteAccountResult =
  | { ok: true; deletedOrganizations: number }
  | { ok: false; error: "last_admin"; organizationName: string };

/**
 * Deletes the user with their memberships, sessions and security events, and every
 * organization that has no other member. Refuses while the user is the only admin of an
 * organization that has other members, so no organization is left without an admin.
 */
export async function deleteAccount(db: Database, userId: string): Promise<DeleteAccountResult> {
  return db.transaction(async (tx) => {
    const owned = await tx
      .select({ organizationId: memberships.organizationId })
      .from(memberships)
      .where(eq(memberships.userId, userId))
      .for("update");
    const organizationIds = owned.map((row) => row.organizationId);
    const members =
      organizationIds.length === 0
        ? []
        : await tx
            .select({
              organizationId: memberships.organizationId,
              userId: memberships.userId,
              role: memberships.role,
              name: organizations.name,
            })
            .from(memberships)
            .innerJoin(organizations, eq(organizations.id, memberships.organizationId))
            .where(inArray(memberships.organizationId, organizationIds))
            .for("update", { of: memberships });

    const orphaned: string[] = [];
    for (const organizationId of organizationIds) {
      const here = members.filter((member) => member.organizationId === organizationId);
      const others = here.filter((member) => member.userId !== userId);
      if (others.length === 0) {
        orphaned.push(organizationId);
        continue;
      }
      const otherAdmins = others.filter((member) => member.role === "admin");
      const isAdmin = here.some((member) => member.userId === userId && member.role === "admin");
      if (isAdmin && otherAdmins.length === 0) {
        return { ok: false, error: "last_admin", organizationName: here[0]?.name ?? "" } as const;
      }
    }

    // Cascades to the user's memberships, sessions and security events.
    await tx.delete(users).where(eq(users.id, userId));
    if (orphaned.length > 0) {
      // Ended sessions of former members may still name these organizations; clear both
      // columns together, as the sessions check constraint requires.
      await tx
        .update(sessions)
        .set({ activeOrganizationId: null, activeRole: null })
        .where(inArray(sessions.activeOrganizationId, orphaned));
      await tx.delete(organizations).where(inArray(organizations.id, orphaned));
    }
    log.info({ userId, deletedOrganizations: orphaned.length }, "account deleted");
    return { ok: true, deletedOrganizations: orphaned.length } as const;
  });
}
