import { NextResponse, type NextRequest } from "next/server";

import { readSessionSecret } from "@/lib/auth/cookies";
import { errorBody } from "@/lib/errors";
import { log } from "@/lib/log";

import { benchRouteNotFound, benchRoutesEnabled, respondToMemberCheck } from "../_lib/bench-routes";
import { lookUpSessionInRedis } from "../_lib/session-lookups";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/**
 * Benchmark only: the member access check of /api/access/member, decided by reading the
 * session from Redis on every request, as a session store without tokens would. 404 unless
 * TESSERA_BENCH_ROUTES=1.
 */
export async function GET(request: NextRequest) {
  if (!benchRoutesEnabled()) return benchRouteNotFound();

  const secret = readSessionSecret(request.cookies);
  if (!secret) return respondToMemberCheck(null);
  try {
    return respondToMemberCheck(await lookUpSessionInRedis(secret));
  } catch (error) {
    log.error({ err: error }, "benchmark Redis lookup failed");
    return NextResponse.json(errorBody("database_unavailable"), {
      status: 503,
      headers: { "Cache-Control": "no-store" },
    });
  }
}
