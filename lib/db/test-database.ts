// Database for integration tests: a fresh in-memory PGlite per test file, or the Postgres
// server in DATABASE_URL. Tests create their own users with unique emails, so files can
// share one Postgres database without cleaning up after each other.

import { randomBytes } from "node:crypto";

import { afterAll, beforeAll } from "vitest";

import { openDatabase, setDatabaseForTests, type Database, type DatabaseHandle } from "./client";

export interface TestDatabase {
  readonly db: Database;
  readonly driver: DatabaseHandle["driver"];
}

/** Opens the test database before the file's tests and closes it after them. */
export function setupTestDatabase(): TestDatabase {
  let handle: DatabaseHandle | undefined;
  beforeAll(async () => {
    handle = await openDatabase({
      databaseUrl: process.env.DATABASE_URL,
      pgliteDataDir: "memory://",
    });
    setDatabaseForTests(handle);
  });
  afterAll(async () => {
    setDatabaseForTests(undefined);
    await handle?.close();
  });
  return {
    get db() {
      if (!handle) throw new Error("The test database is used before beforeAll opened it.");
      return handle.db;
    },
    get driver() {
      if (!handle) throw new Error("The test database is used before beforeAll opened it.");
      return handle.driver;
    },
  };
}

let counter = 0;

/** Returns an email address no other test uses, in this run or an earlier one. */
export function uniqueEmail(label = "user"): string {
  counter += 1;
  return `${label}-${Date.now().toString(36)}-${process.pid}-${counter}@example.test`;
}

/**
 * Returns a random private IPv4 address. Tests that fail sign-ins use one, so that the
 * per-address sign-in limit never adds up across tests and runs sharing one Postgres database.
 */
export function uniqueIpv4(): string {
  const [a = 0, b = 0, c = 0] = randomBytes(3);
  return `10.${a}.${b}.${c}`;
}
