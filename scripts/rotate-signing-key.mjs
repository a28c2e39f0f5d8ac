// Generates the next token signing key and prints the environment lines of the three-step
// rotation in docs/decisions/0015-key-rotation.md, so no one is signed out.
//
// Usage: npm run keys:rotate
//
// Plain JavaScript, so it runs with `node` alone on a server that has no TypeScript tooling.
// It reads the current keys from the environment and the same .env files as Next.js (through
// @next/env), and checks them with the rules of lib/env.ts and lib/auth/edge-config.ts.

import { createECDH, createPublicKey } from "node:crypto";

import nextEnv from "@next/env";

import { generateSigningKey, toPublicJwk } from "./signing-key.mjs";
import { isEntryPoint } from "./entry-point.mjs";

export const DEFAULT_TOKEN_TTL_SECONDS = 60;
// The same value as CLOCK_TOLERANCE_SECONDS in lib/auth/token-verify.ts.
export const CLOCK_TOLERANCE_SECONDS = 5;
// The same value as JWKS_MAX_AGE_SECONDS in app/.well-known/jwks.json/route.ts: other services
// may cache the published keys this long.
export const JWKS_MAX_AGE_SECONDS = 300;

const USAGE = `Usage: npm run --silent keys:rotate

Generates the next token signing key and prints the environment lines for a rotation
that signs no one out:

  1. Add the new public key to TOKEN_PUBLIC_KEYS on every instance. Tokens signed with
     either key verify, and signing still uses the current key.
  2. Switch TOKEN_SIGNING_KEY to the new key on every instance.
  3. Once the last token signed with the old key has expired, remove the old public key.

The current keys come from TOKEN_SIGNING_KEY and TOKEN_PUBLIC_KEYS in the environment or
the .env files that Next.js reads: the development files by default, the production
files (.env.production.local, .env.production, .env) when NODE_ENV=production.
TOKEN_TTL_SECONDS (default ${DEFAULT_TOKEN_TTL_SECONDS}) sets how long step 3 must wait.

The old private key is never printed. The new private key appears only in the line of
step 2. Apply one step at a time: appending the whole output to an env file applies
steps 1 and 2 at once, which is safe only for a single instance that no other service
verifies tokens against.

To revoke a leaked key at once, apply all three steps together: set TOKEN_SIGNING_KEY to
the new key and TOKEN_PUBLIC_KEYS to the step 3 value, and restart every instance.
Tokens signed with the old key stop verifying, and browsers get new ones through their
session cookie.

Options:
  --help    show this text`;

// base64url of 32 bytes, the size of a P-256 coordinate and private scalar.
const P256_MEMBER = /^[A-Za-z0-9_-]{43}$/;

const KEY_FIX =
  "Set it to the value the app runs with now, in the environment or an .env file " +
  "(NODE_ENV=production selects the production files). For a first key pair, run " +
  "`npm run keys:generate` instead.";

/**
 * Parses TOKEN_TTL_SECONDS with the rules of lib/env.ts: unset or empty means the default,
 * anything else must be a whole number from 5 to 3600.
 */
export function parseTokenTtlSeconds(raw) {
  if (raw === undefined || raw.trim() === "") return DEFAULT_TOKEN_TTL_SECONDS;
  const seconds = Number(raw);
  if (!Number.isSafeInteger(seconds) || seconds < 5 || seconds > 3600) {
    throw new Error(`Invalid TOKEN_TTL_SECONDS "${raw}". Set it to a whole number from 5 to 3600.`);
  }
  return seconds;
}

/**
 * Reads and checks TOKEN_SIGNING_KEY and TOKEN_PUBLIC_KEYS from `env`. Returns
 * `{ signingKey, publicKeys }` as JWK objects, or throws one error that lists every problem.
 * Messages never contain the value of TOKEN_SIGNING_KEY.
 */
export function readCurrentKeys(env) {
  const problems = [];
  const signingKey = collect(problems, () => parseSigningKey(env.TOKEN_SIGNING_KEY));
  const publicKeys = collect(problems, () => parsePublicKeys(env.TOKEN_PUBLIC_KEYS));

  if (signingKey && publicKeys) {
    const published = publicKeys.find((key) => key.kid === signingKey.kid);
    if (!published || published.x !== signingKey.x || published.y !== signingKey.y) {
      problems.push(
        `TOKEN_PUBLIC_KEYS has no public key matching TOKEN_SIGNING_KEY (kid "${signingKey.kid}"), ` +
          "so the app refuses to start with these values. Fix the current keys before rotating.",
      );
    }
  }
  if (problems.length > 0) {
    throw new Error(
      `The current keys are invalid:\n${problems.map((line) => `- ${line}`).join("\n")}`,
    );
  }
  return { signingKey, publicKeys };
}

function collect(problems, parse) {
  try {
    return parse();
  } catch (error) {
    problems.push(error instanceof Error ? error.message : String(error));
    return undefined;
  }
}

function parseJsonVariable(name, raw) {
  if (raw === undefined || raw.trim() === "") throw new Error(`${name} is missing. ${KEY_FIX}`);
  try {
    return JSON.parse(raw);
  } catch {
    // The value is not echoed: TOKEN_SIGNING_KEY contains the private key.
    throw new Error(`${name} is not valid JSON. ${KEY_FIX}`);
  }
}

const isRecord = (value) => typeof value === "object" && value !== null && !Array.isArray(value);

const isP256Jwk = (key) =>
  isRecord(key) &&
  key.kty === "EC" &&
  key.crv === "P-256" &&
  typeof key.x === "string" &&
  P256_MEMBER.test(key.x) &&
  typeof key.y === "string" &&
  P256_MEMBER.test(key.y) &&
  typeof key.kid === "string" &&
  key.kid !== "";

function parseSigningKey(raw) {
  const key = parseJsonVariable("TOKEN_SIGNING_KEY", raw);
  if (!isP256Jwk(key) || typeof key.d !== "string" || !P256_MEMBER.test(key.d)) {
    throw new Error(
      'TOKEN_SIGNING_KEY must be a private P-256 JWK with "kty": "EC", "crv": "P-256", "x", ' +
        '"y", "d" (43 base64url characters each) and a "kid".',
    );
  }
  const { kty, crv, x, y, d, kid } = key;
  let point;
  try {
    // createPrivateKey with a JWK keeps the given "x" and "y" without checking them against
    // "d" (Node 20), so the public point is computed from "d" here.
    const ecdh = createECDH("prime256v1");
    ecdh.setPrivateKey(Buffer.from(d, "base64url"));
    point = ecdh.getPublicKey();
  } catch {
    throw new Error(`TOKEN_SIGNING_KEY (kid "${kid}") is not a valid P-256 private key.`);
  }
  // An uncompressed point is 0x04, then x and y of 32 bytes each.
  const derivedX = point.subarray(1, 33).toString("base64url");
  const derivedY = point.subarray(33).toString("base64url");
  if (derivedX !== x || derivedY !== y) {
    throw new Error(
      `TOKEN_SIGNING_KEY (kid "${kid}") has "x" and "y" that do not belong to its private ` +
        'member "d".',
    );
  }
  return { kty, crv, x, y, d, kid };
}

function parsePublicKeys(raw) {
  const document = parseJsonVariable("TOKEN_PUBLIC_KEYS", raw);
  const keys = isRecord(document) ? document.keys : undefined;
  if (!Array.isArray(keys) || keys.length === 0) {
    throw new Error('TOKEN_PUBLIC_KEYS must be a JWKS document with at least one key in "keys".');
  }
  const kids = new Set();
  return keys.map((key, index) => {
    const where = `(key ${index + 1} in "keys")`;
    if (!isP256Jwk(key)) {
      throw new Error(
        `TOKEN_PUBLIC_KEYS contains a key that is not a P-256 public key with a "kid" ${where}.`,
      );
    }
    if (key.d !== undefined) {
      throw new Error(
        `TOKEN_PUBLIC_KEYS contains a private key (member "d") ${where}. Remove "d".`,
      );
    }
    if (
      (key.alg !== undefined && key.alg !== "ES256") ||
      (key.use !== undefined && key.use !== "sig")
    ) {
      throw new Error(
        `TOKEN_PUBLIC_KEYS contains a key labelled for another use (kid "${key.kid}"). Remove ` +
          'its "alg" and "use" members or set them to "ES256" and "sig".',
      );
    }
    if (kids.has(key.kid)) {
      throw new Error(`TOKEN_PUBLIC_KEYS lists the kid "${key.kid}" twice. Remove the duplicate.`);
    }
    kids.add(key.kid);
    try {
      createPublicKey({ key: { kty: key.kty, crv: key.crv, x: key.x, y: key.y }, format: "jwk" });
    } catch {
      throw new Error(
        `TOKEN_PUBLIC_KEYS contains a key whose point is not on the P-256 curve (kid ` +
          `"${key.kid}"). Copy that key again from where it was generated.`,
      );
    }
    return toPublicJwk(key);
  });
}

/**
 * Plans the rotation from `current` (the result of readCurrentKeys) to `next` (the result of
 * generateSigningKey). Returns the variable values of each step and the kids involved.
 */
export function planRotation(current, next) {
  const nextKid = next.signingKey.kid;
  if (current.publicKeys.some((key) => key.kid === nextKid)) {
    throw new Error(
      `TOKEN_PUBLIC_KEYS already lists the kid "${nextKid}" of the new key. Run the command ` +
        "again to generate another key.",
    );
  }
  return {
    currentKid: current.signingKey.kid,
    nextKid,
    // Keys listed besides the signing key, such as one left over from an earlier rotation.
    // Step 3 removes them too.
    otherKids: current.publicKeys
      .map((key) => key.kid)
      .filter((kid) => kid !== current.signingKey.kid),
    publishBoth: JSON.stringify({ keys: [...current.publicKeys, next.publicKey] }),
    signWithNext: JSON.stringify(next.signingKey),
    publishNextOnly: JSON.stringify({ keys: [next.publicKey] }),
  };
}

/** Formats a plan as commented environment lines. Only step 2 contains a private key. */
export function formatRotation(plan, ttlSeconds) {
  const waitSeconds = ttlSeconds + CLOCK_TOLERANCE_SECONDS;
  const lines = [
    `# Signing key rotation from kid "${plan.currentKid}" to kid "${plan.nextKid}".`,
    "# Apply one step at a time and restart every instance after each step.",
    "",
    "# Step 1: publish the new public key next to the current keys. Tokens signed with",
    `# either key verify, and signing still uses kid "${plan.currentKid}".`,
    `TOKEN_PUBLIC_KEYS='${plan.publishBoth}'`,
    "",
    "# Step 2: once every instance runs with step 1, switch signing to the new key. Other",
    "# services that verify tokens with /.well-known/jwks.json may cache it for " +
      `${JWKS_MAX_AGE_SECONDS} s, so`,
    "# wait that long after step 1 if there are any. Keep TOKEN_PUBLIC_KEYS from step 1.",
    `TOKEN_SIGNING_KEY='${plan.signWithNext}'`,
    "",
    `# Step 3: at least ${waitSeconds} s after the last instance switched, which is`,
    `# TOKEN_TTL_SECONDS (${ttlSeconds}) plus ${CLOCK_TOLERANCE_SECONDS} s of clock tolerance, remove the old public key:`,
    `# TOKEN_PUBLIC_KEYS='${plan.publishNextOnly}'`,
  ];
  if (plan.otherKids.length > 0) {
    const kids = plan.otherKids.map((kid) => `"${kid}"`).join(", ");
    lines.push(
      `# Step 3 also removes ${kids}, listed now besides the signing key. If a rotation`,
      "# to one of them is under way, finish that one instead of starting this one.",
    );
  }
  return lines.join("\n");
}

/** Names where the current keys came from, for a line on stderr. */
function describeKeySource(fromEnvironment, loadedEnvFiles) {
  if (fromEnvironment) return "the environment";
  const file = loadedEnvFiles.find((loaded) => loaded.env.TOKEN_SIGNING_KEY !== undefined);
  return file ? file.path : "no file";
}

function main(args) {
  if (args.includes("--help") || args.includes("-h")) {
    console.log(USAGE);
    return 0;
  }
  if (args.length > 0) {
    console.error(`Unknown argument: ${args[0]}\n\n${USAGE}`);
    return 2;
  }

  const fromEnvironment = process.env.TOKEN_SIGNING_KEY !== undefined;
  // The same files `next dev` reads, or `next start` when NODE_ENV is production.
  const { loadedEnvFiles } = nextEnv.loadEnvConfig(
    process.cwd(),
    process.env.NODE_ENV !== "production",
  );
  const current = readCurrentKeys(process.env);
  const ttlSeconds = parseTokenTtlSeconds(process.env.TOKEN_TTL_SECONDS);
  const plan = planRotation(current, generateSigningKey());

  console.error(
    `Read the current keys from ${describeKeySource(fromEnvironment, loadedEnvFiles)}.`,
  );
  console.log(formatRotation(plan, ttlSeconds));
  return 0;
}

if (isEntryPoint(import.meta.url)) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (error) {
    console.error(`Key rotation failed: ${error instanceof Error ? error.message : error}`);
    process.exitCode = 1;
  }
}
