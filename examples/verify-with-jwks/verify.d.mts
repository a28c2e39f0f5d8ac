import type { JWTPayload } from "jose";

/** Claims of a verified Tessera session token. */
export interface TesseraClaims extends JWTPayload {
  iss: string;
  /** User id. */
  sub: string;
  /** Public id of the session. */
  sid: string;
  org_id?: string;
  org_role?: "admin" | "member";
  /** When the password was last verified for the session, in seconds since the epoch. */
  auth_time?: number;
  exp: number;
}

export interface TesseraVerifier {
  verify(token: string): Promise<TesseraClaims>;
}

export const DEFAULT_ISSUER: string;
export const CLOCK_TOLERANCE_SECONDS: number;
export function createTesseraVerifier(options: {
  jwksUrl: string;
  issuer?: string;
}): TesseraVerifier;
