import "server-only";

import { closeDatabase } from "./db/client";
import { getEnv } from "./env";
import { log } from "./log";

/**
 * Closes the database when the server is stopped (Ctrl-C or SIGTERM), so PGlite releases
 * its data folder cleanly and `npm run db:retention` can open it afterwards.
 */
export function closeDatabaseOnShutdown(): void {
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      closeDatabase()
        .catch((error: unknown) => log.error({ err: error }, "closing the database failed"))
        .finally(() => process.exit(0));
    });
  }
}

export function validateEnvironmentAtStartup(): void {
  try {
    const env = getEnv();
    log.info(
      {
        database: env.databaseUrl ? "postgres" : "pglite",
        tokenTtlSeconds: env.tokenTtlSeconds,
        secureCookies: env.secureCookies,
        signingKeyId: env.signingKey.kid,
      },
      "configuration loaded",
    );
  } catch (error) {
    // Printed without the logger's JSON so the list of variables stays readable.
    console.error(`Tessera cannot start.\n${(error as Error).message}`);
    process.exit(1);
  }
}
