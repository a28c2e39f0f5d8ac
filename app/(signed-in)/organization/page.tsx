import type { Metadata } from "next";
import Link from "next/link";

import { card } from "@/components/ui";
import { requireRole } from "@/lib/auth/server";
import { getDb } from "@/lib/db/client";
import { hasRole } from "@/lib/auth/roles";
import { getEnv } from "@/lib/env";
import { findOrganization } from "@/lib/orgs/organizations";
import { findOrganizationLimits } from "@/lib/orgs/session-policy";

import { PolicyForm } from "./policy-form";

export const metadata: Metadata = { title: "Organization" };

export default async function OrganizationPage() {
  // Any member may read this page; the role comes from the token, without a database read.
  const { claims } = await requireRole("member", "/organization");
  const db = await getDb();
  const organization = claims.org_id ? await findOrganization(db, claims.org_id) : null;
  const limits = claims.org_id ? await findOrganizationLimits(db, claims.org_id) : null;
  const appLimits = getEnv().sessionLimits;
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
      {organization && hasRole(claims, "admin") ? (
        <div className={card}>
          <PolicyForm
            organizationId={organization.id}
            absoluteTimeoutSeconds={limits?.absoluteTimeoutSeconds ?? null}
            idleTimeoutSeconds={limits?.idleTimeoutSeconds ?? null}
            appAbsoluteTimeoutSeconds={appLimits.absoluteTimeoutSeconds}
            appIdleTimeoutSeconds={appLimits.idleTimeoutSeconds}
          />
        </div>
      ) : null}
      <Link href="/organization/new" className="inline-block text-sm font-medium underline">
        Create another organization
      </Link>
    </section>
  );
}
