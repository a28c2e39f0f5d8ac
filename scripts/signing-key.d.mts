/** An EC P-256 JWK as Tessera stores it. `d` is present only in a private key. */
export interface P256Jwk {
  kty: "EC";
  crv: "P-256";
  x: string;
  y: string;
  d?: string;
  kid: string;
}

/** A public key as TOKEN_PUBLIC_KEYS lists it. */
export interface PublicSigningJwk extends Omit<P256Jwk, "d"> {
  alg: "ES256";
  use: "sig";
}

export function thumbprint(jwk: { crv: string; kty: string; x: string; y: string }): string;
export function toPublicJwk(jwk: P256Jwk): PublicSigningJwk;
export function generateSigningKey(): {
  signingKey: P256Jwk & { d: string };
  publicKey: PublicSigningJwk;
};
export function generateSigningKeyEnv(): { TOKEN_SIGNING_KEY: string; TOKEN_PUBLIC_KEYS: string };
export function toDotenv(variables: Record<string, string>): string;
