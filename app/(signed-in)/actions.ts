"use server";

import { cookies } from "next/headers";
import { redirect } from "next/navigation";

import { z } from "zod";

import { clearAuthCookies, setTokenCookie } from "@/lib/auth/cookies";
import { currentRequestContext, requireActiveSession } from "@/lib/auth/server";
import { MAX_PASSWORD_LENGTH } from "@/lib/auth/forms";
import { endSession } from "@/lib/auth/sessions";
import { verifyPasswordForSession } from "@/lib/auth/step-up";
import { tooManyAttemptsMessage } from "@/lib/auth/throttle";
import { mintSessionToken } from "@/lib/auth/token";
import type { OrganizationRole } from "@/lib/auth/token-verify";
import { getDb } from "@/lib/db/client";
import { log } from "@/lib/log";
import { switchOrganization } from "@/lib/orgs/membership-changes";
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

export type SwitchOrganizationResult =
  | { ok: true; expiresIn: number; organizationId: string; role: OrganizationRole }
  | { ok: false; error: string };

/**
 * Makes another organization active for this session only, and sets a token that carries
 * it at once so the switching tab does not wait for the next refresh.
 */
export async function switchOrganizationAction(
  organizationId: string,
): Promise<SwitchOrganizationResult> {
  const session = await requireActiveSession();
  const notMember = { ok: false, error: "You are not a member of that organization." } as const;
  const target = z.uuid().safeParse(organizationId);
  if (!target.success) return notMember;

  const subject = await switchOrganization(await getDb(), {
    sessionId: session.sessionId,
    userId: session.userId,
    organizationId: target.data,
    context: await currentRequestContext(),
  });
  if (!subject?.activeOrganizationId || !subject.activeRole) return notMember;

  const minted = await mintSessionToken(subject);
  setTokenCookie(await cookies(), minted.token, minted.expiresInSeconds);
  log.info(
    { userId: session.userId, sessionId: session.sessionId, organizationId: target.data },
    "organization switched",
  );
  return {
    ok: true,
    expiresIn: minted.expiresInSeconds,
    organizationId: subject.activeOrganizationId,
    role: subject.activeRole,
  };
}

export interface ConfirmPasswordState {
  confirmed: boolean;
  error?: string;
}

/**
 * Confirms the password for a sensitive action. On success the session's verification
 * time moves to now and the token is re-minted with the new `auth_time`.
 */
export async function confirmPasswordAction(
  _previous: ConfirmPasswordState,
  form: FormData,
): Promise<ConfirmPasswordState> {
  const session = await requireActiveSession();
  const password = String(form.get("password") ?? "");
  if (password === "" || password.length > MAX_PASSWORD_LENGTH) {
    return { confirmed: false, error: "Enter your password." };
  }
  const confirmation = await verifyPasswordForSession(
    await getDb(),
    session,
    password,
    await currentRequestContext(),
  );
  if (!confirmation.ok) {
    const error =
      confirmation.error === "throttled"
        ? tooManyAttemptsMessage(confirmation.retryAfterSeconds)
        : "That password is incorrect.";
    return { confirmed: false, error };
  }

  const minted = await mintSessionToken(confirmation.subject);
  setTokenCookie(await cookies(), minted.token, minted.expiresInSeconds);
  return { confirmed: true };
}
