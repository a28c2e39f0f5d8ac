import Link from "next/link";

import { SessionProvider } from "@/components/session-provider";
import { SignOutButton } from "@/components/sign-out-button";
import { requireAuth } from "@/lib/auth/server";

export default async function AccountLayout({ children }: { children: React.ReactNode }) {
  const { claims, expiresInSeconds } = await requireAuth("/account/security");
  return (
    <SessionProvider userId={claims.sub} sessionId={claims.sid} initialExpiresIn={expiresInSeconds}>
      <nav
        aria-label="Account"
        className="mb-6 flex items-center justify-between border-b border-zinc-200 pb-3 dark:border-zinc-800"
      >
        <Link
          href="/account/security"
          className="text-sm font-medium underline-offset-4 hover:underline"
        >
          Devices
        </Link>
        <SignOutButton />
      </nav>
      {children}
    </SessionProvider>
  );
}
