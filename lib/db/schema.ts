import { sql } from "drizzle-orm";
import {
  boolean,
  check,
  index,
  inet,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";

const createdAt = () => timestamp("created_at", { withTimezone: true }).notNull().defaultNow();

export const users = pgTable(
  "users",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    // Stored as the user typed it; uniqueness and lookups use lower(email).
    email: text("email").notNull(),
    displayName: text("display_name").notNull(),
    passwordHash: text("password_hash").notNull(),
    createdAt: createdAt(),
  },
  (table) => [uniqueIndex("users_email_lower_key").on(sql`lower(${table.email})`)],
);

export const ORGANIZATION_ROLES = ["admin", "member"] as const;
export type OrganizationRole = (typeof ORGANIZATION_ROLES)[number];

export const organizations = pgTable(
  "organizations",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    slug: text("slug").notNull(),
    name: text("name").notNull(),
    createdAt: createdAt(),
    // Optional stricter limits for sessions whose active organization is this one. The
    // strictest of these and the app-wide limits applies; null means no extra limit.
    sessionAbsoluteTimeoutSeconds: integer("session_absolute_timeout_seconds"),
    sessionIdleTimeoutSeconds: integer("session_idle_timeout_seconds"),
  },
  (table) => [
    uniqueIndex("organizations_slug_key").on(table.slug),
    check(
      "organizations_session_limits_positive",
      sql`coalesce(${table.sessionAbsoluteTimeoutSeconds}, 1) > 0 and coalesce(${table.sessionIdleTimeoutSeconds}, 1) > 0`,
    ),
  ],
);

export const memberships = pgTable(
  "memberships",
  {
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    role: text("role", { enum: ORGANIZATION_ROLES }).notNull(),
    createdAt: createdAt(),
    // When a session of this user last made this organization active; sign-in picks the
    // most recent one.
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
  },
  (table) => [
    primaryKey({ columns: [table.userId, table.organizationId] }),
    index("memberships_organization_idx").on(table.organizationId),
    check("memberships_role_known", sql`${table.role} in ('admin', 'member')`),
  ],
);

export const SESSION_STATUSES = ["active", "ended", "revoked", "expired"] as const;
export type SessionStatus = (typeof SESSION_STATUSES)[number];

export const SESSION_END_REASONS = [
  "signed_out",
  "revoked_by_user",
  "revoked_by_admin",
  "idle_timeout",
  "absolute_timeout",
  "password_changed",
  "removed_from_organization",
  // The owner followed the "This wasn't me" link of a new sign-in alert.
  "reported_by_user",
] as const;
export type SessionEndReason = (typeof SESSION_END_REASONS)[number];

export const sessions = pgTable(
  "sessions",
  {
    // The public id: shown on the devices page, used in revoke requests and in the `sid`
    // claim. It proves nothing; the secret in the session cookie does.
    id: uuid("id").primaryKey().defaultRandom(),
    // SHA-256 of the cookie secret, base64url. The secret itself is never stored.
    secretHash: text("secret_hash").notNull(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    status: text("status", { enum: SESSION_STATUSES }).notNull().default("active"),
    endReason: text("end_reason", { enum: SESSION_END_REASONS }),
    createdAt: createdAt(),
    lastActiveAt: timestamp("last_active_at", { withTimezone: true }).notNull().defaultNow(),
    endedAt: timestamp("ended_at", { withTimezone: true }),
    // When the password was last checked for this session: the `auth_time` claim.
    lastVerifiedAt: timestamp("last_verified_at", { withTimezone: true }).notNull().defaultNow(),
    userAgent: text("user_agent").notNull().default(""),
    browser: text("browser"),
    os: text("os"),
    deviceType: text("device_type", {
      enum: ["desktop", "mobile", "tablet", "other"],
    })
      .notNull()
      .default("other"),
    // Null once the IP retention period after the session ended has passed; the coarse
    // location and country stay.
    ip: inet("ip"),
    // Display text such as "Berlin, Germany", "Germany" or "Local network".
    location: text("location"),
    // ISO 3166-1 alpha-2 code of the location, null when unknown or local.
    countryCode: text("country_code"),
    // Browser family, OS family and device type without versions, for example
    // "chrome|macos|desktop": what counts as the same device for new-device alerts.
    deviceKey: text("device_key").notNull().default(""),
    // Set at sign-in when the user had never signed in from this device key or country.
    newDevice: boolean("new_device").notNull().default(false),
    newCountry: boolean("new_country").notNull().default(false),
    // A name the owner gave this session, such as "Work laptop".
    name: text("name"),
    // SHA-256 of the one-time secret in the "This wasn't me" link of a new sign-in alert.
    reportSecretHash: text("report_secret_hash"),
    // Active organization and the user's role in it, copied from the membership so that a
    // refresh reads one row. Both null when the session has no organization; then the
    // token omits `org_id` and `org_role`. NOTE: deleting an organization fails on the check
    // below while sessions still point at it, because SET NULL clears only this column.
    activeOrganizationId: uuid("active_organization_id").references(() => organizations.id, {
      onDelete: "set null",
    }),
    activeRole: text("active_role", { enum: ORGANIZATION_ROLES }),
  },
  (table) => [
    uniqueIndex("sessions_secret_hash_key").on(table.secretHash),
    index("sessions_user_status_idx").on(table.userId, table.status),
    index("sessions_organization_idx").on(table.activeOrganizationId),
    index("sessions_user_device_idx").on(table.userId, table.deviceKey),
    uniqueIndex("sessions_report_secret_hash_key")
      .on(table.reportSecretHash)
      .where(sql`${table.reportSecretHash} is not null`),
    check(
      "sessions_organization_role_together",
      sql`(${table.activeOrganizationId} is null) = (${table.activeRole} is null)`,
    ),
    check(
      "sessions_status_known",
      sql`${table.status} in ('active', 'ended', 'revoked', 'expired')`,
    ),
    check(
      "sessions_ended_consistency",
      sql`(${table.status} = 'active') = (${table.endedAt} is null and ${table.endReason} is null)`,
    ),
  ],
);

export const SECURITY_EVENT_TYPES = [
  "sign_up",
  "sign_in",
  "sign_in_failed",
  "sign_out",
  "session_revoked",
  "organization_switched",
  "member_added",
  "role_changed",
  "member_removed",
  "session_expired",
  "password_changed",
  "password_verified",
  "organization_policy_changed",
  "session_reported",
  "session_renamed",
] as const;
export type SecurityEventType = (typeof SECURITY_EVENT_TYPES)[number];

// Append-only: the app inserts rows and never updates them.
export const securityEvents = pgTable(
  "security_events",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    type: text("type", { enum: SECURITY_EVENT_TYPES }).notNull(),
    // Null for a failed sign-in with an unknown email.
    userId: uuid("user_id").references(() => users.id, { onDelete: "cascade" }),
    sessionId: uuid("session_id").references(() => sessions.id, { onDelete: "set null" }),
    ip: inet("ip"),
    userAgent: text("user_agent"),
    detail: jsonb("detail").$type<Record<string, string>>(),
    createdAt: createdAt(),
  },
  (table) => [index("security_events_user_created_idx").on(table.userId, table.createdAt)],
);

// Failed password checks per throttle key, kept in the database because every app instance
// must see the same counts. Rows are short-lived: once `expires_at` has passed a row has no
// effect, the next attempt starts it over, and the retention command deletes it.
export const signInThrottles = pgTable(
  "sign_in_throttles",
  {
    // "account:" plus the lower-case email (also for emails without an account), or "ip:"
    // plus an IPv4 address or an IPv6 /64 network.
    key: text("key").primaryKey(),
    // Failures since `window_started_at`. An attempt counts as a failure from before its
    // password check until a success takes it back.
    failures: integer("failures").notNull(),
    windowStartedAt: timestamp("window_started_at", { withTimezone: true }).notNull(),
    // Attempts before this time are rejected without a password check; null when not locked.
    lockedUntil: timestamp("locked_until", { withTimezone: true }),
    // Whether a rejected attempt during the current lock was already recorded as a security
    // event, so that a flood of rejected attempts records one.
    rejectionRecorded: boolean("rejection_recorded").notNull().default(false),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  },
  (table) => [check("sign_in_throttles_failures_not_negative", sql`${table.failures} >= 0`)],
);
