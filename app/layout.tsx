import type { Metadata } from "next";
import Link from "next/link";
import { connection } from "next/server";

import { MainNavigation } from "@/components/main-navigation";
import { focusRing } from "@/components/ui";
import { hasRole } from "@/lib/auth/roles";
import { getAuth } from "@/lib/auth/server";

import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Tessera", template: "%s · Tessera" },
  description: "Sessions you can see and end, with short-lived tokens verified at the edge.",
};

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  // Middleware puts a new script nonce in every page's Content-Security-Policy, and Next.js
  // adds it to the page's scripts only while rendering a request. A page prerendered at build
  // time, such as the 404 page, would carry no nonce and its scripts would be blocked.
  await connection();
  // The navigation shows for a valid token. getAuth verifies it without a database read.
  const auth = await getAuth();
  return (
    <html lang="en">
      <body className="min-h-screen bg-zinc-50 text-zinc-900 antialiased dark:bg-zinc-950 dark:text-zinc-100">
        <a href="#main-content" className={skipLink}>
          Skip to content
        </a>
        <header className="border-b border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900">
          <div className="mx-auto flex max-w-3xl flex-wrap items-center gap-x-6 gap-y-2 px-4 py-3">
            <Link
              href="/"
              className={`rounded-sm text-lg font-semibold tracking-tight ${focusRing}`}
            >
              Tessera
            </Link>
            {auth ? <MainNavigation showMembers={hasRole(auth.claims, "admin")} /> : null}
          </div>
        </header>
        <main id="main-content" className="mx-auto max-w-3xl px-4 py-8">
          {children}
        </main>
      </body>
    </html>
  );
}

// Hidden until it receives keyboard focus, so keyboard users can jump past the navigation.
const skipLink = `sr-only rounded-md bg-white px-3 py-2 text-sm font-medium text-zinc-900 shadow focus:not-sr-only focus:absolute focus:top-2 focus:left-2 focus:z-50 dark:bg-zinc-900 dark:text-zinc-100 ${focusRing}`;
