// Client IP address from `X-Forwarded-For`.

import { isIP } from "node:net";

/**
 * Returns the client address from an `X-Forwarded-For` value, or null when none is usable.
 *
 * Each proxy appends the address it received the request from, so only the right-most
 * entries were written by infrastructure we control. Anything to their left came from the
 * client and may be forged. With `trustedProxyHops` proxies in front of the app, the client
 * is the entry that the outermost trusted proxy appended: position `trustedProxyHops` from
 * the right. With no proxy, the only trustworthy entry is the right-most, which is the
 * socket address that `next start` records when the request carries no such header.
 *
 * NOTE: Next.js 16.5 fills `X-Forwarded-For` only when the request lacks it. A client that
 * reaches `next start` directly can therefore send its own header and choose the stored
 * address. Deploy behind a proxy that appends to the header and set TRUSTED_PROXY_HOPS.
 */
export function clientIpFromForwardedFor(
  forwardedFor: string | null | undefined,
  trustedProxyHops: number,
): string | null {
  if (!forwardedFor) return null;
  const entries = forwardedFor
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry !== "");
  // Hops 0 and 1 both read the right-most entry: `next start` records the socket address
  // itself, and a single proxy appends the address it saw. A header shorter than the hop
  // count did not pass every proxy; its left-most entry is the best remaining guess.
  const index = entries.length - Math.max(trustedProxyHops, 1);
  const candidate = index >= 0 ? entries[index] : entries[0];
  return candidate === undefined ? null : normalizeIp(candidate);
}

/**
 * Returns the address in canonical form, or null when it is not an IP address. Strips a
 * port, IPv6 brackets and a zone id, and unwraps IPv4-mapped IPv6 (`::ffff:1.2.3.4`).
 */
export function normalizeIp(raw: string): string | null {
  let value = raw.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(value);
  if (bracketed?.[1]) value = bracketed[1];
  else if (/^\d{1,3}(\.\d{1,3}){3}:\d+$/.test(value))
    value = value.slice(0, value.lastIndexOf(":"));
  value = value.replace(/%.*$/, "").toLowerCase();

  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(value);
  if (mapped?.[1]) value = mapped[1];

  if (isIP(value) === 4) return value;
  if (isIP(value) === 6) return unwrapMappedIpv4(canonicalIpv6(value));
  return null;
}

// Other spellings of an IPv4-mapped address, such as `0:0:0:0:0:ffff:203.0.113.7` or
// `::ffff:cb00:7107`, canonicalize to `::ffff:` plus two hex groups.
function unwrapMappedIpv4(address: string): string {
  const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(address);
  if (!mapped?.[1] || !mapped[2]) return address;
  const high = parseInt(mapped[1], 16);
  const low = parseInt(mapped[2], 16);
  return [high >> 8, high & 0xff, low >> 8, low & 0xff].join(".");
}

// RFC 5952 text form: lowercase, leading zeros dropped, the longest run of two or more
// zero groups shortened to "::".
function canonicalIpv6(address: string): string {
  const url = new URL(`http://[${address}]/`);
  return url.hostname.slice(1, -1);
}
