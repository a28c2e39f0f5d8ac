import type { Metadata } from "next";
import Link from "next/link";
import { connection } from "next/server";

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
  return (
    <html lang="en">
      <body className="min-h-screen bg-zinc-50 text-zinc-900 antialiased dark:bg-zinc-950 dark:text-zinc-100">
        <header className="border-b border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900">
          <div className="mx-auto max-w-3xl px-4 py-3">
            <Link href="/" className="text-lg font-semibold tracking-tight">
              Tessera
            </Link>
          </div>
        </header>
        <main className="mx-auto max-w-3xl px-4 py-8">{children}</main>
      </body>
    </html>
  );
}
