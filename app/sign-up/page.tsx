import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";

import { card } from "@/components/ui";
import { safeReturnPath } from "@/lib/auth/return-path";
import { getAuth } from "@/lib/auth/server";
import { firstParam, type SearchParams } from "@/lib/search-params";

import { SignUpForm } from "./sign-up-form";

export const metadata: Metadata = { title: "Create an account" };

export default async function SignUpPage(props: { searchParams: Promise<SearchParams> }) {
  const returnPath = safeReturnPath(firstParam((await props.searchParams).return_to));
  if (await getAuth()) redirect(returnPath);

  return (
    <section className="mx-auto max-w-sm space-y-6">
      <h1 className="text-2xl font-semibold tracking-tight">Create an account</h1>
      <div className={card}>
        <SignUpForm returnPath={returnPath} />
      </div>
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        Already have an account?{" "}
        <Link
          href={`/sign-in?${new URLSearchParams({ return_to: returnPath })}`}
          className="font-medium text-indigo-700 underline dark:text-indigo-300"
        >
          Sign in
        </Link>
      </p>
    </section>
  );
}
