"use client";

import { useSyncExternalStore } from "react";

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;
const TICK_MS = 30_000;

/**
 * Formats how long ago something happened, such as "5 minutes ago" or "just now". Unlike
 * `formatRelativeTime`, which reads "Active now" for recent activity, this suits events
 * that are over, such as a sign-out.
 */
export function formatTimeAgo(date: Date, now: number): string {
  const elapsed = Math.max(0, now - date.getTime());
  if (elapsed < MINUTE_MS) return "just now";
  const format = new Intl.RelativeTimeFormat("en", { numeric: "auto" });
  if (elapsed < HOUR_MS) return format.format(-Math.floor(elapsed / MINUTE_MS), "minute");
  if (elapsed < DAY_MS) return format.format(-Math.floor(elapsed / HOUR_MS), "hour");
  return format.format(-Math.floor(elapsed / DAY_MS), "day");
}

// One clock for every TimeAgo on the page, ticking while any of them is mounted.
let clockNow = 0;

function subscribeToClock(onTick: () => void): () => void {
  clockNow = Date.now();
  const timer = setInterval(() => {
    clockNow = Date.now();
    onTick();
  }, TICK_MS);
  return () => clearInterval(timer);
}

function readClock(): number {
  if (clockNow === 0) clockNow = Date.now();
  return clockNow;
}

/**
 * Time since `iso` in words. The server and hydration both count from `serverNow`, so the
 * text matches. After that it follows the browser's clock. The title shows the UTC time.
 */
export function TimeAgo({ iso, serverNow }: { iso: string; serverNow: number }) {
  const now = useSyncExternalStore(subscribeToClock, readClock, () => serverNow);
  const date = new Date(iso);
  return (
    <time dateTime={iso} title={`${iso.slice(0, 16).replace("T", " ")} UTC`}>
      {formatTimeAgo(date, now)}
    </time>
  );
}
