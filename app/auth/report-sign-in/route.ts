import type { NextRequest, NextResponse } from "next/server";

import { reportSignIn } from "@/lib/auth/sign-in-alerts";
import { getDb } from "@/lib/db/client";
import { readRequestContext } from "@/lib/device/request-context";
import { getEnv } from "@/lib/env";
import { redirectToPath } from "@/lib/http";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/**
 * Revokes the session named by the "This wasn't me" link of a new sign-in alert, so a person
 * who fears an intruder does not have to sign in first. A GET, because it is opened from a
 * message. The secret in the link is the only authorization, and it can end that one session
 * and nothing else. Decision record 0014 weighs this against mail scanners that open links.
 */
export async function GET(request: NextRequest): Promise<NextResponse> {
  // Chromium marks its prefetches with `Sec-Purpose`, and some other clients with `Purpose`.
  // A prefetch must not revoke; a scanner that sends neither header still can.
  if (isPrefetch(request)) return redirectToPath("/auth/sign-in-reported?result=prefetch");

  const result = await reportSignIn(
    await getDb(),
    request.nextUrl.searchParams.get("secret"),
    readRequestContext(request.headers, getEnv().trustedProxyHops),
  );
  const response = redirectToPath(`/auth/sign-in-reported?result=${result}`);
  // The secret is in this URL, so keep it out of the Referer of the next request.
  response.headers.set("Referrer-Policy", "no-referrer");
  return response;
}

function isPrefetch(request: NextRequest): boolean {
  const purpose = `${request.headers.get("sec-purpose") ?? ""} ${request.headers.get("purpose") ?? ""}`;
  return /\bprefetch\b/i.test(purpose);
}
