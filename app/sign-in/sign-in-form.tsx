"use client";

import { useActionState } from "react";

import { FormField } from "@/components/form-field";
import { primaryButton } from "@/components/ui";

import { TouchPointsInput } from "./touch-points-input";
import { signInAction, type SignInState } from "./actions";

export function SignInForm({ returnPath }: { returnPath: string }) {
  const [state, formAction, pending] = useActionState<SignInState, FormData>(signInAction, {
    email: "",
  });
  return (
    <form action={formAction} className="space-y-4" noValidate>
      <input type="hidden" name="return_to" value={returnPath} />
      <TouchPointsInput />
      {state.error ? (
        <p
          role="alert"
          className="rounded-md bg-red-50 p-3 text-sm text-red-800 dark:bg-red-950 dark:text-red-200"
        >
          {state.error}
        </p>
      ) : null}
      <FormField
        name="email"
        label="Email"
        type="email"
        autoComplete="username"
        defaultValue={state.email}
        error={state.fieldErrors?.email}
      />
      <FormField
        name="password"
        label="Password"
        type="password"
        autoComplete="current-password"
        error={state.fieldErrors?.password}
      />
      <button type="submit" className={`${primaryButton} w-full`} disabled={pending}>
        {pending ? "Signing in…" : "Sign in"}
      </button>
    </form>
  );
}
