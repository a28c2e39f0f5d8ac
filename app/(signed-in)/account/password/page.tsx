import type { Metadata } from "next";

import { card } from "@/components/ui";
import { requireAuth } from "@/lib/auth/server";

import { DeleteAccount } from "./delete-account";
import { PasswordForm } from "./password-form";

export const metadata: Metadata = { title: "Password and account" };

export default async function PasswordPage() {
  await requireAuth("/account/password");
  return (
    <section className="max-w-md space-y-4">
      <h1 className="text-2xl font-semibold tracking-tight">Password and account</h1>
      <p className="text-sm text-zinc-700 dark:text-zinc-300">
        Changing your password signs out every other device. This device stays signed in.
      </p>
      <div className={card}>
        <PasswordForm />
      </div>
      <div className={card}>
        <DeleteAccount />
      </div>
    </section>
  );
}
