import type { Metadata } from "next";
import Link from "next/link";

import { requireAuth } from "@/lib/auth/server";
import { getEnv } from "@/lib/env";
import { firstParam, type SearchParams } from "@/lib/search-params";

export const metadata: Metadata = { title: "Access denied" };

export default async function ForbiddenPage(props: { searchParams: Promise<SearchParams> }) {
  const { claims } = await requireAuth("/account/security");
  const required = firstParam((await props.searchParams).required) === "admin" ? "admin" : "member";
  return (
    <section className="space-y-4">
      <h1 className="text-2xl font-semibold tracking-tight">Access denied</h1>
      <p className="max-w-prose">
        {claims.org_id
          ? `This page needs the ${required} role in the active organization, and your role there is ${claims.org_role}.`
          : "This page needs an active organization, and this session has none. Choose one in the organization menu."}
      </p>
      <p className="max-w-prose text-sm text-zinc-600 dark:text-zinc-400">
        Roles are checked from your session token, so a role an admin just gave you applies within{" "}
        {getEnv().tokenTtlSeconds} seconds, at the token&apos;s next refresh.
      </p>
      <Link href="/account/security" className="text-sm font-medium underline">
        Back to your devices
      </Link>
    </section>
  );
}
