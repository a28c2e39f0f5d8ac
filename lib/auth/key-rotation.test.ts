// The three-step key rotation and the emergency revoke, from the environment lines that
// scripts/rotate-signing-key.mjs prints, through lib/env.ts, to minting and verification.

import { decodeProtectedHeader } from "jose";
import { afterEach, describe, expect, it, vi } from "vitest";

import { parseEnv, type Env } from "../env";
import { planRotation, readCurrentKeys } from "../../scripts/rotate-signing-key.mjs";
import { generateSigningKey } from "../../scripts/signing-key.mjs";
import { createTokenSigner, type TokenSubject } from "./token";
import { CLOCK_TOLERANCE_SECONDS, createTokenVerifier } from "./token-verify";

const NOW = new Date("2026-03-01T12:00:00.000Z");
const TTL_SECONDS = 60;
const at = (seconds: number) => new Date(NOW.getTime() + seconds * 1000);

const subject: TokenSubject = {
  userId: "5b0f7c1e-6a0e-4a39-9a55-2f3b8e0c1d2a",
  sessionId: "ses_7QkX2mR9",
  lastVerifiedAt: NOW,
  activeOrganizationId: null,
  activeRole: null,
};

const oldKey = generateSigningKey();
const newKey = generateSigningKey();

/** Parses the environment of one rotation step with lib/env.ts, as a server does at startup. */
function stepEnv(signingKey: string, publicKeys: string): Env {
  return parseEnv({
    NODE_ENV: "test",
    TOKEN_SIGNING_KEY: signingKey,
    TOKEN_PUBLIC_KEYS: publicKeys,
    TOKEN_TTL_SECONDS: String(TTL_SECONDS),
  });
}

/** Creates the signer and verifier that one instance builds from its environment. */
function instance(env: Env) {
  return {
    signer: createTokenSigner({
      signingKey: env.signingKey,
      issuer: env.tokenIssuer,
      ttlSeconds: env.tokenTtlSeconds,
    }),
    verifier: createTokenVerifier({ issuer: env.tokenIssuer, publicKeys: env.publicKeys }),
  };
}

const before = {
  TOKEN_SIGNING_KEY: JSON.stringify(oldKey.signingKey),
  TOKEN_PUBLIC_KEYS: JSON.stringify({ keys: [oldKey.publicKey] }),
};
const plan = planRotation(readCurrentKeys(before), newKey);

const stepA = stepEnv(before.TOKEN_SIGNING_KEY, plan.publishBoth);
const stepB = stepEnv(plan.signWithNext, plan.publishBoth);
const stepC = stepEnv(plan.signWithNext, plan.publishNextOnly);

describe("key rotation", () => {
  it("step a verifies old token until exp", async () => {
    const original = instance(stepEnv(before.TOKEN_SIGNING_KEY, before.TOKEN_PUBLIC_KEYS));
    const { token } = await original.signer.mint(subject, NOW);
    const { verifier } = instance(stepA);

    const fresh = await verifier.verify(token, NOW);
    const late = await verifier.verify(token, at(TTL_SECONDS + CLOCK_TOLERANCE_SECONDS - 1));
    const expired = await verifier.verify(token, at(TTL_SECONDS + CLOCK_TOLERANCE_SECONDS));

    expect(fresh.ok).toBe(true);
    expect(late.ok).toBe(true);
    expect(expired).toEqual({ ok: false, reason: "expired" });
  });

  it("step a still signs with old key", async () => {
    const { signer } = instance(stepA);

    const { token } = await signer.mint(subject, NOW);

    expect(decodeProtectedHeader(token).kid).toBe(oldKey.signingKey.kid);
  });

  it("step b signs with new kid", async () => {
    const { signer, verifier } = instance(stepB);

    const { token } = await signer.mint(subject, NOW);

    expect(decodeProtectedHeader(token).kid).toBe(newKey.signingKey.kid);
    expect((await verifier.verify(token, NOW)).ok).toBe(true);
    // An instance that step a has reached accepts it too.
    expect((await instance(stepA).verifier.verify(token, NOW)).ok).toBe(true);
  });

  it("new token fails before step a", async () => {
    // Why step a must reach every instance first: one still on the old key set rejects
    // tokens signed with the new key.
    const stale = instance(stepEnv(before.TOKEN_SIGNING_KEY, before.TOKEN_PUBLIC_KEYS));
    const { token } = await instance(stepB).signer.mint(subject, NOW);

    expect(await stale.verifier.verify(token, NOW)).toEqual({ ok: false, reason: "invalid" });
  });

  it("step b keeps old tokens valid", async () => {
    const { token } = await instance(stepA).signer.mint(subject, NOW);

    const result = await instance(stepB).verifier.verify(token, at(30));

    expect(result.ok).toBe(true);
  });

  it("step c rejects unexpired old token", async () => {
    const { token } = await instance(stepA).signer.mint(subject, NOW);
    const { signer, verifier } = instance(stepC);

    const oldToken = await verifier.verify(token, at(10));
    const newToken = await verifier.verify((await signer.mint(subject, at(10))).token, at(10));

    expect(oldToken).toEqual({ ok: false, reason: "invalid" });
    expect(newToken.ok).toBe(true);
  });

  it("step c before step b fails startup", () => {
    expect(() => stepEnv(before.TOKEN_SIGNING_KEY, plan.publishNextOnly)).toThrow(
      "TOKEN_PUBLIC_KEYS has no public key matching TOKEN_SIGNING_KEY",
    );
  });

  it("restart drops cached old token", async () => {
    const { token } = await instance(stepA).signer.mint(subject, NOW);
    const running = instance(stepB);
    await running.verifier.verify(token, NOW);

    const restarted = instance(stepC);

    expect(running.verifier.cachedTokenCount).toBe(1);
    expect((await running.verifier.verify(token, at(1))).ok).toBe(true);
    expect(await restarted.verifier.verify(token, at(1))).toEqual({
      ok: false,
      reason: "invalid",
    });
  });
});

describe("emergency revoke", () => {
  const savedKeys = process.env.TOKEN_PUBLIC_KEYS;

  afterEach(() => {
    process.env.TOKEN_PUBLIC_KEYS = savedKeys;
    vi.resetModules();
  });

  /** Imports token-verify.ts with fresh module state, as a restarted process would. */
  async function restartWith(publicKeys: string) {
    process.env.TOKEN_PUBLIC_KEYS = publicKeys;
    vi.resetModules();
    return import("./token-verify");
  }

  it("restart with key removed rejects token", async () => {
    // verifySessionToken verifies at the current time, so this token is minted now.
    const { token } = await instance(stepA).signer.mint(subject);
    const beforeRevoke = await restartWith(plan.publishBoth);
    const cached = await beforeRevoke.verifySessionToken(token);

    const afterRevoke = await restartWith(plan.publishNextOnly);
    const result = await afterRevoke.verifySessionToken(token);

    expect(cached.ok).toBe(true);
    expect(result).toEqual({ ok: false, reason: "invalid" });
  });
});
