// Builds a copy of the app without middleware.ts in the system temp folder, for the browser
// tests that prove every page, route handler and server action checks the token itself.
// A request that skips middleware, for whatever reason, must still get nothing.
//
// Usage: node scripts/build-without-middleware.mjs (after `next build`, from `npm run test:e2e`)

import { tmpdir } from "node:os";
import path from "node:path";

import { buildVariant } from "./build-variant.mjs";

// playwright.config.ts starts a server in this folder.
const NO_MIDDLEWARE_DIR = path.join(tmpdir(), "tessera-no-middleware");

buildVariant({ appDir: process.cwd(), targetDir: NO_MIDDLEWARE_DIR, variant: "no-middleware" });
console.log(`Built the app without middleware in ${NO_MIDDLEWARE_DIR}.`);
