import "server-only";

import pino from "pino";

// One structured logger for the server. Log ids (user, session public id, request path),
// never session secrets, tokens, password hashes or passwords.
export const log = pino({
  level: process.env.LOG_LEVEL || "info",
  base: { service: "tessera" },
  redact: {
    paths: ["password", "secret", "token", "*.password", "*.secret", "*.token"],
    censor: "[redacted]",
  },
});
