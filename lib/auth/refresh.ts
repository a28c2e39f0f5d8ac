import "server-only";

import { getDb } from "../db/client";
import { getEnv } from "../env";
import { refreshSession } from "./sessions";
import { mintSessionToken, type MintedToken } from "./token";
import type { OrganizationRole } from "./token-verify";

export interface RefreshedToken extends MintedToken {
  sessionId: string;
  organizationId: string | null;
  role: OrganizationRole | null;
}

/**
 * Validates the session behind a cookie secret and mints its next token. Returns null when
 * the session is not active, so the caller can sign the browser out.
 */
export async function refreshToken(
  secret: string,
  options: { userActivity: boolean },
): Promise<RefreshedToken | null> {
  const subject = await refreshSession(await getDb(), secret, {
    ...options,
    maxAgeSeconds: getEnv().sessionMaxAgeSeconds,
  });
  if (!subject) return null;
  const minted = await mintSessionToken(subject);
  return {
    ...minted,
    sessionId: subject.sessionId,
    organizationId: subject.activeOrganizationId,
    role: subject.activeRole,
  };
}
