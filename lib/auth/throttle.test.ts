import { randomUUID } from "node:crypto";

import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import { signInThrottles } from "../db/schema";
import { setupTestDatabase } from "../db/test-database";
import {
  ACCOUNT_THROTTLE,
  accountLimit,
  IP_THROTTLE,
  ipLimit,
  lockSecondsAfter,
  reserveAttempt,
  settleSuccessfulAttempt,
  tooManyAttemptsMessage,
  type AttemptReservation,
  type ThrottleLimit,
  type ThrottlePolicy,
} from "./throttle";

const database = setupTestDatabase();

const START = new Date("2026-12-04T10:00:00Z");

function at(seconds: number): Date {
  return new Date(START.getTime() + seconds * 1000);
}

// Keys no other test or earlier run uses, so the files can share one Postgres database.
function accountKey(): ThrottleLimit {
  return { key: `test-account:${randomUUID()}`, policy: ACCOUNT_THROTTLE };
}

function ipKey(): ThrottleLimit {
  return { key: `test-ip:${randomUUID()}`, policy: IP_THROTTLE };
}

async function readRow(key: string) {
  const [row] = await database.db
    .select()
    .from(signInThrottles)
    .where(eq(signInThrottles.key, key));
  return row;
}

async function reserveTimes(limits: ThrottleLimit[], times: number, now: Date) {
  const results: AttemptReservation[] = [];
  for (let i = 0; i < times; i += 1) {
    results.push(await reserveAttempt(database.db, limits, { now }));
  }
  return results;
}

function admitted(reservation: AttemptReservation) {
  if (!reservation.admitted) throw new Error(`attempt rejected by ${reservation.key}`);
  return reservation;
}

function rejected(reservation: AttemptReservation) {
  if (reservation.admitted) throw new Error("attempt admitted, expected a rejection");
  return reservation;
}

describe("accountLimit", () => {
  it("compares emails in lower case", () => {
    expect(accountLimit(" Ada@Example.TEST ").key).toBe("account:ada@example.test");
    expect(accountLimit("ada@example.test").policy).toBe(ACCOUNT_THROTTLE);
  });
});

describe("ipLimit", () => {
  it("keys IPv4 by the exact address", () => {
    expect(ipLimit("203.0.113.7")?.key).toBe("ip:203.0.113.7");
    expect(ipLimit("203.0.113.8")?.key).toBe("ip:203.0.113.8");
    expect(ipLimit("203.0.113.7")?.policy).toBe(IP_THROTTLE);
  });

  it("keys IPv4-mapped IPv6 as IPv4", () => {
    expect(ipLimit("::ffff:203.0.113.7")?.key).toBe("ip:203.0.113.7");
  });

  it("groups IPv6 by /64", () => {
    const key = "ip:2001:db8:1:2::/64";

    expect(ipLimit("2001:db8:1:2::1")?.key).toBe(key);
    expect(ipLimit("2001:db8:1:2:aaaa:bbbb:cccc:dddd")?.key).toBe(key);
    expect(ipLimit("2001:DB8:1:2:0:0:0:ffff")?.key).toBe(key);
    expect(ipLimit("2001:db8:1:3::1")?.key).toBe("ip:2001:db8:1:3::/64");
    expect(ipLimit("2001:db8::1")?.key).toBe("ip:2001:db8::/64");
    expect(ipLimit("fe80::1:2:3:4")?.key).toBe("ip:fe80::/64");
  });

  it("returns null without a usable address", () => {
    expect(ipLimit(null)).toBeNull();
    expect(ipLimit("not an address")).toBeNull();
  });
});

describe("lockSecondsAfter", () => {
  it("locks nothing within the allowance", () => {
    for (let failures = 0; failures <= ACCOUNT_THROTTLE.allowance; failures += 1) {
      expect(lockSecondsAfter(failures, ACCOUNT_THROTTLE)).toBe(0);
    }
  });

  it("doubles each failure up to the cap", () => {
    const locks = [6, 7, 8, 9, 10, 11, 12, 13].map((n) => lockSecondsAfter(n, ACCOUNT_THROTTLE));

    expect(locks).toEqual([60, 120, 240, 480, 960, 1920, 3600, 3600]);
    expect(lockSecondsAfter(1_000_000, ACCOUNT_THROTTLE)).toBe(3600);
  });

  it("starts after the address allowance", () => {
    expect(lockSecondsAfter(20, IP_THROTTLE)).toBe(0);
    expect(lockSecondsAfter(21, IP_THROTTLE)).toBe(60);
  });
});

describe("tooManyAttemptsMessage", () => {
  it.each([
    [0, "Too many attempts. Try again in 1 minute."],
    [1, "Too many attempts. Try again in 1 minute."],
    [60, "Too many attempts. Try again in 1 minute."],
    [61, "Too many attempts. Try again in 2 minutes."],
    [240, "Too many attempts. Try again in 4 minutes."],
    [3600, "Too many attempts. Try again in 60 minutes."],
  ])("words %i seconds", (seconds, message) => {
    expect(tooManyAttemptsMessage(seconds)).toBe(message);
  });
});

describe("reserveAttempt", () => {
  it("admits the allowance and one more", async () => {
    const limit = accountKey();

    const results = await reserveTimes([limit], 6, START);

    expect(results.every((result) => result.admitted)).toBe(true);
    const row = await readRow(limit.key);
    expect(row?.failures).toBe(6);
    expect(row?.lockedUntil).toEqual(at(60));
  });

  it("locks nothing within the allowance", async () => {
    const limit = accountKey();

    const [, , , , fifth] = await reserveTimes([limit], 5, START);

    expect(admitted(fifth!).keys).toEqual([
      { key: limit.key, clearedBySuccess: true, lockedUntil: null },
    ]);
    expect((await readRow(limit.key))?.lockedUntil).toBeNull();
  });

  it("rejects while locked without counting", async () => {
    const limit = accountKey();
    await reserveTimes([limit], 6, START);

    const during = rejected(await reserveAttempt(database.db, [limit], { now: at(30) }));
    const lastSecond = rejected(await reserveAttempt(database.db, [limit], { now: at(59.5) }));

    expect(during.key).toBe(limit.key);
    expect(during.retryAfterSeconds).toBe(30);
    expect(lastSecond.retryAfterSeconds).toBe(1);
    expect((await readRow(limit.key))?.failures).toBe(6);
  });

  it("doubles the lock with each failure", async () => {
    const limit = accountKey();
    await reserveTimes([limit], 6, START);
    const locks: Array<Date | null> = [];
    let now = START;

    for (let i = 0; i < 3; i += 1) {
      now = (await readRow(limit.key))?.lockedUntil ?? now;
      const result = admitted(await reserveAttempt(database.db, [limit], { now }));
      locks.push(result.keys[0]?.lockedUntil ?? null);
    }

    expect(locks).toEqual([at(60 + 120), at(180 + 240), at(420 + 480)]);
  });

  it("caps the lock at an hour", async () => {
    const limit = accountKey();
    const lockSeconds: number[] = [];
    let now = START;

    // Each attempt comes the moment the previous lock ends.
    for (let i = 0; i < 14; i += 1) {
      const result = admitted(await reserveAttempt(database.db, [limit], { now }));
      const lockedUntil = result.keys[0]?.lockedUntil ?? now;
      lockSeconds.push((lockedUntil.getTime() - now.getTime()) / 1000);
      now = lockedUntil;
    }

    expect(lockSeconds).toEqual([0, 0, 0, 0, 0, 60, 120, 240, 480, 960, 1920, 3600, 3600, 3600]);
    expect((await readRow(limit.key))?.failures).toBe(14);
  });

  it("forgets failures after the window", async () => {
    const limit = accountKey();
    await reserveTimes([limit], 6, START);
    const lockEnd = 60;
    const windowEnd = lockEnd + ACCOUNT_THROTTLE.windowSeconds;

    admitted(await reserveAttempt(database.db, [limit], { now: at(windowEnd - 1) }));
    expect((await readRow(limit.key))?.failures).toBe(7);

    const later = at(windowEnd - 1 + 120 + ACCOUNT_THROTTLE.windowSeconds);
    admitted(await reserveAttempt(database.db, [limit], { now: later }));
    const row = await readRow(limit.key);
    expect(row?.failures).toBe(1);
    expect(row?.windowStartedAt).toEqual(later);
    expect(row?.lockedUntil).toBeNull();
  });

  it("forgets the window without a lock", async () => {
    const limit = ipKey();
    const window = IP_THROTTLE.windowSeconds;
    await reserveTimes([limit], 3, START);
    await reserveTimes([limit], 3, at(window - 1));

    admitted(await reserveAttempt(database.db, [limit], { now: at(window) }));

    const row = await readRow(limit.key);
    expect(row?.failures).toBe(1);
    expect(row?.windowStartedAt).toEqual(at(window));
  });

  it("keeps no failures alive through successes", async () => {
    const limit = ipKey();
    const window = IP_THROTTLE.windowSeconds;
    await reserveTimes([limit], 3, START);
    const success = admitted(await reserveAttempt(database.db, [limit], { now: at(window - 1) }));
    await settleSuccessfulAttempt(database.db, success.keys);

    admitted(await reserveAttempt(database.db, [limit], { now: at(window) }));

    expect((await readRow(limit.key))?.failures).toBe(1);
  });

  it("reports the first rejection of each lock", async () => {
    const limit = accountKey();
    await reserveTimes([limit], 6, START);

    const first = rejected(await reserveAttempt(database.db, [limit], { now: at(1) }));
    const second = rejected(await reserveAttempt(database.db, [limit], { now: at(2) }));
    admitted(await reserveAttempt(database.db, [limit], { now: at(60) }));
    const nextLock = rejected(await reserveAttempt(database.db, [limit], { now: at(61) }));

    expect(first.firstRejection).toBe(true);
    expect(second.firstRejection).toBe(false);
    expect(nextLock.firstRejection).toBe(true);
  });

  it("counts nothing when a later key is locked", async () => {
    const account = accountKey();
    const ip = ipKey();
    await reserveTimes([ip], 21, START);

    const result = rejected(await reserveAttempt(database.db, [account, ip], { now: at(1) }));

    expect(result.key).toBe(ip.key);
    expect(result.retryAfterSeconds).toBe(59);
    expect(await readRow(account.key)).toBeUndefined();
    expect((await readRow(ip.key))?.failures).toBe(21);
  });

  it("rejects on the first locked key", async () => {
    const account = accountKey();
    const ip = ipKey();
    await reserveTimes([account], 6, START);

    const result = rejected(await reserveAttempt(database.db, [account, ip], { now: at(1) }));

    expect(result.key).toBe(account.key);
    expect(await readRow(ip.key)).toBeUndefined();
  });

  it("counts 50 concurrent attempts exactly", async () => {
    const roomy: ThrottlePolicy = { ...ACCOUNT_THROTTLE, allowance: 100 };
    const limit = { key: `test-account:${randomUUID()}`, policy: roomy };

    const results = await Promise.all(
      Array.from({ length: 50 }, () => reserveAttempt(database.db, [limit], { now: START })),
    );

    expect(results.filter((result) => result.admitted)).toHaveLength(50);
    expect((await readRow(limit.key))?.failures).toBe(50);
  });

  it("admits exactly the allowance plus one concurrently", async () => {
    const account = accountKey();
    const ip = ipKey();

    const results = await Promise.all(
      Array.from({ length: 50 }, () => reserveAttempt(database.db, [account, ip], { now: START })),
    );

    expect(results.filter((result) => result.admitted)).toHaveLength(6);
    expect(results.filter((result) => !result.admitted && result.firstRejection)).toHaveLength(1);
    expect((await readRow(account.key))?.failures).toBe(6);
    expect((await readRow(ip.key))?.failures).toBe(6);
  });
});

describe("settleSuccessfulAttempt", () => {
  it("clears the account key", async () => {
    const account = accountKey();
    await reserveTimes([account], 4, START);
    const success = admitted(await reserveAttempt(database.db, [account], { now: at(1) }));

    await settleSuccessfulAttempt(database.db, success.keys);

    expect(await readRow(account.key)).toBeUndefined();
    const next = await reserveTimes([account], 5, at(2));
    expect(next.every((result) => result.admitted)).toBe(true);
    expect((await readRow(account.key))?.lockedUntil).toBeNull();
  });

  it("takes back only its own address count", async () => {
    const ip = ipKey();
    await reserveTimes([ip], 3, START);
    const success = admitted(await reserveAttempt(database.db, [ip], { now: at(1) }));

    await settleSuccessfulAttempt(database.db, success.keys);

    expect((await readRow(ip.key))?.failures).toBe(3);
  });

  it("lifts an address lock it started", async () => {
    const ip = ipKey();
    await reserveTimes([ip], 20, START);
    const success = admitted(await reserveAttempt(database.db, [ip], { now: at(1) }));
    expect(success.keys[0]?.lockedUntil).toEqual(at(61));

    await settleSuccessfulAttempt(database.db, success.keys);

    const row = await readRow(ip.key);
    expect(row?.failures).toBe(20);
    expect(row?.lockedUntil).toBeNull();
  });

  it("keeps an address lock another attempt started", async () => {
    const ip = ipKey();
    await reserveTimes([ip], 19, START);
    const success = admitted(await reserveAttempt(database.db, [ip], { now: at(1) }));
    const failure = admitted(await reserveAttempt(database.db, [ip], { now: at(2) }));

    await settleSuccessfulAttempt(database.db, success.keys);

    const row = await readRow(ip.key);
    expect(row?.failures).toBe(20);
    expect(row?.lockedUntil).toEqual(failure.keys[0]?.lockedUntil);
  });
});
