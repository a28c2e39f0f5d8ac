import { sql } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from "vitest";

import { log } from "../log";
import {
  isDatabaseUnavailable,
  reportDatabaseAvailable,
  reportDatabaseUnavailable,
  UNAVAILABLE_REPORT_INTERVAL_MS,
} from "./availability";
import { openUnreachableDatabase } from "./unreachable-database";

function codedError(code: string, message = `failed with ${code}`): Error {
  return Object.assign(new Error(message), { code });
}

describe("isDatabaseUnavailable", () => {
  it("recognises a refused connection", async () => {
    const handle = await openUnreachableDatabase();
    try {
      const error = await handle.db.execute(sql`select 1`).then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(Error);
      expect(isDatabaseUnavailable(error)).toBe(true);
    } finally {
      await handle.close();
    }
  });

  it.each([
    ["refused connection", "ECONNREFUSED"],
    ["reset connection", "ECONNRESET"],
    ["unreachable host", "EHOSTUNREACH"],
    ["connect timeout", "CONNECT_TIMEOUT"],
    ["lost connection", "CONNECTION_CLOSED"],
    ["pool queue timeout", "QUEUE_TIMEOUT"],
    ["client query timeout", "QUERY_TIMEOUT"],
    ["admin shutdown", "57P01"],
    ["server starting up", "57P03"],
    ["statement timeout", "57014"],
    ["connection failure", "08006"],
    ["rejected connection", "08004"],
    ["too many connections", "53300"],
  ])("accepts a %s", (_case, code) => {
    expect(isDatabaseUnavailable(codedError(code))).toBe(true);
  });

  it.each([
    ["unique violation", "23505"],
    ["undefined table", "42P01"],
    ["syntax error", "42601"],
    ["invalid text", "22P02"],
    ["serialization failure", "40001"],
    ["Node.js argument error", "ERR_INVALID_ARG_TYPE"],
  ])("rejects a %s", (_case, code) => {
    expect(isDatabaseUnavailable(codedError(code))).toBe(false);
  });

  it("rejects values without a code", () => {
    expect(isDatabaseUnavailable(new Error("boom"))).toBe(false);
    expect(isDatabaseUnavailable(null)).toBe(false);
    expect(isDatabaseUnavailable("ECONNREFUSED")).toBe(false);
  });

  it("follows the cause chain", () => {
    const wrapped = new Error("Failed query: select 1", { cause: codedError("57P01") });
    expect(isDatabaseUnavailable(wrapped)).toBe(true);
  });

  it("looks inside an AggregateError", () => {
    const aggregate = new AggregateError([codedError("ECONNREFUSED")], "connect failed");
    expect(isDatabaseUnavailable(aggregate)).toBe(true);
  });

  it("stops at a cause cycle", () => {
    const first = new Error("first");
    const second = new Error("second", { cause: first });
    first.cause = second;
    expect(isDatabaseUnavailable(first)).toBe(false);
  });
});

describe("reportDatabaseUnavailable", () => {
  let spies: MockInstance[] = [];

  /** Replaces a log method with a spy that writes nothing. */
  function captureLog(level: "error" | "warn") {
    const spy = vi.spyOn(log, level).mockImplementation(() => {});
    spies.push(spy);
    return spy;
  }

  beforeEach(() => {
    // Ends any outage an earlier test left open, so each test starts from a reachable state.
    reportDatabaseAvailable();
  });

  afterEach(() => {
    for (const spy of spies) spy.mockRestore();
    spies = [];
    reportDatabaseAvailable();
  });

  it("logs once per interval with a count", () => {
    const errors = captureLog("error");
    const start = 1_000_000;

    reportDatabaseUnavailable(codedError("ECONNREFUSED"), "token refresh", start);
    reportDatabaseUnavailable(codedError("ECONNREFUSED"), "token refresh", start + 1_000);
    reportDatabaseUnavailable(codedError("ECONNREFUSED"), "token refresh", start + 2_000);
    expect(errors).toHaveBeenCalledTimes(1);

    reportDatabaseUnavailable(
      codedError("ECONNREFUSED"),
      "token refresh",
      start + UNAVAILABLE_REPORT_INTERVAL_MS,
    );
    expect(errors).toHaveBeenCalledTimes(2);
    expect(errors.mock.calls[1]?.[0]).toMatchObject({
      operation: "token refresh",
      code: "ECONNREFUSED",
      failuresSinceLastReport: 3,
      failuresInOutage: 4,
    });
  });

  it("logs the recovery once", () => {
    captureLog("error");
    const warnings = captureLog("warn");

    reportDatabaseUnavailable(codedError("57P01"), "token refresh", 0);
    reportDatabaseUnavailable(codedError("ECONNREFUSED"), "token refresh", 5_000);
    reportDatabaseAvailable(40_000);
    reportDatabaseAvailable(41_000);

    expect(warnings).toHaveBeenCalledTimes(1);
    expect(warnings.mock.calls[0]?.[0]).toEqual({ failuresInOutage: 2, outageSeconds: 40 });
  });

  it("logs no query parameters", () => {
    const errors = captureLog("error");
    const wrapped = new Error("Failed query: update sessions ...\nparams: hash-of-the-secret", {
      cause: codedError("ECONNREFUSED", "connect ECONNREFUSED 127.0.0.1:5432"),
    });

    reportDatabaseUnavailable(wrapped, "token refresh", 0);

    const logged = JSON.stringify(errors.mock.calls[0]?.[0]);
    expect(logged).toContain("connect ECONNREFUSED 127.0.0.1:5432");
    expect(logged).not.toContain("hash-of-the-secret");
  });
});
