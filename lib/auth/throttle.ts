import "server-only";

import { and, eq, sql, type SQL } from "drizzle-orm";

import type { Database } from "../db/client";
import { signInThrottles } from "../db/schema";
import { normalizeIp } from "../device/client-ip";

// Sign-in throttling, shared by every app instance through the sign_in_throttles table.
//
// Each attempt is counted as a failure before its password is checked, in one
// INSERT ... ON CONFLICT DO UPDATE per key that also rejects the attempt while the key is
// locked. Counting first is what makes the limit hold under concurrency: of 50 simultaneous
// guesses, only those admitted before the lock reach the password check. A success then
// takes its count back (`settleSuccessfulAttempt`).

/** How many failures a key may have and how long it is locked after that. */
export interface ThrottlePolicy {
  /** Failures that cause no lock. */
  allowance: number;
  /** Lock after the first failure beyond the allowance; each further failure doubles it. */
  baseLockSeconds: number;
  maxLockSeconds: number;
  /**
   * Failures are forgotten this long after the first failure of the window, or this long
   * after the end of the latest lock when that is later.
   */
  windowSeconds: number;
  /** Whether a success clears the key's failures, or only takes its own attempt back. */
  clearedBySuccess: boolean;
}

const MINUTE_SECONDS = 60;
const HOUR_SECONDS = 60 * MINUTE_SECONDS;

/**
 * Per account. Five failures cover typos and a few remembered passwords. The window is long
 * enough that waiting for a reset gains an attacker little over guessing once per capped
 * lock: after the first hour about one guess per hour, 24 a day. A success clears the count.
 */
export const ACCOUNT_THROTTLE: ThrottlePolicy = {
  allowance: 5,
  baseLockSeconds: MINUTE_SECONDS,
  maxLockSeconds: HOUR_SECONDS,
  windowSeconds: 24 * HOUR_SECONDS,
  clearedBySuccess: true,
};

/**
 * Per client address. An address may be a household, an office or a carrier-grade NAT, so
 * it allows more failures and keeps them for a shorter time. Its job is to slow down one
 * client that tries a few passwords on many accounts, which the per-account limit does not
 * see. A success from the address does not clear it, or an attacker could reset it with an
 * account of their own.
 */
export const IP_THROTTLE: ThrottlePolicy = {
  allowance: 20,
  baseLockSeconds: MINUTE_SECONDS,
  maxLockSeconds: HOUR_SECONDS,
  windowSeconds: 15 * MINUTE_SECONDS,
  clearedBySuccess: false,
};

/** One key that an attempt counts against, with its policy. */
export interface ThrottleLimit {
  key: string;
  policy: ThrottlePolicy;
}

/** Returns the account limit for an email, known or not, compared in lower case. */
export function accountLimit(email: string): ThrottleLimit {
  return { key: `account:${email.trim().toLowerCase()}`, policy: ACCOUNT_THROTTLE };
}

/**
 * Returns the address limit, or null when the request has no usable address. IPv4 counts
 * per address. IPv6 counts per /64, because a single client is usually given a whole /64
 * and can pick any address in it.
 */
export function ipLimit(ip: string | null): ThrottleLimit | null {
  const address = ip === null ? null : normalizeIp(ip);
  if (address === null) return null;
  if (!address.includes(":")) return { key: `ip:${address}`, policy: IP_THROTTLE };
  return { key: `ip:${ipv6Slash64(address)}`, policy: IP_THROTTLE };
}

const IPV6_GROUPS = 8;
const SLASH_64_GROUPS = 4;

// Expects the canonical form from normalizeIp: lower-case hex, no embedded IPv4 part.
function ipv6Slash64(address: string): string {
  const [head = "", tail] = address.split("::");
  const groupsOf = (part: string) => (part === "" ? [] : part.split(":"));
  const left = groupsOf(head);
  const right = tail === undefined ? [] : groupsOf(tail);
  const zeros = new Array<string>(IPV6_GROUPS - left.length - right.length).fill("0");
  const prefix = [...left, ...zeros, ...right].slice(0, SLASH_64_GROUPS);
  // normalizeIp writes the network address in RFC 5952 form, such as 2001:db8::.
  return `${normalizeIp(`${prefix.join(":")}::`)}/64`;
}

/**
 * Returns the lock in seconds that the `failures`-th failure within a window starts: none
 * within the allowance, then the base lock doubling with each failure, up to the maximum.
 */
export function lockSecondsAfter(failures: number, policy: ThrottlePolicy): number {
  const beyond = failures - policy.allowance;
  if (beyond <= 0) return 0;
  const doublings = Math.min(beyond - 1, maxDoublings(policy));
  return Math.min(policy.baseLockSeconds * 2 ** doublings, policy.maxLockSeconds);
}

// More doublings than this reach the maximum anyway; capping the exponent keeps power()
// in SQL from overflowing after thousands of failures.
function maxDoublings(policy: ThrottlePolicy): number {
  return Math.max(0, Math.ceil(Math.log2(policy.maxLockSeconds / policy.baseLockSeconds)));
}

/**
 * Returns the message shown to a throttled user, in whole minutes rounded up, so that a
 * retry at the stated time is never too early.
 */
export function tooManyAttemptsMessage(retryAfterSeconds: number): string {
  const minutes = Math.max(1, Math.ceil(retryAfterSeconds / MINUTE_SECONDS));
  return `Too many attempts. Try again in ${minutes} ${minutes === 1 ? "minute" : "minutes"}.`;
}

/** One key of an admitted attempt, as `settleSuccessfulAttempt` needs it. */
export interface ReservedKey {
  key: string;
  clearedBySuccess: boolean;
  /** The lock this attempt started by counting as a failure, or null. */
  lockedUntil: Date | null;
}

export type AttemptReservation =
  | { admitted: true; keys: ReservedKey[] }
  | {
      admitted: false;
      /** The locked key that rejected the attempt: the first locked one in `limits` order. */
      key: string;
      retryAfterSeconds: number;
      /** True for the first rejection of this lock, which the caller records as an event. */
      firstRejection: boolean;
    };

export interface ThrottleOptions {
  /** The current time; tests pass a fixed one. */
  now?: Date;
}

class KeyLocked extends Error {
  constructor(readonly key: string) {
    super(`Sign-in throttle key is locked: ${key}`);
  }
}

/**
 * Counts an attempt as a failure against every limit before its password is checked, or
 * rejects it when any key is locked. A rejected attempt counts against none of them. Callers
 * check the password only when the attempt is admitted, and call `settleSuccessfulAttempt`
 * when it is correct.
 */
export async function reserveAttempt(
  db: Database,
  limits: ThrottleLimit[],
  options: ThrottleOptions = {},
): Promise<AttemptReservation> {
  const now = options.now ?? new Date();
  try {
    const keys = await db.transaction(async (tx) => {
      const reserved: ReservedKey[] = [];
      // Rows are locked in the order of `limits`. Every caller lists the account key before
      // the address key, so two transactions cannot wait for each other in a cycle.
      for (const limit of limits) {
        const row = await countFailure(tx, limit, now);
        if (!row) throw new KeyLocked(limit.key);
        reserved.push({
          key: limit.key,
          clearedBySuccess: limit.policy.clearedBySuccess,
          lockedUntil: row.lockedUntil,
        });
      }
      return reserved;
    });
    return { admitted: true, keys };
  } catch (error) {
    if (!(error instanceof KeyLocked)) throw error;
    return { admitted: false, key: error.key, ...(await readLock(db, error.key, now)) };
  }
}

// Returns the key's new count and lock, or nothing when the key is locked. Postgres locks
// the conflicting row before it evaluates the DO UPDATE and its WHERE against the latest
// committed version, so concurrent attempts count one after another.
async function countFailure(db: Database, limit: ThrottleLimit, now: Date) {
  const { key, policy } = limit;
  const at = timestamp(now);
  const t = signInThrottles;
  const forgotten = sql`${t.expiresAt} <= ${at}`;
  const failures = sql`(case when ${forgotten} then 1 else ${t.failures} + 1 end)`;
  const doublings = sql`least(
    ${failures} - ${policy.allowance}::integer - 1, ${maxDoublings(policy)}::integer)`;
  const lockSeconds = sql`least(
    ${policy.baseLockSeconds}::double precision * power(2, ${doublings}),
    ${policy.maxLockSeconds}::double precision)`;
  const windowLength = sql`make_interval(secs => ${policy.windowSeconds}::integer)`;
  const lockedUntil = sql`(case when ${failures} > ${policy.allowance}::integer
    then ${at} + make_interval(secs => ${lockSeconds}) end)`;

  const firstLockSeconds = lockSecondsAfter(1, policy);
  const firstLockedUntil = firstLockSeconds > 0 ? addSeconds(now, firstLockSeconds) : null;
  const [row] = await db
    .insert(t)
    .values({
      key,
      failures: 1,
      windowStartedAt: now,
      lockedUntil: firstLockedUntil,
      rejectionRecorded: false,
      expiresAt: addSeconds(firstLockedUntil ?? now, policy.windowSeconds),
    })
    .onConflictDoUpdate({
      target: t.key,
      set: {
        failures: sql`${failures}`,
        windowStartedAt: sql`case when ${forgotten} then ${at} else ${t.windowStartedAt} end`,
        lockedUntil: sql`${lockedUntil}`,
        // A reservation happens only while the key is unlocked, so any lock it sets is new.
        rejectionRecorded: false,
        // Only a lock extends the window. An attempt later settled as a success therefore
        // keeps no older failures alive, unless its count was the one that started a lock.
        expiresAt: sql`greatest(
          case when ${forgotten} then ${at} + ${windowLength} else ${t.expiresAt} end,
          ${lockedUntil} + ${windowLength})`,
      },
      setWhere: sql`${t.lockedUntil} is null or ${t.lockedUntil} <= ${at}`,
    })
    .returning({ failures: t.failures, lockedUntil: t.lockedUntil });
  return row;
}

// Reads how long a key stays locked and marks the first rejection of the lock as recorded.
// The UPDATE locks the row, so exactly one of several concurrent rejections finds the flag
// unset.
async function readLock(db: Database, key: string, now: Date) {
  const t = signInThrottles;
  const [first] = await db
    .update(t)
    .set({ rejectionRecorded: true })
    .where(
      and(
        eq(t.key, key),
        eq(t.rejectionRecorded, false),
        sql`${t.lockedUntil} > ${timestamp(now)}`,
      ),
    )
    .returning({ lockedUntil: t.lockedUntil });
  const lockedUntil = first
    ? first.lockedUntil
    : (await db.select({ lockedUntil: t.lockedUntil }).from(t).where(eq(t.key, key)))[0]
        ?.lockedUntil;
  // The lock may have ended in the moment since the attempt was rejected.
  const remainingMs = lockedUntil ? lockedUntil.getTime() - now.getTime() : 0;
  return {
    retryAfterSeconds: Math.max(1, Math.ceil(remainingMs / 1000)),
    firstRejection: first !== undefined,
  };
}

/**
 * Takes back the failures that an admitted attempt counted, once its password turned out
 * correct: clears an account key completely, and removes only this attempt's count (and a
 * lock that it started) from an address key.
 */
export async function settleSuccessfulAttempt(db: Database, keys: ReservedKey[]): Promise<void> {
  const t = signInThrottles;
  for (const reserved of keys) {
    if (reserved.clearedBySuccess) {
      await db.delete(t).where(eq(t.key, reserved.key));
      continue;
    }
    const ownLock: SQL = reserved.lockedUntil
      ? sql`${t.lockedUntil} = ${timestamp(reserved.lockedUntil)}`
      : sql`false`;
    await db
      .update(t)
      .set({
        failures: sql`greatest(${t.failures} - 1, 0)`,
        lockedUntil: sql`case when ${ownLock} then null else ${t.lockedUntil} end`,
      })
      .where(eq(t.key, reserved.key));
  }
}

// Timestamps go to SQL as ISO text with an explicit cast, which both drivers accept.
function timestamp(date: Date): SQL {
  return sql`${date.toISOString()}::timestamptz`;
}

function addSeconds(date: Date, seconds: number): Date {
  return new Date(date.getTime() + seconds * 1000);
}
