"use client";

import { useActionState } from "react";

import { FormField } from "@/components/form-field";
import { primaryButton } from "@/components/ui";
import { MIN_PASSWORD_LENGTH } from "@/lib/auth/form-limits";

import { changePasswordAction, type PasswordChangeState } from "./actions";

export function PasswordForm() {
  const [state, action, pending] = useActionState<PasswordChangeState, FormData>(
    changePasswordAction,
    {},
  );
  return (
    <form action={action} className="space-y-4" noValidate>
      {state.message ? (
        <p role="status" className="rounded-md bg-emerald-50 p-3 text-sm dark:bg-emerald-950">
          {state.message}
        </p>
      ) : null}
      <FormField
        name="currentPassword"
        label="Current password"
        type="password"
        autoComplete="current-password"
        error={state.fieldErrors?.currentPassword}
      />
      <FormField
        name="newPassword"
        label="New password"
        type="password"
        autoComplete="new-password"
        hint={`At least ${MIN_PASSWORD_LENGTH} characters.`}
        error={state.fieldErrors?.newPassword}
      />
      <button type="submit" className={primaryButton} disabled={pending}>
        {pending ? "Changing…" : "Change password"}
      </button>
    </form>
  );
}
