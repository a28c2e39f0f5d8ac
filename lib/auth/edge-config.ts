// Configuration the edge middleware needs to verify tokens and name cookies.
//
// This module is part of the edge bundle: it must not import `server-only`, the database,
// Node built-ins or zod (zod 4 compiles validators with `new Function`, which the Edge
// runtime forbids). It reads only public keys, never the signing key.

import type { JSONWebKeySet, JWK } from "jose";

export const DEFAULT_TOKEN_ISSUER = "tessera";

export interface EdgeAuthConfig {
  issuer: string;
  publicKeys: JSONWebKeySet;
  secureCookies: boolean;
}

// A P-256 coordinate is 32 bytes, which base64url encodes as 43 characters without padding.
const P256_COORDINATE = /^[A-Za-z0-9_-]{43}$/;

/**
 * Parses a JWKS document of ES256 public keys. Throws an error naming `variable` when the
 * value is missing, not JSON, empty, or contains a key that is not a P-256 public key with a
 * unique `kid`.
 */
export function parsePublicKeySet(raw: string | undefined, variable: string): JSONWebKeySet {
  if (!raw || raw.trim() === "") {
    throw new Error(
      `${variable} is missing. Set it to a JWKS document such as {"keys":[...]} ` +
        "(run `npm run keys:generate` to create a key pair).",
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new Error(`${variable} is not valid JSON. Expected a JWKS document {"keys":[...]}.`);
  }
  const keys = isRecord(parsed) ? parsed.keys : undefined;
  if (!Array.isArray(keys) || keys.length === 0) {
    throw new Error(`${variable} must be a JWKS document with at least one key in "keys".`);
  }

  const kids = new Set<string>();
  const publicKeys = keys.map((key: unknown, index) => {
    const jwk = parsePublicKey(key, variable, index + 1);
    // jose rejects a token whose kid matches two keys, so a duplicate would lock out every
    // token signed with that kid.
    if (kids.has(jwk.kid)) {
      throw new Error(
        `${variable} lists the kid "${jwk.kid}" twice. Each key needs its own kid; remove ` +
          "the duplicate.",
      );
    }
    kids.add(jwk.kid);
    return jwk;
  });
  return { keys: publicKeys };
}

// Every message starts with the variable name, which lib/env.ts strips to list the error
// under that variable.
function parsePublicKey(key: unknown, variable: string, position: number): JWK & { kid: string } {
  const where = `(key ${position} in "keys")`;
  if (!isRecord(key)) {
    throw new Error(`${variable} contains a key that is not a JSON object ${where}.`);
  }
  const { kty, crv, x, y, kid, alg, use } = key;
  if (
    kty !== "EC" ||
    crv !== "P-256" ||
    typeof x !== "string" ||
    typeof y !== "string" ||
    typeof kid !== "string" ||
    kid === ""
  ) {
    throw new Error(
      `${variable} contains a key that is not a P-256 public key with a "kid" ${where}.`,
    );
  }
  if (key.d !== undefined) {
    throw new Error(
      `${variable} contains a private key (member "d") ${where}. Publish public keys only; ` +
        "the private key belongs in TOKEN_SIGNING_KEY.",
    );
  }
  if (!P256_COORDINATE.test(x) || !P256_COORDINATE.test(y)) {
    throw new Error(
      `${variable} contains a key with an invalid "x" or "y" (kid "${kid}"). Each must be 43 ` +
        "base64url characters.",
    );
  }
  // Verification pins ES256, so a key labelled for anything else is a configuration mistake.
  if ((alg !== undefined && alg !== "ES256") || (use !== undefined && use !== "sig")) {
    throw new Error(
      `${variable} contains a key labelled for another use (kid "${kid}"). Remove its "alg" ` +
        'and "use" members or set them to "ES256" and "sig".',
    );
  }
  return { kty, crv, x, y, kid, alg: "ES256", use: "sig" };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Reads `SECURE_COOKIES`; unset means secure in production and plain in development. */
export function parseSecureCookies(raw: string | undefined, nodeEnv: string | undefined): boolean {
  if (raw === "true") return true;
  if (raw === "false") return false;
  if (raw === undefined || raw === "") return nodeEnv === "production";
  throw new Error(`SECURE_COOKIES must be "true" or "false", got "${raw}".`);
}

let cached: EdgeAuthConfig | undefined;

/** Returns the edge configuration, parsed once per process from the environment. */
export function getEdgeAuthConfig(): EdgeAuthConfig {
  // Each variable is read by its literal name: the Edge runtime only exposes variables
  // that are referenced statically.
  cached ??= {
    issuer: process.env.TOKEN_ISSUER || DEFAULT_TOKEN_ISSUER,
    publicKeys: parsePublicKeySet(process.env.TOKEN_PUBLIC_KEYS, "TOKEN_PUBLIC_KEYS"),
    secureCookies: parseSecureCookies(process.env.SECURE_COOKIES, process.env.NODE_ENV),
  };
  return cached;
}
