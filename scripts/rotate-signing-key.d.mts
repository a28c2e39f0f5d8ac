import type { P256Jwk, PublicSigningJwk } from "./signing-key.mjs";

/** The keys the app runs with now. */
export interface CurrentKeys {
  signingKey: P256Jwk & { d: string };
  publicKeys: PublicSigningJwk[];
}

/** Variable values of each rotation step, as JSON strings. */
export interface RotationPlan {
  currentKid: string;
  nextKid: string;
  /** Kids listed in TOKEN_PUBLIC_KEYS besides the current signing key. */
  otherKids: string[];
  /** TOKEN_PUBLIC_KEYS of steps 1 and 2. */
  publishBoth: string;
  /** TOKEN_SIGNING_KEY of step 2. */
  signWithNext: string;
  /** TOKEN_PUBLIC_KEYS of step 3. */
  publishNextOnly: string;
}

export const DEFAULT_TOKEN_TTL_SECONDS: number;
export const CLOCK_TOLERANCE_SECONDS: number;
export const JWKS_MAX_AGE_SECONDS: number;
export function parseTokenTtlSeconds(raw: string | undefined): number;
export function readCurrentKeys(env: Record<string, string | undefined>): CurrentKeys;
export function planRotation(
  current: CurrentKeys,
  next: { signingKey: P256Jwk & { d: string }; publicKey: PublicSigningJwk },
): RotationPlan;
export function formatRotation(plan: RotationPlan, ttlSeconds: number): string;
