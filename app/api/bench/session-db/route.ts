import type { NextRequest } from "next/server";

import { readSessionSecret } from "@/lib/auth/cookies";

import { benchRouteNotFound, benchRoutesEnabled, respondToMemberCheck } from "../_lib/bench-routes";
import { lookUpSessionInDatabase } from "../_lib/session-lookups";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/**
 * Benchmark only: the member access check of /api/access/member, decided by reading the
 * session row on every request (the statement mutations use) instead of verifying a token.
 * 404 unless TESSERA_BENCH_ROUTES=1.
 */
export async function GET(request: NextRequest) {
  if (!benchRoutesEnabled()) return benchRouteNotFound();

  const secret = readSessionSecret(request.cookies);
  return respondToMemberCheck(secret ? await lookUpSessionInDatabase(secret) : null);
}
