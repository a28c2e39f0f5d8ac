"use client";

import { primaryButton } from "@/components/ui";

// Shown when a signed-in page fails to render, most often because the database is briefly
// unreachable. Production builds hide the error's message from the browser, so the text
// names the likely cause without claiming it.
export default function SignedInError({ reset }: { error: Error; reset: () => void }) {
  return (
    <section className="space-y-4" role="alert">
      <h1 className="text-2xl font-semibold tracking-tight">This page could not load</h1>
      <p className="max-w-prose">
        You are still signed in. The server could not read what this page shows, which usually means
        its database is briefly unavailable. Try again in a moment.
      </p>
      <button type="button" className={primaryButton} onClick={reset}>
        Try again
      </button>
    </section>
  );
}
