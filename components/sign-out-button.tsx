"use client";

import { useFormStatus } from "react-dom";

import { signOutAction } from "@/app/(signed-in)/actions";

import { useOptionalSession } from "./session-provider";
import { secondaryButton } from "./ui";

export function SignOutButton({ label = "Sign out" }: { label?: string }) {
  const session = useOptionalSession();
  return (
    <form action={signOutAction} onSubmit={() => session?.stopRefreshing()}>
      <SubmitButton label={label} />
    </form>
  );
}

function SubmitButton({ label }: { label: string }) {
  const { pending } = useFormStatus();
  return (
    <button type="submit" className={secondaryButton} disabled={pending}>
      {pending ? "Signing out…" : label}
    </button>
  );
}
