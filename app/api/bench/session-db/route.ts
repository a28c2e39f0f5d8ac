import type { NextRequest } from "next/server";

import { readSessionSecret } from "@/lib/auth/cookies";
import { findActiveSession } from "@/lib/auth/sessions";
import { getDb } from "@/lib/db/client";
import { getEnv } from "@/lib/env";

import { benchRouteNotFound, benchRoutesEnabled, respondToMemberCheck } from "../_lib/bench-routes";

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
  const subject = secret
    ? await findActiveSession(await getDb(), secret, getEnv().sessionLimits)
    : null;
  return respondToMemberCheck(
    subject && {
      userId: subject.userId,
      sessionId: subject.sessionId,
      organizationId: subject.activeOrganizationId,
      role: subject.activeRole,
    },
  );
}
