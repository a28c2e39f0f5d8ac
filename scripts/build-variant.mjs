// Builds a copy of the app that differs from it only in how requests are filtered, for the
// bypass tests and the benchmark:
// - "no-middleware": without middleware.ts, so every page and route handler must check the
//   token itself;
// - "proxy": with the same code as proxy.ts, which Next.js 16 runs on the Node.js runtime
//   instead of the Edge runtime.
//
// The copy lives outside the repository: inside it, Next.js 16.5 took the repository as the
// project root and built the repository's middleware.ts into the copy. It shares node_modules
// through hard links, which cost no space. NOTE: hard links need `cp -al` (GNU coreutils) and
// one file system with the repository; elsewhere node_modules is copied in full.

import { execFileSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { createHash } from "node:crypto";
import path from "node:path";

export const BUILD_VARIANTS = ["no-middleware", "proxy"];

// Top-level entries that a build reads. middleware.ts is handled per variant.
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

// The function name Next.js 16 looks for in each file.
const MIDDLEWARE_EXPORT = "export async function middleware(";
const PROXY_EXPORT = "export async function proxy(";

const isTestFile = (file) => /\.test\.tsx?$/.test(file);

/**
 * Copies the app in `appDir` to `targetDir` as the given variant and runs `next build` there.
 * Throws when the build does not have the shape the variant promises.
 */
export function buildVariant({ appDir, targetDir, variant, log = console.log }) {
  if (!BUILD_VARIANTS.includes(variant)) {
    throw new Error(`Unknown build variant "${variant}"; expected one of ${BUILD_VARIANTS}.`);
  }
  rmSync(targetDir, { recursive: true, force: true });
  mkdirSync(targetDir, { recursive: true });
  for (const entry of SOURCES) {
    const source = path.join(appDir, entry);
    if (!existsSync(source)) continue;
    cpSync(source, path.join(targetDir, entry), {
      recursive: true,
      filter: (file) => !isTestFile(file),
    });
  }
  if (variant === "proxy") {
    writeFileSync(path.join(targetDir, "proxy.ts"), proxySource(appDir));
  }
  linkNodeModules(appDir, targetDir);

  log(`Building the app as "${variant}" in ${targetDir}.`);
  execFileSync(
    process.execPath,
    [path.join(targetDir, "node_modules/next/dist/bin/next"), "build"],
    {
      cwd: targetDir,
      stdio: "inherit",
      env: { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" },
    },
  );
  checkVariant(targetDir, variant);
}

/**
 * Returns a hash of every source a variant build reads, middleware.ts included, so that a
 * caller can reuse a build whose sources did not change.
 */
export function fingerprintSources(appDir) {
  const hash = createHash("sha256");
  const visit = (relative) => {
    const absolute = path.join(appDir, relative);
    if (!existsSync(absolute)) return;
    if (statSync(absolute).isDirectory()) {
      for (const entry of readdirSync(absolute).sort()) visit(path.join(relative, entry));
      return;
    }
    if (isTestFile(relative)) return;
    hash.update(relative).update("\0").update(readFileSync(absolute)).update("\0");
  };
  for (const entry of [...SOURCES, "middleware.ts"]) visit(entry);
  return hash.digest("hex");
}

// The same module with the export Next.js 16 expects of proxy.ts. Everything else, the matcher
// included, stays as it is so that the two builds differ only in the runtime.
function proxySource(appDir) {
  const source = readFileSync(path.join(appDir, "middleware.ts"), "utf8");
  if (!source.includes(MIDDLEWARE_EXPORT)) {
    throw new Error(
      `middleware.ts no longer contains "${MIDDLEWARE_EXPORT}"; update ${import.meta.url}.`,
    );
  }
  const header = "// Generated from middleware.ts by scripts/build-variant.mjs; do not edit.\n";
  return header + source.replace(MIDDLEWARE_EXPORT, PROXY_EXPORT);
}

function linkNodeModules(appDir, targetDir) {
  const target = path.join(targetDir, "node_modules");
  try {
    execFileSync("cp", ["-al", path.join(appDir, "node_modules"), target], { stdio: "pipe" });
  } catch {
    rmSync(target, { recursive: true, force: true });
    cpSync(path.join(appDir, "node_modules"), target, { recursive: true, verbatimSymlinks: true });
  }
}

function checkVariant(targetDir, variant) {
  const readManifest = (name) =>
    JSON.parse(readFileSync(path.join(targetDir, ".next/server", name), "utf8"));
  const edge = readManifest("middleware-manifest.json");
  if (Object.keys(edge.middleware ?? {}).length > 0) {
    throw new Error(`The "${variant}" build in ${targetDir} still contains an Edge middleware.`);
  }
  const nodeProxy = readManifest("functions-config-manifest.json").functions?.["/_middleware"];
  if (variant === "proxy" && nodeProxy?.runtime !== "nodejs") {
    throw new Error(`The "proxy" build in ${targetDir} has no proxy on the Node.js runtime.`);
  }
  if (variant === "no-middleware" && nodeProxy) {
    throw new Error(`The "no-middleware" build in ${targetDir} still contains a proxy.`);
  }
}
