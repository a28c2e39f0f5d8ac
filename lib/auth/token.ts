import "server-only";

import { importJWK, SignJWT, type CryptoKey } from "jose";

import { getEnv, type SigningKey } from "../env";
import { TOKEN_ALGORITHM, TOKEN_TYPE, type OrganizationRole } from "./token-verify";

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

export interface TokenSignerOptions {
  /** Private P-256 JWK. Its `kid` goes into every token header. */
  signingKey: SigningKey;
  issuer: string;
  /** Lifetime of a token, in whole seconds. */
  ttlSeconds: number;
}

export interface TokenSigner {
  /** The `kid` of the signing key. */
  readonly kid: string;
  /**
   * Mints a session token valid for the signer's lifetime from `now`, or for
   * `maxLifetimeSeconds` when that is shorter (at least one second).
   */
  mint(subject: TokenSubject, now?: Date, maxLifetimeSeconds?: number): Promise<MintedToken>;
}

const toEpochSeconds = (date: Date) => Math.floor(date.getTime() / 1000);

/** Creates a signer for one key. The key is imported on first use and kept. */
export function createTokenSigner(options: TokenSignerOptions): TokenSigner {
  const { signingKey, issuer, ttlSeconds } = options;
  if (!Number.isSafeInteger(ttlSeconds) || ttlSeconds < 1) {
    throw new Error(
      `Token lifetime must be a whole number of seconds, 1 or more, got ${ttlSeconds}.`,
    );
  }
  // Imported once: an import per token would double the signing cost.
  let key: Promise<CryptoKey | Uint8Array> | undefined;

  return {
    kid: signingKey.kid,

    async mint(subject, now = new Date(), maxLifetimeSeconds = Number.POSITIVE_INFINITY) {
      const lifetime = Math.max(1, Math.min(ttlSeconds, Math.floor(maxLifetimeSeconds)));
      const issuedAt = toEpochSeconds(now);
      const claims: Record<string, string | number> = {
        sid: subject.sessionId,
        auth_time: toEpochSeconds(subject.lastVerifiedAt),
      };
      if (subject.activeOrganizationId && subject.activeRole) {
        claims.org_id = subject.activeOrganizationId;
        claims.org_role = subject.activeRole;
      }

      key ??= importJWK(signingKey, TOKEN_ALGORITHM);
      // token-verify.ts accepts exactly these header members; add any new one there first.
      const token = await new SignJWT(claims)
        .setProtectedHeader({ alg: TOKEN_ALGORITHM, kid: signingKey.kid, typ: TOKEN_TYPE })
        .setIssuer(issuer)
        .setSubject(subject.userId)
        .setIssuedAt(issuedAt)
        .setNotBefore(issuedAt)
        .setExpirationTime(issuedAt + lifetime)
        .sign(await key);
      return { token, expiresInSeconds: lifetime };
    },
  };
}

let environmentSigner: TokenSigner | undefined;

/**
 * Mints a session token with TOKEN_SIGNING_KEY, valid for TOKEN_TTL_SECONDS from `now`, or
 * for `maxLifetimeSeconds` when that is shorter (at least one second).
 */
export async function mintSessionToken(
  subject: TokenSubject,
  now: Date = new Date(),
  maxLifetimeSeconds: number = Number.POSITIVE_INFINITY,
): Promise<MintedToken> {
  if (!environmentSigner) {
    const env = getEnv();
    environmentSigner = createTokenSigner({
      signingKey: env.signingKey,
      issuer: env.tokenIssuer,
      ttlSeconds: env.tokenTtlSeconds,
    });
  }
  return environmentSigner.mint(subject, now, maxLifetimeSeconds);
}
