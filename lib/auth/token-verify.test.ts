import {
  base64url,
  CompactSign,
  createLocalJWKSet,
  decodeProtectedHeader,
  exportJWK,
  generateKeyPair,
  importJWK,
  type CompactJWSHeaderParameters,
  type JSONWebKeySet,
  type JWK,
} from "jose";
import { beforeAll, describe, expect, it } from "vitest";

import { getEnv } from "../env";
import { mintSessionToken, type TokenSubject } from "./token";
import {
  CLOCK_TOLERANCE_SECONDS,
  MAX_TOKEN_LENGTH,
  verifySessionToken,
  verifyToken,
  type TokenVerifierOptions,
} from "./token-verify";

const NOW = new Date("2026-03-01T12:00:00.000Z");
const NOW_SECONDS = NOW.getTime() / 1000;
const TTL_SECONDS = 60;

const subject: TokenSubject = {
  userId: "5b0f7c1e-6a0e-4a39-9a55-2f3b8e0c1d2a",
  sessionId: "ses_7QkX2mR9",
  lastVerifiedAt: new Date(NOW.getTime() - 10 * 60_000),
  activeOrganizationId: null,
  activeRole: null,
};

const publicKeys = (): JSONWebKeySet => JSON.parse(process.env.TOKEN_PUBLIC_KEYS!);
const serverKid = (): string => getEnv().signingKey.kid;

function verifierAt(date: Date): TokenVerifierOptions {
  return {
    issuer: getEnv().tokenIssuer,
    keys: createLocalJWKSet(publicKeys()),
    currentDate: date,
  };
}

const atSecondsFromNow = (seconds: number) => new Date(NOW.getTime() + seconds * 1000);

/** Builds the claims mintSessionToken writes at NOW. An `undefined` override drops a claim. */
function sessionClaims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    iss: getEnv().tokenIssuer,
    sub: subject.userId,
    sid: subject.sessionId,
    auth_time: NOW_SECONDS - 600,
    iat: NOW_SECONDS,
    nbf: NOW_SECONDS,
    exp: NOW_SECONDS + TTL_SECONDS,
    ...overrides,
  };
}

type SigningKeyInput = Parameters<CompactSign["sign"]>[0];

/** Signs any payload and header with jose directly, bypassing mintSessionToken. */
async function signRaw(
  payload: Record<string, unknown>,
  header: CompactJWSHeaderParameters,
  key: SigningKeyInput,
): Promise<string> {
  const bytes = new TextEncoder().encode(JSON.stringify(payload));
  return new CompactSign(bytes).setProtectedHeader(header).sign(key);
}

async function signWithServerKey(
  payload: Record<string, unknown>,
  header: Partial<CompactJWSHeaderParameters> = {},
): Promise<string> {
  const key = await importJWK(getEnv().signingKey, "ES256");
  return signRaw(payload, { alg: "ES256", kid: serverKid(), ...header }, key);
}

const encodeSegment = (value: unknown) => base64url.encode(JSON.stringify(value));

describe("verifyToken", () => {
  let token: string;

  beforeAll(async () => {
    ({ token } = await mintSessionToken(subject, NOW));
  });

  it("accepts fresh minted token", async () => {
    const result = await verifyToken(token, verifierAt(NOW));

    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.claims.sub).toBe(subject.userId);
    expect(result.claims.sid).toBe(subject.sessionId);
    expect(result.claims.auth_time).toBe(NOW_SECONDS - 600);
    expect(result.claims.iss).toBe(getEnv().tokenIssuer);
    expect(result.claims.iat).toBe(NOW_SECONDS);
    expect(result.claims.nbf).toBe(NOW_SECONDS);
    expect(result.claims.exp).toBe(NOW_SECONDS + TTL_SECONDS);
    expect(result.claims.org_id).toBeUndefined();
    expect(result.claims.org_role).toBeUndefined();
  });

  it("minted token names its kid", () => {
    const header = decodeProtectedHeader(token);

    expect(header.alg).toBe("ES256");
    expect(header.kid).toBe(serverKid());
    expect(publicKeys().keys.map((key) => key.kid)).toContain(header.kid);
  });

  it("minted token carries organization role", async () => {
    const minted = await mintSessionToken(
      { ...subject, activeOrganizationId: "org_acme", activeRole: "admin" },
      NOW,
    );

    const result = await verifyToken(minted.token, verifierAt(NOW));

    expect(minted.expiresInSeconds).toBe(TTL_SECONDS);
    expect(result).toMatchObject({ ok: true, claims: { org_id: "org_acme" } });
    expect(result).toMatchObject({ ok: true, claims: { org_role: "admin" } });
  });

  it("forged baseline with server key verifies", async () => {
    // Every forged token below starts from this claim set, so each rejection comes from the
    // one change its test makes.
    const forged = await signWithServerKey(sessionClaims());

    const result = await verifyToken(forged, verifierAt(NOW));

    expect(result).toEqual({ ok: true, claims: sessionClaims() });
  });

  it("expired token beyond tolerance", async () => {
    const result = await verifyToken(
      token,
      verifierAt(atSecondsFromNow(TTL_SECONDS + CLOCK_TOLERANCE_SECONDS + 1)),
    );

    expect(result).toEqual({ ok: false, reason: "expired" });
  });

  it("expired token within tolerance verifies", async () => {
    const result = await verifyToken(
      token,
      verifierAt(atSecondsFromNow(TTL_SECONDS + CLOCK_TOLERANCE_SECONDS - 1)),
    );

    expect(result.ok).toBe(true);
  });

  it("rejects nbf in the future", async () => {
    const early = verifierAt(atSecondsFromNow(-(CLOCK_TOLERANCE_SECONDS + 1)));

    const result = await verifyToken(token, early);

    expect(result).toEqual({ ok: false, reason: "invalid" });
  });

  it("rejects changed payload", async () => {
    const [header, payload, signature] = token.split(".");
    const claims = JSON.parse(new TextDecoder().decode(base64url.decode(payload!)));
    const tampered = `${header}.${encodeSegment({ ...claims, sid: "ses_someone_else" })}.${signature}`;

    const result = await verifyToken(tampered, verifierAt(NOW));

    expect(tampered).not.toBe(token);
    expect(result).toEqual({ ok: false, reason: "invalid" });
  });

  it("rejects other P-256 key with same kid", async () => {
    const attacker = await generateKeyPair("ES256");
    const forged = await signRaw(
      sessionClaims(),
      { alg: "ES256", kid: serverKid() },
      attacker.privateKey,
    );

    const result = await verifyToken(forged, verifierAt(NOW));

    expect(result).toEqual({ ok: false, reason: "invalid" });
  });

  it("rejects unsecured alg none", async () => {
    const unsecured = `${encodeSegment({ alg: "none", kid: serverKid() })}.${encodeSegment(sessionClaims())}.`;

    const result = await verifyToken(unsecured, verifierAt(NOW));

    expect(result).toEqual({ ok: false, reason: "invalid" });
  });

  it("rejects HS256 keyed with public key", async () => {
    // The classic algorithm confusion: a verifier that let the header pick the algorithm
    // would use the published key's bytes as the HMAC secret.
    const publishedKey = publicKeys().keys[0];
    const secrets = [JSON.stringify(publishedKey), process.env.TOKEN_PUBLIC_KEYS!];

    for (const secret of secrets) {
      const forged = await signRaw(
        sessionClaims(),
        { alg: "HS256", kid: serverKid() },
        new TextEncoder().encode(secret),
      );

      const result = await verifyToken(forged, verifierAt(NOW));

      expect(result).toEqual({ ok: false, reason: "invalid" });
    }
  });

  it.each(["ES384", "RS256"])("rejects %s signature", async (algorithm) => {
    const other = await generateKeyPair(algorithm);
    const forged = await signRaw(
      sessionClaims(),
      { alg: algorithm, kid: serverKid() },
      other.privateKey,
    );

    const result = await verifyToken(forged, verifierAt(NOW));

    expect(result).toEqual({ ok: false, reason: "invalid" });
  });

  it("rejects wrong issuer", async () => {
    const forged = await signWithServerKey(sessionClaims({ iss: "https://other.example" }));

    const result = await verifyToken(forged, verifierAt(NOW));

    expect(result).toEqual({ ok: false, reason: "invalid" });
  });

  it.each([
    ["sid", { sid: undefined }],
    ["sub", { sub: undefined }],
    ["exp", { exp: undefined }],
    ["nbf", { nbf: undefined }],
    ["iat", { iat: undefined }],
    ["auth_time", { auth_time: undefined }],
    ["iss", { iss: undefined }],
  ])("rejects missing %s", async (_claim, overrides) => {
    const forged = await signWithServerKey(sessionClaims(overrides));

    const result = await verifyToken(forged, verifierAt(NOW));

    expect(result).toEqual({ ok: false, reason: "invalid" });
  });

  it.each([
    ["numeric sub", { sub: 42 }],
    ["numeric sid", { sid: 7 }],
    ["string auth_time", { auth_time: "yesterday" }],
    ["string exp", { exp: String(NOW_SECONDS + TTL_SECONDS) }],
    ["numeric org_id", { org_id: 12 }],
    ["unknown org_role", { org_id: "org_acme", org_role: "owner" }],
  ])("rejects %s claim", async (_case, overrides) => {
    const forged = await signWithServerKey(sessionClaims(overrides));

    const result = await verifyToken(forged, verifierAt(NOW));

    expect(result).toEqual({ ok: false, reason: "invalid" });
  });

  it("rejects unknown kid", async () => {
    const forged = await signWithServerKey(sessionClaims(), { kid: "retired-key" });

    const result = await verifyToken(forged, verifierAt(NOW));

    expect(result).toEqual({ ok: false, reason: "invalid" });
  });

  it("rejects oversized token", async () => {
    // Validly signed, so only the length check can reject it.
    const padding = "x".repeat(MAX_TOKEN_LENGTH);
    const oversized = await signWithServerKey(sessionClaims({ padding }));

    const result = await verifyToken(oversized, verifierAt(NOW));

    expect(oversized.length).toBeGreaterThan(MAX_TOKEN_LENGTH);
    expect(result).toEqual({ ok: false, reason: "invalid" });
  });

  it.each([undefined, ""])("reports %j token as missing", async (missing) => {
    const result = await verifyToken(missing, verifierAt(NOW));

    expect(result).toEqual({ ok: false, reason: "missing" });
  });

  it("rejects malformed compact token", async () => {
    for (const garbage of ["not-a-token", "a.b.c", `${token}.extra`]) {
      const result = await verifyToken(garbage, verifierAt(NOW));

      expect(result).toEqual({ ok: false, reason: "invalid" });
    }
  });

  it("ignores embedded jwk header", async () => {
    const attacker = await generateKeyPair("ES256", { extractable: true });
    const attackerJwk: JWK = await exportJWK(attacker.publicKey);
    const headers: CompactJWSHeaderParameters[] = [
      { alg: "ES256", jwk: attackerJwk },
      { alg: "ES256", kid: serverKid(), jwk: { ...attackerJwk, kid: serverKid() } },
    ];

    for (const header of headers) {
      const forged = await signRaw(sessionClaims(), header, attacker.privateKey);

      const result = await verifyToken(forged, verifierAt(NOW));

      expect(result).toEqual({ ok: false, reason: "invalid" });
    }
  });
});

describe("verifySessionToken", () => {
  it("accepts token from configured key", async () => {
    const { token } = await mintSessionToken(subject);

    const result = await verifySessionToken(token);

    expect(result).toMatchObject({ ok: true, claims: { sid: subject.sessionId } });
  });

  it("rejects token from another key", async () => {
    const attacker = await generateKeyPair("ES256");
    const issuedAt = Math.floor(Date.now() / 1000);
    const forged = await signRaw(
      sessionClaims({ iat: issuedAt, nbf: issuedAt, exp: issuedAt + TTL_SECONDS }),
      { alg: "ES256", kid: serverKid() },
      attacker.privateKey,
    );

    const result = await verifySessionToken(forged);

    expect(result).toEqual({ ok: false, reason: "invalid" });
  });

  it("reports absent token as missing", async () => {
    const result = await verifySessionToken(undefined);

    expect(result).toEqual({ ok: false, reason: "missing" });
  });
});
