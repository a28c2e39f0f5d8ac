import "server-only";

import { importJWK, SignJWT, type CryptoKey } from "jose";

import { getEnv } from "../env";
import { TOKEN_ALGORITHM, type OrganizationRole } from "./token-verify";

/** The session fields a token snapshots. */
export interface TokenSubject {
  userId: string;
  sessionId: string;
  lastVerifiedAt: Date;
  activeOrganizationId: string | null;
  activeRole: OrganizationRole | null;
}

export interface MintedToken {
  token: string;
  expiresInSeconds: number;
}

let signingKey: Promise<CryptoKey | Uint8Array> | undefined;

// Imported once per process: an import per token would double the signing cost.
function loadSigningKey() {
  signingKey ??= importJWK(getEnv().signingKey, TOKEN_ALGORITHM);
  return signingKey;
}

const toEpochSeconds = (date: Date) => Math.floor(date.getTime() / 1000);

/**
 * Mints a session token valid for TOKEN_TTL_SECONDS from `now`, or for `maxLifetimeSeconds`
 * when that is shorter (at least one second).
 */
export async function mintSessionToken(
  subject: TokenSubject,
  now: Date = new Date(),
  maxLifetimeSeconds: number = Number.POSITIVE_INFINITY,
): Promise<MintedToken> {
  const env = getEnv();
  const lifetime = Math.max(1, Math.min(env.tokenTtlSeconds, Math.floor(maxLifetimeSeconds)));
  const issuedAt = toEpochSeconds(now);
  const claims: Record<string, string | number> = {
    sid: subject.sessionId,
    auth_time: toEpochSeconds(subject.lastVerifiedAt),
  };
  if (subject.activeOrganizationId && subject.activeRole) {
    claims.org_id = subject.activeOrganizationId;
    claims.org_role = subject.activeRole;
  }

  const token = await new SignJWT(claims)
    .setProtectedHeader({ alg: TOKEN_ALGORITHM, kid: env.signingKey.kid, typ: "JWT" })
    .setIssuer(env.tokenIssuer)
    .setSubject(subject.userId)
    .setIssuedAt(issuedAt)
    .setNotBefore(issuedAt)
    .setExpirationTime(issuedAt + lifetime)
    .sign(await loadSigningKey());
  return { token, expiresInSeconds: lifetime };
}
