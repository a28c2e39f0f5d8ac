// Stateless verification of session tokens. Part of the edge bundle: jose only, no
// database, no Node built-ins, no `server-only`.

import { createLocalJWKSet, errors, jwtVerify, type JWTVerifyGetKey } from "jose";

import { getEdgeAuthConfig } from "./edge-config";

export const TOKEN_ALGORITHM = "ES256";
/** Tolerance for clock skew between the server that minted a token and the one verifying it. */
export const CLOCK_TOLERANCE_SECONDS = 5;
/** A compact ES256 token is about 450 characters; anything far larger is refused unparsed. */
export const MAX_TOKEN_LENGTH = 4096;

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

export interface TokenVerifierOptions {
  issuer: string;
  keys: JWTVerifyGetKey;
  /** Injected by tests to verify at a fixed time. */
  currentDate?: Date;
}

/** Verifies a session token with pinned algorithm, issuer and time checks. */
export async function verifyToken(
  token: string | undefined,
  options: TokenVerifierOptions,
): Promise<TokenVerification> {
  if (!token) return { ok: false, reason: "missing" };
  if (token.length > MAX_TOKEN_LENGTH) return { ok: false, reason: "invalid" };

  try {
    const { payload } = await jwtVerify(token, options.keys, {
      algorithms: [TOKEN_ALGORITHM],
      issuer: options.issuer,
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      requiredClaims: ["sub", "sid", "iat", "nbf", "exp", "auth_time"],
      currentDate: options.currentDate,
    });
    if (!hasSessionClaimTypes(payload)) return { ok: false, reason: "invalid" };
    return { ok: true, claims: payload };
  } catch (error) {
    if (error instanceof errors.JWTExpired) return { ok: false, reason: "expired" };
    return { ok: false, reason: "invalid" };
  }
}

function hasSessionClaimTypes(payload: Record<string, unknown>): payload is SessionClaims & {
  [claim: string]: unknown;
} {
  const role = payload.org_role;
  return (
    typeof payload.sub === "string" &&
    typeof payload.sid === "string" &&
    typeof payload.auth_time === "number" &&
    (payload.org_id === undefined || typeof payload.org_id === "string") &&
    (role === undefined || role === "admin" || role === "member")
  );
}

let cachedKeys: JWTVerifyGetKey | undefined;

/**
 * Verifies a token against the configured public keys. The key set is built once per
 * process, and jose caches each imported key inside it, so no request pays for a key import.
 */
export async function verifySessionToken(token: string | undefined): Promise<TokenVerification> {
  const config = getEdgeAuthConfig();
  cachedKeys ??= createLocalJWKSet(config.publicKeys);
  return verifyToken(token, { issuer: config.issuer, keys: cachedKeys });
}
