import { describe, expect, it } from "vitest";

import { formatTimeAgo } from "./relative-time";

const NOW = Date.parse("2026-03-01T12:00:00.000Z");
const SECOND_MS = 1000;
const MINUTE_MS = 60 * SECOND_MS;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

const ago = (milliseconds: number) => formatTimeAgo(new Date(NOW - milliseconds), NOW);

describe("formatTimeAgo", () => {
  it.each([
    ["zero", 0, "just now"],
    ["59 seconds", 59 * SECOND_MS, "just now"],
    ["a future date", -30 * SECOND_MS, "just now"],
    ["exactly 1 minute", MINUTE_MS, "1 minute ago"],
    ["just under 2 minutes", 2 * MINUTE_MS - 1, "1 minute ago"],
    ["just under 1 hour", HOUR_MS - 1, "59 minutes ago"],
    ["exactly 1 hour", HOUR_MS, "1 hour ago"],
    ["just under 1 day", DAY_MS - 1, "23 hours ago"],
    ["exactly 1 day", DAY_MS, "yesterday"],
    ["exactly 2 days", 2 * DAY_MS, "2 days ago"],
    ["30 days", 30 * DAY_MS, "30 days ago"],
  ])("at %s", (_case, elapsed, expected) => {
    expect(ago(elapsed)).toBe(expected);
  });
});
