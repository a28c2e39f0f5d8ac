// Cross-site request checks for state-changing route handlers.

export interface HeaderSource {
  get(name: string): string | null;
}

/**
 * Accepts a request only when the browser reports that it came from this origin. `Sec-Fetch-Site`
 * is used when present (every current browser sends it); otherwise `Origin` must match the
 * host the request was sent to. A request with neither header is refused: a state-changing
 * endpoint cannot tell such a request from a forged one.
 */
export function isSameOriginRequest(headers: HeaderSource): boolean {
  const fetchSite = headers.get("sec-fetch-site");
  if (fetchSite !== null) return fetchSite === "same-origin";

  const origin = headers.get("origin");
  if (origin === null || origin === "null") return false;
  const host = headers.get("x-forwarded-host") ?? headers.get("host");
  if (!host) return false;
  try {
    return new URL(origin).host === host.split(",")[0]?.trim();
  } catch {
    return false;
  }
}
