import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

import {
  effectiveLimits,
  evaluateSession,
  type OrganizationLimits,
  type SessionLimits,
} from "./session-policy";

// Every time below is a fixed Date. The system clock is frozen far from them, so a function
// that read the clock instead of its `now` argument would fail these tests.
beforeAll(() => {
  vi.useFakeTimers({ now: new Date("2099-06-15T12:00:00.000Z") });
});
afterAll(() => {
  vi.useRealTimers();
});

const SECOND_MS = 1000;
const HOUR_SECONDS = 60 * 60;
const DAY_SECONDS = 24 * HOUR_SECONDS;

const CREATED_AT = new Date("2030-01-01T00:00:00.000Z");
const APP: SessionLimits = {
  absoluteTimeoutSeconds: 8 * HOUR_SECONDS,
  idleTimeoutSeconds: 30 * 60,
};

function addMs(date: Date, ms: number): Date {
  return new Date(date.getTime() + ms);
}

interface PolicyCase {
  name: string;
  organization: OrganizationLimits | null;
  /** Written out by hand, not computed, so the table checks effectiveLimits. */
  expected: SessionLimits;
}

const POLICY_CASES: PolicyCase[] = [
  {
    name: "no active organization",
    organization: null,
    expected: { absoluteTimeoutSeconds: 28_800, idleTimeoutSeconds: 1_800 },
  },
  {
    name: "organization without limits",
    organization: { absoluteTimeoutSeconds: null, idleTimeoutSeconds: null },
    expected: { absoluteTimeoutSeconds: 28_800, idleTimeoutSeconds: 1_800 },
  },
  {
    name: "organization stricter on both",
    organization: { absoluteTimeoutSeconds: 3_600, idleTimeoutSeconds: 300 },
    expected: { absoluteTimeoutSeconds: 3_600, idleTimeoutSeconds: 300 },
  },
  {
    name: "organization looser on both",
    organization: { absoluteTimeoutSeconds: DAY_SECONDS, idleTimeoutSeconds: 2 * HOUR_SECONDS },
    expected: { absoluteTimeoutSeconds: 28_800, idleTimeoutSeconds: 1_800 },
  },
  {
    name: "organization equal to the app",
    organization: { absoluteTimeoutSeconds: 28_800, idleTimeoutSeconds: 1_800 },
    expected: { absoluteTimeoutSeconds: 28_800, idleTimeoutSeconds: 1_800 },
  },
  {
    name: "only a stricter absolute limit",
    organization: { absoluteTimeoutSeconds: 3_600, idleTimeoutSeconds: null },
    expected: { absoluteTimeoutSeconds: 3_600, idleTimeoutSeconds: 1_800 },
  },
  {
    name: "only a stricter idle limit",
    organization: { absoluteTimeoutSeconds: null, idleTimeoutSeconds: 300 },
    expected: { absoluteTimeoutSeconds: 28_800, idleTimeoutSeconds: 300 },
  },
  {
    name: "only a looser absolute limit",
    organization: { absoluteTimeoutSeconds: DAY_SECONDS, idleTimeoutSeconds: null },
    expected: { absoluteTimeoutSeconds: 28_800, idleTimeoutSeconds: 1_800 },
  },
  {
    name: "only a looser idle limit",
    organization: { absoluteTimeoutSeconds: null, idleTimeoutSeconds: 2 * HOUR_SECONDS },
    expected: { absoluteTimeoutSeconds: 28_800, idleTimeoutSeconds: 1_800 },
  },
  {
    name: "stricter absolute, looser idle",
    organization: { absoluteTimeoutSeconds: 3_600, idleTimeoutSeconds: 2 * HOUR_SECONDS },
    expected: { absoluteTimeoutSeconds: 3_600, idleTimeoutSeconds: 1_800 },
  },
  {
    name: "looser absolute, stricter idle",
    organization: { absoluteTimeoutSeconds: DAY_SECONDS, idleTimeoutSeconds: 300 },
    expected: { absoluteTimeoutSeconds: 28_800, idleTimeoutSeconds: 300 },
  },
  {
    name: "organization limits of a few seconds",
    organization: { absoluteTimeoutSeconds: 2, idleTimeoutSeconds: 1 },
    expected: { absoluteTimeoutSeconds: 2, idleTimeoutSeconds: 1 },
  },
];

describe("effectiveLimits", () => {
  it.each(POLICY_CASES)("$name", ({ organization, expected }) => {
    expect(effectiveLimits(APP, organization)).toEqual(expected);
  });

  it("leaves its arguments unchanged", () => {
    const app = { ...APP };
    const organization = { absoluteTimeoutSeconds: 60, idleTimeoutSeconds: null };
    effectiveLimits(app, organization);

    expect(app).toEqual(APP);
    expect(organization).toEqual({ absoluteTimeoutSeconds: 60, idleTimeoutSeconds: null });
  });
});

/**
 * How a session's last activity sits relative to its limits. Each shape places the last
 * activity from the limits of a case and states which deadline comes first.
 */
interface SessionShape {
  name: string;
  lastActiveOffsetMs(limits: SessionLimits): number;
  reason: "absolute_timeout" | "idle_timeout";
}

const SHAPES: SessionShape[] = [
  {
    name: "never active after sign-in",
    lastActiveOffsetMs: () => 0,
    reason: "idle_timeout",
  },
  {
    name: "idle deadline 1 ms before the absolute one",
    lastActiveOffsetMs: (limits) =>
      (limits.absoluteTimeoutSeconds - limits.idleTimeoutSeconds) * SECOND_MS - 1,
    reason: "idle_timeout",
  },
  {
    name: "both deadlines at the same instant",
    lastActiveOffsetMs: (limits) =>
      (limits.absoluteTimeoutSeconds - limits.idleTimeoutSeconds) * SECOND_MS,
    reason: "absolute_timeout",
  },
  {
    name: "absolute deadline 1 ms before the idle one",
    lastActiveOffsetMs: (limits) =>
      (limits.absoluteTimeoutSeconds - limits.idleTimeoutSeconds) * SECOND_MS + 1,
    reason: "absolute_timeout",
  },
  {
    name: "active right up to the absolute deadline",
    lastActiveOffsetMs: (limits) => limits.absoluteTimeoutSeconds * SECOND_MS - 1,
    reason: "absolute_timeout",
  },
];

const BOUNDARY_CASES = POLICY_CASES.flatMap((policy) =>
  SHAPES.map((shape) => {
    const limits = policy.expected;
    const lastActiveAt = addMs(CREATED_AT, shape.lastActiveOffsetMs(limits));
    const absoluteDeadline = addMs(CREATED_AT, limits.absoluteTimeoutSeconds * SECOND_MS);
    const idleDeadline = addMs(lastActiveAt, limits.idleTimeoutSeconds * SECOND_MS);
    const endedAt = shape.reason === "absolute_timeout" ? absoluteDeadline : idleDeadline;
    const laterDeadline = shape.reason === "absolute_timeout" ? idleDeadline : absoluteDeadline;
    return {
      name: `${policy.name}, ${shape.name}`,
      policy,
      times: { createdAt: CREATED_AT, lastActiveAt },
      absoluteDeadline,
      idleDeadline,
      reason: shape.reason,
      endedAt,
      laterDeadline,
    };
  }),
);

describe("evaluateSession", () => {
  describe.each(BOUNDARY_CASES)("$name", (testCase) => {
    const limits = effectiveLimits(APP, testCase.policy.organization);

    it("is live 1 ms before the first deadline", () => {
      const verdict = evaluateSession(testCase.times, limits, addMs(testCase.endedAt, -1));

      expect(verdict).toEqual({
        live: true,
        absoluteDeadline: testCase.absoluteDeadline,
        idleDeadline: testCase.idleDeadline,
      });
    });

    it("is over exactly at the first deadline", () => {
      const verdict = evaluateSession(testCase.times, limits, testCase.endedAt);

      expect(verdict).toEqual({ live: false, reason: testCase.reason, endedAt: testCase.endedAt });
    });

    it("is over 1 ms after the first deadline", () => {
      const verdict = evaluateSession(testCase.times, limits, addMs(testCase.endedAt, 1));

      expect(verdict).toEqual({ live: false, reason: testCase.reason, endedAt: testCase.endedAt });
    });

    it("keeps the first reason past both deadlines", () => {
      for (const now of [
        testCase.laterDeadline,
        addMs(testCase.laterDeadline, 1),
        addMs(testCase.laterDeadline, 365 * DAY_SECONDS * SECOND_MS),
      ]) {
        const verdict = evaluateSession(testCase.times, limits, now);
        expect(verdict).toEqual({
          live: false,
          reason: testCase.reason,
          endedAt: testCase.endedAt,
        });
      }
    });
  });

  // Spot checks with every instant written out, independent of the generated table above.
  const LITERAL_CASES = [
    {
      name: "idle limit reached first",
      lastActiveAt: "2030-01-01T01:00:00.000Z",
      limits: APP,
      now: "2030-01-01T01:30:00.000Z",
      expected: { live: false, reason: "idle_timeout", endedAt: "2030-01-01T01:30:00.000Z" },
    },
    {
      name: "absolute limit reached first",
      lastActiveAt: "2030-01-01T07:40:00.000Z",
      limits: APP,
      now: "2030-01-01T08:00:00.000Z",
      expected: { live: false, reason: "absolute_timeout", endedAt: "2030-01-01T08:00:00.000Z" },
    },
    {
      name: "absolute limit wins a tie",
      lastActiveAt: "2030-01-01T07:30:00.000Z",
      limits: APP,
      now: "2030-01-02T00:00:00.000Z",
      expected: { live: false, reason: "absolute_timeout", endedAt: "2030-01-01T08:00:00.000Z" },
    },
    {
      name: "earlier idle deadline ends it",
      lastActiveAt: "2030-01-01T00:10:00.000Z",
      limits: APP,
      now: "2030-01-01T09:00:00.000Z",
      expected: { live: false, reason: "idle_timeout", endedAt: "2030-01-01T00:40:00.000Z" },
    },
    {
      name: "organization idle limit of five minutes",
      lastActiveAt: "2030-01-01T02:00:00.000Z",
      limits: effectiveLimits(APP, { absoluteTimeoutSeconds: null, idleTimeoutSeconds: 300 }),
      now: "2030-01-01T02:05:00.000Z",
      expected: { live: false, reason: "idle_timeout", endedAt: "2030-01-01T02:05:00.000Z" },
    },
    {
      name: "organization absolute limit of one hour",
      lastActiveAt: "2030-01-01T00:59:00.000Z",
      limits: effectiveLimits(APP, { absoluteTimeoutSeconds: 3_600, idleTimeoutSeconds: null }),
      now: "2030-01-01T01:00:00.000Z",
      expected: { live: false, reason: "absolute_timeout", endedAt: "2030-01-01T01:00:00.000Z" },
    },
    {
      name: "live 1 ms before the idle deadline",
      lastActiveAt: "2030-01-01T05:00:00.000Z",
      limits: APP,
      now: "2030-01-01T05:29:59.999Z",
      expected: {
        live: true,
        absoluteDeadline: "2030-01-01T08:00:00.000Z",
        idleDeadline: "2030-01-01T05:30:00.000Z",
      },
    },
  ] as const;

  it.each(LITERAL_CASES)("$name", ({ lastActiveAt, limits, now, expected }) => {
    const verdict = evaluateSession(
      { createdAt: CREATED_AT, lastActiveAt: new Date(lastActiveAt) },
      limits,
      new Date(now),
    );

    expect(JSON.parse(JSON.stringify(verdict))).toEqual(expected);
  });
});
