"use client";

import { useActionState } from "react";

import { FormField } from "@/components/form-field";
import { primaryButton } from "@/components/ui";
import { MAX_DISPLAY_NAME_LENGTH, MIN_PASSWORD_LENGTH } from "@/lib/auth/form-limits";

import { TouchPointsInput } from "../sign-in/touch-points-input";
import { signUpAction, type SignUpState } from "./actions";

export function SignUpForm({ returnPath }: { returnPath: string }) {
  const [state, formAction, pending] = useActionState<SignUpState, FormData>(signUpAction, {
    email: "",
    displayName: "",
  });
  return (
    <form action={formAction} className="space-y-4" noValidate>
      <input type="hidden" name="return_to" value={returnPath} />
      <TouchPointsInput />
      <FormField
        name="displayName"
        label="Name"
        type="text"
        autoComplete="name"
        maxLength={MAX_DISPLAY_NAME_LENGTH}
        defaultValue={state.displayName}
        error={state.fieldErrors?.displayName}
      />
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
        autoComplete="new-password"
        hint={`At least ${MIN_PASSWORD_LENGTH} characters.`}
        error={state.fieldErrors?.password}
      />
      <button type="submit" className={`${primaryButton} w-full`} disabled={pending}>
        {pending ? "Creating account…" : "Create account"}
      </button>
    </form>
  );
}
