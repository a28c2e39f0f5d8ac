"use client";

import { useSyncExternalStore } from "react";

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;
/** Activity this recent reads "Active now". */
const ACTIVE_NOW_MS = 2 * MINUTE_MS;
const TICK_MS = 30_000;

/** Formats the time between `date` and `now` in words, such as "5 minutes ago". */
export function formatRelativeTime(date: Date, now: number): string {
  const elapsed = Math.max(0, now - date.getTime());
  if (elapsed < ACTIVE_NOW_MS) return "Active now";
  return formatElapsed(elapsed);
}

/**
 * Formats how long ago something happened, such as "5 minutes ago" or "just now". Unlike
 * `formatRelativeTime`, which reads "Active now" for recent activity, this suits events
 * that are over, such as a sign-out.
 */
export function formatTimeAgo(date: Date, now: number): string {
  const elapsed = Math.max(0, now - date.getTime());
  if (elapsed < MINUTE_MS) return "just now";
  return formatElapsed(elapsed);
}

function formatElapsed(elapsed: number): string {
  const format = new Intl.RelativeTimeFormat("en", { numeric: "auto" });
  if (elapsed < HOUR_MS) return format.format(-Math.floor(elapsed / MINUTE_MS), "minute");
  if (elapsed < DAY_MS) return format.format(-Math.floor(elapsed / HOUR_MS), "hour");
  return format.format(-Math.floor(elapsed / DAY_MS), "day");
}

// A clock shared by every RelativeTime and TimeAgo on the page, ticking while any is mounted.
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

const subscribeToNothing = () => () => {};

/**
 * Relative time that renders the same text on the server and during hydration (both use
 * `serverNow`), so hydration never mismatches, and then follows the browser's clock.
 */
export function RelativeTime({ iso, serverNow }: { iso: string; serverNow: number }) {
  const now = useSyncExternalStore(subscribeToClock, readClock, () => serverNow);
  const date = new Date(iso);
  return (
    <time dateTime={iso} title={formatUtc(date)}>
      {formatRelativeTime(date, now)}
    </time>
  );
}

/** Time since a finished event, such as a sign-out, that follows the browser's clock. */
export function TimeAgo({ iso, serverNow }: { iso: string; serverNow: number }) {
  const now = useSyncExternalStore(subscribeToClock, readClock, () => serverNow);
  const date = new Date(iso);
  return (
    <time dateTime={iso} title={formatUtc(date)}>
      {formatTimeAgo(date, now)}
    </time>
  );
}

/**
 * Absolute time: in UTC on the server and during hydration, then in the reader's own time
 * zone, which only the browser can read.
 */
export function LocalTime({ iso }: { iso: string }) {
  const hydrated = useSyncExternalStore(
    subscribeToNothing,
    () => true,
    () => false,
  );
  const date = new Date(iso);
  const text = hydrated
    ? new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" }).format(date)
    : formatUtc(date);
  return <time dateTime={iso}>{text}</time>;
}

function formatUtc(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}
