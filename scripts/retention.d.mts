/** Runs one SQL statement and resolves to its rows. */
export type QueryRows = (statement: string) => Promise<Array<Record<string, unknown>>>;

/** Rows of each kind that a retention step deleted or changed. */
export interface RetentionResult {
  sessions: number;
  securityEvents: number;
}

export const DEFAULT_RETENTION_DAYS: number;
export const DEFAULT_IP_RETENTION_DAYS: number;
export function parseRetentionDays(raw: string | undefined): number;
export function parseIpRetentionDays(raw: string | undefined): number;
export function deleteExpiredHistory(
  query: QueryRows,
  retentionDays: number,
): Promise<RetentionResult>;
export function clearExpiredIps(
  query: QueryRows,
  ipRetentionDays: number,
): Promise<RetentionResult>;
export function deleteExpiredThrottles(query: QueryRows): Promise<number>;
export function formatResult(result: RetentionResult, retentionDays: number): string;
export function formatIpResult(result: RetentionResult, ipRetentionDays: number): string;
export function formatThrottleResult(count: number): string;
