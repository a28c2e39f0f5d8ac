import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { expect, test } from "@playwright/test";

// Starts the production build a second time, on its own port and database folder, with the
// signing keys blanked out (an empty variable also wins over any .env*.local file).
test("production start without keys names the variable", async () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), "tessera-startup-"));
  const server = spawn("npx", ["next", "start", "--hostname", "127.0.0.1", "--port", "3199"], {
    env: {
      ...process.env,
      NODE_ENV: "production",
      TOKEN_SIGNING_KEY: "",
      TOKEN_PUBLIC_KEYS: "",
      PGLITE_DATA_DIR: path.join(dataDir, "db"),
      NEXT_TELEMETRY_DISABLED: "1",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  server.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  server.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));

  try {
    const exitCode = await new Promise<number | null>((resolve) => {
      server.on("exit", (code) => resolve(code));
    });
    expect(exitCode).not.toBe(0);
    expect(output).toContain("Tessera cannot start.");
    expect(output).toContain("TOKEN_SIGNING_KEY is missing");
    expect(output).toContain("TOKEN_PUBLIC_KEYS is missing");
  } finally {
    server.kill();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
