"use server";

import { redirect } from "next/navigation";

import { signUp } from "@/lib/auth/accounts";
import { fieldErrorsOf, signUpSchema, type FieldErrors, type SignUpInput } from "@/lib/auth/forms";
import { safeReturnPath } from "@/lib/auth/return-path";
import { startBrowserSession } from "@/lib/auth/server";
import { getDb } from "@/lib/db/client";

import { formRequestContext } from "../sign-in/form-request-context";

/** Form state sent back to the browser. It never contains the submitted password. */
export interface SignUpState {
  email: string;
  displayName: string;
  fieldErrors?: FieldErrors<SignUpInput>;
}

export async function signUpAction(_previous: SignUpState, form: FormData): Promise<SignUpState> {
  const email = String(form.get("email") ?? "");
  const displayName = String(form.get("displayName") ?? "");
  const parsed = signUpSchema.safeParse({
    email,
    displayName,
    password: String(form.get("password") ?? ""),
  });
  if (!parsed.success) return { email, displayName, fieldErrors: fieldErrorsOf(parsed.error) };

  const result = await signUp(await getDb(), parsed.data, await formRequestContext(form));
  if (!result.ok) {
    // NOTE: without email verification, sign-up has to report that an address is taken,
    // which reveals to a visitor that the address has an account. Sign-in never reveals it.
    return {
      email,
      displayName,
      fieldErrors: { email: "An account with this email already exists. Sign in instead." },
    };
  }

  await startBrowserSession(result.session);
  redirect(safeReturnPath(String(form.get("return_to") ?? "")));
}
