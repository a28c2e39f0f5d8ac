import type { Metadata } from "next";

import { card } from "@/components/ui";
import { requireAuth } from "@/lib/auth/server";

import { CreateOrganizationForm } from "../create-organization-form";

export const metadata: Metadata = { title: "New organization" };

export default async function NewOrganizationPage() {
  // Open to every signed-in user, including one who belongs to no organization any more.
  await requireAuth("/organization/new");
  return (
    <section className="max-w-md space-y-4">
      <h1 className="text-2xl font-semibold tracking-tight">New organization</h1>
      <p className="text-sm text-zinc-700 dark:text-zinc-300">
        You become its admin, and this session switches to it.
      </p>
      <div className={card}>
        <CreateOrganizationForm />
      </div>
    </section>
  );
}
