import type { Metadata } from "next";

import { ActionFeedback } from "@/components/action-feedback";
import { ConfirmationScope } from "@/components/confirmation-scope";
import { card } from "@/components/ui";
import { requireRole } from "@/lib/auth/server";
import { getDb } from "@/lib/db/client";
import { findOrganization, listMembers } from "@/lib/orgs/organizations";

import { AddMemberForm, MemberActions } from "./member-forms";

export const metadata: Metadata = { title: "Members" };

export default async function MembersPage() {
  // Reading the list needs an admin token. Every change on this page is checked again
  // against the database by its server action.
  const { claims } = await requireRole("admin", "/organization/members");
  const organizationId = claims.org_id ?? "";
  const db = await getDb();
  const [organization, members] = await Promise.all([
    findOrganization(db, organizationId),
    listMembers(db, organizationId),
  ]);
  const onlyYou = members.length === 1 && members[0]?.userId === claims.sub;

  return (
    <section className="space-y-6">
      <header className="space-y-1">
        <h1 className="text-2xl font-semibold tracking-tight">Members</h1>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">{organization?.name}</p>
      </header>
      <ActionFeedback testId="member-action-feedback">
        <ConfirmationScope>
          <ul className="mt-3 space-y-3" aria-label="Members">
            {members.map((member) => (
              <li
                key={member.userId}
                className={`${card} flex flex-col gap-3 sm:flex-row sm:items-start sm:justify-between sm:gap-4`}
                data-testid="member-row"
                data-email={member.email}
              >
                <div className="min-w-0 flex-1 space-y-1">
                  <p className="font-medium">
                    <bdi>{member.displayName}</bdi>
                    {member.userId === claims.sub ? " (you)" : ""}
                  </p>
                  <p className="text-sm break-all text-zinc-600 dark:text-zinc-400">
                    {member.email}
                  </p>
                  <p className="text-sm text-zinc-600 dark:text-zinc-400">
                    <span data-testid="member-role">{member.role}</span>
                    {" · "}
                    {member.activeSessions === 1
                      ? "1 active session here"
                      : `${member.activeSessions} active sessions here`}
                  </p>
                </div>
                <MemberActions
                  organizationId={organizationId}
                  userId={member.userId}
                  displayName={member.displayName}
                  role={member.role}
                  isViewer={member.userId === claims.sub}
                />
              </li>
            ))}
          </ul>
        </ConfirmationScope>
      </ActionFeedback>
      {onlyYou ? (
        <p
          className="max-w-prose text-sm text-zinc-600 dark:text-zinc-400"
          data-testid="only-member"
        >
          You are the only member of this organization. Add people by the email address they signed
          up with. They then choose this organization in their Organization menu.
        </p>
      ) : null}
      <div className={card}>
        <AddMemberForm organizationId={organizationId} />
      </div>
    </section>
  );
}
