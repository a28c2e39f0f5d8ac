import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import {
  DEFAULT_TOKEN_TTL_SECONDS,
  formatRotation,
  parseTokenTtlSeconds,
  planRotation,
  readCurrentKeys,
} from "./rotate-signing-key.mjs";
import { generateSigningKey, generateSigningKeyEnv, toDotenv } from "./signing-key.mjs";

const SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), "rotate-signing-key.mjs");

const current = generateSigningKeyEnv();
const currentSigningKey = JSON.parse(current.TOKEN_SIGNING_KEY);
const currentPublicKey = JSON.parse(current.TOKEN_PUBLIC_KEYS).keys[0];

/** Returns the message readCurrentKeys throws for `env`, failing the test when it does not. */
function readError(env: Record<string, string | undefined>): string {
  try {
    readCurrentKeys(env);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("readCurrentKeys accepted invalid keys");
}

const withSigningKey = (key: unknown) => ({ ...current, TOKEN_SIGNING_KEY: JSON.stringify(key) });
const withPublicKeys = (...keys: unknown[]) => ({
  ...current,
  TOKEN_PUBLIC_KEYS: JSON.stringify({ keys }),
});

describe("readCurrentKeys", () => {
  it("reads generated keys", () => {
    const keys = readCurrentKeys(current);

    expect(keys.signingKey).toEqual(currentSigningKey);
    expect(keys.publicKeys).toEqual([currentPublicKey]);
  });

  it("lists both missing variables", () => {
    const message = readError({ TOKEN_SIGNING_KEY: undefined, TOKEN_PUBLIC_KEYS: " " });

    expect(message).toContain("- TOKEN_SIGNING_KEY is missing.");
    expect(message).toContain("- TOKEN_PUBLIC_KEYS is missing.");
    expect(message).toContain("npm run keys:generate");
  });

  it("hides invalid signing key JSON", () => {
    const broken = `${current.TOKEN_SIGNING_KEY.slice(0, -1)},`;

    const message = readError({ ...current, TOKEN_SIGNING_KEY: broken });

    expect(message).toContain("TOKEN_SIGNING_KEY is not valid JSON");
    expect(message).not.toContain(currentSigningKey.d);
  });

  it.each([
    ["public key", { ...currentSigningKey, d: undefined }],
    ["short d", { ...currentSigningKey, d: "AAAA" }],
    ["missing kid", { ...currentSigningKey, kid: undefined }],
    ["P-384 key", { ...currentSigningKey, crv: "P-384" }],
    ["array", [currentSigningKey]],
  ])("rejects signing key as %s", (_case, key) => {
    const message = readError(withSigningKey(key));

    expect(message).toContain("TOKEN_SIGNING_KEY must be a private P-256 JWK");
    expect(message).not.toContain(currentSigningKey.d);
  });

  it("rejects x and y of another key", () => {
    const other = generateSigningKey().signingKey;

    const message = readError(withSigningKey({ ...currentSigningKey, x: other.x, y: other.y }));

    expect(message).toContain('"x" and "y" that do not belong to its private member "d"');
  });

  it("rejects signing key not published", () => {
    const other = generateSigningKey().publicKey;

    const message = readError(withPublicKeys(other));

    expect(message).toContain(
      `TOKEN_PUBLIC_KEYS has no public key matching TOKEN_SIGNING_KEY (kid "${currentSigningKey.kid}")`,
    );
  });

  it("rejects private key in public keys", () => {
    expect(readError(withPublicKeys(currentSigningKey))).toContain(
      'TOKEN_PUBLIC_KEYS contains a private key (member "d")',
    );
  });

  it("rejects duplicate kid", () => {
    const twin = { ...generateSigningKey().publicKey, kid: currentPublicKey.kid };

    expect(readError(withPublicKeys(currentPublicKey, twin))).toContain(
      `TOKEN_PUBLIC_KEYS lists the kid "${currentPublicKey.kid}" twice`,
    );
  });

  it("rejects point off curve", () => {
    const other = generateSigningKey().publicKey;
    const offCurve = { ...other, y: currentPublicKey.y };

    expect(readError(withPublicKeys(currentPublicKey, offCurve))).toContain(
      `not on the P-256 curve (kid "${other.kid}")`,
    );
  });

  it("rejects key for encryption", () => {
    expect(
      readError(withPublicKeys(currentPublicKey, { ...currentPublicKey, kid: "enc", use: "enc" })),
    ).toContain('labelled for another use (kid "enc")');
  });

  it("rejects empty key set", () => {
    expect(readError(withPublicKeys())).toContain("at least one key");
  });
});

describe("planRotation", () => {
  const next = generateSigningKey();

  it("publishes both then new only", () => {
    const plan = planRotation(readCurrentKeys(current), next);

    expect(plan.currentKid).toBe(currentSigningKey.kid);
    expect(plan.nextKid).toBe(next.signingKey.kid);
    expect(JSON.parse(plan.publishBoth)).toEqual({ keys: [currentPublicKey, next.publicKey] });
    expect(JSON.parse(plan.signWithNext)).toEqual(next.signingKey);
    expect(JSON.parse(plan.publishNextOnly)).toEqual({ keys: [next.publicKey] });
    expect(plan.otherKids).toEqual([]);
  });

  it("names keys besides signing key", () => {
    const leftover = generateSigningKey().publicKey;

    const plan = planRotation(readCurrentKeys(withPublicKeys(leftover, currentPublicKey)), next);

    expect(plan.otherKids).toEqual([leftover.kid]);
    expect(JSON.parse(plan.publishBoth).keys).toHaveLength(3);
  });

  it("rejects next kid already listed", () => {
    const keys = readCurrentKeys(current);

    expect(() =>
      planRotation(keys, { signingKey: currentSigningKey, publicKey: currentPublicKey }),
    ).toThrow(`TOKEN_PUBLIC_KEYS already lists the kid "${currentSigningKey.kid}"`);
  });
});

describe("formatRotation", () => {
  const next = generateSigningKey();
  const plan = planRotation(readCurrentKeys(current), next);
  const output = formatRotation(plan, 60);
  const lines = output.split("\n");

  it("prints only new private key", () => {
    const withPrivateKey = lines.filter((line) => line.includes(next.signingKey.d));

    expect(output).not.toContain(currentSigningKey.d);
    expect(withPrivateKey).toEqual([`TOKEN_SIGNING_KEY='${plan.signWithNext}'`]);
  });

  it("prints steps a and b as lines", () => {
    const settings = lines.filter((line) => !line.startsWith("#") && line !== "");

    expect(settings).toEqual([
      `TOKEN_PUBLIC_KEYS='${plan.publishBoth}'`,
      `TOKEN_SIGNING_KEY='${plan.signWithNext}'`,
    ]);
  });

  it("comments out step c", () => {
    expect(lines).toContain(`# TOKEN_PUBLIC_KEYS='${plan.publishNextOnly}'`);
  });

  it("states wait of ttl plus tolerance", () => {
    expect(formatRotation(plan, 60)).toContain("at least 65 s after the last instance switched");
    expect(formatRotation(plan, 300)).toContain("at least 305 s after the last instance switched");
  });

  it("warns about other keys", () => {
    const leftover = generateSigningKey().publicKey;
    const withLeftover = planRotation(
      readCurrentKeys(withPublicKeys(currentPublicKey, leftover)),
      next,
    );

    expect(formatRotation(withLeftover, 60)).toContain(`# Step 3 also removes "${leftover.kid}"`);
  });
});

describe("parseTokenTtlSeconds", () => {
  it.each([
    [undefined, DEFAULT_TOKEN_TTL_SECONDS],
    ["", DEFAULT_TOKEN_TTL_SECONDS],
    ["5", 5],
    ["3600", 3600],
  ])("reads %j", (raw, expected) => {
    expect(parseTokenTtlSeconds(raw)).toBe(expected);
  });

  it.each(["4", "3601", "sixty", "1.5"])("rejects %j", (raw) => {
    expect(() => parseTokenTtlSeconds(raw)).toThrow(
      `Invalid TOKEN_TTL_SECONDS "${raw}". Set it to a whole number from 5 to 3600.`,
    );
  });
});

interface ScriptRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the script in `cwd` with only `env`, PATH and NODE_ENV=production in its environment. */
function runScript(args: string[], env: Record<string, string>, cwd: string): Promise<ScriptRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SCRIPT, ...args], {
      cwd,
      env: { PATH: process.env.PATH ?? "", NODE_ENV: "production", ...env },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("rotate-signing-key command", () => {
  let folder: string;

  beforeAll(async () => {
    // An empty folder, so no .env file of the repository is read.
    folder = await mkdtemp(path.join(os.tmpdir(), "tessera-rotate-"));
  });

  afterAll(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it("prints rotation from environment", async () => {
    const run = await runScript([], current, folder);

    expect(run.code).toBe(0);
    expect(run.stderr).toBe("Read the current keys from the environment.\n");
    expect(run.stdout).toContain(`from kid "${currentSigningKey.kid}"`);
    expect(run.stdout).not.toContain(currentSigningKey.d);
    expect(run.stdout).toMatch(/^TOKEN_SIGNING_KEY='\{.*"d":/m);
  });

  it("reads production env file", async () => {
    const productionFolder = await mkdtemp(path.join(folder, "production-"));
    await writeFile(path.join(productionFolder, ".env.production.local"), `${toDotenv(current)}\n`);

    const run = await runScript([], {}, productionFolder);

    expect(run.code).toBe(0);
    expect(run.stderr).toBe("Read the current keys from .env.production.local.\n");
    expect(run.stdout).toContain(`from kid "${currentSigningKey.kid}"`);
  });

  it("fails without keys", async () => {
    const run = await runScript([], {}, folder);

    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain("Key rotation failed: The current keys are invalid:");
    expect(run.stderr).toContain("TOKEN_SIGNING_KEY is missing.");
  });

  it("fails on invalid ttl", async () => {
    const run = await runScript([], { ...current, TOKEN_TTL_SECONDS: "0" }, folder);

    expect(run.code).toBe(1);
    expect(run.stderr).toContain('Invalid TOKEN_TTL_SECONDS "0"');
  });

  it("prints help", async () => {
    const run = await runScript(["--help"], {}, folder);

    expect(run.code).toBe(0);
    expect(run.stdout).toContain("Usage: npm run --silent keys:rotate");
  });

  it("rejects unknown argument", async () => {
    const run = await runScript(["--now"], current, folder);

    expect(run.code).toBe(2);
    expect(run.stderr).toContain("Unknown argument: --now");
  });
});
