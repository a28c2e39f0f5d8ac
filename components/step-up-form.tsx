"use client";

import { useActionState, useEffect } from "react";

import { confirmPasswordAction, type ConfirmPasswordState } from "@/app/(signed-in)/actions";

import { FormField } from "./form-field";
import { primaryButton, secondaryButton } from "./ui";

/**
 * Asks for the password in place before a sensitive action, then calls `onConfirmed`, which
 * repeats the action. The password goes to the server action only and is never kept.
 */
export function StepUpForm(props: { action: string; onConfirmed(): void; onCancel(): void }) {
  const { onConfirmed } = props;
  const [state, formAction, pending] = useActionState<ConfirmPasswordState, FormData>(
    confirmPasswordAction,
    { confirmed: false },
  );
  useEffect(() => {
    if (state.confirmed) onConfirmed();
  }, [state.confirmed, onConfirmed]);

  return (
    <form
      action={formAction}
      className="space-y-3 rounded-md border border-zinc-300 p-3 dark:border-zinc-700"
      noValidate
    >
      <p className="text-sm">
        To {props.action}, confirm your password. You signed in a while ago, and this action needs a
        recent check.
      </p>
      <FormField
        name="password"
        label="Password"
        type="password"
        autoComplete="current-password"
        error={state.error}
      />
      <div className="flex gap-2">
        <button type="submit" className={primaryButton} disabled={pending}>
          {pending ? "Checking…" : "Confirm"}
        </button>
        <button type="button" className={secondaryButton} onClick={props.onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
