// Prints a new signing key pair as environment lines for a new deployment.
// Usage: npm run --silent keys:generate >> .env.production.local
//
// A deployment that already signs tokens rotates with `npm run keys:rotate` instead: replacing
// both variables at once makes every token in flight fail verification.

import { generateSigningKeyEnv, toDotenv } from "./signing-key.mjs";

const USAGE = `Usage: npm run --silent keys:generate

Prints TOKEN_SIGNING_KEY (a private ES256 key as a JWK, its kid the RFC 7638
thumbprint) and TOKEN_PUBLIC_KEYS (a JWKS with its public half) for a new deployment.

To replace the key of a running deployment, use npm run keys:rotate: it keeps the
current key valid while the new one takes over, so no one is signed out.`;

const args = process.argv.slice(2);
if (args.includes("--help") || args.includes("-h")) {
  console.log(USAGE);
} else if (args.length > 0) {
  console.error(`Unknown argument: ${args[0]}\n\n${USAGE}`);
  process.exitCode = 2;
} else {
  process.stdout.write(`${toDotenv(generateSigningKeyEnv())}\n`);
}
