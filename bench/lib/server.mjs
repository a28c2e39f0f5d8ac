// Production builds and `next start` servers for the benchmark. Servers run in their own
// process group so that stopping one also stops every process it started.

import { execFileSync, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

import { buildVariant, fingerprintSources } from "../../scripts/build-variant.mjs";

/**
 * Folder of the benchmark's own build of a variant, apart from the e2e suite's. It is named
 * after the checkout too, so that two clones on one machine never rebuild each other's.
 */
export function variantDir(appDir, variant) {
  const checkout = createHash("sha256").update(path.resolve(appDir)).digest("hex").slice(0, 8);
  return path.join(tmpdir(), `tessera-bench-${variant}-${checkout}`);
}

const FINGERPRINT_FILE = ".bench-source-fingerprint";

/**
 * Checks that `appDir` has a production build with the benchmark routes, running
 * `next build` there when it has none.
 */
export function ensureBuild(appDir, log) {
  if (!existsSync(path.join(appDir, ".next", "BUILD_ID"))) {
    log(`No production build in ${appDir}; running next build.`);
    execFileSync(process.execPath, [nextBin(appDir), "build"], {
      cwd: appDir,
      stdio: "inherit",
      env: { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" },
    });
  }
  const benchRoute = path.join(appDir, ".next/server/app/api/bench/session-db/route.js");
  if (!existsSync(benchRoute)) {
    throw new Error(
      `The build in ${appDir}/.next has no benchmark routes (app/api/bench). Run \`npm run build\` and start again.`,
    );
  }
}

/**
 * Returns the folder of a production build of `variant` ("no-middleware" or "proxy"),
 * building it when it is missing or the app's sources changed since it was built.
 */
export function ensureVariantBuild(appDir, variant, log) {
  const targetDir = variantDir(appDir, variant);
  const fingerprint = fingerprintSources(appDir);
  const stamp = path.join(targetDir, FINGERPRINT_FILE);
  const built = existsSync(path.join(targetDir, ".next", "BUILD_ID"));
  if (built && existsSync(stamp) && readFileSync(stamp, "utf8") === fingerprint) {
    log(`Reusing the "${variant}" build in ${targetDir}.`);
    return targetDir;
  }
  buildVariant({ appDir, targetDir, variant, log });
  writeFileSync(stamp, fingerprint);
  return targetDir;
}

// Servers still running, so that an interrupted run can stop them.
const runningServers = new Set();

/** Stops every server this process started that is still running. */
export async function stopAllServers() {
  await Promise.all([...runningServers].map((stop) => stop()));
}

const nextBin = (dir) => path.join(dir, "node_modules", "next", "dist", "bin", "next");

/**
 * Returns the environment of a benchmark server: only what it needs, so that variables of
 * the calling shell (a DATABASE_URL, a LOG_LEVEL) cannot change what is measured.
 */
export function serverEnvironment(variables) {
  const inherited = {};
  for (const name of ["PATH", "HOME", "TMPDIR", "LANG"]) {
    if (process.env[name] !== undefined) inherited[name] = process.env[name];
  }
  return {
    ...inherited,
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    LOG_LEVEL: "warn",
    TESSERA_BENCH_ROUTES: "1",
    ...variables,
  };
}

/**
 * Starts `next start` in `dir` on 127.0.0.1:`port` and waits until /api/health returns 200,
 * which also applies the migrations. Returns the server's pid, base URL and a stop function.
 */
export async function startServer({ dir, port, env, log }) {
  if (await isPortOpen(port)) {
    throw new Error(
      `Port ${port} on 127.0.0.1 is already in use. Stop that process or pass --port.`,
    );
  }
  const child = spawn(
    process.execPath,
    [nextBin(dir), "start", "--hostname", "127.0.0.1", "--port", String(port)],
    { cwd: dir, env, detached: true, stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  const keep = (chunk) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout.on("data", keep);
  child.stderr.on("data", keep);
  let exited = false;
  const exit = new Promise((resolve) => {
    child.on("exit", (code, signal) => {
      exited = true;
      resolve({ code, signal });
    });
  });

  const baseUrl = `http://127.0.0.1:${port}`;
  const stop = async () => {
    runningServers.delete(stop);
    if (exited) return;
    try {
      process.kill(-child.pid, "SIGTERM");
    } catch {
      return;
    }
    const timeout = new Promise((resolve) => setTimeout(() => resolve("timeout"), 10_000));
    if ((await Promise.race([exit, timeout])) === "timeout") {
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {
        // It ended in the meantime.
      }
    }
  };

  runningServers.add(stop);

  const deadline = Date.now() + 120_000;
  for (;;) {
    if (exited) {
      throw new Error(`next start in ${dir} exited before it was ready. Its output:\n${output}`);
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`next start in ${dir} was not ready within 120 s. Its output:\n${output}`);
    }
    try {
      const response = await fetch(`${baseUrl}/api/health`);
      if (response.ok) break;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  log(`Server ready at ${baseUrl} (${path.basename(dir)}, pid ${child.pid}).`);
  return { pid: child.pid, baseUrl, stop, output: () => output };
}

function isPortOpen(port) {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}
