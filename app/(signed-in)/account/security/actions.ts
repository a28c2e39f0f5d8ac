"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";

import { currentRequestContext, requireActiveSession } from "@/lib/auth/server";
import { revokeOtherSessions, revokeSession } from "@/lib/auth/sessions";
import { isRecentlyVerified } from "@/lib/auth/step-up";
import { getDb } from "@/lib/db/client";
import { getEnv } from "@/lib/env";
import { log } from "@/lib/log";
import { recordSecurityEvent } from "@/lib/security-events";

export interface DeviceActionState {
  message?: string;
  error?: string;
  /** The action needs a recent password check first; nothing was changed. */
  stepUp?: boolean;
}

const sessionIdSchema = z.uuid();

/** Signs another device of the caller out. The caller's own session row is re-read first. */
export async function revokeSessionAction(
  _previous: DeviceActionState,
  form: FormData,
): Promise<DeviceActionState> {
  const session = await requireActiveSession();
  const target = sessionIdSchema.safeParse(form.get("sessionId"));
  // The same result for an unknown id, another user's session and an already ended one, so
  // the form reveals nothing about sessions the caller does not own.
  const notFound = { error: "That device is not signed in any more." };
  if (!target.success) return notFound;

  const db = await getDb();
  const revoked = await revokeSession(db, {
    userId: session.userId,
    currentSessionId: session.sessionId,
    targetSessionId: target.data,
    reason: "revoked_by_user",
  });
  if (!revoked) return notFound;

  await recordSecurityEvent(db, {
    type: "session_revoked",
    userId: session.userId,
    sessionId: target.data,
    context: await currentRequestContext(),
    detail: { revokedBy: session.sessionId },
  });
  log.info(
    { userId: session.userId, sessionId: target.data, by: session.sessionId },
    "session revoked",
  );
  revalidatePath("/account/security");
  const seconds = getEnv().tokenTtlSeconds;
  return {
    message: `The device was signed out. It loses access within ${seconds} seconds, when its current token expires.`,
  };
}

/** Signs every other device of the caller out. */
export async function revokeOtherSessionsAction(
  _previous: DeviceActionState,
): Promise<DeviceActionState> {
  const session = await requireActiveSession();
  if (!isRecentlyVerified(session, getEnv().stepUpMaxAgeSeconds)) return { stepUp: true };
  const db = await getDb();
  const revokedIds = await revokeOtherSessions(db, {
    userId: session.userId,
    currentSessionId: session.sessionId,
    reason: "revoked_by_user",
  });

  const context = await currentRequestContext();
  for (const sessionId of revokedIds) {
    await recordSecurityEvent(db, {
      type: "session_revoked",
      userId: session.userId,
      sessionId,
      context,
      detail: { revokedBy: session.sessionId },
    });
  }
  log.info({ userId: session.userId, count: revokedIds.length }, "other sessions revoked");
  revalidatePath("/account/security");
  if (revokedIds.length === 0) return { message: "No other devices were signed in." };
  const devices = revokedIds.length === 1 ? "1 other device" : `${revokedIds.length} other devices`;
  return { message: `Signed out of ${devices}.` };
}
