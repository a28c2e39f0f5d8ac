import { base64url, decodeProtectedHeader } from "jose";
import { describe, expect, it } from "vitest";

import { getEnv } from "../env";
import { generateSigningKey } from "../../scripts/signing-key.mjs";
import { createTokenSigner, mintSessionToken, type TokenSubject } from "./token";
import { createTokenVerifier } from "./token-verify";

const ISSUER = "https://tessera.example";
// 500 ms past a whole second, so every time claim must be rounded down.
const NOW = new Date("2026-03-01T12:00:00.500Z");
const NOW_SECONDS = Math.floor(NOW.getTime() / 1000);
const TTL_SECONDS = 60;

const subject: TokenSubject = {
  userId: "5b0f7c1e-6a0e-4a39-9a55-2f3b8e0c1d2a",
  sessionId: "ses_7QkX2mR9",
  lastVerifiedAt: new Date("2026-03-01T11:50:00.900Z"),
  activeOrganizationId: null,
  activeRole: null,
};

const key = generateSigningKey();
const signer = createTokenSigner({
  signingKey: key.signingKey,
  issuer: ISSUER,
  ttlSeconds: TTL_SECONDS,
});

/** Returns the claims of a token without verifying it. */
function payloadOf(token: string): Record<string, unknown> {
  const [, payload] = token.split(".");
  return JSON.parse(new TextDecoder().decode(base64url.decode(payload!)));
}

describe("createTokenSigner", () => {
  it("writes only alg, kid and typ", async () => {
    const { token } = await signer.mint(subject, NOW);

    expect(decodeProtectedHeader(token)).toEqual({
      alg: "ES256",
      kid: key.signingKey.kid,
      typ: "JWT",
    });
    expect(signer.kid).toBe(key.signingKey.kid);
  });

  it("writes session claims in seconds", async () => {
    const minted = await signer.mint(subject, NOW);

    expect(minted.expiresInSeconds).toBe(TTL_SECONDS);
    expect(payloadOf(minted.token)).toEqual({
      iss: ISSUER,
      sub: subject.userId,
      sid: subject.sessionId,
      auth_time: NOW_SECONDS - 600,
      iat: NOW_SECONDS,
      nbf: NOW_SECONDS,
      exp: NOW_SECONDS + TTL_SECONDS,
    });
  });

  it("writes organization claims together", async () => {
    const withBoth = await signer.mint(
      { ...subject, activeOrganizationId: "org_acme", activeRole: "member" },
      NOW,
    );
    const withoutRole = await signer.mint(
      { ...subject, activeOrganizationId: "org_acme", activeRole: null },
      NOW,
    );

    expect(payloadOf(withBoth.token)).toMatchObject({ org_id: "org_acme", org_role: "member" });
    expect(payloadOf(withoutRole.token)).not.toHaveProperty("org_id");
    expect(payloadOf(withoutRole.token)).not.toHaveProperty("org_role");
  });

  it.each([
    [30.9, 30],
    [0.2, 1],
    [-5, 1],
    [TTL_SECONDS + 100, TTL_SECONDS],
  ])("caps lifetime %d at %d seconds", async (maxLifetime, expected) => {
    const minted = await signer.mint(subject, NOW, maxLifetime);

    expect(minted.expiresInSeconds).toBe(expected);
    expect(payloadOf(minted.token).exp).toBe(NOW_SECONDS + expected);
  });

  it("minted token verifies", async () => {
    const verifier = createTokenVerifier({ issuer: ISSUER, publicKeys: { keys: [key.publicKey] } });
    const { token } = await signer.mint(subject, NOW);

    const result = await verifier.verify(token, NOW);

    expect(result.ok).toBe(true);
  });

  it.each([0, -1, 1.5, Number.NaN])("rejects lifetime %d", (ttlSeconds) => {
    expect(() =>
      createTokenSigner({ signingKey: key.signingKey, issuer: ISSUER, ttlSeconds }),
    ).toThrow(/Token lifetime must be a whole number of seconds/);
  });
});

describe("mintSessionToken", () => {
  it("signs with environment key", async () => {
    const env = getEnv();

    const minted = await mintSessionToken(subject, NOW);

    expect(decodeProtectedHeader(minted.token).kid).toBe(env.signingKey.kid);
    expect(payloadOf(minted.token).iss).toBe(env.tokenIssuer);
    expect(minted.expiresInSeconds).toBe(env.tokenTtlSeconds);
  });
});
