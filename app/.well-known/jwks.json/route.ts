import { NextResponse } from "next/server";

import { getEnv } from "@/lib/env";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

// Verifiers may cache the key set this long, so a new key must be published at least this
// long before it starts signing.
const JWKS_MAX_AGE_SECONDS = 300;

/** Returns the public keys that verify Tessera tokens, for services outside this app. */
export function GET(): NextResponse {
  return NextResponse.json(getEnv().publicKeys, {
    headers: { "Cache-Control": `public, max-age=${JWKS_MAX_AGE_SECONDS}` },
  });
}
