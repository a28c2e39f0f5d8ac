// Prints a new signing key pair as environment lines for production or a new deployment.
// Usage: npm run keys:generate >> .env.production.local

import { generateSigningKeyEnv, toDotenv } from "./signing-key.mjs";

process.stdout.write(`${toDotenv(generateSigningKeyEnv())}\n`);
