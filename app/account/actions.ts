"use server";

import { cookies } from "next/headers";
import { redirect } from "next/navigation";

import { clearAuthCookies } from "@/lib/auth/cookies";
import { currentRequestContext, requireActiveSession } from "@/lib/auth/server";
import { endSession } from "@/lib/auth/sessions";
import { getDb } from "@/lib/db/client";
import { log } from "@/lib/log";
import { recordSecurityEvent } from "@/lib/security-events";

/** Signs this browser out: ends the session row, keeps it as history, clears both cookies. */
export async function signOutAction(): Promise<void> {
  const session = await requireActiveSession();
  const db = await getDb();
  if (await endSession(db, session.sessionId)) {
    await recordSecurityEvent(db, {
      type: "sign_out",
      userId: session.userId,
      sessionId: session.sessionId,
      context: await currentRequestContext(),
    });
    log.info({ userId: session.userId, sessionId: session.sessionId }, "signed out");
  }
  clearAuthCookies(await cookies());
  redirect("/sign-in?reason=signed_out");
}
