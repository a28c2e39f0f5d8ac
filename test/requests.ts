// Builders for requests that route handler and middleware tests send.

import { NextRequest } from "next/server";

export const APP_ORIGIN = "http://127.0.0.1:3000";

// NODE_ENV is "test" under Vitest, so cookies carry no `__Host-` prefix.
export const SESSION_COOKIE = "tessera_session";
export const TOKEN_COOKIE = "tessera_token";
export const HANDSHAKE_COOKIE = "tessera_handshake";

export function buildRequest(
  path: string,
  options: {
    method?: string;
    cookies?: Record<string, string>;
    headers?: Record<string, string>;
    body?: string;
  } = {},
): NextRequest {
  const headers = new Headers({ host: new URL(APP_ORIGIN).host, ...options.headers });
  const cookies = Object.entries(options.cookies ?? {});
  if (cookies.length > 0) {
    headers.set("cookie", cookies.map(([name, value]) => `${name}=${value}`).join("; "));
  }
  return new NextRequest(new URL(path, APP_ORIGIN), {
    method: options.method ?? "GET",
    headers,
    body: options.body,
  });
}
