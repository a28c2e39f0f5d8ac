import "server-only";

import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { cache } from "react";

import { getDb } from "../db/client";
import { readRequestContext, type RequestContext } from "../device/request-context";
import { getEnv } from "../env";
import {
  clearAuthCookies,
  readSessionSecret,
  readSessionToken,
  setSessionCookie,
  setTokenCookie,
} from "./cookies";
import { findRole } from "../orgs/organizations";
import { hasRole } from "./roles";
import { findActiveSession, type CreatedSession } from "./sessions";
import { mintSessionToken, type TokenSubject } from "./token";
import { verifySessionToken, type OrganizationRole, type SessionClaims } from "./token-verify";

/**
 * The session cookie outlives the absolute limit by this much, so the browser still sends
 * it to the refresh that finds the limit passed, and the sign-in page can show why the user
 * was signed out instead of seeing a plain sign-in page. The server refuses the session either way.
 */
const SESSION_COOKIE_GRACE_SECONDS = 60;

export interface Auth {
  claims: SessionClaims;
  /** Seconds until the token expires, by the server's clock. */
  expiresInSeconds: number;
}

/**
 * Returns the verified token claims of this request, or null when signed out. Stateless:
 * verifies the token cookie with the public key and reads no database. Memoized per
 * request, so a layout, its page and their components verify once.
 */
export const getAuth = cache(async (): Promise<Auth | null> => {
  const result = await verifySessionToken(readSessionToken(await cookies()));
  if (!result.ok) return null;
  const expiresInSeconds = Math.max(0, result.claims.exp - Math.floor(Date.now() / 1000));
  return { claims: result.claims, expiresInSeconds };
});

/**
 * Returns the verified claims or redirects: through the handshake when a session cookie
 * could mint a new token, to sign-in otherwise. `returnPath` is where the user comes back.
 */
export async function requireAuth(returnPath: string): Promise<Auth> {
  const auth = await getAuth();
  if (auth) return auth;
  const query = new URLSearchParams({ return_to: returnPath });
  if (readSessionSecret(await cookies())) redirect(`/auth/handshake?${query}`);
  redirect(`/sign-in?${query}`);
}

/**
 * Returns the caller's session row after re-reading it in the database, for mutations: a
 * token may be up to one lifetime stale, and a revoked session must not act. Signs the
 * browser out and redirects to sign-in when the row is not active.
 */
export async function requireActiveSession(): Promise<TokenSubject> {
  const cookieStore = await cookies();
  const secret = readSessionSecret(cookieStore);
  const limits = getEnv().sessionLimits;
  const session = secret ? await findActiveSession(await getDb(), secret, limits) : null;
  if (!session) {
    clearAuthCookies(cookieStore);
    redirect("/sign-in?reason=session_ended");
  }
  return session;
}

/**
 * Returns the verified claims when the token's role grants `required`, from the token alone
 * (no database). Redirects to /forbidden otherwise. For reads: a role removed on the server
 * stops passing this check at the session's next refresh, within one token lifetime.
 */
export async function requireRole(required: OrganizationRole, returnPath: string): Promise<Auth> {
  const auth = await requireAuth(returnPath);
  if (!hasRole(auth.claims, required)) {
    redirect(`/forbidden?${new URLSearchParams({ required })}`);
  }
  return auth;
}

export interface VerifiedAdmin {
  session: TokenSubject;
  organizationId: string;
}

/**
 * Returns the caller's session after re-reading it and their membership in the database,
 * for mutations: a token that still carries the admin role is not enough. Returns null when the caller
 * is not, or no longer, an admin of the session's active organization.
 */
export async function requireAdminFromDatabase(): Promise<VerifiedAdmin | null> {
  const session = await requireActiveSession();
  if (!session.activeOrganizationId) return null;
  const role = await findRole(await getDb(), session.userId, session.activeOrganizationId);
  if (role !== "admin") return null;
  return { session, organizationId: session.activeOrganizationId };
}

export async function currentRequestContext(): Promise<RequestContext> {
  return readRequestContext(await headers(), getEnv().trustedProxyHops);
}

/** Sets both cookies for a session that was just created by sign-in or sign-up. */
export async function startBrowserSession(session: CreatedSession): Promise<void> {
  const cookieStore = await cookies();
  const minted = await mintSessionToken(session.subject);
  setSessionCookie(
    cookieStore,
    session.secret,
    getEnv().sessionLimits.absoluteTimeoutSeconds + SESSION_COOKIE_GRACE_SECONDS,
  );
  setTokenCookie(cookieStore, minted.token, minted.expiresInSeconds);
}
