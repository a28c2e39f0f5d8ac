// Verification of session tokens with the public keys alone, without the database. Part of
// the edge bundle: jose only, no Node built-ins, no `server-only`.

import {
  createLocalJWKSet,
  errors,
  jwtVerify,
  type JSONWebKeySet,
  type JWTPayload,
  type JWTVerifyGetKey,
  type JWSHeaderParameters,
} from "jose";

import { getEdgeAuthConfig } from "./edge-config";

export const TOKEN_ALGORITHM = "ES256";
/** The `typ` header of every session token (explicit typing, RFC 8725 section 3.11). */
export const TOKEN_TYPE = "JWT";
/** Tolerance for clock skew between the server that minted a token and the one verifying it. */
export const CLOCK_TOLERANCE_SECONDS = 5;
/** A compact ES256 token is about 450 characters; anything far larger is rejected unparsed. */
export const MAX_TOKEN_LENGTH = 4096;
/**
 * Default bound of a verifier's cache. An entry is a token of about 500 characters plus its
 * claims, roughly 1 KB, so a full cache takes about 10 MB (an estimate, not a measurement).
 */
export const MAX_CACHED_TOKENS = 10_000;

// Three base64url segments. An ES256 signature is r and s, 32 bytes each (RFC 7518 section
// 3.4), which is 86 base64url characters. This rejects unsigned (`alg: none`) tokens, extra
// segments and non-base64url input before jose parses anything, and also the variants that
// jose 6.2.19 accepts: a signature followed by "=" padding or a newline. The character
// classes exclude the dot, so matching is linear in the token's length.
const COMPACT_ES256_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{86}$/;

// An allow-list of header members is safe because lib/auth/token.ts, the only producer of
// these tokens, writes exactly these three. Every other registered member changes how a
// verifier reads the token: `jwk`, `jku`, `x5u`, `x5c` and `x5t` point at a key, and `crit`
// and `b64` demand extensions or change the signing input. jose 6.2 ignores the key members,
// accepts `crit: ["b64"]` with `b64: true`, and ignores `b64` without `crit`, so rejecting
// them here keeps the rules independent of how a jose version treats each member.
// NOTE: a new header member in token.ts must be added here first, and the verifiers deployed
// before the minting code, or every new token is rejected.
const ALLOWED_HEADER_MEMBERS: ReadonlySet<string> = new Set(["alg", "kid", "typ"]);

const REQUIRED_CLAIMS = ["sub", "sid", "iat", "nbf", "exp", "auth_time"];

export type OrganizationRole = "admin" | "member";

export interface SessionClaims {
  iss: string;
  /** User id. */
  sub: string;
  /** Public id of the session row. */
  sid: string;
  org_id?: string;
  org_role?: OrganizationRole;
  /** When the password was last verified for this session, in seconds since the epoch. */
  auth_time: number;
  iat: number;
  nbf: number;
  exp: number;
}

export type TokenVerification =
  { ok: true; claims: SessionClaims } | { ok: false; reason: "missing" | "expired" | "invalid" };

const MISSING: TokenVerification = { ok: false, reason: "missing" };
const EXPIRED: TokenVerification = { ok: false, reason: "expired" };
const INVALID: TokenVerification = { ok: false, reason: "invalid" };

export interface TokenVerifierOptions {
  issuer: string;
  /**
   * The public keys to accept, copied when the verifier is created. A changed key set needs a
   * new verifier, which also starts with an empty cache.
   */
  publicKeys: JSONWebKeySet;
  /** Bound of the verification cache, MAX_CACHED_TOKENS by default. 0 turns caching off. */
  maxCachedTokens?: number;
}

export interface TokenVerifier {
  /**
   * Verifies a token with pinned algorithm, header members, issuer and time checks.
   * `currentDate` is injected by tests to verify at a fixed time.
   */
  verify(token: string | undefined, currentDate?: Date): Promise<TokenVerification>;
  /** Number of tokens in the verification cache. */
  readonly cachedTokenCount: number;
}

/**
 * Creates a verifier for one key set. Keys come only from `publicKeys`: nothing is fetched,
 * and header members that name a key elsewhere are rejected.
 *
 * Successful verifications are cached by the exact token string and served until the
 * token's `exp`, never in the clock tolerance after it, so the cache never accepts a token
 * that a full verification would reject. Failures are not cached: one costs at most a
 * signature check, and caching them would let anyone evict valid entries with junk tokens.
 */
export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  const keySet = createLocalJWKSet(options.publicKeys);
  // jose passes the parsed protected header here before it picks a key, so the header checks
  // run on the very object that selects the key and the algorithm.
  const selectKey: JWTVerifyGetKey = (header, token) => {
    if (!hasAllowedHeader(header)) {
      throw new errors.JWSInvalid(
        'The token header must be exactly alg "ES256", a kid and typ "JWT".',
      );
    }
    return keySet(header, token);
  };
  const cache = new VerifiedTokenCache(options.maxCachedTokens ?? MAX_CACHED_TOKENS);

  return {
    get cachedTokenCount() {
      return cache.size;
    },

    async verify(token, currentDate = new Date()) {
      if (!token) return MISSING;
      // Before the cache lookup too, because a Map lookup hashes the whole string.
      if (token.length > MAX_TOKEN_LENGTH) return INVALID;

      const now = toEpochSeconds(currentDate);
      // NaN would pass every time comparison in the cache.
      if (!Number.isFinite(now)) throw new TypeError("currentDate is an invalid Date.");
      const cached = cache.get(token, now);
      if (cached) return { ok: true, claims: cached };

      if (!COMPACT_ES256_SHAPE.test(token)) return INVALID;
      const result = await verifySignatureAndClaims(token, selectKey, options.issuer, currentDate);
      if (result.ok) cache.add(token, result.claims, now);
      return result;
    },
  };
}

function hasAllowedHeader(header: JWSHeaderParameters): boolean {
  for (const member of Object.keys(header)) {
    if (!ALLOWED_HEADER_MEMBERS.has(member)) return false;
  }
  // A missing kid would match the only key of a one-key set in jose, so it is required.
  return (
    header.alg === TOKEN_ALGORITHM &&
    typeof header.kid === "string" &&
    header.kid !== "" &&
    header.typ === TOKEN_TYPE
  );
}

async function verifySignatureAndClaims(
  token: string,
  keys: JWTVerifyGetKey,
  issuer: string,
  currentDate: Date,
): Promise<TokenVerification> {
  try {
    const { payload } = await jwtVerify(token, keys, {
      algorithms: [TOKEN_ALGORITHM],
      issuer,
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      requiredClaims: REQUIRED_CLAIMS,
      currentDate,
    });
    const claims = toSessionClaims(payload);
    return claims ? { ok: true, claims } : INVALID;
  } catch (error) {
    if (error instanceof errors.JWTExpired) return EXPIRED;
    return INVALID;
  }
}

/**
 * Returns the session claims of a verified payload, or null when one has the wrong type. The
 * result contains only the known claims and is frozen, because the cache hands the same object
 * to every request that presents the token.
 */
function toSessionClaims(payload: JWTPayload): SessionClaims | null {
  const { iss, sub, sid, auth_time, iat, nbf, exp, org_id, org_role } = payload;
  if (typeof iss !== "string") return null;
  if (typeof sub !== "string" || sub === "" || typeof sid !== "string" || sid === "") {
    return null;
  }
  if (!isWholeSeconds(auth_time) || !isWholeSeconds(iat)) return null;
  if (!isWholeSeconds(nbf) || !isWholeSeconds(exp)) return null;

  const claims: SessionClaims = { iss, sub, sid, auth_time, iat, nbf, exp };
  // token.ts writes both organization claims or neither.
  if (org_id !== undefined || org_role !== undefined) {
    if (typeof org_id !== "string" || org_id === "" || !isOrganizationRole(org_role)) return null;
    claims.org_id = org_id;
    claims.org_role = org_role;
  }
  return Object.freeze(claims);
}

// token.ts writes whole seconds. A fraction, or an overflow such as 1e999 that JSON.parse
// turns into Infinity, is not its output.
function isWholeSeconds(value: unknown): value is number {
  return Number.isSafeInteger(value);
}

function isOrganizationRole(value: unknown): value is OrganizationRole {
  return value === "admin" || value === "member";
}

const toEpochSeconds = (date: Date) => Math.floor(date.getTime() / 1000);

/**
 * Claims of verified tokens by token string, oldest first. Tokens are added when first seen
 * and most live equally long, so insertion order is close to expiry order. Removing expired
 * entries from the front therefore stops at the first live one. When the cache is full, the
 * oldest entry goes. Plain Map, so it runs on the Edge runtime.
 */
class VerifiedTokenCache {
  private readonly entries = new Map<string, SessionClaims>();

  constructor(private readonly maxEntries: number) {}

  get size(): number {
    return this.entries.size;
  }

  /** Returns the claims while `now` (epoch seconds) is before `exp` and not too early for `nbf`. */
  get(token: string, now: number): SessionClaims | undefined {
    const claims = this.entries.get(token);
    if (!claims) return undefined;
    if (now >= claims.exp) {
      this.entries.delete(token);
      return undefined;
    }
    // Same rule as jose's nbf check. Only an injected date can go back in time this far.
    if (claims.nbf > now + CLOCK_TOLERANCE_SECONDS) return undefined;
    return claims;
  }

  add(token: string, claims: SessionClaims, now: number): void {
    // A token verified within the tolerance after `exp` is not cached: the cache serves
    // nothing past `exp`.
    if (this.maxEntries < 1 || now >= claims.exp) return;

    this.entries.delete(token);
    for (const [oldToken, oldClaims] of this.entries) {
      if (oldClaims.exp > now) break;
      this.entries.delete(oldToken);
    }
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(token, claims);
  }
}

let sessionTokenVerifier: TokenVerifier | undefined;

/**
 * Verifies a token against the configured public keys. The verifier is built once per
 * process, so each key is imported once and the cache lives as long as the process. A
 * changed TOKEN_PUBLIC_KEYS takes effect at the next start, with an empty cache.
 */
export async function verifySessionToken(token: string | undefined): Promise<TokenVerification> {
  if (!sessionTokenVerifier) {
    const config = getEdgeAuthConfig();
    sessionTokenVerifier = createTokenVerifier({
      issuer: config.issuer,
      publicKeys: config.publicKeys,
    });
  }
  return sessionTokenVerifier.verify(token);
}
