// Validation of the `return_to` parameter used after sign-in and handshakes. Edge-safe.

export const DEFAULT_SIGNED_IN_PATH = "/account/security";

const PLACEHOLDER_ORIGIN = "http://tessera.invalid";

/**
 * Returns `candidate` when it is a same-origin path, otherwise `fallback`. Rejects absolute
 * and protocol-relative URLs, backslashes (browsers read `/\evil.example` as `//evil.example`),
 * control characters and percent-encoded slashes or backslashes that a later decode could
 * turn into one of those.
 */
export function safeReturnPath(
  candidate: string | null | undefined,
  fallback = DEFAULT_SIGNED_IN_PATH,
): string {
  if (!candidate || candidate.length > 2048) return fallback;
  if (!candidate.startsWith("/") || candidate.startsWith("//")) return fallback;
  if (/[\\\u0000-\u001f\u007f]/.test(candidate)) return fallback;
  if (/%(2f|5c|0[0-9a-f]|1[0-9a-f])/i.test(candidate)) return fallback;

  let url: URL;
  try {
    url = new URL(candidate, PLACEHOLDER_ORIGIN);
  } catch {
    return fallback;
  }
  if (url.origin !== PLACEHOLDER_ORIGIN) return fallback;
  // Parsing collapses dot segments, so `/.//evil.example` comes out as `//evil.example`,
  // which a browser reads as a protocol-relative URL.
  const path = url.pathname + url.search + url.hash;
  if (path.startsWith("//")) return fallback;
  // Only pages make sense to return to; an API route or the handshake would respond to a
  // browser navigation with JSON, an error or another redirect.
  if (/^\/(api|auth)(\/|$)/.test(url.pathname)) return fallback;
  return path;
}
