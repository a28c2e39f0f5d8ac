"use client";

import { useActionState, useCallback, useEffect, useRef, useState, useTransition } from "react";

import { useConfirmation } from "@/components/confirmation-scope";
import { LocalTime } from "@/components/relative-time";
import { StepUpForm } from "@/components/step-up-form";
import { dangerButton, secondaryButton, wrapAnywhere } from "@/components/ui";
import { describeOtherSessions, type OtherSessionsCount } from "@/lib/auth/other-sessions";

import {
  revokeOtherSessionsAction,
  revokeSessionAction,
  revokeSessionsAction,
  type DeviceActionState,
} from "./actions";
import { useDeviceActionFeedback } from "./device-action-feedback";

/**
 * Target of a sign-out button, described in its accessible name. Several rows can show the
 * same browser and OS, so the name adds where and when each one signed in.
 */
export interface SignOutTarget {
  /** "Work laptop (Chrome on macOS)", or "Chrome on macOS" without a name. */
  device: string;
  /** "Berlin, Germany (203.0.113.7)", or the location alone without an IP. */
  place: string;
  /** Sign-in time of the session, or of the earliest session of a group. */
  signedInAt: string;
  /** True for a group, whose time is its earliest sign-in. */
  earliest?: boolean;
  /** Such as "session 2 of 3", which separates sessions of one group that signed in together. */
  position?: string;
}

/**
 * Renders the part of a sign-out button's accessible name after its visible text, visually
 * hidden, so that the name starts with the words on the button (WCAG 2.5.3, label in name).
 * The time comes from LocalTime, so it reads the same as the time shown in the row.
 */
function TargetDetails({ connector, target }: { connector: string; target: SignOutTarget }) {
  return (
    <span className="sr-only">
      {` ${connector} ${target.device}, ${target.place}, `}
      {target.earliest ? "first signed in " : "signed in "}
      <LocalTime iso={target.signedInAt} />
      {target.position ? `, ${target.position}` : null}
    </span>
  );
}

// One session's button signs out at once, unlike a group's, on purpose. It ends exactly the
// session that its row shows, and the owner undoes it by signing in again on that device. A
// group's button ends several sessions, some of them folded away in the disclosure, so it
// shows a confirmation first. Both results read alike: what was signed out, and how long it keeps access.

/** Signs out one other session without a confirmation. */
export function RevokeSessionButton({
  sessionId,
  target,
}: {
  sessionId: string;
  target: SignOutTarget;
}) {
  const report = useDeviceActionFeedback();
  const [, formAction, pending] = useActionState<DeviceActionState, FormData>(
    async (previous, form) => {
      const result = await revokeSessionAction(previous, form);
      // The row, and this button with it, disappears once the list re-renders.
      report(result, { focus: true });
      return result;
    },
    {},
  );
  return (
    <form
      action={formAction}
      onSubmit={(event) => {
        if (pending) event.preventDefault();
      }}
    >
      <input type="hidden" name="sessionId" value={sessionId} />
      <button type="submit" className={secondaryButton} aria-disabled={pending || undefined}>
        {pending ? (
          "Signing out…"
        ) : (
          <>
            Sign out
            <TargetDetails connector="of" target={target} />
          </>
        )}
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
  target: SignOutTarget;
  includesCurrent: boolean;
}) {
  const { sessionIds, target, includesCurrent } = props;
  const report = useDeviceActionFeedback();
  // The first session id names the group, because no other group lists it.
  const [confirming, setConfirming] = useConfirmation(`group:${sessionIds[0]}`);
  const triggerRef = useRef<HTMLButtonElement>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const returnFocus = useRef(false);
  // Cancel gets focus when the confirmation opens, so a stray Enter does not sign anything
  // out, and the trigger gets it back when the person cancels.
  useEffect(() => {
    if (confirming) {
      cancelRef.current?.focus();
    } else if (returnFocus.current) {
      returnFocus.current = false;
      triggerRef.current?.focus();
    }
  }, [confirming]);
  const cancel = () => {
    returnFocus.current = true;
    setConfirming(false);
  };
  const [, formAction, pending] = useActionState<DeviceActionState, FormData>(
    async (previous, form) => {
      const result = await revokeSessionsAction(previous, form);
      setConfirming(false);
      report(result, { focus: true });
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
        onClick={() => setConfirming(true)}
      >
        {text}
        <TargetDetails connector="on" target={target} />
      </button>
    );
  }
  return (
    <form
      action={formAction}
      onSubmit={(event) => {
        if (pending) event.preventDefault();
      }}
      onKeyDown={(event) => {
        if (event.key === "Escape") {
          event.preventDefault();
          cancel();
        }
      }}
      className="flex min-w-0 flex-wrap items-center gap-2"
    >
      {sessionIds.map((sessionId) => (
        <input key={sessionId} type="hidden" name="sessionId" value={sessionId} />
      ))}
      <p className={`min-w-0 text-sm ${wrapAnywhere}`}>
        Sign out {count === 1 ? "1 session" : `${count} sessions`} on {target.device}?
      </p>
      <button type="submit" className={dangerButton} aria-disabled={pending || undefined}>
        {pending ? "Signing out…" : "Yes, sign out"}
      </button>
      <button ref={cancelRef} type="button" className={secondaryButton} onClick={cancel}>
        Cancel
      </button>
    </form>
  );
}

/** Signs out every other session after a confirmation that counts them as the page groups them. */
export function RevokeOtherSessionsButton({ others }: { others: OtherSessionsCount }) {
  const report = useDeviceActionFeedback();
  // Opening another confirmation on the page closes this one, at either step.
  const [open, setOpen] = useConfirmation("other-sessions");
  const [openStep, setOpenStep] = useState<"confirming" | "password">("confirming");
  const step = open ? openStep : "idle";
  const setStep = useCallback(
    (next: "idle" | "confirming" | "password") => {
      if (next !== "idle") setOpenStep(next);
      setOpen(next !== "idle");
    },
    [setOpen],
  );
  const [pending, startTransition] = useTransition();
  const triggerRef = useRef<HTMLButtonElement>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const passwordRef = useRef<HTMLDivElement>(null);
  const returnFocus = useRef(false);

  // Each step replaces the buttons of the one before, so focus moves with it: to Cancel when
  // the confirmation opens, to the password field when it is asked for, and back to the
  // trigger when the person cancels.
  useEffect(() => {
    if (step === "confirming") cancelRef.current?.focus();
    // StepUpForm, from another module, renders the field, so it is found by its tag.
    if (step === "password") passwordRef.current?.querySelector("input")?.focus();
    if (step === "idle" && returnFocus.current) {
      returnFocus.current = false;
      triggerRef.current?.focus();
    }
  }, [step]);
  const cancel = useCallback(() => {
    returnFocus.current = true;
    setStep("idle");
  }, [setStep]);
  const closeOnEscape = (event: React.KeyboardEvent) => {
    if (event.key === "Escape") {
      event.preventDefault();
      cancel();
    }
  };

  const revoke = useCallback(() => {
    startTransition(async () => {
      const result = await revokeOtherSessionsAction({});
      if (result.stepUp) {
        setStep("password");
        return;
      }
      setStep("idle");
      report(result, { focus: true });
    });
  }, [report, setStep]);

  if (step === "password") {
    return (
      <div ref={passwordRef} onKeyDown={closeOnEscape}>
        <StepUpForm action="sign out of all other devices" onConfirmed={revoke} onCancel={cancel} />
      </div>
    );
  }
  if (step === "idle") {
    return (
      <button
        ref={triggerRef}
        type="button"
        className={dangerButton}
        onClick={() => setStep("confirming")}
      >
        Sign out of all other devices
      </button>
    );
  }
  return (
    <div className="flex flex-wrap items-center gap-2" onKeyDown={closeOnEscape}>
      <p className="text-sm">Sign out {describeOtherSessions(others)}?</p>
      <button
        type="button"
        className={dangerButton}
        aria-disabled={pending || undefined}
        onClick={() => {
          if (!pending) revoke();
        }}
      >
        {pending ? "Signing out…" : "Yes, sign them out"}
      </button>
      <button ref={cancelRef} type="button" className={secondaryButton} onClick={cancel}>
        Cancel
      </button>
    </div>
  );
}
