import "server-only";

import { and, desc, eq, ne, sql } from "drizzle-orm";

import type { Database } from "../db/client";
import { sessions, users, type OrganizationRole, type SessionEndReason } from "../db/schema";
import { deviceKeyOf } from "../device/device-key";
import { locateClient } from "../device/location";
import type { RequestContext } from "../device/request-context";
import { describeDevice, parseUserAgent } from "../device/user-agent";
import { generateSessionSecret, hashSessionSecret } from "./secret";
import { secondsUntil, sessionLimitExpressions } from "./session-limits-sql";
import type { ExpiryReason, SessionLimits } from "./session-policy";
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
  /** Present when the sign-in came from a device or country new for this user. */
  alert?: NewSignInAlert;
}

/** Data for a new sign-in alert, which the caller sends after the transaction commits. */
export interface NewSignInAlert {
  userId: string;
  sessionId: string;
  /** Device label such as "Firefox on Windows". */
  device: string;
  location: string;
  signedInAt: Date;
  newDevice: boolean;
  newCountry: boolean;
  /**
   * One-time secret for the alert's "This wasn't me" link. Only its hash is stored, so it
   * exists only in this value and in the message sent to the user.
   */
  reportSecret: string;
}

export interface ActiveOrganization {
  organizationId: string;
  role: OrganizationRole;
}

/**
 * Creates the session row for a sign-in that has just verified the password. The sign-in is
 * new when the user has earlier sessions (ended ones included) and none from this device key,
 * or none from this country. Only sessions still in the history count, so after
 * SESSION_HISTORY_RETENTION_DAYS without a sign-in every device counts as new again.
 */
export async function createSession(
  db: Database,
  userId: string,
  context: RequestContext,
  organization: ActiveOrganization | null = null,
): Promise<CreatedSession> {
  const secret = generateSessionSecret();
  const device = parseUserAgent(context.userAgent, context);
  const deviceKey = deviceKeyOf(device);
  const location = await locateClient(context);
  const history = await readSignInHistory(db, userId, deviceKey, location.countryCode);
  const newDevice = history.hasSessions && !history.knownDevice;
  const newCountry = history.hasSessions && location.countryCode !== null && !history.knownCountry;
  const reportSecret = newDevice || newCountry ? generateSessionSecret() : null;

  const [row] = await db
    .insert(sessions)
    .values({
      userId,
      secretHash: hashSessionSecret(secret),
      userAgent: context.userAgent,
      browser: device.browser,
      os: device.os,
      deviceType: device.deviceType,
      deviceKey,
      ip: context.ip,
      location: location.label,
      countryCode: location.countryCode,
      newDevice,
      newCountry,
      reportSecretHash: reportSecret ? hashSessionSecret(reportSecret) : null,
      activeOrganizationId: organization?.organizationId ?? null,
      activeRole: organization?.role ?? null,
    })
    .returning({ ...tokenSubjectColumns, createdAt: sessions.createdAt });
  if (!row) throw new Error("Inserting the session row returned no row.");

  const { createdAt, ...subject } = row;
  if (!reportSecret) return { subject, secret };
  const alert: NewSignInAlert = {
    userId,
    sessionId: subject.sessionId,
    device: describeDevice(device),
    location: location.label,
    signedInAt: createdAt,
    newDevice,
    newCountry,
    reportSecret,
  };
  return { subject, secret, alert };
}

// One round trip; each EXISTS stops at the first match on the (user_id, device_key) index or
// the user's rows.
async function readSignInHistory(
  db: Database,
  userId: string,
  deviceKey: string,
  countryCode: string | null,
): Promise<{ hasSessions: boolean; knownDevice: boolean; knownCountry: boolean }> {
  const mine = sql`select 1 from ${sessions} where ${sessions.userId} = ${userId}`;
  // A session the owner reported as not theirs does not make its device or country known, so
  // an intruder who returns from the same browser is reported again.
  const trusted = sql`${mine} and ${sessions.endReason} is distinct from 'reported_by_user'`;
  // Selected from the user's own row so that the statement returns exactly one row.
  const [row] = await db
    .select({
      hasSessions: sql<boolean>`exists(${mine})`,
      knownDevice: sql<boolean>`exists(${trusted} and ${sessions.deviceKey} = ${deviceKey})`,
      knownCountry: sql<boolean>`exists(${trusted} and ${sessions.countryCode} = ${countryCode})`,
    })
    .from(users)
    .where(eq(users.id, userId));
  return {
    hasSessions: row?.hasSessions === true,
    knownDevice: row?.knownDevice === true,
    knownCountry: row?.knownCountry === true,
  };
}

export interface RefreshOptions {
  /** The user interacted since the last refresh; only then does last-active move. */
  userActivity: boolean;
  limits: SessionLimits;
}

export type RefreshResult =
  | {
      live: true;
      subject: TokenSubject;
      /** Seconds until the absolute limit; a token must not outlive it. */
      absoluteExpiresIn: number;
      /** Seconds until the idle limit, counted from the last activity. */
      idleExpiresIn: number;
    }
  | { live: false; reason: ExpiryReason; sessionId: string; userId: string }
  | null;

/**
 * Validates the session behind a cookie secret and returns what the next token needs, in a
 * single UPDATE. The statement checks the status and the absolute and idle limits, including
 * the active organization's stricter policy. It moves last-active only on user activity and
 * marks a session past a limit `expired` with the reason. Returns null for an unknown, ended
 * or revoked session, so an expired or ended session never mints.
 */
export async function refreshSession(
  db: Database,
  secret: string,
  options: RefreshOptions,
): Promise<RefreshResult> {
  const limit = sessionLimitExpressions(options.limits);
  const expiring = sql`${limit.expiryReason} is not null`;
  const [row] = await db
    .update(sessions)
    .set({
      status: sql`case when ${expiring} then 'expired' else ${sessions.status} end`,
      endReason: sql`${limit.expiryReason}`,
      endedAt: sql`case when ${expiring} then ${limit.expiredAt} else null end`,
      lastActiveAt: options.userActivity
        ? sql`case when ${expiring} then ${sessions.lastActiveAt} else now() end`
        : sql`${sessions.lastActiveAt}`,
    })
    .where(and(eq(sessions.secretHash, hashSessionSecret(secret)), eq(sessions.status, "active")))
    .returning({
      ...tokenSubjectColumns,
      status: sessions.status,
      endReason: sessions.endReason,
      absoluteExpiresIn: secondsUntil(limit.absoluteDeadline),
      idleExpiresIn: secondsUntil(limit.idleDeadline, "up"),
    });
  if (!row) return null;

  const { status, endReason, absoluteExpiresIn, idleExpiresIn, ...subject } = row;
  if (status !== "active") {
    const reason = endReason === "absolute_timeout" ? "absolute_timeout" : "idle_timeout";
    return { live: false, reason, sessionId: subject.sessionId, userId: subject.userId };
  }
  return {
    live: true,
    subject,
    absoluteExpiresIn: Number(absoluteExpiresIn),
    idleExpiresIn: Number(idleExpiresIn),
  };
}

/**
 * Returns the live session row behind a cookie secret, or null; used before every mutation.
 * A session past a limit counts as over even before a refresh has marked it.
 */
export async function findActiveSession(
  db: Database,
  secret: string,
  limits: SessionLimits,
): Promise<TokenSubject | null> {
  const limit = sessionLimitExpressions(limits);
  const [subject] = await db
    .select(tokenSubjectColumns)
    .from(sessions)
    .where(
      and(
        eq(sessions.secretHash, hashSessionSecret(secret)),
        eq(sessions.status, "active"),
        sql`${limit.expiryReason} is null`,
      ),
    )
    .limit(1);
  return subject ?? null;
}

/**
 * Marks every session of the user that passed a limit as `expired`, for sessions no browser
 * refreshes any more (a closed laptop). Returns the ids it marked.
 */
export async function expireIdleSessions(
  db: Database,
  userId: string,
  limits: SessionLimits,
): Promise<string[]> {
  const limit = sessionLimitExpressions(limits);
  const expired = await db
    .update(sessions)
    .set({
      status: "expired",
      endReason: sql`${limit.expiryReason}`,
      endedAt: sql`${limit.expiredAt}`,
    })
    .where(
      and(
        eq(sessions.userId, userId),
        eq(sessions.status, "active"),
        sql`${limit.expiryReason} is not null`,
      ),
    )
    .returning({ id: sessions.id });
  return expired.map((row) => row.id);
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
