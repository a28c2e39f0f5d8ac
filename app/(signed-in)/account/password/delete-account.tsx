"use client";

import { useCallback, useState, useTransition } from "react";

import { StepUpForm } from "@/components/step-up-form";
import { dangerButton, secondaryButton } from "@/components/ui";

import { deleteAccountAction } from "./actions";

export function DeleteAccount() {
  const [step, setStep] = useState<"idle" | "confirming" | "password">("idle");
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  const remove = useCallback(() => {
    setError(null);
    startTransition(async () => {
      // On success the action redirects, so only refusals come back.
      const result = await deleteAccountAction({});
      if (result.stepUp) {
        setStep("password");
        return;
      }
      setStep("idle");
      setError(result.error ?? null);
    });
  }, []);

  return (
    <div className="space-y-3">
      <h2 className="font-medium">Delete account</h2>
      <p className="text-sm text-zinc-700 dark:text-zinc-300">
        Deletes your account, your sessions and their history, and every organization where you are
        the only member. This cannot be undone.
      </p>
      {step === "password" ? (
        <StepUpForm
          action="delete your account"
          onConfirmed={remove}
          onCancel={() => setStep("idle")}
        />
      ) : step === "confirming" ? (
        <div className="flex flex-wrap items-center gap-2">
          <p className="text-sm">Delete your account for good?</p>
          <button type="button" className={dangerButton} disabled={pending} onClick={remove}>
            {pending ? "Deleting…" : "Yes, delete my account"}
          </button>
          <button type="button" className={secondaryButton} onClick={() => setStep("idle")}>
            Cancel
          </button>
        </div>
      ) : (
        <button type="button" className={dangerButton} onClick={() => setStep("confirming")}>
          Delete account
        </button>
      )}
      {error ? (
        <p role="alert" className="text-sm text-red-700 dark:text-red-400">
          {error}
        </p>
      ) : null}
    </div>
  );
}
