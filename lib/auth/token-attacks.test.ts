// Forged and malformed tokens that verification must reject. Every forgery starts from a token
// that verifies (the baseline test) and changes one thing, so each rejection has one cause.

import {
  base64url,
  CompactSign,
  exportJWK,
  exportSPKI,
  generateKeyPair,
  jwtVerify,
  type CompactJWSHeaderParameters,
  type JWK,
} from "jose";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { generateSigningKey } from "../../scripts/signing-key.mjs";
import {
  CLOCK_TOLERANCE_SECONDS,
  createTokenVerifier,
  MAX_TOKEN_LENGTH,
  type TokenVerification,
} from "./token-verify";

// A pass-through spy, so tests can tell whether a token reached jose at all.
vi.mock("jose", async (importOriginal) => {
  const actual = await importOriginal<typeof import("jose")>();
  return { ...actual, jwtVerify: vi.fn(actual.jwtVerify) };
});

const ISSUER = "tessera";
const NOW = new Date("2026-03-01T12:00:00.000Z");
const NOW_SECONDS = NOW.getTime() / 1000;
const TTL_SECONDS = 60;
const INVALID: TokenVerification = { ok: false, reason: "invalid" };
// Any request to a key URL would go here, on loopback, and the fetch spy fails it anyway.
const KEY_URL = "http://127.0.0.1:9/jwks.json";

const server = generateSigningKey();
const KID = server.signingKey.kid;
const serverPrivateKey = await crypto.subtle.importKey(
  "jwk",
  {
    kty: "EC",
    crv: "P-256",
    x: server.signingKey.x,
    y: server.signingKey.y,
    d: server.signingKey.d,
  },
  { name: "ECDSA", namedCurve: "P-256" },
  false,
  ["sign"],
);
const attacker = await generateKeyPair("ES256", { extractable: true });
const attackerJwk: JWK = await exportJWK(attacker.publicKey);

// Caching off, so every call runs the full verification.
const verifier = createTokenVerifier({
  issuer: ISSUER,
  publicKeys: { keys: [server.publicKey] },
  maxCachedTokens: 0,
});

const HEADER = { alg: "ES256", kid: KID, typ: "JWT" };

/** Returns the claims lib/auth/token.ts writes at NOW. An `undefined` override drops a claim. */
function claims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    sid: "ses_7QkX2mR9",
    auth_time: NOW_SECONDS - 600,
    iss: ISSUER,
    sub: "5b0f7c1e-6a0e-4a39-9a55-2f3b8e0c1d2a",
    iat: NOW_SECONDS,
    nbf: NOW_SECONDS,
    exp: NOW_SECONDS + TTL_SECONDS,
    ...overrides,
  };
}

const encoder = new TextEncoder();

/** Encodes a JSON value, or a string taken as raw JSON text, as one base64url segment. */
const segment = (value: unknown) =>
  base64url.encode(typeof value === "string" ? value : JSON.stringify(value));

/**
 * Signs `header` and `payload` with the server's private key, whatever the header claims.
 * `hash` picks the ECDSA digest, so the right key can sign under an ES384 or ES512 header.
 */
async function forge(
  header: Record<string, unknown> | string,
  payload: Record<string, unknown> | string = claims(),
  hash = "SHA-256",
): Promise<string> {
  const input = `${segment(header)}.${segment(payload)}`;
  const signature = await crypto.subtle.sign(
    { name: "ECDSA", hash },
    serverPrivateKey,
    encoder.encode(input),
  );
  return `${input}.${base64url.encode(new Uint8Array(signature))}`;
}

type SigningKeyInput = Parameters<CompactSign["sign"]>[0];

/** Signs with any key through jose, for algorithms other than ES256. */
async function signWith(
  header: CompactJWSHeaderParameters,
  key: SigningKeyInput,
  payload: Record<string, unknown> = claims(),
): Promise<string> {
  return new CompactSign(encoder.encode(JSON.stringify(payload)))
    .setProtectedHeader(header)
    .sign(key);
}

/** Returns an unsecured token (RFC 7515 appendix A.5) with an empty signature or an ES256-sized one. */
function unsecured(alg: string, signature: "empty" | "random"): string {
  const bytes = crypto.getRandomValues(new Uint8Array(64));
  const tail = signature === "empty" ? "" : base64url.encode(bytes);
  return `${segment({ alg, kid: KID, typ: "JWT" })}.${segment(claims())}.${tail}`;
}

const at = (seconds: number) => new Date(NOW.getTime() + seconds * 1000);

let fetchSpy: ReturnType<typeof vi.spyOn>;

beforeEach(() => {
  vi.mocked(jwtVerify).mockClear();
  fetchSpy = vi.spyOn(globalThis, "fetch").mockRejectedValue(new Error("no network in tests"));
});

afterEach(() => {
  // Keys come only from the local key set, so no forgery may cause a request.
  expect(fetchSpy).not.toHaveBeenCalled();
  fetchSpy.mockRestore();
});

describe("forged tokens", () => {
  it("baseline forgery verifies", async () => {
    const result = await verifier.verify(await forge(HEADER), NOW);

    expect(result).toEqual({ ok: true, claims: claims() });
  });

  it.each([
    ["none", "empty"],
    ["none", "random"],
    ["None", "empty"],
    ["None", "random"],
    ["NONE", "empty"],
    ["NONE", "random"],
    ["nOnE", "empty"],
    ["nOnE", "random"],
  ] as const)("rejects alg %s with %s signature", async (alg, signature) => {
    expect(await verifier.verify(unsecured(alg, signature), NOW)).toEqual(INVALID);
  });

  it("rejects alg none signed by server key", async () => {
    const token = await forge({ alg: "none", kid: KID, typ: "JWT" });

    expect(await verifier.verify(token, NOW)).toEqual(INVALID);
  });

  it("rejects HMAC keyed with public key", async () => {
    // Algorithm confusion: a verifier that let the header pick the algorithm would use the
    // published key as the HMAC secret. HS512 gives a signature as long as ES256's, so it
    // passes the shape check and reaches jose.
    const publicJwk = server.publicKey;
    const point = new Uint8Array([
      4,
      ...base64url.decode(publicJwk.x),
      ...base64url.decode(publicJwk.y),
    ]);
    const spki = await exportSPKI(
      await crypto.subtle.importKey(
        "jwk",
        { kty: "EC", crv: "P-256", x: publicJwk.x, y: publicJwk.y },
        { name: "ECDSA", namedCurve: "P-256" },
        true,
        ["verify"],
      ),
    );
    const secrets = [
      encoder.encode(JSON.stringify(publicJwk)),
      encoder.encode(JSON.stringify({ keys: [publicJwk] })),
      encoder.encode(spki),
      point,
    ];

    for (const secret of secrets) {
      for (const alg of ["HS256", "HS512"]) {
        const token = await signWith({ alg, kid: KID, typ: "JWT" }, secret);

        expect(await verifier.verify(token, NOW), alg).toEqual(INVALID);
      }
    }
  });

  it.each([
    ["jwk", { jwk: attackerJwk }],
    ["jwk with kid", { jwk: { ...attackerJwk, kid: KID } }],
    ["jku", { jku: KEY_URL }],
    ["x5u", { x5u: KEY_URL }],
    ["x5c", { x5c: ["MIIBszCCAVmgAwIBAgIUJ"] }],
  ])("rejects attacker key named by %s", async (_member, extra) => {
    const withKid = await signWith({ ...HEADER, ...extra }, attacker.privateKey);
    const withoutKid = await signWith({ alg: "ES256", typ: "JWT", ...extra }, attacker.privateKey);

    expect(await verifier.verify(withKid, NOW)).toEqual(INVALID);
    expect(await verifier.verify(withoutKid, NOW)).toEqual(INVALID);
  });

  it("rejects attacker key with server kid", async () => {
    const token = await signWith(HEADER, attacker.privateKey);

    expect(await verifier.verify(token, NOW)).toEqual(INVALID);
  });

  it.each([
    ["jwk", { jwk: { kty: "EC", crv: "P-256", x: server.publicKey.x, y: server.publicKey.y } }],
    ["jku", { jku: KEY_URL }],
    ["x5u", { x5u: KEY_URL }],
    ["x5c", { x5c: ["MIIBszCCAVmgAwIBAgIUJ"] }],
    ["x5t", { x5t: "3q2-7w" }],
    ["cty", { cty: "JWT" }],
    ["zip", { zip: "DEF" }],
    ["b64 true", { b64: true }],
    ["b64 false", { b64: false }],
    ["crit exp", { crit: ["exp"], exp: NOW_SECONDS }],
    ["crit b64", { crit: ["b64"], b64: true }],
    ["empty crit", { crit: [] }],
  ])("rejects server-signed header with %s", async (_member, extra) => {
    // jose 6.2 accepts several of these (b64 without crit, crit ["b64"] with b64 true and
    // the key members); only the header allow-list rejects them.
    const token = await forge({ ...HEADER, ...extra });

    expect(await verifier.verify(token, NOW)).toEqual(INVALID);
  });

  it("rejects unencoded payload", async () => {
    // RFC 7797: with b64 false the payload segment is the raw claims JSON.
    const header = { ...HEADER, crit: ["b64"], b64: false };
    const payload = JSON.stringify(claims());
    const input = `${segment(header)}.${payload}`;
    const signature = await crypto.subtle.sign(
      { name: "ECDSA", hash: "SHA-256" },
      serverPrivateKey,
      encoder.encode(input),
    );
    const token = `${input}.${base64url.encode(new Uint8Array(signature))}`;

    expect(await verifier.verify(token, NOW)).toEqual(INVALID);
  });

  it("rejects __proto__ header member", async () => {
    const header = `{"alg":"ES256","kid":"${KID}","typ":"JWT","__proto__":{"kid":"x"}}`;

    expect(await verifier.verify(await forge(header), NOW)).toEqual(INVALID);
  });

  it.each([
    ["missing kid", { alg: "ES256", typ: "JWT" }],
    ["empty kid", { ...HEADER, kid: "" }],
    ["numeric kid", { ...HEADER, kid: 7 }],
    ["unknown kid", { ...HEADER, kid: "retired-key" }],
    ["missing typ", { alg: "ES256", kid: KID }],
    ["other typ", { ...HEADER, typ: "at+jwt" }],
    ["duplicate alg none", `{"alg":"ES256","kid":"${KID}","typ":"JWT","alg":"none"}`],
  ])("rejects header with %s", async (_case, header) => {
    // The verifier has a single key, which jose would pick for a header without a kid.
    expect(await verifier.verify(await forge(header), NOW)).toEqual(INVALID);
  });

  it.each([
    ["ES384", "SHA-384"],
    ["ES512", "SHA-512"],
    ["RS256", "SHA-256"],
    ["PS256", "SHA-256"],
    ["EdDSA", "SHA-256"],
    ["ES256K", "SHA-256"],
  ])("rejects server key under alg %s", async (alg, hash) => {
    const token = await forge({ ...HEADER, alg }, claims(), hash);

    expect(await verifier.verify(token, NOW)).toEqual(INVALID);
  });

  it.each(["ES384", "ES512", "RS256", "PS256", "EdDSA"])("rejects attacker %s key", async (alg) => {
    const other = await generateKeyPair(alg);
    const token = await signWith({ ...HEADER, alg }, other.privateKey);

    expect(await verifier.verify(token, NOW)).toEqual(INVALID);
  });
});

describe("forged claims", () => {
  it("rejects wrong issuer", async () => {
    const token = await forge(HEADER, claims({ iss: "https://other.example" }));

    expect(await verifier.verify(token, NOW)).toEqual(INVALID);
  });

  it.each(["iss", "sub", "sid", "iat", "nbf", "exp", "auth_time"])(
    "rejects missing %s",
    async (claim) => {
      const token = await forge(HEADER, claims({ [claim]: undefined }));

      expect(await verifier.verify(token, NOW)).toEqual(INVALID);
    },
  );

  it.each([
    ["numeric sub", { sub: 42 }],
    ["empty sub", { sub: "" }],
    ["numeric sid", { sid: 7 }],
    ["array sid", { sid: ["ses_1"] }],
    ["string auth_time", { auth_time: "yesterday" }],
    ["string exp", { exp: String(NOW_SECONDS + TTL_SECONDS) }],
    ["fractional exp", { exp: NOW_SECONDS + TTL_SECONDS + 0.5 }],
    ["string nbf", { nbf: String(NOW_SECONDS) }],
    ["null iat", { iat: null }],
    ["numeric iss", { iss: 1 }],
    ["numeric org_id", { org_id: 12, org_role: "admin" }],
    ["unknown org_role", { org_id: "org_acme", org_role: "owner" }],
    ["org_id without role", { org_id: "org_acme" }],
    ["role without org_id", { org_role: "admin" }],
  ])("rejects %s claim", async (_case, overrides) => {
    const token = await forge(HEADER, claims(overrides));

    expect(await verifier.verify(token, NOW)).toEqual(INVALID);
  });

  it("rejects exp overflowing to Infinity", async () => {
    // JSON.parse reads 1e999 as Infinity, which jose 6.2 takes as a number that never expires.
    const payload = JSON.stringify(claims()).replace(
      `"exp":${NOW_SECONDS + TTL_SECONDS}`,
      '"exp":1e999',
    );

    expect(payload).toContain('"exp":1e999');
    expect(await verifier.verify(await forge(HEADER, payload), NOW)).toEqual(INVALID);
  });

  it.each([
    ["array", "[1,2]"],
    ["string", '"claims"'],
    ["invalid JSON", "{sub:1"],
  ])("rejects %s payload", async (_case, payload) => {
    expect(await verifier.verify(await forge(HEADER, payload), NOW)).toEqual(INVALID);
  });
});

describe("token times", () => {
  it("rejects expired token", async () => {
    const token = await forge(HEADER);

    const result = await verifier.verify(token, at(TTL_SECONDS + CLOCK_TOLERANCE_SECONDS));

    expect(result).toEqual({ ok: false, reason: "expired" });
  });

  it("accepts exp just past within tolerance", async () => {
    const token = await forge(HEADER);

    const result = await verifier.verify(token, at(TTL_SECONDS + CLOCK_TOLERANCE_SECONDS - 1));

    expect(result.ok).toBe(true);
  });

  it("rejects nbf beyond tolerance", async () => {
    const token = await forge(HEADER, claims({ nbf: NOW_SECONDS + CLOCK_TOLERANCE_SECONDS + 1 }));

    expect(await verifier.verify(token, NOW)).toEqual(INVALID);
  });

  it("accepts nbf within tolerance", async () => {
    const token = await forge(HEADER, claims({ nbf: NOW_SECONDS + CLOCK_TOLERANCE_SECONDS }));

    expect((await verifier.verify(token, NOW)).ok).toBe(true);
  });
});

describe("malformed tokens", () => {
  it("rejects changed payload with original signature", async () => {
    const token = await forge(HEADER);
    const [header, , signature] = token.split(".");
    const tampered = `${header}.${segment(claims({ sid: "ses_someone_else" }))}.${signature}`;

    expect(await verifier.verify(tampered, NOW)).toEqual(INVALID);
  });

  it("rejects changed header with original signature", async () => {
    const token = await forge(HEADER);
    const [, payload, signature] = token.split(".");
    const tampered = `${segment({ ...HEADER, kid: `${KID}x` })}.${payload}.${signature}`;

    expect(await verifier.verify(tampered, NOW)).toEqual(INVALID);
  });

  it("rejects truncated token", async () => {
    const token = await forge(HEADER);
    const [header = "", payload = "", signature = ""] = token.split(".");
    const truncated = [
      token.slice(0, -1),
      token.slice(0, token.lastIndexOf(".") + 1),
      `${header}.${payload}`,
      `${header}.${payload.slice(0, -4)}.${signature}`,
      header,
    ];

    for (const candidate of truncated) {
      expect(await verifier.verify(candidate, NOW), candidate).toEqual(INVALID);
    }
  });

  it("rejects extra segments", async () => {
    const token = await forge(HEADER);
    const extended = [`${token}.`, `${token}.extra`, `${token}.${token}`, `a.${token}`];

    for (const candidate of extended) {
      expect(await verifier.verify(candidate, NOW), candidate).toEqual(INVALID);
    }
  });

  it("rejects base64 garbage", async () => {
    const token = await forge(HEADER);
    const garbage = [
      "not-a-token",
      "a.b.c",
      "...",
      "%%%.###.***",
      ` ${token}`,
      `${token}\n`,
      `${token}==`,
      token.replaceAll("-", "+").replaceAll("_", "/"),
      `${segment("not json")}.${segment(claims())}.${token.split(".")[2]}`,
      "é".repeat(300),
    ];

    for (const candidate of garbage) {
      expect(await verifier.verify(candidate, NOW), candidate).toEqual(INVALID);
    }
  });

  it("rejects 100 KB token unparsed", async () => {
    const padded = await forge(HEADER, claims({ padding: "x".repeat(100_000) }));
    const filler = "a".repeat(100 * 1024);

    expect(padded.length).toBeGreaterThan(MAX_TOKEN_LENGTH);
    expect(await verifier.verify(padded, NOW)).toEqual(INVALID);
    expect(await verifier.verify(filler, NOW)).toEqual(INVALID);
    expect(jwtVerify).not.toHaveBeenCalled();
  });

  it("rejects malformed tokens before jose", async () => {
    for (const candidate of ["a.b.c", unsecured("none", "empty"), "x".repeat(500)]) {
      expect(await verifier.verify(candidate, NOW)).toEqual(INVALID);
    }

    expect(jwtVerify).not.toHaveBeenCalled();
  });
});
