"use client";

import { useActionState, useCallback, useEffect, useRef, useState, useTransition } from "react";

import { useActionFeedback } from "@/components/action-feedback";

import { StepUpForm } from "@/components/step-up-form";

import { dangerButton, secondaryButton } from "@/components/ui";

import {
  revokeOtherSessionsAction,
  revokeSessionAction,
  revokeSessionsAction,
  type DeviceActionState,
} from "./actions";

// A revoked device's row disappears when the list re-renders, so its outcome is shown
// above the list instead of inside the row's own form.
export { ActionFeedback as DeviceActionFeedback } from "@/components/action-feedback";

/**
 * Signs out one other session. `deviceLabel` names the session in the button's accessible
 * name, so that several rows' buttons differ for assistive technology.
 */
export function RevokeSessionButton(props: {
  sessionId: string;
  deviceLabel: string;
  text?: string;
}) {
  const showFeedback = useActionFeedback();
  const [, formAction, pending] = useActionState<DeviceActionState, FormData>(
    async (previous, form) => {
      const result = await revokeSessionAction(previous, form);
      showFeedback(result);
      return result;
    },
    {},
  );
  return (
    <form action={formAction}>
      <input type="hidden" name="sessionId" value={props.sessionId} />
      <button
        type="submit"
        className={secondaryButton}
        disabled={pending}
        aria-label={`Sign out of ${props.deviceLabel}`}
      >
        {pending ? "Signing out…" : (props.text ?? "Sign out of this device")}
      </button>
    </form>
  );
}

/**
 * Signs out every session of one device group except the current one, after a confirmation.
 * `sessionIds` must leave the current session out.
 */
export function RevokeGroupButton(props: {
  sessionIds: string[];
  deviceLabel: string;
  includesCurrent: boolean;
}) {
  const { sessionIds, deviceLabel, includesCurrent } = props;
  const showFeedback = useActionFeedback();
  const [confirming, setConfirming] = useState(false);
  const triggerRef = useRef<HTMLButtonElement>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const wasConfirming = useRef(false);
  // Keyboard focus follows the buttons that replace each other. Cancel gets it first, so a
  // stray Enter does not sign anything out.
  useEffect(() => {
    if (confirming) cancelRef.current?.focus();
    else if (wasConfirming.current) triggerRef.current?.focus();
    wasConfirming.current = confirming;
  }, [confirming]);
  const [, formAction, pending] = useActionState<DeviceActionState, FormData>(
    async (previous, form) => {
      const result = await revokeSessionsAction(previous, form);
      setConfirming(false);
      showFeedback(result);
      return result;
    },
    {},
  );

  const count = sessionIds.length;
  const sessions = count === 1 ? "session" : `${count} sessions`;
  const text = includesCurrent
    ? `Sign out of the other ${sessions}`
    : `Sign out of all ${sessions}`;
  if (!confirming) {
    return (
      <button
        ref={triggerRef}
        type="button"
        className={secondaryButton}
        aria-label={`${text} on ${deviceLabel}`}
        onClick={() => setConfirming(true)}
      >
        {text}
      </button>
    );
  }
  return (
    <form action={formAction} className="flex flex-wrap items-center gap-2">
      {sessionIds.map((sessionId) => (
        <input key={sessionId} type="hidden" name="sessionId" value={sessionId} />
      ))}
      <p className="text-sm">
        Sign out {count === 1 ? "1 session" : `${count} sessions`} on {deviceLabel}?
      </p>
      <button type="submit" className={dangerButton} disabled={pending}>
        {pending ? "Signing out…" : "Yes, sign out"}
      </button>
      <button
        ref={cancelRef}
        type="button"
        className={secondaryButton}
        onClick={() => setConfirming(false)}
      >
        Cancel
      </button>
    </form>
  );
}

export function RevokeOtherSessionsButton({ count }: { count: number }) {
  const showFeedback = useActionFeedback();
  const [step, setStep] = useState<"idle" | "confirming" | "password">("idle");
  const [pending, startTransition] = useTransition();

  const revoke = useCallback(() => {
    startTransition(async () => {
      const result = await revokeOtherSessionsAction({});
      if (result.stepUp) {
        setStep("password");
        return;
      }
      setStep("idle");
      showFeedback(result);
    });
  }, [showFeedback]);

  if (step === "password") {
    return (
      <StepUpForm
        action="sign out of all other devices"
        onConfirmed={revoke}
        onCancel={() => setStep("idle")}
      />
    );
  }
  if (step === "idle") {
    return (
      <button type="button" className={dangerButton} onClick={() => setStep("confirming")}>
        Sign out of all other devices
      </button>
    );
  }
  return (
    <div className="flex flex-wrap items-center gap-2">
      <p className="text-sm">
        Sign out {count === 1 ? "the other device" : `all ${count} other devices`}?
      </p>
      <button type="button" className={dangerButton} disabled={pending} onClick={revoke}>
        {pending ? "Signing out…" : "Yes, sign them out"}
      </button>
      <button type="button" className={secondaryButton} onClick={() => setStep("idle")}>
        Cancel
      </button>
    </div>
  );
}
