// Servers that a spec starts and stops itself, for tests that take the database away: a
// PostgreSQL cluster of its own and a `next start` of the built app pointed at it.

import { execFile, spawn, type ChildProcess } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";

import { generateSigningKeyEnv } from "../scripts/signing-key.mjs";

const run = promisify(execFile);

const POSTGRES_INSTALL_ROOT = "/usr/lib/postgresql";
const REPOSITORY_ROOT = path.resolve(__dirname, "..");
const NEXT_BIN = path.join(REPOSITORY_ROOT, "node_modules/next/dist/bin/next");

/**
 * Returns the `bin` folder of the newest PostgreSQL under /usr/lib/postgresql (the Debian
 * layout) that has `initdb` and `pg_ctl`, or undefined when there is none.
 */
export function findPostgresBinaries(): string | undefined {
  if (!existsSync(POSTGRES_INSTALL_ROOT)) return undefined;
  const versions = readdirSync(POSTGRES_INSTALL_ROOT)
    .filter((entry) => /^\d+$/.test(entry))
    .sort((a, b) => Number(b) - Number(a));
  for (const version of versions) {
    const bin = path.join(POSTGRES_INSTALL_ROOT, version, "bin");
    if (existsSync(path.join(bin, "initdb")) && existsSync(path.join(bin, "pg_ctl"))) return bin;
  }
  return undefined;
}

/** Returns a port in [first, last] on 127.0.0.1 that nothing listens on at the moment. */
export async function findFreePort(first: number, last: number): Promise<number> {
  const count = last - first + 1;
  const offset = Math.floor(Math.random() * count);
  for (let index = 0; index < count; index += 1) {
    const port = first + ((offset + index) % count);
    if (await isPortFree(port)) return port;
  }
  throw new Error(`No free port on 127.0.0.1 between ${first} and ${last}.`);
}

function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

export interface ThrowawayPostgres {
  /** postgres:// URL of the cluster's `postgres` database, user `postgres`, no password. */
  readonly url: string;
  start(): Promise<void>;
  /** Stops the server the way an operator would (`pg_ctl stop -m fast`). */
  stop(): Promise<void>;
  /** Stops the server if it runs and deletes its folder. */
  destroy(): Promise<void>;
}

/**
 * Creates and starts a cluster in a new folder under the system temporary folder, listening
 * only on 127.0.0.1:`port` with no Unix socket and trust authentication. `initdb` refuses to
 * run as root, so as root every command runs as the `postgres` user.
 */
export async function startThrowawayPostgres(
  bin: string,
  port: number,
): Promise<ThrowawayPostgres> {
  const asRoot = process.getuid?.() === 0;
  const command = (program: string, args: string[]) =>
    asRoot
      ? run("runuser", ["-u", "postgres", "--", path.join(bin, program), ...args])
      : run(path.join(bin, program), args);

  // The folder must belong to the user that runs the server. A Unix socket inside the
  // repository would break Turbopack's file scan, so nothing of the cluster lives there.
  const folder = asRoot
    ? (
        await run("runuser", ["-u", "postgres", "--", "mktemp", "-d", "/tmp/tessera-outage-XXXXXX"])
      ).stdout.trim()
    : await mkdtemp(path.join(tmpdir(), "tessera-outage-"));
  const dataFolder = path.join(folder, "data");
  const logFile = path.join(folder, "server.log");

  await command("initdb", [
    "--pgdata",
    dataFolder,
    "--username",
    "postgres",
    "--auth",
    "trust",
    "--encoding",
    "UTF8",
    "--no-sync",
  ]);

  // pg_ctl hands -o to a shell, so '' is an empty socket directory list.
  const serverOptions = `-c listen_addresses=127.0.0.1 -p ${port} -c unix_socket_directories='' -c fsync=off`;
  let running = false;
  const cluster: ThrowawayPostgres = {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async start() {
      await command("pg_ctl", [
        "--pgdata",
        dataFolder,
        "--log",
        logFile,
        "--wait",
        "--options",
        serverOptions,
        "start",
      ]);
      running = true;
    },
    async stop() {
      await command("pg_ctl", ["--pgdata", dataFolder, "--mode", "fast", "--wait", "stop"]);
      running = false;
    },
    async destroy() {
      if (running) {
        await command("pg_ctl", [
          "--pgdata",
          dataFolder,
          "--mode",
          "immediate",
          "--wait",
          "stop",
        ]).catch((error: unknown) =>
          console.warn(`Stopping the throwaway cluster failed: ${String(error)}`),
        );
        running = false;
      }
      await rm(folder, { recursive: true, force: true });
    },
  };
  try {
    await cluster.start();
  } catch (error) {
    await cluster.destroy();
    throw error;
  }
  return cluster;
}

export interface AppServer {
  /** Origin of the server, such as http://127.0.0.1:3517. */
  readonly url: string;
  /** Everything the server printed so far, for a failure message. */
  output(): string;
  stop(): Promise<void>;
}

/**
 * Starts `next start` from the built app (run `next build` first) on 127.0.0.1:`port` with
 * a fresh signing key and `env`, and waits until /api/health returns 200, which means the
 * database is open and migrated.
 */
export async function startAppServer(
  port: number,
  env: Record<string, string>,
): Promise<AppServer> {
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(
    process.execPath,
    [NEXT_BIN, "start", "--hostname", "127.0.0.1", "--port", String(port)],
    {
      cwd: REPOSITORY_ROOT,
      // Its own process group, so that stop() also ends any process Next.js starts.
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
      env: {
        ...process.env,
        ...generateSigningKeyEnv(),
        APP_URL: url,
        NEXT_TELEMETRY_DISABLED: "1",
        LOG_LEVEL: process.env.LOG_LEVEL ?? "warn",
        ...env,
      },
    },
  );
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  // A worker that dies without running afterAll must not leave the server behind.
  const killOnExit = () => killGroup(child, "SIGKILL");
  process.once("exit", killOnExit);

  const server: AppServer = {
    url,
    output: () => output,
    async stop() {
      process.off("exit", killOnExit);
      if (child.exitCode !== null || child.signalCode !== null) return;
      killGroup(child, "SIGTERM");
      const stopped = await Promise.race([
        exited.then(() => true),
        new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 10_000)),
      ]);
      if (!stopped) killGroup(child, "SIGKILL");
    },
  };
  try {
    await waitForHealth(url, child, 90_000);
  } catch (error) {
    await server.stop();
    throw new Error(`${(error as Error).message}\nServer output:\n${output}`);
  }
  return server;
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch (error) {
    // ESRCH: the group is already gone.
    if ((error as NodeJS.ErrnoException).code !== "ESRCH") throw error;
  }
}

async function waitForHealth(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`next start exited with code ${child.exitCode} before it was healthy.`);
    }
    try {
      const response = await fetch(`${url}/api/health`, { cache: "no-store" });
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${url}/api/health did not answer 200 within ${timeoutMs / 1000} s.`);
}
