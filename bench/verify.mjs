// Cost of one token verification, without a server: Tessera's verifier with and without its
// cache, jose's jwtVerify for ES256, EdDSA (Ed25519), RS256 and HS256, the node:crypto
// signature check underneath, and the signing cost of each algorithm (one per refresh).
//
// Usage: node bench/verify.mjs [SECONDS_PER_CASE]   (default 1.5; also run by npm run bench)
//
// Tessera's verifier is lib/auth/token-verify.ts itself: the TypeScript compiler turns it and
// lib/auth/edge-config.ts into modules under node_modules/.cache/tessera-bench, so that plain
// Node.js can import them.

import { constants, KeyObject, verify as verifySignature, webcrypto } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

import { base64url, exportJWK, generateKeyPair, importJWK, jwtVerify, SignJWT } from "jose";
import ts from "typescript";

const WARMUP_MS = 300;
// As long as the RFC 7638 thumbprints scripts/signing-key.mjs uses as kid.
const KID = "bench-key".padEnd(43, "0");
const BATCH = 25;

/** Runs every case and returns their timings, token sizes and Web Crypto support. */
export async function runVerifyBenchmark({
  appDir = process.cwd(),
  secondsPerCase = 1.5,
  log = console.log,
} = {}) {
  const { createTokenVerifier } = await loadTokenVerifier(appDir);
  const now = Math.floor(Date.now() / 1000);
  const keys = {
    ES256: await generateKeyPair("ES256", { extractable: true }),
    EdDSA: await generateKeyPair("EdDSA", { extractable: true }),
    RS256: await generateKeyPair("RS256", { extractable: true }),
  };
  const hmacKey = webcrypto.getRandomValues(new Uint8Array(32));
  const tokens = {};
  for (const [algorithm, pair] of Object.entries(keys)) {
    tokens[algorithm] = await signTessera(algorithm, pair.privateKey, now);
  }
  tokens.HS256 = await signTessera("HS256", hmacKey, now);

  const es256Jwk = {
    ...(await exportJWK(keys.ES256.publicKey)),
    kid: KID,
    alg: "ES256",
    use: "sig",
  };
  const verifierOptions = { issuer: "tessera", publicKeys: { keys: [es256Jwk] } };
  const uncached = createTokenVerifier({ ...verifierOptions, maxCachedTokens: 0 });
  const cached = createTokenVerifier(verifierOptions);
  const raw = rawVerifiers(keys, tokens);
  const pinned = (algorithm) => ({ algorithms: [algorithm], issuer: "tessera" });

  const cases = [
    ["Tessera verifier, cache hit", () => cached.verify(tokens.ES256)],
    ["Tessera verifier, cache miss (ES256)", () => uncached.verify(tokens.ES256)],
    [
      "jose jwtVerify ES256, key imported once",
      () => jwtVerify(tokens.ES256, keys.ES256.publicKey, pinned("ES256")),
    ],
    [
      "jose jwtVerify ES256, key imported per call",
      async () => jwtVerify(tokens.ES256, await importJWK(es256Jwk, "ES256"), pinned("ES256")),
    ],
    [
      "jose jwtVerify EdDSA (Ed25519), key imported once",
      () => jwtVerify(tokens.EdDSA, keys.EdDSA.publicKey, pinned("EdDSA")),
    ],
    [
      "jose jwtVerify RS256 (2048-bit), key imported once",
      () => jwtVerify(tokens.RS256, keys.RS256.publicKey, pinned("RS256")),
    ],
    [
      "jose jwtVerify HS256, key imported once",
      () => jwtVerify(tokens.HS256, hmacKey, pinned("HS256")),
    ],
    ["node:crypto P-256 verify (floor)", raw.ES256],
    ["node:crypto Ed25519 verify", raw.EdDSA],
    ["node:crypto RSA-2048 verify", raw.RS256],
    ["jose sign ES256", () => signTessera("ES256", keys.ES256.privateKey, now)],
    ["jose sign EdDSA (Ed25519)", () => signTessera("EdDSA", keys.EdDSA.privateKey, now)],
    ["jose sign RS256 (2048-bit)", () => signTessera("RS256", keys.RS256.privateKey, now)],
  ];

  // A failing check would make every timing below meaningless.
  const first = await cached.verify(tokens.ES256);
  if (!first.ok)
    throw new Error(`Tessera's verifier rejected the benchmark token: ${first.reason}.`);

  const timings = [];
  for (const [name, operation] of cases) {
    const timing = await timeOperation(operation, secondsPerCase);
    timings.push({ name, ...timing });
    log(
      `  ${name}: ${timing.wallMicroseconds.toFixed(1)} µs wall, ${timing.cpuMicroseconds.toFixed(1)} µs CPU`,
    );
  }

  return {
    secondsPerCase,
    timings,
    tokenLengths: Object.fromEntries(
      Object.entries(tokens).map(([name, token]) => [name, token.length]),
    ),
    webCrypto: await checkWebCrypto(),
  };
}

/** Signs a token with the claims and header members lib/auth/token.ts writes. */
function signTessera(algorithm, key, now) {
  return new SignJWT({
    sid: "5f0c3a4e-8d6b-4c1a-9e2f-7b3d5a1c9e08",
    auth_time: now,
    org_id: "0b6e2d4f-3c5a-4e7b-8f1d-2a9c6e3b5d17",
    org_role: "member",
  })
    .setProtectedHeader({ alg: algorithm, kid: KID, typ: "JWT" })
    .setIssuer("tessera")
    .setSubject("9a1d7c3e-2b5f-4d8a-b6e0-4c2f8a7d1e93")
    .setIssuedAt(now)
    .setNotBefore(now)
    .setExpirationTime(now + 3600)
    .sign(key);
}

// The signature check alone, as a synchronous node:crypto call on the token's signing input.
function rawVerifiers(keys, tokens) {
  const prepare = (algorithm) => {
    const [header, payload, signature] = tokens[algorithm].split(".");
    return {
      data: Buffer.from(`${header}.${payload}`),
      signature: Buffer.from(base64url.decode(signature)),
      key: KeyObject.from(keys[algorithm].publicKey),
    };
  };
  return {
    ES256: verifierFor(prepare("ES256"), "sha256", { dsaEncoding: "ieee-p1363" }),
    EdDSA: verifierFor(prepare("EdDSA"), null, {}),
    RS256: verifierFor(prepare("RS256"), "sha256", { padding: constants.RSA_PKCS1_PADDING }),
  };
}

function verifierFor({ data, signature, key }, hash, keyOptions) {
  const keyObject = { key, ...keyOptions };
  return () => {
    if (!verifySignature(hash, data, keyObject, signature)) throw new Error("Signature rejected.");
  };
}

/**
 * Runs `operation` one call at a time for `seconds` after a short warm-up. Returns wall time
 * and process CPU time per call in microseconds; Web Crypto work done on libuv's thread pool
 * counts in the CPU time too.
 */
async function timeOperation(operation, seconds) {
  const run = async () => {
    const result = operation();
    if (result && typeof result.then === "function") await result;
  };
  const warmupEnd = performance.now() + WARMUP_MS;
  while (performance.now() < warmupEnd) await run();

  let operations = 0;
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const end = started + seconds * 1000;
  while (performance.now() < end) {
    for (let index = 0; index < BATCH; index += 1) await run();
    operations += BATCH;
  }
  const elapsedMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  return {
    operations,
    wallMicroseconds: (elapsedMs * 1000) / operations,
    cpuMicroseconds: (cpu.user + cpu.system) / operations,
  };
}

/** Checks which algorithms this Node.js's Web Crypto (what jose uses) can verify with. */
async function checkWebCrypto() {
  const support = {};
  const algorithms = {
    ES256: [
      { name: "ECDSA", namedCurve: "P-256" },
      { name: "ECDSA", hash: "SHA-256" },
    ],
    EdDSA: [{ name: "Ed25519" }, { name: "Ed25519" }],
    RS256: [
      {
        name: "RSASSA-PKCS1-v1_5",
        modulusLength: 2048,
        publicExponent: new Uint8Array([1, 0, 1]),
        hash: "SHA-256",
      },
      { name: "RSASSA-PKCS1-v1_5" },
    ],
  };
  for (const [name, [generate, sign]] of Object.entries(algorithms)) {
    try {
      const pair = await webcrypto.subtle.generateKey(generate, false, ["sign", "verify"]);
      const data = new TextEncoder().encode("tessera");
      const signature = await webcrypto.subtle.sign(sign, pair.privateKey, data);
      support[name] = await webcrypto.subtle.verify(sign, pair.publicKey, signature, data);
    } catch (error) {
      support[name] = `unsupported: ${error.message}`;
    }
  }
  return { node: process.version, ...support };
}

/**
 * Compiles lib/auth/token-verify.ts and its one local import to JavaScript modules and
 * imports the verifier, so that the measured code is the app's own.
 */
async function loadTokenVerifier(appDir) {
  const outDir = path.join(appDir, "node_modules", ".cache", "tessera-bench");
  mkdirSync(outDir, { recursive: true });
  for (const name of ["token-verify", "edge-config"]) {
    const source = readFileSync(path.join(appDir, "lib", "auth", `${name}.ts`), "utf8");
    const { outputText } = ts.transpileModule(source, {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
    });
    // Relative imports need the extension of the compiled files.
    const code = outputText.replace(/from "(\.\/[^"]+)"/g, 'from "$1.mjs"');
    writeFileSync(path.join(outDir, `${name}.mjs`), code);
  }
  return import(pathToFileURL(path.join(outDir, "token-verify.mjs")).href);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const seconds = Number(process.argv[2] ?? 1.5);
  if (!(seconds > 0)) {
    console.error("Usage: node bench/verify.mjs [SECONDS_PER_CASE]");
    process.exit(2);
  }
  const result = await runVerifyBenchmark({ secondsPerCase: seconds });
  console.log(
    JSON.stringify({ tokenLengths: result.tokenLengths, webCrypto: result.webCrypto }, null, 2),
  );
}
