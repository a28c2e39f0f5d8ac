import { decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from "jose";
import { beforeEach, describe, expect, it, vi } from "vitest";

import { generateSigningKey } from "../../scripts/signing-key.mjs";
import { createTokenSigner, mintSessionToken, type TokenSubject } from "./token";
import {
  CLOCK_TOLERANCE_SECONDS,
  createTokenVerifier,
  verifySessionToken,
  type SessionClaims,
  type TokenVerification,
  type TokenVerifierOptions,
} from "./token-verify";

// A pass-through spy, so cache tests can count full verifications.
vi.mock("jose", async (importOriginal) => {
  const actual = await importOriginal<typeof import("jose")>();
  return { ...actual, jwtVerify: vi.fn(actual.jwtVerify) };
});

const ISSUER = "tessera";
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

const key = generateSigningKey();
const publicKeys: JSONWebKeySet = { keys: [key.publicKey] };
const signer = createTokenSigner({
  signingKey: key.signingKey,
  issuer: ISSUER,
  ttlSeconds: TTL_SECONDS,
});

const at = (seconds: number) => new Date(NOW.getTime() + seconds * 1000);

function newVerifier(options: Partial<TokenVerifierOptions> = {}) {
  return createTokenVerifier({ issuer: ISSUER, publicKeys, ...options });
}

/** Mints a token at NOW for a session of its own, so each token string is distinct. */
async function mintAtNow(sessionId = subject.sessionId, maxLifetimeSeconds?: number) {
  return (await signer.mint({ ...subject, sessionId }, NOW, maxLifetimeSeconds)).token;
}

/** Returns the claims of a successful verification, failing the test otherwise. */
function claimsOf(result: TokenVerification): SessionClaims {
  if (!result.ok) throw new Error(`verification failed: ${result.reason}`);
  return result.claims;
}

/** Replaces the character at `index` with another base64url character. */
function changeCharacterAt(token: string, index: number): string {
  const replacement = token[index] === "A" ? "B" : "A";
  return `${token.slice(0, index)}${replacement}${token.slice(index + 1)}`;
}

beforeEach(() => {
  vi.mocked(jwtVerify).mockClear();
});

describe("createTokenVerifier", () => {
  it("accepts minted token", async () => {
    const token = await mintAtNow();

    const result = await newVerifier().verify(token, NOW);

    expect(result).toEqual({
      ok: true,
      claims: {
        iss: ISSUER,
        sub: subject.userId,
        sid: subject.sessionId,
        auth_time: NOW_SECONDS - 600,
        iat: NOW_SECONDS,
        nbf: NOW_SECONDS,
        exp: NOW_SECONDS + TTL_SECONDS,
      },
    });
  });

  it("returns organization claims", async () => {
    const { token } = await signer.mint(
      { ...subject, activeOrganizationId: "org_acme", activeRole: "admin" },
      NOW,
    );

    const result = await newVerifier().verify(token, NOW);

    expect(result).toMatchObject({ ok: true, claims: { org_id: "org_acme", org_role: "admin" } });
  });

  it("returns frozen claims", async () => {
    const result = await newVerifier().verify(await mintAtNow(), NOW);

    expect(Object.isFrozen(claimsOf(result))).toBe(true);
  });

  it("reports expired token", async () => {
    const token = await mintAtNow();

    const result = await newVerifier().verify(token, at(TTL_SECONDS + CLOCK_TOLERANCE_SECONDS));

    expect(result).toEqual({ ok: false, reason: "expired" });
  });

  it.each([undefined, ""])("reports %j token as missing", async (missing) => {
    const result = await newVerifier().verify(missing, NOW);

    expect(result).toEqual({ ok: false, reason: "missing" });
  });

  it("rejects token from removed key", async () => {
    const next = generateSigningKey();
    const token = await mintAtNow();
    const before = newVerifier();
    const after = newVerifier({ publicKeys: { keys: [next.publicKey] } });

    expect((await before.verify(token, NOW)).ok).toBe(true);
    expect(await after.verify(token, NOW)).toEqual({ ok: false, reason: "invalid" });
  });

  it("rejects invalid currentDate", async () => {
    const verifier = newVerifier();
    const token = await mintAtNow();
    await verifier.verify(token, NOW);

    await expect(verifier.verify(token, new Date(Number.NaN))).rejects.toThrow(
      "currentDate is an invalid Date.",
    );
  });

  it("copies key set at creation", async () => {
    const keys: JSONWebKeySet = { keys: [key.publicKey] };
    const verifier = newVerifier({ publicKeys: keys });
    keys.keys.length = 0;

    expect((await verifier.verify(await mintAtNow(), NOW)).ok).toBe(true);
  });
});

describe("verification cache", () => {
  it("hit skips jose", async () => {
    const verifier = newVerifier();
    const token = await mintAtNow();

    const first = await verifier.verify(token, NOW);
    const second = await verifier.verify(token, at(30));

    expect(second).toEqual(first);
    expect(claimsOf(second)).toBe(claimsOf(first));
    expect(jwtVerify).toHaveBeenCalledTimes(1);
    expect(verifier.cachedTokenCount).toBe(1);
  });

  it("one changed character misses", async () => {
    const verifier = newVerifier();
    const token = await mintAtNow();
    const signatureStart = token.lastIndexOf(".") + 1;
    const changed = changeCharacterAt(token, signatureStart + 10);

    await verifier.verify(token, NOW);
    const result = await verifier.verify(changed, NOW);

    expect(changed).toHaveLength(token.length);
    expect(result).toEqual({ ok: false, reason: "invalid" });
    expect(jwtVerify).toHaveBeenCalledTimes(2);
    expect(verifier.cachedTokenCount).toBe(1);
  });

  it("serves hits until exp", async () => {
    const verifier = newVerifier();
    const token = await mintAtNow();

    await verifier.verify(token, NOW);
    const lastHit = await verifier.verify(token, at(TTL_SECONDS - 1));

    expect(lastHit.ok).toBe(true);
    expect(jwtVerify).toHaveBeenCalledTimes(1);
  });

  it("expiry evicts entry", async () => {
    const verifier = newVerifier();
    const token = await mintAtNow();
    await verifier.verify(token, NOW);

    // At exp the cache no longer serves the entry. Full verification still accepts the token within
    // the clock tolerance, and does not cache it again.
    const withinTolerance = await verifier.verify(token, at(TTL_SECONDS));
    const countAfterExp = verifier.cachedTokenCount;
    const beyondTolerance = await verifier.verify(token, at(TTL_SECONDS + CLOCK_TOLERANCE_SECONDS));

    expect(withinTolerance.ok).toBe(true);
    expect(countAfterExp).toBe(0);
    expect(beyondTolerance).toEqual({ ok: false, reason: "expired" });
    expect(jwtVerify).toHaveBeenCalledTimes(3);
  });

  it("ignores entry before nbf", async () => {
    const verifier = newVerifier();
    const token = await mintAtNow();
    await verifier.verify(token, NOW);

    const early = await verifier.verify(token, at(-(CLOCK_TOLERANCE_SECONDS + 1)));

    expect(early).toEqual({ ok: false, reason: "invalid" });
    expect(jwtVerify).toHaveBeenCalledTimes(2);
  });

  it("bound evicts oldest", async () => {
    const verifier = newVerifier({ maxCachedTokens: 3 });
    const tokens = await Promise.all(
      ["ses_1", "ses_2", "ses_3", "ses_4"].map((id) => mintAtNow(id)),
    );
    for (const token of tokens) await verifier.verify(token, NOW);
    vi.mocked(jwtVerify).mockClear();

    await verifier.verify(tokens[3], NOW);
    const countBeforeOldest = verifier.cachedTokenCount;
    await verifier.verify(tokens[0], NOW);

    expect(countBeforeOldest).toBe(3);
    expect(verifier.cachedTokenCount).toBe(3);
    expect(jwtVerify).toHaveBeenCalledTimes(1);
  });

  it("drops expired entries first", async () => {
    const verifier = newVerifier({ maxCachedTokens: 3 });
    const short = await mintAtNow("ses_short", 10);
    const long = await mintAtNow("ses_long");
    await verifier.verify(short, NOW);
    await verifier.verify(long, NOW);

    await verifier.verify(await mintAtNow("ses_new"), at(20));
    vi.mocked(jwtVerify).mockClear();
    await verifier.verify(long, at(20));

    expect(verifier.cachedTokenCount).toBe(2);
    expect(jwtVerify).not.toHaveBeenCalled();
  });

  it("does not cache failures", async () => {
    const verifier = newVerifier();
    const forged = changeCharacterAt(await mintAtNow(), 20);

    await verifier.verify(forged, NOW);
    await verifier.verify(forged, NOW);

    expect(verifier.cachedTokenCount).toBe(0);
    expect(jwtVerify).toHaveBeenCalledTimes(2);
  });

  it("zero bound disables cache", async () => {
    const verifier = newVerifier({ maxCachedTokens: 0 });
    const token = await mintAtNow();

    await verifier.verify(token, NOW);
    await verifier.verify(token, NOW);

    expect(verifier.cachedTokenCount).toBe(0);
    expect(jwtVerify).toHaveBeenCalledTimes(2);
  });
});

describe("verifySessionToken", () => {
  it("accepts token from configured key", async () => {
    const { token } = await mintSessionToken(subject);

    const result = await verifySessionToken(token);

    expect(decodeProtectedHeader(token)).toEqual({
      alg: "ES256",
      kid: JSON.parse(process.env.TOKEN_SIGNING_KEY!).kid,
      typ: "JWT",
    });
    expect(result).toMatchObject({ ok: true, claims: { sid: subject.sessionId } });
  });

  it("rejects token from another key", async () => {
    const other = createTokenSigner({
      signingKey: {
        ...generateSigningKey().signingKey,
        kid: JSON.parse(process.env.TOKEN_SIGNING_KEY!).kid,
      },
      issuer: ISSUER,
      ttlSeconds: TTL_SECONDS,
    });
    const { token } = await other.mint(subject);

    const result = await verifySessionToken(token);

    expect(result).toEqual({ ok: false, reason: "invalid" });
  });

  it("reports absent token as missing", async () => {
    const result = await verifySessionToken(undefined);

    expect(result).toEqual({ ok: false, reason: "missing" });
  });
});
