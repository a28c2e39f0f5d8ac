import "server-only";

import { headers } from "next/headers";

import { getEnv } from "./env";

// A host name, IPv4 address or bracketed IPv6 address, with an optional port.
const HOST_PATTERN = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/**
 * Returns the origin for absolute links in messages sent to users: APP_URL when it is set,
 * otherwise one built from the request's Host header.
 *
 * NOTE: a client that is not a browser can send any Host header, and the link would then point
 * at that host. Set APP_URL in production so that messages never depend on the request.
 */
export async function appOrigin(): Promise<string> {
  const env = getEnv();
  if (env.appUrl) return env.appUrl;
  const host = (await headers()).get("host") ?? "";
  const scheme = env.secureCookies ? "https" : "http";
  return `${scheme}://${HOST_PATTERN.test(host) ? host : "localhost"}`;
}
