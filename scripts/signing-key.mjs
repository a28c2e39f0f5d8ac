// Generates an ES256 key pair as the two environment variables Tessera reads.

import { createHash, generateKeyPairSync } from "node:crypto";

/** Returns the RFC 7638 thumbprint of a P-256 public key, used as its `kid`. */
function thumbprint({ crv, kty, x, y }) {
  // RFC 7638 section 3.2: the required members only, in lexicographic order, no spaces.
  const canonical = JSON.stringify({ crv, kty, x, y });
  return createHash("sha256").update(canonical).digest("base64url");
}

/** Returns `{ TOKEN_SIGNING_KEY, TOKEN_PUBLIC_KEYS }` for a fresh key pair. */
export function generateSigningKeyEnv() {
  const { privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const jwk = privateKey.export({ format: "jwk" });
  const kid = thumbprint(jwk);
  const signingKey = { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y, d: jwk.d, kid };
  const publicKey = {
    kty: jwk.kty,
    crv: jwk.crv,
    x: jwk.x,
    y: jwk.y,
    kid,
    alg: "ES256",
    use: "sig",
  };
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
