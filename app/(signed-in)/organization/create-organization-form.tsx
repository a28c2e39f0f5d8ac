"use client";

import { useRouter } from "next/navigation";
import { useActionState, useEffect, useRef } from "react";

import { FormField } from "@/components/form-field";
import { monotonicNow, useSession } from "@/components/session-provider";
import { primaryButton } from "@/components/ui";
import { MAX_DISPLAY_NAME_LENGTH } from "@/lib/auth/form-limits";

import { createOrganizationAction, type CreateOrganizationState } from "./actions";

export function CreateOrganizationForm() {
  const session = useSession();
  const router = useRouter();
  const submittedAt = useRef(0);
  const [state, action, pending] = useActionState<CreateOrganizationState, FormData>(
    async (previous, form) => {
      submittedAt.current = monotonicNow();
      return createOrganizationAction(previous, form);
    },
    { name: "" },
  );

  // The action set a token for the new organization; the refresh loop takes it over.
  const { adoptToken } = session;
  useEffect(() => {
    if (!state.created) return;
    adoptToken(submittedAt.current, state.created.expiresIn, {
      organizationId: state.created.organizationId,
      role: state.created.role,
    });
    router.push("/organization");
  }, [state.created, adoptToken, router]);

  return (
    <form action={action} className="space-y-3" noValidate>
      <FormField
        name="name"
        label="Organization name"
        type="text"
        autoComplete="organization"
        maxLength={MAX_DISPLAY_NAME_LENGTH}
        defaultValue={state.name}
        error={state.error}
      />
      <button type="submit" className={primaryButton} disabled={pending}>
        {pending ? "Creating…" : "Create and switch to it"}
      </button>
    </form>
  );
}
