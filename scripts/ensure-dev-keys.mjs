// Runs before `next dev`: on the first run, writes a development key pair to
// .env.development.local so a fresh clone starts with no setup. Next.js reads that file only
// in development, so `next start` never signs with this key and reports a missing key instead.

import { existsSync, readFileSync, appendFileSync } from "node:fs";

import { generateSigningKeyEnv, toDotenv } from "./signing-key.mjs";

const ENV_FILE = ".env.development.local";

const existing = existsSync(ENV_FILE) ? readFileSync(ENV_FILE, "utf8") : "";
const hasKeys = /^TOKEN_SIGNING_KEY=/m.test(existing) && /^TOKEN_PUBLIC_KEYS=/m.test(existing);

if (process.env.TOKEN_SIGNING_KEY || hasKeys) {
  process.exit(0);
}

const separator = existing === "" || existing.endsWith("\n") ? "" : "\n";
appendFileSync(
  ENV_FILE,
  `${separator}# Development signing key, generated on first run. Not for production.\n` +
    `${toDotenv(generateSigningKeyEnv())}\n`,
);
console.log(`Generated a development signing key in ${ENV_FILE}.`);
