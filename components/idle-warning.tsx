"use client";

import { useEffect, useState } from "react";

import { monotonicNow, useSession } from "./session-provider";
import { primaryButton } from "./ui";

const TICK_MS = 1_000;

/** Shown shortly before the idle limit signs an untouched session out. */
export function IdleWarning() {
  const { idleWarningDeadline, reportActivity } = useSession();
  const [now, setNow] = useState(0);

  useEffect(() => {
    if (idleWarningDeadline === null) return;
    const tick = () => setNow(monotonicNow());
    const timer = setInterval(tick, TICK_MS);
    const first = setTimeout(tick, 0);
    return () => {
      clearInterval(timer);
      clearTimeout(first);
    };
  }, [idleWarningDeadline]);

  if (idleWarningDeadline === null) return null;
  const secondsLeft = Math.max(
    0,
    Math.ceil((idleWarningDeadline - (now || idleWarningDeadline)) / 1000),
  );
  return (
    <div
      role="alertdialog"
      aria-labelledby="idle-warning-title"
      aria-describedby="idle-warning-text"
      className="fixed inset-x-4 bottom-4 z-50 mx-auto max-w-md rounded-lg border border-amber-300 bg-amber-50 p-4 shadow-lg dark:border-amber-700 dark:bg-amber-950"
    >
      <h2 id="idle-warning-title" className="font-semibold">
        Are you still there?
      </h2>
      <p id="idle-warning-text" className="mt-1 text-sm">
        {now === 0
          ? "You will be signed out soon because of inactivity."
          : `You will be signed out in ${secondsLeft} ${secondsLeft === 1 ? "second" : "seconds"} because of inactivity.`}
      </p>
      {/* The dialog interrupts on purpose, so its one action takes the focus. */}
      <button type="button" className={`${primaryButton} mt-3`} onClick={reportActivity} autoFocus>
        Stay signed in
      </button>
    </div>
  );
}
