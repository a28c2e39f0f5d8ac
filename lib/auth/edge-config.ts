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

/**
 * Parses a JWKS document of ES256 public keys. Throws an error naming `variable` when the
 * value is missing, not JSON, empty, or contains a key that is not a P-256 public key with a `kid`.
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
  const keys = (parsed as { keys?: unknown }).keys;
  if (!Array.isArray(keys) || keys.length === 0) {
    throw new Error(`${variable} must be a JWKS document with at least one key in "keys".`);
  }
  for (const key of keys as JWK[]) {
    if (key.kty !== "EC" || key.crv !== "P-256" || !key.x || !key.y || !key.kid) {
      throw new Error(`${variable} contains a key that is not a P-256 public key with a "kid".`);
    }
    if (key.d !== undefined) {
      throw new Error(
        `${variable} contains a private key (member "d"). Publish public keys only; the ` +
          "private key belongs in TOKEN_SIGNING_KEY.",
      );
    }
  }
  return {
    keys: (keys as JWK[]).map(({ kty, crv, x, y, kid }) => ({
      kty,
      crv,
      x,
      y,
      kid,
      alg: "ES256",
      use: "sig",
    })),
  };
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
