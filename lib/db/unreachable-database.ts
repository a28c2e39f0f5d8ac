// A database whose server refuses every connection, for tests of what the app does during
// an outage. Connections go to a loopback port that nothing listens on.

import { createServer } from "node:net";

import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";

import { getDatabase, setDatabaseForTests, type DatabaseHandle } from "./client";
import * as schema from "./schema";

/** Returns a loopback port that was free a moment ago: the system assigned it, then it closed. */
export async function findClosedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === "string") {
    throw new Error(`Expected a TCP address from the probe server, got ${String(address)}.`);
  }
  return address.port;
}

/** Opens a handle whose every query fails with ECONNREFUSED. */
export async function openUnreachableDatabase(): Promise<DatabaseHandle> {
  const port = await findClosedPort();
  const client = postgres(`postgres://postgres@127.0.0.1:${port}/unreachable`, {
    max: 1,
    connect_timeout: 1,
    onnotice: () => {},
  });
  return {
    db: drizzle({ client, schema }),
    driver: "postgres",
    close: () => client.end({ timeout: 1 }),
  };
}

/** Runs `body` with the app's database replaced by an unreachable one, then restores it. */
export async function withUnreachableDatabase<T>(body: () => Promise<T>): Promise<T> {
  const previous = await getDatabase();
  const unreachable = await openUnreachableDatabase();
  setDatabaseForTests(unreachable);
  try {
    return await body();
  } finally {
    setDatabaseForTests(previous);
    await unreachable.close();
  }
}
