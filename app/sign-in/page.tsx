import type { Metadata } from "next";
import { cookies } from "next/headers";
import Link from "next/link";
import { redirect } from "next/navigation";

import { SignedOutBroadcast } from "@/components/session-provider";
import { card } from "@/components/ui";
import { readSessionSecret } from "@/lib/auth/cookies";
import { safeReturnPath } from "@/lib/auth/return-path";
import { getAuth } from "@/lib/auth/server";
import { firstParam, type SearchParams } from "@/lib/search-params";

import { SignInForm } from "./sign-in-form";

export const metadata: Metadata = { title: "Sign in" };

const REASONS: Record<string, string> = {
  signed_out: "You have signed out.",
  session_ended: "Your session has ended. Sign in again to continue.",
  handshake_failed: "Your session could not be renewed. Sign in again to continue.",
  idle_timeout: "You were signed out after a period of inactivity. Sign in again to continue.",
  absolute_timeout: "Your session reached its maximum length. Sign in again to continue.",
};

export default async function SignInPage(props: { searchParams: Promise<SearchParams> }) {
  const params = await props.searchParams;
  const returnPath = safeReturnPath(firstParam(params.return_to));
  if (await getAuth()) redirect(returnPath);
  // A live session with an expired token (for example a link from another site to this
  // page) renews through the handshake instead of showing the form. A session that has
  // ended comes back here with its cookies cleared, so this cannot loop.
  if (readSessionSecret(await cookies())) {
    redirect(`/auth/handshake?${new URLSearchParams({ return_to: returnPath })}`);
  }

  const reason = firstParam(params.reason);
  // A visitor sent here from a protected page learns why the form appeared.
  let notice = reason ? REASONS[reason] : undefined;
  if (!notice && params.return_to) notice = "Sign in to continue.";
  return (
    <section className="mx-auto max-w-sm space-y-6">
      <h1 className="text-2xl font-semibold tracking-tight">Sign in</h1>
      {reason && reason in REASONS && reason !== "handshake_failed" ? <SignedOutBroadcast /> : null}
      {notice ? (
        <p role="status" className="rounded-md bg-zinc-100 p-3 text-sm dark:bg-zinc-800">
          {notice}
        </p>
      ) : null}
      <div className={card}>
        <SignInForm returnPath={returnPath} />
      </div>
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        No account yet?{" "}
        <Link
          href={`/sign-up?${new URLSearchParams({ return_to: returnPath })}`}
          className="font-medium text-indigo-700 underline dark:text-indigo-300"
        >
          Create one
        </Link>
      </p>
    </section>
  );
}
