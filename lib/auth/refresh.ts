import "server-only";

import {
  isDatabaseUnavailable,
  reportDatabaseAvailable,
  reportDatabaseUnavailable,
} from "../db/availability";
import { getDb } from "../db/client";
import type { RequestContext } from "../device/request-context";
import { getEnv } from "../env";
import { log } from "../log";
import { recordSecurityEvent } from "../security-events";
import type { ExpiryReason } from "./session-policy";
import { refreshSession } from "./sessions";
import { mintSessionToken, type MintedToken } from "./token";
import type { OrganizationRole } from "./token-verify";

export interface RefreshedToken extends MintedToken {
  sessionId: string;
  organizationId: string | null;
  role: OrganizationRole | null;
  /** Seconds until the idle limit ends the session unless the user is active. */
  idleExpiresIn: number;
  /** Seconds until the absolute limit ends the session whatever the user does. */
  absoluteExpiresIn: number;
}

export type TokenRefresh =
  | ({ ok: true } & RefreshedToken)
  | { ok: false; reason: ExpiryReason | "not_active" }
  | { ok: false; reason: "database_unavailable"; retryAfterSeconds: number };

/**
 * Seconds a client should wait before it retries a refresh that failed because the
 * database was unreachable; sent as `Retry-After`.
 */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

/**
 * Validates the session behind a cookie secret and mints its next token. A session that
 * just passed a limit is marked expired and logged; the caller signs the browser out. When
 * the database cannot be reached, the result reports `database_unavailable` and no token is
 * minted, because only the row shows whether the session was revoked. The caller keeps the
 * browser signed in.
 */
export async function refreshToken(
  secret: string,
  options: { userActivity: boolean; context: RequestContext },
): Promise<TokenRefresh> {
  try {
    const refreshed = await validateAndMint(secret, options);
    reportDatabaseAvailable();
    return refreshed;
  } catch (error) {
    if (!isDatabaseUnavailable(error)) throw error;
    reportDatabaseUnavailable(error, "token refresh");
    return {
      ok: false,
      reason: "database_unavailable",
      retryAfterSeconds: DATABASE_RETRY_AFTER_SECONDS,
    };
  }
}

async function validateAndMint(
  secret: string,
  options: { userActivity: boolean; context: RequestContext },
): Promise<TokenRefresh> {
  const env = getEnv();
  const db = await getDb();
  const result = await refreshSession(db, secret, {
    userActivity: options.userActivity,
    limits: env.sessionLimits,
  });
  if (!result) return { ok: false, reason: "not_active" };

  if (!result.live) {
    // NOTE: when the database goes away between the UPDATE above and this insert, the row
    // is already expired and the client's retry gets `session_ended` instead of this reason.
    await recordSecurityEvent(db, {
      type: "session_expired",
      userId: result.userId,
      sessionId: result.sessionId,
      context: options.context,
      detail: { reason: result.reason },
    });
    log.info(
      { userId: result.userId, sessionId: result.sessionId, reason: result.reason },
      "session expired",
    );
    return { ok: false, reason: result.reason };
  }

  // A token never outlives the session's absolute limit.
  const minted = await mintSessionToken(result.subject, new Date(), result.absoluteExpiresIn);
  return {
    ok: true,
    ...minted,
    sessionId: result.subject.sessionId,
    organizationId: result.subject.activeOrganizationId,
    role: result.subject.activeRole,
    idleExpiresIn: result.idleExpiresIn,
    absoluteExpiresIn: result.absoluteExpiresIn,
  };
}
