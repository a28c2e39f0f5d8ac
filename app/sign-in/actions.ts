"use server";

import { redirect } from "next/navigation";

import { signIn } from "@/lib/auth/accounts";
import { fieldErrorsOf, signInSchema, type FieldErrors, type SignInInput } from "@/lib/auth/forms";
import { safeReturnPath } from "@/lib/auth/return-path";
import { startBrowserSession } from "@/lib/auth/server";
import { getDb } from "@/lib/db/client";

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

  const result = await signIn(await getDb(), parsed.data, await formRequestContext(form));
  if (!result.ok) return { email, error: CREDENTIALS_REJECTED };

  await startBrowserSession(result.session);
  redirect(safeReturnPath(String(form.get("return_to") ?? "")));
}
