/** Runs one SQL statement with `$1`-style parameters and resolves to its rows. */
export type QueryRows = (
  statement: string,
  params?: unknown[],
) => Promise<Array<Record<string, unknown>>>;

export interface SessionLimits {
  absoluteTimeoutSeconds: number;
  idleTimeoutSeconds: number;
}

export interface DemoAccount {
  key: string;
  email: string;
  displayName: string;
  role: "admin" | "member";
}

export interface DemoDevice {
  userAgent: string;
  clientHints?: {
    brands: Array<{ name: string; version: string | null }> | null;
    mobile: boolean | null;
    platform: string | null;
    platformVersion: string | null;
    model: string | null;
  };
  maxTouchPoints: number;
  browser: string;
  os: string;
  deviceType: "desktop" | "mobile" | "tablet" | "other";
}

export interface DemoPlace {
  ip: string;
  location: string;
  countryCode: string | null;
}

export interface DemoUserRow {
  key: string;
  id: string;
  email: string;
  displayName: string;
  passwordHash: string | null;
  createdAt: Date;
}

export interface DemoSessionRow {
  key: string;
  id: string;
  secretHash: string;
  userId: string;
  status: "active" | "ended" | "revoked" | "expired";
  endReason: string | null;
  createdAt: Date;
  lastActiveAt: Date;
  endedAt: Date | null;
  lastVerifiedAt: Date;
  userAgent: string;
  browser: string;
  os: string;
  deviceType: DemoDevice["deviceType"];
  ip: string;
  location: string;
  countryCode: string | null;
  deviceKey: string;
  newDevice: boolean;
  newCountry: boolean;
  name: string | null;
  reportSecretHash: string | null;
  activeOrganizationId: string;
  activeRole: "admin" | "member";
}

export interface DemoEventRow {
  id: string;
  type: string;
  userId: string;
  sessionId: string | null;
  ip: string;
  userAgent: string;
  detail: Record<string, string> | null;
  createdAt: Date;
}

export interface DemoData {
  users: DemoUserRow[];
  organizations: Array<{ id: string; slug: string; name: string; createdAt: Date }>;
  memberships: Array<{
    userId: string;
    organizationId: string;
    role: "admin" | "member";
    createdAt: Date;
    lastUsedAt: Date;
  }>;
  sessions: DemoSessionRow[];
  events: DemoEventRow[];
}

export interface SeedResult {
  created: boolean;
  replaced: boolean;
  counts: {
    accounts: number;
    organizations: number;
    sessions: number;
    activeSessions: number;
    securityEvents: number;
  } | null;
}

export const ARGON2_OPTIONS: Readonly<{
  algorithm: number;
  memoryCost: number;
  timeCost: number;
  parallelism: number;
}>;
export const DEMO_PASSWORD: string;
export const DEMO_ORGANIZATION: Readonly<{ name: string; slug: string }>;
export const DEMO_ACCOUNTS: readonly DemoAccount[];
export const DEMO_DEVICES: Readonly<Record<string, DemoDevice>>;
export const DEMO_PLACES: Readonly<Record<string, DemoPlace>>;
export const DEFAULT_SESSION_LIMITS: Readonly<SessionLimits>;

export function demoDeviceKey(device: Pick<DemoDevice, "browser" | "os" | "deviceType">): string;
export function demoOrganizationSlugs(): string[];
export function parseSessionLimits(env: Record<string, string | undefined>): SessionLimits;
export function buildDemoData(options?: { now?: Date; limits?: SessionLimits }): DemoData;
export function findDemoData(
  query: QueryRows,
): Promise<{ organization: boolean; accounts: number }>;
export function deleteDemoData(
  query: QueryRows,
): Promise<{ accounts: number; organizations: number }>;
export function seedDemo(
  query: QueryRows,
  options?: { now?: Date; limits?: SessionLimits; reset?: boolean },
): Promise<SeedResult>;
