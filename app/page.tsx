import Link from "next/link";

import { getAuth } from "@/lib/auth/server";
import { firstParam, type SearchParams } from "@/lib/search-params";

export default async function HomePage(props: { searchParams: Promise<SearchParams> }) {
  const auth = await getAuth();
  const deleted = firstParam((await props.searchParams).account) === "deleted";
  return (
    <section className="space-y-6">
      {deleted ? (
        <p role="status" className="rounded-md bg-zinc-100 p-3 text-sm dark:bg-zinc-800">
          Your account was deleted.
        </p>
      ) : null}
      <h1 className="text-3xl font-semibold tracking-tight">Sessions you can see and end</h1>
      <p className="max-w-prose text-zinc-700 dark:text-zinc-300">
        Tessera keeps every sign-in as a session row in Postgres and gives the browser a token that
        lives for about a minute. Pages check the token without touching the database, and a
        sign-out from another device takes effect within one token lifetime.
      </p>
      {auth ? (
        <Link href="/account/security" className={primaryLink}>
          Your devices
        </Link>
      ) : (
        <div className="flex gap-3">
          <Link href="/sign-up" className={primaryLink}>
            Create an account
          </Link>
          <Link href="/sign-in" className={secondaryLink}>
            Sign in
          </Link>
        </div>
      )}
    </section>
  );
}

const primaryLink =
  "inline-block rounded-md bg-indigo-600 px-4 py-2 font-medium text-white hover:bg-indigo-500 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600";
const secondaryLink =
  "inline-block rounded-md border border-zinc-300 px-4 py-2 font-medium hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800";
