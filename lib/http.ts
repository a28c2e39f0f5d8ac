// Response helpers shared by middleware and route handlers. Edge-safe.

import { NextResponse } from "next/server";

/**
 * Redirects to a same-origin path with a relative `Location` header. `NextResponse.redirect`
 * needs an absolute URL, and building one from `request.nextUrl` would turn 127.0.0.1 into
 * localhost (NextURL does that in Next.js 16.5), a different cookie host for the browser.
 */
export function redirectToPath(path: string): NextResponse {
  if (!path.startsWith("/") || path.startsWith("//")) {
    throw new Error(`redirectToPath() takes a same-origin path, got "${path}".`);
  }
  return new NextResponse(null, {
    status: 307,
    headers: { Location: path, "Cache-Control": "no-store" },
  });
}
