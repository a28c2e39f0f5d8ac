// Generates ES256 key pairs as the two environment variables Tessera reads.

import { createHash, generateKeyPairSync } from "node:crypto";

/** Returns the RFC 7638 thumbprint of a P-256 public key, used as its `kid`. */
export function thumbprint({ crv, kty, x, y }) {
  // RFC 7638 section 3.2: the required members only, in lexicographic order, no spaces.
  const canonical = JSON.stringify({ crv, kty, x, y });
  return createHash("sha256").update(canonical).digest("base64url");
}

/** Returns the public JWK, as TOKEN_PUBLIC_KEYS lists it, of a private or public P-256 JWK. */
export function toPublicJwk({ kty, crv, x, y, kid }) {
  return { kty, crv, x, y, kid, alg: "ES256", use: "sig" };
}

/**
 * Generates a P-256 key pair whose `kid` is the thumbprint of its public key. Returns
 * `{ signingKey, publicKey }` as JWK objects; only `signingKey` contains the private member `d`.
 */
export function generateSigningKey() {
  const { privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const jwk = privateKey.export({ format: "jwk" });
  const kid = thumbprint(jwk);
  const signingKey = { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y, d: jwk.d, kid };
  return { signingKey, publicKey: toPublicJwk(signingKey) };
}

/** Returns `{ TOKEN_SIGNING_KEY, TOKEN_PUBLIC_KEYS }` for a fresh key pair. */
export function generateSigningKeyEnv() {
  const { signingKey, publicKey } = generateSigningKey();
  return {
    TOKEN_SIGNING_KEY: JSON.stringify(signingKey),
    TOKEN_PUBLIC_KEYS: JSON.stringify({ keys: [publicKey] }),
  };
}

/** Formats variables as dotenv lines; single quotes keep the JSON literal. */
export function toDotenv(variables) {
  return Object.entries(variables)
    .map(([name, value]) => `${name}='${value}'`)
    .join("\n");
}
