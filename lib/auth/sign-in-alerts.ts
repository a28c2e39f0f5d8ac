import "server-only";

import { and, eq, sql } from "drizzle-orm";

import type { Database } from "../db/client";
import { sessions } from "../db/schema";
import type { RequestContext } from "../device/request-context";
import { log } from "../log";
import { newSignInNotification } from "../notify/new-sign-in";
import type { Notifier } from "../notify/notifier";
import { recordSecurityEvent } from "../security-events";
import { findUserProfile } from "../users";
import { hashSessionSecret } from "./secret";
import type { NewSignInAlert } from "./sessions";

/** Path of the "This wasn't me" link; its `secret` parameter names the session. */
export const REPORT_SIGN_IN_PATH = "/auth/report-sign-in";

/** Builds the absolute "This wasn't me" URL for an alert. */
export function reportSignInUrl(appOrigin: string, reportSecret: string): string {
  const url = new URL(REPORT_SIGN_IN_PATH, appOrigin);
  url.searchParams.set("secret", reportSecret);
  return url.toString();
}

/**
 * Sends the new sign-in alert. A delivery failure is logged, not raised: the sign-in has
 * already succeeded, and failing it now would leave the user with a session they cannot see.
 */
export async function sendNewSignInAlert(
  db: Database,
  notifier: Notifier,
  alert: NewSignInAlert,
  appOrigin: string,
): Promise<boolean> {
  try {
    const profile = await findUserProfile(db, alert.userId);
    if (!profile) return false;
    const notification = newSignInNotification({
      userId: alert.userId,
      email: profile.email,
      displayName: profile.displayName,
      sessionId: alert.sessionId,
      device: alert.device,
      location: alert.location,
      signedInAt: alert.signedInAt,
      newDevice: alert.newDevice,
      newCountry: alert.newCountry,
      reportUrl: reportSignInUrl(appOrigin, alert.reportSecret),
    });
    await notifier.send(notification);
    return true;
  } catch (error) {
    log.error(
      { err: error, userId: alert.userId, sessionId: alert.sessionId },
      "sending the new sign-in alert failed",
    );
    return false;
  }
}

export type ReportResult = "revoked" | "already_ended" | "invalid";

// Report secrets are 32 random bytes in base64url: 43 characters.
const REPORT_SECRET_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/**
 * Revokes the session that a "This wasn't me" link names, with the reason
 * `reported_by_user`, and records a `session_reported` event. The link proves only that its
 * holder received the alert, so it can end that one session and nothing else. A second use
 * returns "already_ended".
 */
export async function reportSignIn(
  db: Database,
  reportSecret: string | null,
  context: RequestContext,
): Promise<ReportResult> {
  if (!reportSecret || !REPORT_SECRET_PATTERN.test(reportSecret)) return "invalid";
  const secretHash = hashSessionSecret(reportSecret);

  return db.transaction(async (tx) => {
    const [revoked] = await tx
      .update(sessions)
      .set({ status: "revoked", endReason: "reported_by_user", endedAt: sql`now()` })
      .where(and(eq(sessions.reportSecretHash, secretHash), eq(sessions.status, "active")))
      .returning({ id: sessions.id, userId: sessions.userId });
    if (revoked) {
      await recordSecurityEvent(tx, {
        type: "session_reported",
        userId: revoked.userId,
        sessionId: revoked.id,
        context,
      });
      log.info({ userId: revoked.userId, sessionId: revoked.id }, "sign-in reported and revoked");
      return "revoked";
    }
    const [known] = await tx
      .select({ id: sessions.id })
      .from(sessions)
      .where(eq(sessions.reportSecretHash, secretHash))
      .limit(1);
    return known ? "already_ended" : "invalid";
  });
}
