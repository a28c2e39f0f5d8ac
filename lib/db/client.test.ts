import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import { isDatabaseUnavailable } from "./availability";
import {
  DEFAULT_POOL_SETTINGS,
  openDatabase,
  readPoolSettings,
  type DatabaseHandle,
} from "./client";
import { findClosedPort } from "./unreachable-database";

const SERVER_URL = process.env.DATABASE_URL;

/** DATABASE_URL with extra query parameters. */
function serverUrlWith(parameters: Record<string, string>): string {
  const url = new URL(SERVER_URL ?? "");
  for (const [name, value] of Object.entries(parameters)) url.searchParams.set(name, value);
  return url.toString();
}

async function failureOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error("Expected the database call to fail, but it succeeded.");
    },
    (error: unknown) => error,
  );
}

/** Returns the first row of a query on a Postgres server, where postgres.js returns an array. */
async function firstRow(handle: DatabaseHandle, query: ReturnType<typeof sql>) {
  const rows = (await handle.db.execute(query)) as unknown as Record<string, unknown>[];
  return rows[0];
}

async function withServer<T>(url: string, body: (handle: DatabaseHandle) => Promise<T>) {
  const handle = await openDatabase({ databaseUrl: url, pgliteDataDir: "memory://" });
  try {
    return await body(handle);
  } finally {
    await handle.close();
  }
}

describe("readPoolSettings", () => {
  it("uses bounded defaults", () => {
    expect(readPoolSettings("postgres://app@db.internal/tessera")).toEqual({
      max: 10,
      connect_timeout: 5,
      idle_timeout: 30,
      queue_timeout: 5,
      query_timeout: 10,
    });
  });

  it("takes values from the query string", () => {
    const settings = readPoolSettings(
      "postgres://app@db.internal/tessera?max=25&connect_timeout=2&sslmode=require",
    );
    expect(settings.max).toBe(25);
    expect(settings.connect_timeout).toBe(2);
    expect(settings.idle_timeout).toBe(DEFAULT_POOL_SETTINGS.idle_timeout);
  });

  it.each([
    ["max=0", /parameter max must be a whole number of at least 1, got "0"/],
    ["connect_timeout=soon", /parameter connect_timeout must be .* got "soon"/],
    ["query_timeout=1.5", /parameter query_timeout must be .* got "1.5"/],
    ["idle_timeout=", /parameter idle_timeout must be .* got ""/],
  ])("rejects %s", (query, message) => {
    expect(() => readPoolSettings(`postgres://app@db.internal/tessera?${query}`)).toThrow(message);
  });
});

describe("openDatabase outage", () => {
  it("fails as unavailable when refused", async () => {
    const port = await findClosedPort();
    const error = await failureOf(
      openDatabase({
        databaseUrl: `postgres://postgres@127.0.0.1:${port}/tessera`,
        pgliteDataDir: "memory://",
      }),
    );
    expect(isDatabaseUnavailable(error)).toBe(true);
  });
});

describe.skipIf(!SERVER_URL)("openDatabase on a Postgres server", () => {
  it("sets a statement timeout", async () => {
    await withServer(SERVER_URL ?? "", async (handle) => {
      const row = await firstRow(handle, sql`show statement_timeout`);
      expect(row?.statement_timeout).toBe("5s");
    });
  });

  it("times out a slow statement", async () => {
    await withServer(serverUrlWith({ statement_timeout: "200" }), async ({ db }) => {
      const error = await failureOf(db.execute(sql`select pg_sleep(2)`));
      expect(isDatabaseUnavailable(error)).toBe(true);
    });
  });

  it("reconnects after a terminated connection", async () => {
    await withServer(serverUrlWith({ max: "1" }), async (handle) => {
      // The server ends the connection with 57P01, as it does to every client when it
      // shuts down.
      const error = await failureOf(
        handle.db.execute(sql`select pg_terminate_backend(pg_backend_pid())`),
      );
      expect(isDatabaseUnavailable(error)).toBe(true);

      const row = await firstRow(handle, sql`select 1 as answer`);
      expect(row?.answer).toBe(1);
    });
  });
});
