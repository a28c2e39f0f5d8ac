"use client";

import { useActionState } from "react";

import { dangerButton, secondaryButton } from "@/components/ui";

import { revokeOtherSessionsAction, revokeSessionAction, type DeviceActionState } from "./actions";

export function RevokeSessionButton({
  sessionId,
  deviceLabel,
}: {
  sessionId: string;
  deviceLabel: string;
}) {
  const [state, formAction, pending] = useActionState<DeviceActionState, FormData>(
    revokeSessionAction,
    {},
  );
  return (
    <form action={formAction} className="flex flex-col items-end gap-1">
      <input type="hidden" name="sessionId" value={sessionId} />
      <button
        type="submit"
        className={secondaryButton}
        disabled={pending}
        aria-label={`Sign out of ${deviceLabel}`}
      >
        {pending ? "Signing out…" : "Sign out of this device"}
      </button>
      <ActionFeedback state={state} />
    </form>
  );
}

export function RevokeOtherSessionsButton() {
  const [state, formAction, pending] = useActionState<DeviceActionState>(
    revokeOtherSessionsAction,
    {},
  );
  return (
    <form action={formAction} className="flex flex-col items-start gap-2">
      <button type="submit" className={dangerButton} disabled={pending}>
        {pending ? "Signing out…" : "Sign out of all other devices"}
      </button>
      <ActionFeedback state={state} />
    </form>
  );
}

function ActionFeedback({ state }: { state: DeviceActionState }) {
  if (state.error) {
    return (
      <p role="alert" className="text-sm text-red-700 dark:text-red-400">
        {state.error}
      </p>
    );
  }
  if (state.message) {
    return (
      <p role="status" className="text-sm text-zinc-600 dark:text-zinc-400">
        {state.message}
      </p>
    );
  }
  return null;
}
