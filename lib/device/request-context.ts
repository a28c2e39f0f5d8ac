import { clientIpFromForwardedFor } from "./client-ip";
import { MAX_USER_AGENT_LENGTH } from "./user-agent";

/** What Tessera records about the client behind a request. */
export interface RequestContext {
  userAgent: string;
  /** Normalized client IP address, or null when the request carries none. */
  ip: string | null;
}

export interface HeaderReader {
  get(name: string): string | null;
}

export function readRequestContext(
  headers: HeaderReader,
  trustedProxyHops: number,
): RequestContext {
  return {
    userAgent: (headers.get("user-agent") ?? "").slice(0, MAX_USER_AGENT_LENGTH),
    ip: clientIpFromForwardedFor(headers.get("x-forwarded-for"), trustedProxyHops),
  };
}
