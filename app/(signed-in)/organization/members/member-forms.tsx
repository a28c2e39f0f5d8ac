"use client";

import { useActionState, useCallback, useRef, useState } from "react";

import { useActionFeedback } from "@/components/action-feedback";
import { FormField } from "@/components/form-field";
import { StepUpForm } from "@/components/step-up-form";
import { dangerButton, primaryButton, secondaryButton } from "@/components/ui";

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
}) {
  const [roleState, roleAction, rolePending] = useActionState<MemberActionState, FormData>(
    changeRoleAction,
    {},
  );
  const reportOutcome = useActionFeedback();
  // A removed member's row disappears, so the outcome goes to the list's feedback region.
  const [, removeAction, removePending] = useActionState<MemberActionState, FormData>(
    async (previous, form) => {
      const result = await removeMemberAction(previous, form);
      reportOutcome(result);
      return result;
    },
    {},
  );
  const [confirming, setConfirming] = useState(false);
  const [stepUpDismissed, setStepUpDismissed] = useState<MemberActionState | null>(null);
  const roleForm = useRef<HTMLFormElement>(null);
  const nextRole = props.role === "admin" ? "member" : "admin";
  const resubmitRoleChange = useCallback(() => roleForm.current?.requestSubmit(), []);
  const askPassword = roleState.stepUp === true && stepUpDismissed !== roleState;

  return (
    <div className="flex flex-col items-start gap-2 sm:max-w-[60%] sm:items-end">
      <div className="flex flex-wrap gap-2 sm:justify-end">
        <form action={roleAction} ref={roleForm}>
          <input type="hidden" name="organizationId" value={props.organizationId} />
          <input type="hidden" name="userId" value={props.userId} />
          <input type="hidden" name="role" value={nextRole} />
          <button type="submit" className={secondaryButton} disabled={rolePending}>
            {nextRole === "admin"
              ? `Make ${props.displayName} an admin`
              : `Make ${props.displayName} a member`}
          </button>
        </form>
        {confirming ? (
          <form action={removeAction} className="flex gap-2">
            <input type="hidden" name="organizationId" value={props.organizationId} />
            <input type="hidden" name="userId" value={props.userId} />
            <button type="submit" className={dangerButton} disabled={removePending}>
              Confirm removal
            </button>
            <button type="button" className={secondaryButton} onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </form>
        ) : (
          <button type="button" className={dangerButton} onClick={() => setConfirming(true)}>
            Remove {props.displayName}
          </button>
        )}
      </div>
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
