"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";

import { listDevices, renameSession } from "@/lib/auth/devices";
import { countOtherSessions, describeOtherSessions } from "@/lib/auth/other-sessions";
import { currentRequestContext, requireActiveSession } from "@/lib/auth/server";
import { revokeOtherSessions, revokeSession } from "@/lib/auth/sessions";
import { isRecentlyVerified } from "@/lib/auth/step-up";
import type { TokenSubject } from "@/lib/auth/token";
import { getDb, type Database } from "@/lib/db/client";
import type { RequestContext } from "@/lib/device/request-context";
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
// A device group rarely has more than a few sessions, so this leaves room and still bounds the
// work of one request.
const MAX_SESSIONS_PER_REQUEST = 50;
const sessionIdsSchema = z.array(sessionIdSchema).min(1).max(MAX_SESSIONS_PER_REQUEST);

/**
 * Revokes one of the caller's other sessions and records the event. Returns false, changing
 * nothing, when the target is not an active session of the caller or is the caller's own.
 */
async function revokeOne(
  db: Database,
  caller: TokenSubject,
  targetSessionId: string,
  context: RequestContext,
): Promise<boolean> {
  const revoked = await revokeSession(db, {
    userId: caller.userId,
    currentSessionId: caller.sessionId,
    targetSessionId,
    reason: "revoked_by_user",
  });
  if (!revoked) return false;

  await recordSecurityEvent(db, {
    type: "session_revoked",
    userId: caller.userId,
    sessionId: targetSessionId,
    context,
    detail: { revokedBy: caller.sessionId },
  });
  log.info(
    { userId: caller.userId, sessionId: targetSessionId, by: caller.sessionId },
    "session revoked",
  );
  return true;
}

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
  if (!(await revokeOne(db, session, target.data, await currentRequestContext()))) {
    return notFound;
  }
  revalidatePath("/account/security");
  const seconds = getEnv().tokenTtlSeconds;
  return {
    message: `The device was signed out. It loses access within ${seconds} seconds, when its current token expires.`,
  };
}

/**
 * Signs out several sessions of the caller at once, such as the sessions of one device group,
 * and skips the caller's own session. Like a single revoke, it needs no recent password check,
 * because it signs out only sessions that the page showed as one device.
 */
export async function revokeSessionsAction(
  _previous: DeviceActionState,
  form: FormData,
): Promise<DeviceActionState> {
  const session = await requireActiveSession();
  const targets = sessionIdsSchema.safeParse(form.getAll("sessionId"));
  const notFound = { error: "Those sessions are not signed in any more." };
  if (!targets.success) return notFound;

  const db = await getDb();
  const context = await currentRequestContext();
  let revokedCount = 0;
  for (const targetSessionId of new Set(targets.data)) {
    if (await revokeOne(db, session, targetSessionId, context)) revokedCount += 1;
  }
  if (revokedCount === 0) return notFound;

  revalidatePath("/account/security");
  const seconds = getEnv().tokenTtlSeconds;
  // Worded like the single revoke above, whose message the person may have seen before.
  return {
    message:
      revokedCount === 1
        ? `The session was signed out. It loses access within ${seconds} seconds, when its current token expires.`
        : `The ${revokedCount} sessions were signed out. Each loses access within ${seconds} seconds, when its current token expires.`,
  };
}

/**
 * Sets the name of one of the caller's active sessions, or removes it when the name is empty
 * or only spaces. The caller's own session row is re-read first, and only the caller's
 * sessions can be named. Every outcome has a message, an unchanged name included, so that a
 * save never passes without a word.
 */
export async function renameSessionAction(
  _previous: DeviceActionState,
  form: FormData,
): Promise<DeviceActionState> {
  const session = await requireActiveSession();
  const notFound = { error: "That device is not signed in any more." };
  const target = sessionIdSchema.safeParse(form.get("sessionId"));
  const name = form.get("name");
  if (!target.success) return notFound;
  if (typeof name !== "string") return { error: "Enter a name, or leave it empty to remove it." };

  const result = await renameSession(await getDb(), {
    userId: session.userId,
    sessionId: target.data,
    requestSessionId: session.sessionId,
    name,
    context: await currentRequestContext(),
  });
  if (!result.ok) return result.error === "invalid_name" ? { error: result.message } : notFound;
  if (!result.changed) {
    return {
      message:
        result.name === null
          ? "The device has no name, so nothing changed."
          : `The device is already named “${result.name}”, so nothing changed.`,
    };
  }

  log.info({ userId: session.userId, sessionId: target.data }, "session renamed");
  revalidatePath("/account/security");
  return {
    message:
      result.name === null
        ? "The device name was removed."
        : `The device is now named “${result.name}”.`,
  };
}

/** Signs every other device of the caller out. */
export async function revokeOtherSessionsAction(
  _previous: DeviceActionState,
): Promise<DeviceActionState> {
  const session = await requireActiveSession();
  if (!isRecentlyVerified(session, getEnv().stepUpMaxAgeSeconds)) return { stepUp: true };
  const db = await getDb();
  // Listed before the revocation, because revoked sessions leave the list and the message
  // counts devices as the page grouped them.
  const devices = await listDevices(db, session.userId);
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
  const revoked = countOtherSessions(devices, session.sessionId, revokedIds);
  return { message: `Signed out of ${describeOtherSessions(revoked)}.` };
}
