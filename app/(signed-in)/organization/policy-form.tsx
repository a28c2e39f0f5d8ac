"use client";

import { useActionState } from "react";

import { primaryButton, textInput } from "@/components/ui";

import { setSessionPolicyAction, type PolicyState } from "./actions";

const SECONDS_PER_MINUTE = 60;

export function PolicyForm(props: {
  organizationId: string;
  absoluteTimeoutSeconds: number | null;
  idleTimeoutSeconds: number | null;
  appAbsoluteTimeoutSeconds: number;
  appIdleTimeoutSeconds: number;
}) {
  const [state, action, pending] = useActionState<PolicyState, FormData>(
    setSessionPolicyAction,
    {},
  );
  const minutes = (seconds: number | null) =>
    seconds === null ? "" : String(Math.round(seconds / SECONDS_PER_MINUTE));
  return (
    <form action={action} className="space-y-3" noValidate>
      <input type="hidden" name="organizationId" value={props.organizationId} />
      <h2 className="font-medium">Session policy</h2>
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        Stricter limits for sessions working in this organization. Leave a field empty to use the
        app-wide limit ({minutes(props.appAbsoluteTimeoutSeconds)} and{" "}
        {minutes(props.appIdleTimeoutSeconds)} minutes). The stricter limit always wins.
      </p>
      <label className="block text-sm font-medium">
        Maximum session length, in minutes
        <input
          name="absoluteMinutes"
          inputMode="numeric"
          defaultValue={state.submitted?.absoluteMinutes ?? minutes(props.absoluteTimeoutSeconds)}
          className={textInput}
        />
      </label>
      <label className="block text-sm font-medium">
        Sign out after this many minutes without activity
        <input
          name="idleMinutes"
          inputMode="numeric"
          defaultValue={state.submitted?.idleMinutes ?? minutes(props.idleTimeoutSeconds)}
          className={textInput}
        />
      </label>
      <button type="submit" className={primaryButton} disabled={pending}>
        {pending ? "Saving…" : "Save policy"}
      </button>
      {state.error ? (
        <p role="alert" className="text-sm text-red-700 dark:text-red-400">
          {state.error}
        </p>
      ) : null}
      {state.message ? (
        <p role="status" className="text-sm">
          {state.message}
        </p>
      ) : null}
    </form>
  );
}
