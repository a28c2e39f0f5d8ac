import "server-only";

import { and, desc, eq, gt, ne, sql } from "drizzle-orm";

import type { Database } from "../db/client";
import { sessions, type OrganizationRole, type SessionEndReason } from "../db/schema";
import { describeLocation } from "../device/location";
import type { RequestContext } from "../device/request-context";
import { parseUserAgent } from "../device/user-agent";
import { generateSessionSecret, hashSessionSecret } from "./secret";
import type { TokenSubject } from "./token";

// Columns that make up a token; selected by every statement that leads to minting one.
export const tokenSubjectColumns = {
  userId: sessions.userId,
  sessionId: sessions.id,
  lastVerifiedAt: sessions.lastVerifiedAt,
  activeOrganizationId: sessions.activeOrganizationId,
  activeRole: sessions.activeRole,
};

export interface CreatedSession {
  subject: TokenSubject;
  /** The cookie secret. Returned once, to be set in the cookie, and never stored. */
  secret: string;
}

export interface ActiveOrganization {
  organizationId: string;
  role: OrganizationRole;
}

/** Creates the session row for a sign-in that has just verified the password. */
export async function createSession(
  db: Database,
  userId: string,
  context: RequestContext,
  organization: ActiveOrganization | null = null,
): Promise<CreatedSession> {
  const secret = generateSessionSecret();
  const device = parseUserAgent(context.userAgent);
  const [subject] = await db
    .insert(sessions)
    .values({
      userId,
      secretHash: hashSessionSecret(secret),
      userAgent: context.userAgent,
      browser: device.browser,
      os: device.os,
      deviceType: device.deviceType,
      ip: context.ip,
      location: describeLocation(context.ip),
      activeOrganizationId: organization?.organizationId ?? null,
      activeRole: organization?.role ?? null,
    })
    .returning(tokenSubjectColumns);
  if (!subject) throw new Error("Inserting the session row returned no row.");
  return { subject, secret };
}

// Matches the live row behind a cookie secret: active, and younger than the session cookie's
// lifetime, so a copied secret stops working when the browser's cookie would have expired.
// TODO: rows past that age stay `active` (and listed as devices) until idle and absolute
// timeouts mark them `expired`; only minting is refused so far.
function liveSessionBySecret(secret: string, maxAgeSeconds: number) {
  return and(
    eq(sessions.secretHash, hashSessionSecret(secret)),
    eq(sessions.status, "active"),
    gt(sessions.createdAt, sql`now() - make_interval(secs => ${maxAgeSeconds})`),
  );
}

export interface RefreshOptions {
  /** The user interacted since the last refresh; only then does last-active move. */
  userActivity: boolean;
  maxAgeSeconds: number;
}

/**
 * Validates the session behind a cookie secret and returns what the next token needs, in a
 * single statement: only a live row matches, so an ended, revoked or expired session never
 * mints. With user activity it is an UPDATE that moves last-active; a background refresh
 * without activity is a plain SELECT and writes nothing.
 */
export async function refreshSession(
  db: Database,
  secret: string,
  options: RefreshOptions,
): Promise<TokenSubject | null> {
  if (!options.userActivity) return findActiveSession(db, secret, options.maxAgeSeconds);
  const [subject] = await db
    .update(sessions)
    .set({ lastActiveAt: sql`now()` })
    .where(liveSessionBySecret(secret, options.maxAgeSeconds))
    .returning(tokenSubjectColumns);
  return subject ?? null;
}

/** Returns the live session row behind a cookie secret; used before every mutation. */
export async function findActiveSession(
  db: Database,
  secret: string,
  maxAgeSeconds: number,
): Promise<TokenSubject | null> {
  const [subject] = await db
    .select(tokenSubjectColumns)
    .from(sessions)
    .where(liveSessionBySecret(secret, maxAgeSeconds))
    .limit(1);
  return subject ?? null;
}

/** Marks the caller's own session as signed out. Returns false when it was not active. */
export async function endSession(db: Database, sessionId: string): Promise<boolean> {
  const ended = await db
    .update(sessions)
    .set({ status: "ended", endReason: "signed_out", endedAt: sql`now()` })
    .where(and(eq(sessions.id, sessionId), eq(sessions.status, "active")))
    .returning({ id: sessions.id });
  return ended.length > 0;
}

export interface RevokeRequest {
  userId: string;
  /** The caller's own session, which a revoke never touches. */
  currentSessionId: string;
  reason: SessionEndReason;
}

/**
 * Revokes one of the user's other sessions. Returns false, changing nothing, when the
 * target does not exist, is not active, is the current session or belongs to another user:
 * the caller cannot tell these apart.
 */
export async function revokeSession(
  db: Database,
  request: RevokeRequest & { targetSessionId: string },
): Promise<boolean> {
  const revoked = await db
    .update(sessions)
    .set({ status: "revoked", endReason: request.reason, endedAt: sql`now()` })
    .where(
      and(
        eq(sessions.id, request.targetSessionId),
        eq(sessions.userId, request.userId),
        eq(sessions.status, "active"),
        ne(sessions.id, request.currentSessionId),
      ),
    )
    .returning({ id: sessions.id });
  return revoked.length > 0;
}

/** Revokes every active session of the user except the current one; returns their ids. */
export async function revokeOtherSessions(db: Database, request: RevokeRequest): Promise<string[]> {
  const revoked = await db
    .update(sessions)
    .set({ status: "revoked", endReason: request.reason, endedAt: sql`now()` })
    .where(
      and(
        eq(sessions.userId, request.userId),
        eq(sessions.status, "active"),
        ne(sessions.id, request.currentSessionId),
      ),
    )
    .returning({ id: sessions.id });
  return revoked.map((row) => row.id);
}

/** A session as the devices page shows it: no secret hash, no raw internals. */
export interface DeviceSession {
  id: string;
  browser: string | null;
  os: string | null;
  deviceType: "desktop" | "mobile" | "tablet" | "other";
  ip: string | null;
  location: string | null;
  createdAt: Date;
  lastActiveAt: Date;
}

export async function listActiveSessions(db: Database, userId: string): Promise<DeviceSession[]> {
  return db
    .select({
      id: sessions.id,
      browser: sessions.browser,
      os: sessions.os,
      deviceType: sessions.deviceType,
      ip: sessions.ip,
      location: sessions.location,
      createdAt: sessions.createdAt,
      lastActiveAt: sessions.lastActiveAt,
    })
    .from(sessions)
    .where(and(eq(sessions.userId, userId), eq(sessions.status, "active")))
    .orderBy(desc(sessions.lastActiveAt));
}
