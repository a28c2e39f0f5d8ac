import "server-only";

import { getEnv } from "./env";
import { log } from "./log";

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
