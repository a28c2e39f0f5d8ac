"use client";

import { useFormStatus } from "react-dom";

import { signOutAction } from "@/app/(signed-in)/actions";

import { secondaryButton } from "./ui";

export function SignOutButton({ label = "Sign out" }: { label?: string }) {
  return (
    <form action={signOutAction}>
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
