import path from "node:path";

import { defineConfig } from "vitest/config";

const root = path.dirname(new URL(import.meta.url).pathname);

export default defineConfig({
  resolve: {
    alias: {
      "@": root,
      // `server-only` throws outside React Server Components builds; under Vitest the
      // modules that import it run in plain Node, which is the server.
      "server-only": path.join(root, "test/server-only-stub.ts"),
    },
  },
  test: {
    environment: "node",
    include: ["**/*.test.ts", "**/*.test.tsx"],
    exclude: ["node_modules/**", "e2e/**", ".next/**", ".data/**"],
    setupFiles: ["test/setup.ts"],
    // The integration tests open a database per file; PGlite takes a few seconds to start.
    testTimeout: 20_000,
    hookTimeout: 60_000,
  },
});
