import type { Metadata } from "next";
import Link from "next/link";

import { hasRole } from "@/lib/auth/roles";
import { requireAuth } from "@/lib/auth/server";
import { getEnv } from "@/lib/env";
import { firstParam, type SearchParams } from "@/lib/search-params";

export const metadata: Metadata = { title: "Access denied" };

export default async function ForbiddenPage(props: { searchParams: Promise<SearchParams> }) {
  const { claims } = await requireAuth("/account/security");
  const required = firstParam((await props.searchParams).required) === "admin" ? "admin" : "member";
  const allowedNow = hasRole(claims, required);

  let explanation: string;
  if (allowedNow) {
    explanation = `Your session now has the ${required} role it needed. Go back and try again.`;
  } else if (claims.org_id) {
    explanation = `This page needs the ${required} role in the active organization, and your role there is ${claims.org_role}.`;
  } else {
    explanation =
      "This page needs an active organization, and this session has none. Choose one in the Organization menu, or create a new one.";
  }

  return (
    <section className="space-y-4">
      <h1 className="text-2xl font-semibold tracking-tight">Access denied</h1>
      <p className="max-w-prose">{explanation}</p>
      {claims.org_id && !allowedNow ? (
        <p className="max-w-prose text-sm text-zinc-600 dark:text-zinc-400">
          Roles are checked from your session token, so a role an admin gives you applies within{" "}
          {getEnv().tokenTtlSeconds} seconds, at the token&apos;s next refresh.
        </p>
      ) : null}
      <div className="flex flex-wrap gap-4 text-sm font-medium">
        {claims.org_id ? null : (
          <Link href="/organization/new" className="underline">
            Create an organization
          </Link>
        )}
        <Link href="/account/security" className="underline">
          Back to your devices
        </Link>
      </div>
    </section>
  );
}
