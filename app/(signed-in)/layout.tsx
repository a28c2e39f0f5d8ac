import { OrganizationSwitcher } from "@/components/organization-switcher";
import { SessionProvider } from "@/components/session-provider";
import { SignOutButton } from "@/components/sign-out-button";
import { requireAuth } from "@/lib/auth/server";
import { isDatabaseUnavailable, reportDatabaseUnavailable } from "@/lib/db/availability";
import { getDb } from "@/lib/db/client";
import { listOrganizations } from "@/lib/orgs/organizations";

export default async function SignedInLayout({ children }: { children: React.ReactNode }) {
  const { claims, expiresInSeconds } = await requireAuth("/account/security");
  // NOTE: the switcher's list is one database read per full page render. Authorization
  // itself never reads the database here; the role comes from the token.
  const organizations = await listOrganizationsUnlessUnavailable(claims.sub);
  return (
    <SessionProvider
      userId={claims.sub}
      sessionId={claims.sid}
      initialExpiresIn={expiresInSeconds}
      initialToken={{ organizationId: claims.org_id ?? null, role: claims.org_role ?? null }}
    >
      {/* The links between sections are in the root layout's header, so that the home page
          and the 404 page show them too. */}
      <header
        data-testid="account-bar"
        className="mb-6 flex flex-wrap items-center justify-end gap-3 border-b border-zinc-200 pb-3 dark:border-zinc-800"
      >
        <div className="flex flex-wrap items-center gap-3">
          {organizations ? (
            <OrganizationSwitcher
              organizations={organizations.map(({ id, name, role }) => ({ id, name, role }))}
            />
          ) : (
            <span className="text-sm text-zinc-600 dark:text-zinc-400">
              Organizations are unavailable right now
            </span>
          )}
          <SignOutButton />
        </div>
      </header>
      {children}
    </SessionProvider>
  );
}

// During a database outage, pages that need only the token keep working, so the layout shows
// them without the organization list instead of failing the whole page.
async function listOrganizationsUnlessUnavailable(userId: string) {
  try {
    return await listOrganizations(await getDb(), userId);
  } catch (error) {
    if (!isDatabaseUnavailable(error)) throw error;
    reportDatabaseUnavailable(error, "signed-in layout");
    return null;
  }
}
