"use server";

import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { after } from "next/server";

import { signIn } from "@/lib/auth/accounts";
import { readSessionSecret } from "@/lib/auth/cookies";
import { fieldErrorsOf, signInSchema, type FieldErrors, type SignInInput } from "@/lib/auth/forms";
import { safeReturnPath } from "@/lib/auth/return-path";
import { startBrowserSession } from "@/lib/auth/server";
import { sendNewSignInAlert } from "@/lib/auth/sign-in-alerts";
import { tooManyAttemptsMessage } from "@/lib/auth/throttle";
import { appOrigin } from "@/lib/app-origin";
import { getDb } from "@/lib/db/client";
import { configuredNotifier } from "@/lib/notify/configured";

import { formRequestContext } from "./form-request-context";

/** Form state sent back to the browser. It never contains the submitted password. */
export interface SignInState {
  email: string;
  error?: string;
  fieldErrors?: FieldErrors<SignInInput>;
}

// One sentence for every credential failure, so the form does not reveal which emails
// have accounts.
const CREDENTIALS_REJECTED = "Email or password is incorrect.";

export async function signInAction(_previous: SignInState, form: FormData): Promise<SignInState> {
  const email = String(form.get("email") ?? "");
  const parsed = signInSchema.safeParse({ email, password: String(form.get("password") ?? "") });
  if (!parsed.success) return { email, fieldErrors: fieldErrorsOf(parsed.error) };

  const db = await getDb();
  const result = await signIn(db, parsed.data, await formRequestContext(form), {
    replacedSessionSecret: readSessionSecret(await cookies()),
  });
  if (!result.ok) {
    const error =
      "retryAfterSeconds" in result
        ? tooManyAttemptsMessage(result.retryAfterSeconds)
        : CREDENTIALS_REJECTED;
    return { email, error };
  }

  await startBrowserSession(result.session);
  const { alert } = result.session;
  if (alert) {
    // Sent after the response so that a slow mail service never delays the sign-in.
    const origin = await appOrigin();
    after(() => sendNewSignInAlert(db, configuredNotifier(), alert, origin));
  }
  redirect(safeReturnPath(String(form.get("return_to") ?? "")));
}
