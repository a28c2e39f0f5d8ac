import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

import { describe, expect, it } from "vitest";

// Middleware lets a server action through with an expired token when a session cookie is
// present, because every action behind sign-in re-reads the session row itself. This test
// keeps that promise: each exported action under app/account must call
// requireActiveSession().

const ACCOUNT_DIR = path.join(__dirname, "account");

function actionFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return actionFiles(full);
    return entry.name === "actions.ts" ? [full] : [];
  });
}

function exportedActions(source: string): { name: string; body: string }[] {
  const pattern = /export async function (\w+)\s*\(/g;
  const starts = [...source.matchAll(pattern)];
  return starts.map((match, index) => ({
    name: match[1] ?? "",
    body: source.slice(match.index, starts[index + 1]?.index ?? source.length),
  }));
}

describe("account server actions", () => {
  const files = actionFiles(ACCOUNT_DIR);

  it("exist", () => {
    expect(files.length).toBeGreaterThanOrEqual(2);
  });

  for (const file of files) {
    const source = readFileSync(file, "utf8");
    for (const action of exportedActions(source)) {
      it(`${path.relative(ACCOUNT_DIR, file)} ${action.name} re-reads the session`, () => {
        expect(source.startsWith('"use server"')).toBe(true);
        expect(action.body).toContain("await requireActiveSession()");
      });
    }
  }
});
