import { describe, expect, it } from "vitest";

import { generateSigningKey } from "../../scripts/signing-key.mjs";
import { getEdgeAuthConfig, parsePublicKeySet, parseSecureCookies } from "./edge-config";

const first = generateSigningKey();
const second = generateSigningKey();

const keySet = (...keys: unknown[]) => JSON.stringify({ keys });

/** Returns the message parsePublicKeySet throws for `raw`, failing the test when it does not. */
function parseError(raw: string | undefined): string {
  try {
    parsePublicKeySet(raw, "TOKEN_PUBLIC_KEYS");
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("parsePublicKeySet accepted an invalid key set");
}

describe("parsePublicKeySet", () => {
  it("keeps public members only", () => {
    const extended = { ...first.publicKey, key_ops: ["verify"], ext: true };

    const parsed = parsePublicKeySet(keySet(extended), "TOKEN_PUBLIC_KEYS");

    expect(parsed).toEqual({ keys: [first.publicKey] });
  });

  it("accepts several keys in order", () => {
    const parsed = parsePublicKeySet(keySet(first.publicKey, second.publicKey), "KEYS");

    expect(parsed.keys.map((key) => key.kid)).toEqual([first.publicKey.kid, second.publicKey.kid]);
  });

  it("adds alg and use", () => {
    const { kty, crv, x, y, kid } = first.publicKey;

    const parsed = parsePublicKeySet(keySet({ kty, crv, x, y, kid }), "KEYS");

    expect(parsed.keys[0]).toMatchObject({ alg: "ES256", use: "sig" });
  });

  it.each([undefined, "", "  "])("reports %j as missing", (raw) => {
    expect(parseError(raw)).toContain("TOKEN_PUBLIC_KEYS is missing");
  });

  it("rejects invalid JSON", () => {
    expect(parseError("{keys:[]}")).toContain("TOKEN_PUBLIC_KEYS is not valid JSON");
  });

  it.each(["{}", '{"keys":[]}', '{"keys":{}}', "[]", "null", '"keys"'])(
    "rejects document %s",
    (raw) => {
      expect(parseError(raw)).toContain("must be a JWKS document with at least one key");
    },
  );

  it.each([null, 7, "key", []])("rejects key %j", (key) => {
    expect(parseError(keySet(key))).toContain(
      'TOKEN_PUBLIC_KEYS contains a key that is not a JSON object (key 1 in "keys")',
    );
  });

  it.each([
    ["RSA key", { kty: "RSA", n: "AQAB", e: "AQAB", kid: "rsa" }],
    ["P-384 key", { ...first.publicKey, crv: "P-384" }],
    ["missing kid", { ...first.publicKey, kid: undefined }],
    ["empty kid", { ...first.publicKey, kid: "" }],
    ["numeric kid", { ...first.publicKey, kid: 3 }],
    ["numeric x", { ...first.publicKey, x: 12 }],
  ])("rejects %s", (_case, key) => {
    expect(parseError(keySet(second.publicKey, key))).toContain(
      'TOKEN_PUBLIC_KEYS contains a key that is not a P-256 public key with a "kid" (key 2 in "keys")',
    );
  });

  it("rejects private key", () => {
    expect(parseError(keySet(first.signingKey))).toContain(
      'TOKEN_PUBLIC_KEYS contains a private key (member "d")',
    );
  });

  it.each([
    ["short x", { ...first.publicKey, x: first.publicKey.x.slice(1) }],
    ["padded y", { ...first.publicKey, y: `${first.publicKey.y}=` }],
  ])("rejects %s", (_case, key) => {
    expect(parseError(keySet(key))).toContain('invalid "x" or "y"');
  });

  it.each([
    ["alg", { ...first.publicKey, alg: "RS256" }],
    ["use", { ...first.publicKey, use: "enc" }],
  ])("rejects other %s", (_case, key) => {
    expect(parseError(keySet(key))).toContain("labelled for another use");
  });

  it("rejects duplicate kid", () => {
    const twin = { ...second.publicKey, kid: first.publicKey.kid };

    expect(parseError(keySet(first.publicKey, twin))).toContain(
      `TOKEN_PUBLIC_KEYS lists the kid "${first.publicKey.kid}" twice`,
    );
  });
});

describe("parseSecureCookies", () => {
  it.each([
    ["true", "development", true],
    ["false", "production", false],
    [undefined, "production", true],
    ["", "production", true],
    [undefined, "development", false],
    [undefined, undefined, false],
  ])("reads %j under %s", (raw, nodeEnv, expected) => {
    expect(parseSecureCookies(raw, nodeEnv)).toBe(expected);
  });

  it("rejects other values", () => {
    expect(() => parseSecureCookies("yes", "production")).toThrow(
      'SECURE_COOKIES must be "true" or "false", got "yes".',
    );
  });
});

describe("getEdgeAuthConfig", () => {
  it("reads public keys from environment", () => {
    const config = getEdgeAuthConfig();

    expect(config.publicKeys).toEqual(JSON.parse(process.env.TOKEN_PUBLIC_KEYS!));
    expect(config.issuer).toBe(process.env.TOKEN_ISSUER || "tessera");
  });
});
