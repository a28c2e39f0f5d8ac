"use client";

import { useState } from "react";

import { useSession } from "./session-provider";
import { secondaryButton } from "./ui";

/**
 * Shown while token refreshes fail without signing out, for example during a database
 * outage. The live region stays in the page even when empty, because screen readers
 * announce changes inside an existing region more reliably than a region that appears.
 */
export function ReconnectingNotice() {
  const { reconnecting, refresh } = useSession();
  const [retrying, setRetrying] = useState(false);

  async function retryNow() {
    setRetrying(true);
    try {
      await refresh();
    } finally {
      setRetrying(false);
    }
  }

  return (
    <div
      className={
        reconnecting
          ? "fixed inset-x-4 bottom-4 z-50 mx-auto flex max-w-md flex-wrap items-center justify-between gap-3 rounded-lg border border-amber-300 bg-amber-50 p-4 shadow-lg dark:border-amber-700 dark:bg-amber-950"
          : undefined
      }
    >
      <div aria-live="polite">
        {reconnecting ? (
          <p role="status" className="text-sm">
            <strong className="font-semibold">Reconnecting…</strong> Tessera is unavailable right
            now. You are still signed in, and this page keeps trying to reconnect.
          </p>
        ) : null}
      </div>
      {reconnecting ? (
        <button type="button" className={secondaryButton} onClick={retryNow} disabled={retrying}>
          Try now
        </button>
      ) : null}
    </div>
  );
}
