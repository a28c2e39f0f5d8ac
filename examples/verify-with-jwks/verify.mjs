// Verifies Tessera session tokens in another service, knowing nothing but the URL of
// Tessera's public keys (/.well-known/jwks.json). It needs only the `jose` package.
//
// Usage as a library:
//   const verifier = createTesseraVerifier({ jwksUrl: "https://app.example.com/.well-known/jwks.json" });
//   const claims = await verifier.verify(token); // throws a jose error when the token is not valid
//
// Usage from a terminal:
//   node examples/verify-with-jwks/verify.mjs <jwks-url> <token>

import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";

import { createRemoteJWKSet, errors, jwtVerify } from "jose";

/** The `iss` claim Tessera writes when TOKEN_ISSUER is not set. */
export const DEFAULT_ISSUER = "tessera";

/** Clock skew allowed between Tessera and this service, the same as Tessera allows itself. */
export const CLOCK_TOLERANCE_SECONDS = 5;

// Tessera serves its key set with `Cache-Control: max-age=300`, and its key rotation steps
// publish a new key that long before signing with it. A token whose kid the cached set lacks
// makes jose fetch the set again, at most once per 30 s.
const KEY_SET_CACHE_MAX_AGE_MS = 300_000;

/**
 * Creates a verifier for the tokens of one Tessera deployment. It fetches the public keys
 * from `jwksUrl` on first use and caches them. Each token must be an ES256 JWT of type
 * "JWT", carry a key id that the key set lists, come from `issuer`, and carry `exp`, `sub` and
 * `sid`. `exp` and `nbf` are checked with 5 s of clock tolerance.
 */
export function createTesseraVerifier({ jwksUrl, issuer = DEFAULT_ISSUER }) {
  let url;
  try {
    url = new URL(jwksUrl);
  } catch {
    throw new TypeError(
      `Invalid JWKS URL "${jwksUrl}". Pass an absolute URL such as ` +
        "https://app.example.com/.well-known/jwks.json.",
    );
  }
  const keySet = createRemoteJWKSet(url, { cacheMaxAge: KEY_SET_CACHE_MAX_AGE_MS });

  return {
    /**
     * Verifies `token` and returns its claims: `sub` (user id), `sid` (session id), `org_id`
     * and `org_role` when the session has an organization, and the time claims. Throws a jose
     * error (with a `code` such as ERR_JWT_EXPIRED) when the token is not valid.
     */
    async verify(token) {
      const { payload } = await jwtVerify(token, keySet, {
        // Pinned, so neither `alg: none` nor an HMAC keyed with the public key can pass.
        algorithms: ["ES256"],
        typ: "JWT",
        issuer,
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        requiredClaims: ["exp", "sub", "sid"],
      });
      for (const claim of ["sub", "sid"]) {
        if (typeof payload[claim] !== "string" || payload[claim] === "") {
          throw new errors.JWTClaimValidationFailed(
            `"${claim}" claim must be a non-empty string`,
            payload,
            claim,
            "invalid",
          );
        }
      }
      return payload;
    },
  };
}

const USAGE = `Usage: node examples/verify-with-jwks/verify.mjs <jwks-url> <token>

Verifies a Tessera session token with the public keys at <jwks-url> and prints its
claims as JSON. Exits with 1 and the reason when the token is not valid.
The expected issuer is TOKEN_ISSUER, or "${DEFAULT_ISSUER}" when it is not set.`;

async function main(args) {
  if (args.length !== 2 || args.includes("--help")) {
    process.stderr.write(`${USAGE}\n`);
    return args.includes("--help") ? 0 : 2;
  }
  const [jwksUrl, token] = args;
  const verifier = createTesseraVerifier({
    jwksUrl,
    issuer: process.env.TOKEN_ISSUER || DEFAULT_ISSUER,
  });
  try {
    const claims = await verifier.verify(token);
    process.stdout.write(`${JSON.stringify(claims, null, 2)}\n`);
    return 0;
  } catch (error) {
    const code = error?.code ? `${error.code}: ` : "";
    process.stderr.write(`Token rejected: ${code}${error?.message ?? error}\n`);
    return 1;
  }
}

function isEntryPoint() {
  if (!process.argv[1]) return false;
  return realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
}

if (isEntryPoint()) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error) => {
      process.stderr.write(`${error instanceof Error ? error.message : error}\n`);
      process.exitCode = 2;
    },
  );
}
