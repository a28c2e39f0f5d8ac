import "server-only";

import { createHash, randomBytes } from "node:crypto";

/** 256 bits: well above the 128 bits an unguessable bearer secret needs. */
const SESSION_SECRET_BYTES = 32;

/** Generates the secret carried by the session cookie. */
export function generateSessionSecret(): string {
  return randomBytes(SESSION_SECRET_BYTES).toString("base64url");
}

/**
 * Hashes a session secret for storage and lookup. A fast hash is enough here, unlike for
 * passwords: the secret is 256 random bits, so there is nothing to brute-force.
 */
export function hashSessionSecret(secret: string): string {
  return createHash("sha256").update(secret, "utf8").digest("base64url");
}
