// Builds a copy of the app without middleware.ts in the system temp folder, for the browser
// tests that prove every page, route handler and server action checks the token itself.
// A request that skips middleware, for whatever reason, must still get nothing.
//
// Usage: node scripts/build-without-middleware.mjs (after `next build`, from `npm run test:e2e`)
//
// The copy lives outside the repository: inside it, Next.js 16.5 took the repository as the
// project root and built the repository's middleware.ts into the copy. It shares node_modules
// through hard links, which cost no space. NOTE: hard links need `cp -al` (GNU coreutils) and
// one file system with the repository; elsewhere the script copies node_modules in full.

import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const ROOT = process.cwd();
// playwright.config.ts starts a server in this folder.
const NO_MIDDLEWARE_DIR = path.join(tmpdir(), "tessera-no-middleware");

// Top-level entries that the build reads. middleware.ts is left out on purpose.
const SOURCES = [
  "app",
  "components",
  "lib",
  "public",
  "drizzle",
  "instrumentation.ts",
  "next.config.mjs",
  "postcss.config.mjs",
  "tsconfig.json",
  "package.json",
  "package-lock.json",
];

function copySources() {
  rmSync(NO_MIDDLEWARE_DIR, { recursive: true, force: true });
  mkdirSync(NO_MIDDLEWARE_DIR, { recursive: true });
  for (const entry of SOURCES) {
    const source = path.join(ROOT, entry);
    if (!existsSync(source)) continue;
    cpSync(source, path.join(NO_MIDDLEWARE_DIR, entry), {
      recursive: true,
      filter: (file) => !file.endsWith(".test.ts") && !file.endsWith(".test.tsx"),
    });
  }
}

function linkNodeModules() {
  const target = path.join(NO_MIDDLEWARE_DIR, "node_modules");
  try {
    execFileSync("cp", ["-al", path.join(ROOT, "node_modules"), target], { stdio: "pipe" });
  } catch {
    rmSync(target, { recursive: true, force: true });
    cpSync(path.join(ROOT, "node_modules"), target, { recursive: true, verbatimSymlinks: true });
  }
}

copySources();
linkNodeModules();
execFileSync("npx", ["next", "build"], {
  cwd: NO_MIDDLEWARE_DIR,
  stdio: "inherit",
  env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
});
const manifest = JSON.parse(
  readFileSync(path.join(NO_MIDDLEWARE_DIR, ".next/server/middleware-manifest.json"), "utf8"),
);
if (Object.keys(manifest.middleware ?? {}).length > 0) {
  throw new Error("The build without middleware.ts still contains a middleware.");
}
console.log(`Built the app without middleware in ${NO_MIDDLEWARE_DIR}.`);
