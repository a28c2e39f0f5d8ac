import { describe, expect, it } from "vitest";

import { formatRelativeTime } from "./relative-time";

const NOW = Date.parse("2026-03-01T12:00:00.000Z");
const SECOND_MS = 1000;
const MINUTE_MS = 60 * SECOND_MS;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

const ago = (milliseconds: number) => formatRelativeTime(new Date(NOW - milliseconds), NOW);

describe("formatRelativeTime", () => {
  it.each([
    ["zero", 0],
    ["30 seconds", 30 * SECOND_MS],
    ["just under 2 minutes", 2 * MINUTE_MS - 1],
  ])("active now at %s", (_case, elapsed) => {
    expect(ago(elapsed)).toBe("Active now");
  });

  it("active now for future date", () => {
    // The server that recorded the activity may run slightly ahead of this clock.
    expect(ago(-30 * SECOND_MS)).toBe("Active now");
  });

  it.each([
    ["exactly 2 minutes", 2 * MINUTE_MS, "2 minutes ago"],
    ["2 minutes 59 seconds", 2 * MINUTE_MS + 59 * SECOND_MS, "2 minutes ago"],
    ["45 minutes", 45 * MINUTE_MS, "45 minutes ago"],
    ["just under 1 hour", HOUR_MS - 1, "59 minutes ago"],
  ])("minutes at %s", (_case, elapsed, expected) => {
    expect(ago(elapsed)).toBe(expected);
  });

  it.each([
    ["exactly 1 hour", HOUR_MS, "1 hour ago"],
    ["just under 2 hours", 2 * HOUR_MS - 1, "1 hour ago"],
    ["5 hours", 5 * HOUR_MS, "5 hours ago"],
    ["just under 1 day", DAY_MS - 1, "23 hours ago"],
  ])("hours at %s", (_case, elapsed, expected) => {
    expect(ago(elapsed)).toBe(expected);
  });

  it.each([
    ["exactly 1 day", DAY_MS, "yesterday"],
    ["just under 2 days", 2 * DAY_MS - 1, "yesterday"],
    ["exactly 2 days", 2 * DAY_MS, "2 days ago"],
    ["45 days", 45 * DAY_MS, "45 days ago"],
  ])("days at %s", (_case, elapsed, expected) => {
    expect(ago(elapsed)).toBe(expected);
  });
});
