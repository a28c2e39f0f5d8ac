"use client";

import { useActionState, useCallback, useEffect, useRef, useState } from "react";

import { useActionFeedback } from "@/components/action-feedback";
import { useConfirmation } from "@/components/confirmation-scope";
import { FormField } from "@/components/form-field";
import { StepUpForm } from "@/components/step-up-form";
import {
  dangerButton,
  focusRing,
  primaryButton,
  secondaryButton,
  wrapAnywhere,
} from "@/components/ui";

import {
  addMemberAction,
  changeRoleAction,
  removeMemberAction,
  type MemberActionState,
} from "./actions";

export function MemberActions(props: {
  organizationId: string;
  userId: string;
  displayName: string;
  role: "admin" | "member";
  /** True on the viewer's own row, whose demotion ends the viewer's admin rights. */
  isViewer: boolean;
}) {
  // Confirmations share one ConfirmationScope on the page, so ids name the member and the step.
  const [confirmingDemotion, setConfirmingDemotion] = useConfirmation(`demote:${props.userId}`);
  const [confirmingRemoval, setConfirmingRemoval] = useConfirmation(`remove:${props.userId}`);
  const [roleState, roleAction, rolePending] = useActionState<MemberActionState, FormData>(
    async (previous, form) => {
      const result = await changeRoleAction(previous, form);
      setConfirmingDemotion(false);
      return result;
    },
    {},
  );
  const reportOutcome = useActionFeedback();
  // A removed member's row disappears, so the outcome goes to the list's feedback region,
  // which takes focus in place of the confirmation's buttons.
  const [, removeAction, removePending] = useActionState<MemberActionState, FormData>(
    async (previous, form) => {
      const result = await removeMemberAction(previous, form);
      setConfirmingRemoval(false);
      reportOutcome(result, { focus: true });
      return result;
    },
    {},
  );
  const [stepUpDismissed, setStepUpDismissed] = useState<MemberActionState | null>(null);
  // Stays mounted while the confirmation shows, so the step-up form can submit it again.
  const roleForm = useRef<HTMLFormElement>(null);
  const outcomeRef = useRef<HTMLDivElement>(null);
  const nextRole = props.role === "admin" ? "member" : "admin";
  const resubmitRoleChange = useCallback(() => roleForm.current?.requestSubmit(), []);
  const askPassword = roleState.stepUp === true && stepUpDismissed !== roleState;
  const demotionQuestion = props.isViewer
    ? "Make yourself a member? You can no longer manage this organization, and only another admin can make you an admin again."
    : `Make ${props.displayName} a member? They can no longer manage this organization.`;

  // A role change replaces the button that started it and moves the row to its new place in
  // the sorted list, which drops focus to the page body. Focus goes to the outcome in the
  // row instead, or to the password field when the change needs one.
  useEffect(() => {
    const outcome = outcomeRef.current;
    if (!outcome) return;
    if (roleState.stepUp) outcome.querySelector("input")?.focus();
    else if (roleState.message || roleState.error) outcome.focus();
  }, [roleState]);

  return (
    <div className="flex flex-col items-start gap-2 sm:max-w-[60%] sm:items-end">
      <div className="flex flex-wrap gap-2 sm:justify-end">
        <form action={roleAction} ref={roleForm}>
          <input type="hidden" name="organizationId" value={props.organizationId} />
          <input type="hidden" name="userId" value={props.userId} />
          <input type="hidden" name="role" value={nextRole} />
          {nextRole === "admin" ? (
            <button type="submit" className={secondaryButton} disabled={rolePending}>
              Make {props.displayName} an admin
            </button>
          ) : (
            // A promotion needs one click. A demotion removes rights, so it is confirmed first.
            <ConfirmStep
              open={confirmingDemotion}
              onOpenChange={setConfirmingDemotion}
              label={`Make ${props.displayName} a member`}
              triggerClassName={secondaryButton}
              question={demotionQuestion}
              confirmLabel={`Yes, make ${props.isViewer ? "me" : props.displayName} a member`}
              pending={rolePending}
            />
          )}
        </form>
        <form action={removeAction}>
          <input type="hidden" name="organizationId" value={props.organizationId} />
          <input type="hidden" name="userId" value={props.userId} />
          <ConfirmStep
            open={confirmingRemoval}
            onOpenChange={setConfirmingRemoval}
            label={`Remove ${props.displayName}`}
            triggerClassName={dangerButton}
            question={`Remove ${props.displayName} from this organization?`}
            confirmLabel="Confirm removal"
            pending={removePending}
          />
        </form>
      </div>
      {askPassword || roleState.message || roleState.error ? (
        // tabIndex -1 lets the effect above focus the outcome without adding a tab stop.
        <div ref={outcomeRef} tabIndex={-1} className={`rounded-sm ${focusRing}`}>
          {askPassword ? (
            <StepUpForm
              action={`change the role of ${props.displayName}`}
              onConfirmed={resubmitRoleChange}
              onCancel={() => setStepUpDismissed(roleState)}
            />
          ) : (
            <Feedback state={roleState} />
          )}
        </div>
      ) : null}
    </div>
  );
}

/**
 * Renders a button that opens a confirmation in its place, inside a form: the question, the
 * form's submit button and Cancel. Focus moves to Cancel when it opens, so a stray Enter confirms
 * nothing, and back to the button when the person cancels with Cancel or Escape.
 */
function ConfirmStep(props: {
  open: boolean;
  onOpenChange(open: boolean): void;
  label: string;
  triggerClassName: string;
  question: string;
  confirmLabel: string;
  pending: boolean;
}) {
  const { open, onOpenChange } = props;
  const triggerRef = useRef<HTMLButtonElement>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const returnFocus = useRef(false);
  useEffect(() => {
    if (open) {
      cancelRef.current?.focus();
    } else if (returnFocus.current) {
      returnFocus.current = false;
      triggerRef.current?.focus();
    }
  }, [open]);
  const cancel = () => {
    returnFocus.current = true;
    onOpenChange(false);
  };

  if (!open) {
    return (
      <button
        ref={triggerRef}
        type="button"
        className={props.triggerClassName}
        onClick={() => onOpenChange(true)}
      >
        {props.label}
      </button>
    );
  }
  return (
    <div
      className="flex min-w-0 flex-wrap items-center gap-2 sm:justify-end"
      onKeyDown={(event) => {
        if (event.key === "Escape") {
          event.preventDefault();
          cancel();
        }
      }}
    >
      <p className={`min-w-0 text-sm ${wrapAnywhere}`}>{props.question}</p>
      <button type="submit" className={dangerButton} disabled={props.pending}>
        {props.confirmLabel}
      </button>
      <button ref={cancelRef} type="button" className={secondaryButton} onClick={cancel}>
        Cancel
      </button>
    </div>
  );
}

export function AddMemberForm({ organizationId }: { organizationId: string }) {
  const [state, action, pending] = useActionState<MemberActionState, FormData>(addMemberAction, {});
  return (
    <form action={action} className="space-y-3" noValidate>
      <input type="hidden" name="organizationId" value={organizationId} />
      <h2 className="font-medium">Add a member</h2>
      <FormField
        name="email"
        label="Email of an existing account"
        type="email"
        autoComplete="off"
        defaultValue={state.email}
      />
      <button type="submit" className={primaryButton} disabled={pending}>
        {pending ? "Adding…" : "Add member"}
      </button>
      <Feedback state={state} />
    </form>
  );
}

function Feedback({ state }: { state: MemberActionState }) {
  if (state.error) {
    return (
      <p role="alert" className="text-sm text-red-700 dark:text-red-400">
        {state.error}
      </p>
    );
  }
  if (state.message) {
    return (
      <p role="status" className="text-sm text-zinc-700 dark:text-zinc-300">
        {state.message}
      </p>
    );
  }
  return null;
}
