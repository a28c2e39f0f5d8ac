// Runs before every test file: a test environment with its own signing key, an in-memory
// database unless DATABASE_URL points at a server, and no unexpected console errors.

import { format } from "node:util";

import { afterEach, beforeEach, vi } from "vitest";

import { generateSigningKeyEnv } from "../scripts/signing-key.mjs";

const keys = generateSigningKeyEnv();
process.env.TOKEN_SIGNING_KEY ??= keys.TOKEN_SIGNING_KEY;
process.env.TOKEN_PUBLIC_KEYS ??= keys.TOKEN_PUBLIC_KEYS;
process.env.PGLITE_DATA_DIR ??= "memory://";
process.env.LOG_LEVEL ??= "silent";

let consoleErrors: string[] = [];

beforeEach(() => {
  consoleErrors = [];
  vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => {
    consoleErrors.push(format(...args));
  });
});

afterEach(() => {
  vi.mocked(console.error).mockRestore();
  if (consoleErrors.length > 0) {
    throw new Error(`Unexpected console.error during the test:\n${consoleErrors.join("\n")}`);
  }
});
