import "server-only";

import { log } from "../log";

// Errors that mean "the database cannot be reached right now", as opposed to a bug in a
// query or a constraint violation. Callers respond to these with 503 and let the client retry.

/** Node.js socket and DNS errors seen when the server or the network is down. */
const NETWORK_ERROR_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "EHOSTDOWN",
  "ENETUNREACH",
  "ENETDOWN",
  "EPIPE",
  "EAI_AGAIN",
  "ENOTFOUND",
]);

/** postgres.js 4.2 error codes for connections that failed, were lost or timed out. */
const DRIVER_ERROR_CODES = new Set([
  "CONNECT_TIMEOUT",
  "CONNECTION_CLOSED",
  "CONNECTION_DESTROYED",
  "QUEUE_TIMEOUT",
  "QUERY_TIMEOUT",
  "CANCEL_UNANSWERED",
]);

/**
 * SQLSTATE codes outside class 08 (connection exception) that mean the server is shutting
 * down, starting up, out of connections or cancelled a statement at `statement_timeout`.
 */
const UNAVAILABLE_SQLSTATES = new Set([
  "57P01", // admin_shutdown, e.g. `pg_ctl stop -m fast`
  "57P02", // crash_shutdown
  "57P03", // cannot_connect_now: starting up or in recovery
  "57P05", // idle_session_timeout
  "57014", // query_canceled, which statement_timeout raises
  "53300", // too_many_connections
]);

/** Nested errors are followed this deep: Drizzle wraps driver errors in `cause`. */
const MAX_CAUSE_DEPTH = 5;

/**
 * Returns true when `error`, or an error in its `cause` chain, means the database is
 * unreachable or too slow to respond: connection refused or lost, a timeout, or a server
 * shutting down. Query mistakes and constraint violations return false.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  return findUnavailableCause(error) !== undefined;
}

interface CodedError {
  code: string;
  message: string;
}

function findUnavailableCause(error: unknown, depth = 0): CodedError | undefined {
  if (depth > MAX_CAUSE_DEPTH || typeof error !== "object" || error === null) return undefined;
  const { code, message, cause, errors } = error as {
    code?: unknown;
    message?: unknown;
    cause?: unknown;
    errors?: unknown;
  };
  if (typeof code === "string" && isUnavailableCode(code)) {
    return { code, message: typeof message === "string" ? message : "" };
  }
  const nested = findUnavailableCause(cause, depth + 1);
  if (nested) return nested;
  // Node.js reports a failed connection to every address of a host as one AggregateError.
  if (Array.isArray(errors)) {
    for (const inner of errors) {
      const found = findUnavailableCause(inner, depth + 1);
      if (found) return found;
    }
  }
  return undefined;
}

function isUnavailableCode(code: string): boolean {
  if (NETWORK_ERROR_CODES.has(code) || DRIVER_ERROR_CODES.has(code)) return true;
  // Class 08: connection exceptions (08000, 08001, 08003, 08004, 08006 ...).
  if (/^08[0-9A-Z]{3}$/.test(code)) return true;
  return UNAVAILABLE_SQLSTATES.has(code);
}

/** During an outage every request fails the same way, so at most one report per interval. */
export const UNAVAILABLE_REPORT_INTERVAL_MS = 30_000;

interface OutageState {
  /** `Date.now()` of the last report written, or null while the database is reachable. */
  lastReportAt: number | null;
  /** Failures since the last report that were counted but not written. */
  unreported: number;
  /** Failures since the outage was first noticed. */
  total: number;
  firstFailureAt: number;
}

const outage: OutageState = { lastReportAt: null, unreported: 0, total: 0, firstFailureAt: 0 };

/**
 * Logs that the database could not be reached while doing `operation`, rate-limited: the
 * first failure of an outage is logged at once, later ones at most once per
 * UNAVAILABLE_REPORT_INTERVAL_MS with the number of failures since the previous line. Logs
 * the driver's error code and message only, because Drizzle's wrapping error repeats the
 * query parameters, which can include a session secret's hash.
 */
export function reportDatabaseUnavailable(
  error: unknown,
  operation: string,
  now = Date.now(),
): void {
  const cause = findUnavailableCause(error);
  outage.total += 1;
  if (outage.lastReportAt === null) outage.firstFailureAt = now;
  if (outage.lastReportAt !== null && now - outage.lastReportAt < UNAVAILABLE_REPORT_INTERVAL_MS) {
    outage.unreported += 1;
    return;
  }
  log.error(
    {
      operation,
      code: cause?.code,
      cause: cause?.message,
      failuresSinceLastReport: outage.unreported + 1,
      failuresInOutage: outage.total,
    },
    "database unavailable",
  );
  outage.lastReportAt = now;
  outage.unreported = 0;
}

/** Logs the end of an outage once, after a database call succeeded again. */
export function reportDatabaseAvailable(now = Date.now()): void {
  if (outage.lastReportAt === null) return;
  log.warn(
    {
      failuresInOutage: outage.total,
      outageSeconds: Math.round((now - outage.firstFailureAt) / 1000),
    },
    "database reachable again",
  );
  outage.lastReportAt = null;
  outage.unreported = 0;
  outage.total = 0;
}
