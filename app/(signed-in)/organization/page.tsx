import type { Metadata } from "next";

import { card } from "@/components/ui";
import { requireRole } from "@/lib/auth/server";
import { getDb } from "@/lib/db/client";
import { findOrganization } from "@/lib/orgs/organizations";

import { CreateOrganizationForm } from "./create-organization-form";

export const metadata: Metadata = { title: "Organization" };

export default async function OrganizationPage() {
  // Any member may read this page; the role comes from the token, without a database read.
  const { claims } = await requireRole("member", "/organization");
  const organization = claims.org_id ? await findOrganization(await getDb(), claims.org_id) : null;
  return (
    <section className="space-y-4">
      <h1 className="text-2xl font-semibold tracking-tight">
        {organization?.name ?? "Organization"}
      </h1>
      <dl className={`${card} grid grid-cols-[max-content_1fr] gap-x-6 gap-y-2 text-sm`}>
        <dt className="text-zinc-600 dark:text-zinc-400">Your role</dt>
        <dd data-testid="organization-role">{claims.org_role}</dd>
        <dt className="text-zinc-600 dark:text-zinc-400">Slug</dt>
        <dd>{organization?.slug}</dd>
      </dl>
      <div className={card}>
        <CreateOrganizationForm />
      </div>
    </section>
  );
}
