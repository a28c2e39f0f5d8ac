"use client";

import Link from "next/link";
import { useState, useTransition } from "react";

import { switchOrganizationAction } from "@/app/(signed-in)/actions";
import { monotonicNow, useSession } from "@/components/session-provider";
import { focusRing } from "@/components/ui";

export interface SwitcherOrganization {
  id: string;
  name: string;
  role: "admin" | "member";
}

export function OrganizationSwitcher({ organizations }: { organizations: SwitcherOrganization[] }) {
  const session = useSession();
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);

  if (organizations.length === 0) {
    return (
      <span className="text-sm text-zinc-600 dark:text-zinc-400">
        No organization.{" "}
        <Link href="/organization/new" className={`rounded-sm font-medium underline ${focusRing}`}>
          Create one
        </Link>
      </span>
    );
  }

  function onChange(organizationId: string) {
    setError(null);
    startTransition(async () => {
      const mintedAt = monotonicNow();
      const result = await switchOrganizationAction(organizationId);
      if (!result.ok) {
        setError(result.error);
        return;
      }
      // The session provider renders the pages again once it receives the token for the new organization.
      session.adoptToken(mintedAt, result.expiresIn, {
        organizationId: result.organizationId,
        role: result.role,
      });
    });
  }

  return (
    <div className="flex flex-col">
      <div className="flex items-center gap-2 text-sm">
        <label htmlFor="organization-switcher" className="text-zinc-600 dark:text-zinc-400">
          Organization
        </label>
        <select
          id="organization-switcher"
          className="max-w-[14rem] truncate rounded-md border border-zinc-300 bg-white px-2 py-1 text-sm dark:border-zinc-700 dark:bg-zinc-900"
          value={session.token.organizationId ?? ""}
          disabled={pending}
          onChange={(event) => onChange(event.target.value)}
        >
          {session.token.organizationId ? null : (
            <option value="" disabled>
              Choose…
            </option>
          )}
          {organizations.map((organization) => (
            <option key={organization.id} value={organization.id}>
              {organization.name} ({organization.role})
            </option>
          ))}
        </select>
      </div>
      {error ? (
        <p role="alert" className="text-sm text-red-700 dark:text-red-400">
          {error}
        </p>
      ) : null}
    </div>
  );
}
