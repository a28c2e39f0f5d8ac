import { spawn } from "node:child_process";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { base64url, importJWK, SignJWT } from "jose";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import { createTokenSigner, type TokenSubject } from "../../lib/auth/token";
import type { SigningKey } from "../../lib/env";
import { generateSigningKey, generateSigningKeyEnv } from "../../scripts/signing-key.mjs";
import { createTesseraVerifier } from "./verify.mjs";

const SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), "verify.mjs");
const ISSUER = "tessera";
const TTL_SECONDS = 60;

// The key pair the way `npm run keys:generate` makes it: the private JWK and the JWKS that
// Tessera serves at /.well-known/jwks.json.
const keys = generateSigningKeyEnv();
const signingKey = JSON.parse(keys.TOKEN_SIGNING_KEY) as SigningKey;
const signer = createTokenSigner({ signingKey, issuer: ISSUER, ttlSeconds: TTL_SECONDS });

const subject: TokenSubject = {
  userId: "0b6f4c39-8d7e-4a51-9c1e-3f2a6b7d8e90",
  sessionId: "7c1d2e3f-4a5b-4c6d-8e9f-0a1b2c3d4e5f",
  lastVerifiedAt: new Date(),
  activeOrganizationId: "5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9",
  activeRole: "admin",
};

let server: Server;
let jwksUrl = "";
let keySetRequests = 0;

beforeAll(async () => {
  server = createServer((request, response) => {
    if (request.url !== "/.well-known/jwks.json") {
      response.writeHead(404).end();
      return;
    }
    keySetRequests += 1;
    response
      .writeHead(200, {
        "Content-Type": "application/json",
        "Cache-Control": "public, max-age=300",
      })
      .end(keys.TOKEN_PUBLIC_KEYS);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  jwksUrl = `http://127.0.0.1:${port}/.well-known/jwks.json`;
});

afterAll(async () => {
  await new Promise<void>((resolve, reject) =>
    server.close((error) => (error ? reject(error) : resolve())),
  );
});

beforeEach(() => {
  keySetRequests = 0;
});

const secondsAgo = (seconds: number) => new Date(Date.now() - seconds * 1000);

/** Returns a compact JWT with the given header and claims and an empty signature. */
function unsignedToken(header: object, claims: object): string {
  const encode = (value: object) => base64url.encode(JSON.stringify(value));
  return `${encode(header)}.${encode(claims)}.`;
}

describe("createTesseraVerifier", () => {
  it("accepts a token Tessera minted", async () => {
    const { token } = await signer.mint(subject);
    const verifier = createTesseraVerifier({ jwksUrl, issuer: ISSUER });

    const claims = await verifier.verify(token);

    expect(claims).toMatchObject({
      iss: ISSUER,
      sub: subject.userId,
      sid: subject.sessionId,
      org_id: subject.activeOrganizationId,
      org_role: "admin",
    });
    expect(claims.exp - claims.iat!).toBe(TTL_SECONDS);
  });

  it("fetches the key set once", async () => {
    const verifier = createTesseraVerifier({ jwksUrl });

    for (let i = 0; i < 3; i += 1) {
      const { token } = await signer.mint(subject);
      await verifier.verify(token);
    }

    expect(keySetRequests).toBe(1);
  });

  it("rejects another key with the same kid", async () => {
    const forger = generateSigningKey().signingKey;
    const forged = createTokenSigner({
      signingKey: { ...forger, kid: signingKey.kid },
      issuer: ISSUER,
      ttlSeconds: TTL_SECONDS,
    });
    const { token } = await forged.mint(subject);

    await expect(createTesseraVerifier({ jwksUrl }).verify(token)).rejects.toMatchObject({
      code: "ERR_JWS_SIGNATURE_VERIFICATION_FAILED",
    });
  });

  it("rejects an unsigned token", async () => {
    const now = Math.floor(Date.now() / 1000);
    const claims = { iss: ISSUER, sub: subject.userId, sid: subject.sessionId, exp: now + 60 };

    for (const alg of ["none", "None", "NONE"]) {
      const token = unsignedToken({ alg, typ: "JWT", kid: signingKey.kid }, claims);
      await expect(createTesseraVerifier({ jwksUrl }).verify(token)).rejects.toMatchObject({
        code: "ERR_JOSE_ALG_NOT_ALLOWED",
      });
    }
  });

  it("rejects HS256 keyed with the public key", async () => {
    const publicKeyText = new TextEncoder().encode(keys.TOKEN_PUBLIC_KEYS);
    const token = await new SignJWT({ sid: subject.sessionId })
      .setProtectedHeader({ alg: "HS256", kid: signingKey.kid, typ: "JWT" })
      .setIssuer(ISSUER)
      .setSubject(subject.userId)
      .setExpirationTime("1m")
      .sign(publicKeyText);

    await expect(createTesseraVerifier({ jwksUrl }).verify(token)).rejects.toMatchObject({
      code: "ERR_JOSE_ALG_NOT_ALLOWED",
    });
  });

  it("rejects an unknown kid", async () => {
    const stranger = createTokenSigner({
      signingKey: generateSigningKey().signingKey,
      issuer: ISSUER,
      ttlSeconds: TTL_SECONDS,
    });
    const { token } = await stranger.mint(subject);

    await expect(createTesseraVerifier({ jwksUrl }).verify(token)).rejects.toMatchObject({
      code: "ERR_JWKS_NO_MATCHING_KEY",
    });
  });

  it("rejects another issuer", async () => {
    const { token } = await signer.mint(subject);

    await expect(
      createTesseraVerifier({ jwksUrl, issuer: "https://other.example" }).verify(token),
    ).rejects.toMatchObject({ code: "ERR_JWT_CLAIM_VALIDATION_FAILED", claim: "iss" });
  });

  it("allows 5 s of clock skew", async () => {
    const verifier = createTesseraVerifier({ jwksUrl });
    const justExpired = await signer.mint(subject, secondsAgo(TTL_SECONDS + 3));
    const longExpired = await signer.mint(subject, secondsAgo(TTL_SECONDS + 10));

    await expect(verifier.verify(justExpired.token)).resolves.toMatchObject({
      sid: subject.sessionId,
    });
    await expect(verifier.verify(longExpired.token)).rejects.toMatchObject({
      code: "ERR_JWT_EXPIRED",
    });
  });

  it("requires a session id", async () => {
    const key = await importJWK(signingKey, "ES256");
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: "ES256", kid: signingKey.kid, typ: "JWT" })
      .setIssuer(ISSUER)
      .setSubject(subject.userId)
      .setIssuedAt()
      .setExpirationTime("1m")
      .sign(key);

    await expect(createTesseraVerifier({ jwksUrl }).verify(token)).rejects.toMatchObject({
      code: "ERR_JWT_CLAIM_VALIDATION_FAILED",
      claim: "sid",
    });
  });

  it("rejects an invalid URL", () => {
    expect(() => createTesseraVerifier({ jwksUrl: "/.well-known/jwks.json" })).toThrow(
      'Invalid JWKS URL "/.well-known/jwks.json". Pass an absolute URL',
    );
  });
});

function runVerify(args: string[]) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [SCRIPT, ...args], {
      env: { PATH: process.env.PATH ?? "", NODE_ENV: "test" },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("verify.mjs command", () => {
  it("prints the claims of a valid token", async () => {
    const { token } = await signer.mint(subject);

    const { code, stdout, stderr } = await runVerify([jwksUrl, token]);

    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ sub: subject.userId, sid: subject.sessionId });
  });

  it("names why a token is rejected", async () => {
    const expired = await signer.mint(subject, secondsAgo(TTL_SECONDS + 10));

    const { code, stdout, stderr } = await runVerify([jwksUrl, expired.token]);

    expect(code).toBe(1);
    expect(stdout).toBe("");
    expect(stderr).toMatch(/^Token rejected: ERR_JWT_EXPIRED: /);
  });

  it("prints usage without arguments", async () => {
    const { code, stderr } = await runVerify([]);

    expect(code).toBe(2);
    expect(stderr).toContain("Usage: node examples/verify-with-jwks/verify.mjs <jwks-url> <token>");
  });
});
