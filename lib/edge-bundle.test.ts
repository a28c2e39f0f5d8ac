// Middleware runs on the Edge runtime, which lacks most Node built-ins, and must verify
// tokens without the database. This test walks the import graph of middleware.ts and lists
// every import of a Node built-in, a database driver or another server-only package.

import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { builtinModules } from "node:module";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** Packages (and their subpaths) that need Node, the database or a server-only context. */
const FORBIDDEN_PACKAGES = [
  "server-only",
  "postgres",
  "@electric-sql/pglite",
  "drizzle-orm",
  "@node-rs/argon2",
  "pino",
  // zod 4 compiles validators with `new Function`, which the Edge runtime forbids.
  "zod",
  "next/headers",
];

const PARSED_EXTENSIONS = new Set([".ts", ".tsx", ".mts", ".cts", ".js", ".jsx", ".mjs", ".cjs"]);

interface ImportGraph {
  /** Every local module reached from the entry, as paths relative to the root. */
  files: string[];
  /** One line per forbidden or unresolvable import, naming the chain of files that leads to it. */
  violations: string[];
}

function forbiddenReason(specifier: string): string | null {
  if (specifier.startsWith("node:")) return "Node built-in";
  const firstSegment = specifier.split("/")[0] ?? specifier;
  if (builtinModules.includes(specifier) || builtinModules.includes(firstSegment)) {
    return "Node built-in";
  }
  const forbidden = FORBIDDEN_PACKAGES.find(
    (name) => specifier === name || specifier.startsWith(`${name}/`),
  );
  return forbidden ? "not allowed in the edge bundle" : null;
}

// Type-only imports are erased at compile time, so they never reach the bundle.
function isTypeOnlyImport(node: ts.ImportDeclaration): boolean {
  const clause = node.importClause;
  if (!clause) return false;
  if (clause.phaseModifier === ts.SyntaxKind.TypeKeyword) return true;
  if (clause.name) return false;
  const bindings = clause.namedBindings;
  if (!bindings || !ts.isNamedImports(bindings)) return false;
  return bindings.elements.length > 0 && bindings.elements.every((element) => element.isTypeOnly);
}

function isTypeOnlyExport(node: ts.ExportDeclaration): boolean {
  if (node.isTypeOnly) return true;
  const clause = node.exportClause;
  if (!clause || !ts.isNamedExports(clause)) return false;
  return clause.elements.length > 0 && clause.elements.every((element) => element.isTypeOnly);
}

const COMPUTED_SPECIFIER = "<computed>";

/**
 * Lists the module specifiers a file loads at run time: static imports and re-exports,
 * dynamic `import()` and `require()`. A dynamic import whose specifier is not a string
 * literal is listed as COMPUTED_SPECIFIER, because the walk cannot follow it.
 */
function runtimeImportsOf(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest);
  const specifiers: string[] = [];

  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && !isTypeOnlyImport(node)) {
      if (ts.isStringLiteral(node.moduleSpecifier)) specifiers.push(node.moduleSpecifier.text);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && !isTypeOnlyExport(node)) {
      if (ts.isStringLiteral(node.moduleSpecifier)) specifiers.push(node.moduleSpecifier.text);
    } else if (
      ts.isImportEqualsDeclaration(node) &&
      !node.isTypeOnly &&
      ts.isExternalModuleReference(node.moduleReference) &&
      ts.isStringLiteral(node.moduleReference.expression)
    ) {
      specifiers.push(node.moduleReference.expression.text);
    } else if (ts.isCallExpression(node) && isModuleLoad(node)) {
      const [argument] = node.arguments;
      specifiers.push(
        argument && ts.isStringLiteralLike(argument) ? argument.text : COMPUTED_SPECIFIER,
      );
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return specifiers;
}

function isModuleLoad(call: ts.CallExpression): boolean {
  if (call.expression.kind === ts.SyntaxKind.ImportKeyword) return true;
  return ts.isIdentifier(call.expression) && call.expression.text === "require";
}

/**
 * Resolves a relative or `@/` specifier the way the TypeScript bundler resolution does for
 * this project. Returns undefined for a bare package specifier and null when no file exists.
 */
function resolveLocal(
  specifier: string,
  fromFile: string,
  root: string,
): string | null | undefined {
  let base: string;
  if (specifier.startsWith("@/")) base = path.join(root, specifier.slice(2));
  else if (/^\.\.?(\/|$)/.test(specifier)) base = path.resolve(path.dirname(fromFile), specifier);
  else return undefined;

  const candidates = [
    base,
    `${base}.ts`,
    `${base}.tsx`,
    path.join(base, "index.ts"),
    path.join(base, "index.tsx"),
    base.replace(/\.js$/, ".ts"),
  ];
  return (
    candidates.find((candidate) => existsSync(candidate) && statSync(candidate).isFile()) ?? null
  );
}

/** Walks the import graph from `entry` (relative to `root`) breadth-first. */
function walkImportGraph(entry: string, root: string): ImportGraph {
  const relative = (file: string) => path.relative(root, file).split(path.sep).join("/");
  const start = path.join(root, entry);
  const importedBy = new Map<string, string | null>([[start, null]]);
  const queue = [start];
  const violations: string[] = [];

  const chainTo = (file: string) => {
    const chain: string[] = [];
    for (
      let current: string | null | undefined = file;
      current;
      current = importedBy.get(current)
    ) {
      chain.unshift(relative(current));
    }
    return chain.join(" -> ");
  };

  for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
    if (!PARSED_EXTENSIONS.has(path.extname(file))) continue;

    for (const specifier of runtimeImportsOf(file)) {
      if (specifier === COMPUTED_SPECIFIER) {
        violations.push(`${chainTo(file)} has a dynamic import the walk cannot follow`);
        continue;
      }
      const resolved = resolveLocal(specifier, file, root);
      if (resolved === undefined) {
        const reason = forbiddenReason(specifier);
        if (reason) violations.push(`${chainTo(file)} imports "${specifier}" (${reason})`);
      } else if (resolved === null) {
        violations.push(`${chainTo(file)} imports "${specifier}", which resolves to no file`);
      } else if (!importedBy.has(resolved)) {
        importedBy.set(resolved, file);
        queue.push(resolved);
      }
    }
  }

  return { files: [...importedBy.keys()].map(relative), violations };
}

describe("edge bundle", () => {
  it("middleware imports stay edge-safe", () => {
    const graph = walkImportGraph("middleware.ts", REPO_ROOT);

    expect(graph.files).toContain("middleware.ts");
    expect(graph.files).toContain("lib/auth/token-verify.ts");
    expect(graph.violations, graph.violations.join("\n")).toEqual([]);
  });
});

describe("walkImportGraph", () => {
  let fixtureRoot: string;

  const writeModule = (file: string, lines: string[]) => {
    const target = path.join(fixtureRoot, file);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, `${lines.join("\n")}\n`);
  };

  beforeAll(() => {
    fixtureRoot = mkdtempSync(path.join(os.tmpdir(), "tessera-edge-walk-"));
    writeModule("middleware.ts", [
      'import { helper } from "./lib/helper";',
      'export { LABEL } from "./lib/label";',
      "export const run = () => helper();",
    ]);
    writeModule("lib/helper.ts", [
      'import { store } from "@/lib/store";',
      "export const helper = () => store;",
    ]);
    writeModule("lib/store/index.ts", [
      'import "server-only";',
      'import postgres from "postgres";',
      'import { randomUUID } from "node:crypto";',
      'import { readFileSync } from "fs";',
      "export const store = {",
      "  postgres,",
      "  randomUUID,",
      "  readFileSync,",
      '  loadSchema: () => import("drizzle-orm/pg-core"),',
      "};",
    ]);
    writeModule("lib/label.ts", [
      'import type { ZodType } from "zod";',
      'import { type Logger } from "pino";',
      'import "./missing-module";',
      "export type Schema = ZodType;",
      "export type LabelLogger = Logger;",
      'export const LABEL = "edge";',
    ]);
  });

  afterAll(() => {
    rmSync(fixtureRoot, { recursive: true, force: true });
  });

  it("reports chain to forbidden import", () => {
    const graph = walkImportGraph("middleware.ts", fixtureRoot);
    const chain = "middleware.ts -> lib/helper.ts -> lib/store/index.ts";

    expect(graph.files).toEqual([
      "middleware.ts",
      "lib/helper.ts",
      "lib/label.ts",
      "lib/store/index.ts",
    ]);
    expect(graph.violations).toContain(
      `${chain} imports "server-only" (not allowed in the edge bundle)`,
    );
    expect(graph.violations).toContain(
      `${chain} imports "postgres" (not allowed in the edge bundle)`,
    );
    expect(graph.violations).toContain(`${chain} imports "node:crypto" (Node built-in)`);
    expect(graph.violations).toContain(`${chain} imports "fs" (Node built-in)`);
    expect(graph.violations).toContain(
      `${chain} imports "drizzle-orm/pg-core" (not allowed in the edge bundle)`,
    );
  });

  it("reports unresolved local import", () => {
    const graph = walkImportGraph("middleware.ts", fixtureRoot);

    expect(graph.violations).toContain(
      'middleware.ts -> lib/label.ts imports "./missing-module", which resolves to no file',
    );
  });

  it("skips type-only imports", () => {
    const graph = walkImportGraph("middleware.ts", fixtureRoot);

    expect(graph.violations.filter((line) => line.includes('"zod"'))).toEqual([]);
    expect(graph.violations.filter((line) => line.includes('"pino"'))).toEqual([]);
    expect(graph.violations).toHaveLength(6);
  });
});
