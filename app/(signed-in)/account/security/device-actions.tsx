"use client";

import { useActionState, useCallback, useState, useTransition } from "react";

import { useActionFeedback } from "@/components/action-feedback";

import { StepUpForm } from "@/components/step-up-form";

import { dangerButton, secondaryButton } from "@/components/ui";

import { revokeOtherSessionsAction, revokeSessionAction, type DeviceActionState } from "./actions";

// A revoked device's row disappears when the list re-renders, so its outcome is shown
// above the list instead of inside the row's own form.
export { ActionFeedback as DeviceActionFeedback } from "@/components/action-feedback";

export function RevokeSessionButton(props: { sessionId: string; deviceLabel: string }) {
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
        {pending ? "Signing out…" : "Sign out of this device"}
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
