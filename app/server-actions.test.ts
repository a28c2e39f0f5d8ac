import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

import { describe, expect, it } from "vitest";

// Middleware lets a server action through with an expired token when a session cookie is
// present, because every action behind sign-in re-reads the session row itself. This test
// keeps that promise: each exported action under app/(signed-in) must call
// requireActiveSession(), directly or through requireAdminFromDatabase().

const SIGNED_IN_DIR = path.join(__dirname, "(signed-in)");
const SESSION_CHECKS = [
  "await requireActiveSession()",
  "await requireAdminFromDatabase()",
  "await requireAdminOfForm(form)",
];

function actionFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return actionFiles(full);
    if (!/\.tsx?$/.test(entry.name) || entry.name.endsWith(".test.ts")) return [];
    return /^\s*["']use server["']/.test(readFileSync(full, "utf8")) ? [full] : [];
  });
}

function exportedActions(source: string): { name: string; body: string }[] {
  const pattern = /export (?:async function (\w+)\s*\(|const (\w+)\s*=\s*async)/g;
  const starts = [...source.matchAll(pattern)];
  return starts.map((match, index) => ({
    name: match[1] ?? match[2] ?? "",
    body: source.slice(match.index, starts[index + 1]?.index ?? source.length),
  }));
}

describe("signed-in server actions", () => {
  const files = actionFiles(SIGNED_IN_DIR);

  it("exist", () => {
    expect(files.length).toBeGreaterThanOrEqual(3);
  });

  for (const file of files) {
    const source = readFileSync(file, "utf8");
    for (const action of exportedActions(source)) {
      it(`${path.relative(SIGNED_IN_DIR, file)} ${action.name} re-reads the session`, () => {
        expect(source.startsWith('"use server"')).toBe(true);
        const checks = SESSION_CHECKS.filter((check) => action.body.includes(check));
        expect(checks.length).toBeGreaterThan(0);
      });
    }
  }
});
