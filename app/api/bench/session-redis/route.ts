import { NextResponse, type NextRequest } from "next/server";

import { readSessionSecret } from "@/lib/auth/cookies";
import { hashSessionSecret } from "@/lib/auth/secret";
import { errorBody } from "@/lib/errors";
import { log } from "@/lib/log";

import {
  benchRouteNotFound,
  benchRoutesEnabled,
  respondToMemberCheck,
  type LookedUpSession,
} from "../_lib/bench-routes";
import { createRespClient, type RespClient } from "../_lib/resp-client";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const DEFAULT_REDIS_URL = "redis://127.0.0.1:6379";
const DEFAULT_KEY_PREFIX = "tessera-bench:";

// One connection per process, kept on globalThis so that a reload in development reuses it.
const globalForRedis = globalThis as typeof globalThis & { tesseraBenchRedis?: RespClient };

/**
 * Benchmark only: the member access check of /api/access/member, decided by reading the
 * session from Redis on every request, as a session store without tokens would. The harness
 * writes the entries (JSON under `<prefix>session:<secret hash>`). 404 unless
 * TESSERA_BENCH_ROUTES=1.
 */
export async function GET(request: NextRequest) {
  if (!benchRoutesEnabled()) return benchRouteNotFound();

  const secret = readSessionSecret(request.cookies);
  if (!secret) return respondToMemberCheck(null);
  try {
    return respondToMemberCheck(await readSession(secret));
  } catch (error) {
    log.error({ err: error }, "benchmark Redis lookup failed");
    return NextResponse.json(errorBody("database_unavailable"), {
      status: 503,
      headers: { "Cache-Control": "no-store" },
    });
  }
}

async function readSession(secret: string): Promise<LookedUpSession | null> {
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
