import "server-only";

import { findActiveSession } from "@/lib/auth/sessions";
import { hashSessionSecret } from "@/lib/auth/secret";
import { getDb } from "@/lib/db/client";
import { getEnv } from "@/lib/env";

import type { LookedUpSession } from "./bench-routes";
import { createRespClient, type RespClient } from "./resp-client";

// The two classic session checks the benchmark compares with Tessera's token: a read of the
// session row, or of a session entry in Redis, on every request. Shared by the benchmark's
// route handlers and its page.

const DEFAULT_REDIS_URL = "redis://127.0.0.1:6379";
const DEFAULT_KEY_PREFIX = "tessera-bench:";

// One connection per process, kept on globalThis so that a reload in development reuses it.
const globalForRedis = globalThis as typeof globalThis & { tesseraBenchRedis?: RespClient };

/** Reads the live session behind a cookie secret from its row, with the statement mutations use. */
export async function lookUpSessionInDatabase(secret: string): Promise<LookedUpSession | null> {
  const subject = await findActiveSession(await getDb(), secret, getEnv().sessionLimits);
  if (!subject) return null;
  return {
    userId: subject.userId,
    sessionId: subject.sessionId,
    organizationId: subject.activeOrganizationId,
    role: subject.activeRole,
  };
}

/**
 * Reads the live session behind a cookie secret from Redis, as a session store without tokens
 * would. The harness writes the entries (JSON under `<prefix>session:<secret hash>`).
 */
export async function lookUpSessionInRedis(secret: string): Promise<LookedUpSession | null> {
  globalForRedis.tesseraBenchRedis ??= createRespClient(
    process.env.TESSERA_BENCH_REDIS_URL || DEFAULT_REDIS_URL,
  );
  const prefix = process.env.TESSERA_BENCH_REDIS_PREFIX || DEFAULT_KEY_PREFIX;
  const key = `${prefix}session:${hashSessionSecret(secret)}`;
  const stored = await globalForRedis.tesseraBenchRedis.command(["GET", key]);
  if (typeof stored !== "string") return null;

  const entry = JSON.parse(stored) as LookedUpSession & { status?: string };
  if (entry.status !== "active") return null;
  return {
    userId: entry.userId,
    sessionId: entry.sessionId,
    organizationId: entry.organizationId,
    role: entry.role,
  };
}
