// Response helpers for route handlers.

import { NextResponse } from "next/server";

/**
 * Redirects a route handler's request to a same-origin path with a relative `Location`
 * header. `NextResponse.redirect` needs an absolute URL, and building one from
 * `request.nextUrl` would turn 127.0.0.1 into localhost (NextURL does that in Next.js 16.5),
 * a host without the browser's cookies. Middleware cannot use this: Next.js requires an
 * absolute `Location` there.
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
