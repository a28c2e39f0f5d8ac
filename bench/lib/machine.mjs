// Facts about this machine and its processes: CPU time from /proc (Linux only), the machine
// description for the report, and the wait for a quiet machine before measuring.

import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

const CLOCK_TICKS_PER_SECOND = readClockTicks();

function readClockTicks() {
  try {
    return Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
  } catch {
    return 100;
  }
}

/** Returns a process's parent pid and CPU time (user + system) in seconds, or null once it ended. */
function readProcessStat(pid) {
  let text;
  try {
    text = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return null;
  }
  // The command name in brackets may contain spaces, so fields are counted after its ")".
  const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
  const parentPid = Number(fields[1]);
  const ticks = Number(fields[11]) + Number(fields[12]);
  return { parentPid, cpuSeconds: ticks / CLOCK_TICKS_PER_SECOND };
}

/** Returns the pids of `rootPid` and all its descendants that are running now. */
export function processTree(rootPid) {
  const children = new Map();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readProcessStat(entry);
    if (!stat) continue;
    const siblings = children.get(stat.parentPid) ?? [];
    siblings.push(Number(entry));
    children.set(stat.parentPid, siblings);
  }
  const tree = [];
  const queue = [rootPid];
  while (queue.length > 0) {
    const pid = queue.shift();
    tree.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return tree;
}

/** Returns CPU seconds per pid. A pid that has ended is left out. */
export function readCpuSeconds(pids) {
  const seconds = new Map();
  for (const pid of pids) {
    const stat = readProcessStat(pid);
    if (stat) seconds.set(pid, stat.cpuSeconds);
  }
  return seconds;
}

/**
 * Returns the CPU seconds the processes used between two readings. A pid missing from the
 * first reading started in between and counts from zero.
 */
export function cpuSecondsBetween(before, after) {
  let total = 0;
  for (const [pid, seconds] of after) total += seconds - (before.get(pid) ?? 0);
  return total;
}

/** Returns the CPU seconds all cores of the machine spent busy (not idle or waiting) so far. */
export function readMachineBusySeconds() {
  const line = safeRead("/proc/stat").split("\n")[0] ?? "";
  // cpu user nice system idle iowait irq softirq steal ...
  const [user, nice, system, , , irq, softirq, steal] = line.split(/\s+/).slice(1).map(Number);
  return (user + nice + system + irq + softirq + (steal || 0)) / CLOCK_TICKS_PER_SECOND;
}

/** Returns the pids of the running processes whose command name is exactly `name`. */
export function pidsNamed(name) {
  const pids = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, "utf8").trim() === name) pids.push(Number(entry));
    } catch {
      // The process ended while the list was read.
    }
  }
  return pids;
}

// Runs that make measurements on a small shared machine worthless.
const BUSY_PATTERN = "playwright test|\\.ci/run|next build";

/** Returns the command lines of active builds, CI or Playwright runs that this process did not start. */
export function findBusyProcesses() {
  let output = "";
  try {
    output = execFileSync("pgrep", ["-af", BUSY_PATTERN], { encoding: "utf8" });
  } catch {
    return []; // pgrep exits with 1 when nothing matches.
  }
  const mine = new Set(processTree(process.pid));
  return output
    .split("\n")
    .filter(Boolean)
    .filter((line) => !mine.has(Number(line.split(" ")[0])))
    .filter((line) => !line.includes("pgrep"));
}

/** Waits, checking once a minute, until no build, CI or Playwright run is active. */
export async function waitForQuietMachine(log) {
  for (;;) {
    const busy = findBusyProcesses();
    if (busy.length === 0) return;
    log(
      `Waiting 60 s: measurements on a busy machine are worthless. Active:\n  ${busy.join("\n  ")}`,
    );
    await new Promise((resolve) => setTimeout(resolve, 60_000));
  }
}

/** Describes the machine and the software versions for the report. */
export function describeMachine(appDir, postgresVersion) {
  const cpuinfo = safeRead("/proc/cpuinfo");
  const model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim() ?? os.cpus()[0]?.model;
  return {
    cpuModel: model ?? "unknown",
    cores: os.cpus().length,
    memoryGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    kernel: `${os.type()} ${os.release()}`,
    node: process.version,
    next: packageVersion(appDir, "next"),
    jose: packageVersion(appDir, "jose"),
    postgresJs: packageVersion(appDir, "postgres"),
    autocannon: packageVersion(appDir, "autocannon"),
    postgres: postgresVersion,
    commit: describeCommit(appDir),
  };
}

/** Returns the app's git commit, noting uncommitted changes, or "unknown" outside git. */
function describeCommit(appDir) {
  try {
    const git = (...args) => execFileSync("git", args, { cwd: appDir, encoding: "utf8" }).trim();
    const commit = git("rev-parse", "--short", "HEAD");
    return git("status", "--porcelain") === "" ? commit : `${commit} with uncommitted changes`;
  } catch {
    return "unknown";
  }
}

function packageVersion(appDir, name) {
  try {
    const file = path.join(appDir, "node_modules", name, "package.json");
    return JSON.parse(readFileSync(file, "utf8")).version;
  } catch {
    return "not installed";
  }
}

function safeRead(file) {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return "";
  }
}
