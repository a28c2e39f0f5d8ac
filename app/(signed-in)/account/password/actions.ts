"use server";

import { cookies } from "next/headers";

import { redirect } from "next/navigation";

import { changePassword, deleteAccount, type PasswordChangeResult } from "@/lib/auth/accounts";
import { clearAuthCookies, setTokenCookie } from "@/lib/auth/cookies";
import {
  fieldErrorsOf,
  passwordChangeSchema,
  type FieldErrors,
  type PasswordChangeInput,
} from "@/lib/auth/forms";
import { currentRequestContext, requireActiveSession } from "@/lib/auth/server";
import { isRecentlyVerified } from "@/lib/auth/step-up";
import { tooManyAttemptsMessage } from "@/lib/auth/throttle";
import { mintSessionToken } from "@/lib/auth/token";
import { getDb } from "@/lib/db/client";
import { getEnv } from "@/lib/env";

/** Form state sent back to the browser. It never contains a submitted password. */
export interface PasswordChangeState {
  message?: string;
  fieldErrors?: FieldErrors<PasswordChangeInput>;
}

export async function changePasswordAction(
  _previous: PasswordChangeState,
  form: FormData,
): Promise<PasswordChangeState> {
  const session = await requireActiveSession();
  const input = passwordChangeSchema.safeParse({
    currentPassword: String(form.get("currentPassword") ?? ""),
    newPassword: String(form.get("newPassword") ?? ""),
  });
  if (!input.success) return { fieldErrors: fieldErrorsOf(input.error) };

  const result = await changePassword(
    await getDb(),
    session,
    { current: input.data.currentPassword, next: input.data.newPassword },
    await currentRequestContext(),
  );
  if (!result.ok) return { fieldErrors: { currentPassword: passwordChangeError(result) } };

  const minted = await mintSessionToken(result.subject);
  setTokenCookie(await cookies(), minted.token, minted.expiresInSeconds);
  const count = result.signedOutSessions;
  let others = `${count} other devices were signed out.`;
  if (count === 0) others = "No other device was signed in.";
  if (count === 1) others = "1 other device was signed out.";
  return { message: `Password changed. ${others}` };
}

export interface DeleteAccountState {
  error?: string;
  /** A recent password check is needed first; nothing was deleted. */
  stepUp?: boolean;
}

/** Deletes the account after a recent password check, then signs this browser out. */
export async function deleteAccountAction(
  _previous: DeleteAccountState,
): Promise<DeleteAccountState> {
  const session = await requireActiveSession();
  if (!isRecentlyVerified(session, getEnv().stepUpMaxAgeSeconds)) return { stepUp: true };

  const result = await deleteAccount(await getDb(), session.userId);
  if (!result.ok) {
    return {
      error: `You are the only admin of ${result.organizationName}, which has other members. Make one of them an admin first.`,
    };
  }
  clearAuthCookies(await cookies());
  redirect("/?account=deleted");
}

function passwordChangeError(result: Exclude<PasswordChangeResult, { ok: true }>): string {
  if (result.error === "throttled") return tooManyAttemptsMessage(result.retryAfterSeconds);
  if (result.error === "session_ended") return "This session has ended. Sign in again.";
  return "That password is incorrect.";
}
