import "server-only";

// Coarse location of a client, from a local MaxMind-format database file or from the
// location headers of the platform in front of the app, as LOCATION_SOURCE selects. Addresses
// are never sent to a remote lookup service.

import { getEnv, type Env } from "../env";
import { log } from "../log";
import { normalizeIp } from "./client-ip";
import { databaseVendor, lookupPlace, openLocationDatabase } from "./location/database";
import { formatLocation, localNetwork, unknownLocation, type Location } from "./location/label";
import { isLocalNetworkIp } from "./location/local-network";
import {
  locationFromCloudflareHeaders,
  locationFromVercelHeaders,
} from "./location/platform-headers";
import type { GeoHeaders } from "./request-context";

export { LOCAL_NETWORK, TOR_NETWORK, UNKNOWN_LOCATION, type Location } from "./location/label";

export type LocationConfig = Env["location"];

export interface LocatableClient {
  ip: string | null;
  geoHeaders?: GeoHeaders;
}

/** The credit line that a location data licence requires on pages that show its results. */
export interface LocationAttribution {
  text: string;
  href: string;
}

/**
 * Looks up the coarse location of a client with the configured source. Local addresses read
 * "Local network" for every source. Never throws: a failed lookup logs a warning and reads
 * "Unknown location".
 */
export async function locateClient(client: LocatableClient): Promise<Location> {
  let config: LocationConfig;
  try {
    config = getEnv().location;
  } catch (error) {
    log.warn({ err: error }, "location lookup skipped: the configuration is invalid");
    return unknownLocation();
  }
  return locateClientWith(client, config);
}

/** Looks up the location of a client with the given source. Never throws. */
export async function locateClientWith(
  client: LocatableClient,
  config: LocationConfig,
): Promise<Location> {
  try {
    return await locate(client, config);
  } catch (error) {
    warnLookupFailed(config, error);
    return unknownLocation();
  }
}

async function locate(client: LocatableClient, config: LocationConfig): Promise<Location> {
  const ip = client.ip ? normalizeIp(client.ip) : null;
  if (ip && isLocalNetworkIp(ip)) return localNetwork();

  switch (config.source) {
    case "none":
      return unknownLocation();
    case "vercel":
      return locationFromVercelHeaders(client.geoHeaders ?? {});
    case "cloudflare":
      return locationFromCloudflareHeaders(client.geoHeaders ?? {});
    case "database":
      if (!ip) return unknownLocation();
      return formatLocation(await lookupPlace(config.databasePaths, ip));
  }
}

/**
 * Returns the attribution that the configured source's licence requires on pages showing
 * locations: DB-IP's Lite databases (CC BY 4.0) and MaxMind's GeoLite2 databases both ask for
 * one. Platform headers, no source and other databases return null.
 */
export function locationAttribution(): LocationAttribution | null {
  try {
    return locationAttributionFor(getEnv().location);
  } catch {
    return null;
  }
}

/** Returns the attribution for the given source; see `locationAttribution`. */
export function locationAttributionFor(config: LocationConfig): LocationAttribution | null {
  if (config.source !== "database") return null;
  switch (databaseVendor(config.databasePaths)) {
    case "db-ip":
      return { text: "IP Geolocation by DB-IP", href: "https://db-ip.com" };
    case "maxmind-geolite2":
      return {
        text: "This product includes GeoLite2 data created by MaxMind",
        href: "https://www.maxmind.com",
      };
    case "other":
      // NOTE: the licence of an unrecognised database is unknown, so no credit is shown. Add
      // the one it requires to the devices page. With files from two vendors, only the first
      // recognised one is credited.
      return null;
  }
}

/**
 * Opens the location database when it is the configured source, so a missing or invalid file
 * is reported when the server starts rather than at the first sign-in. Never throws.
 */
export async function prepareLocationSource(configured?: LocationConfig): Promise<void> {
  let config: LocationConfig;
  try {
    config = configured ?? getEnv().location;
  } catch {
    return; // The startup check reports an invalid configuration.
  }
  if (config.source !== "database") {
    log.info({ locationSource: config.source }, "location source configured");
    return;
  }
  try {
    let coversIpv6 = false;
    for (const databasePath of config.databasePaths) {
      const { vendor, ipVersion } = await openLocationDatabase(databasePath);
      coversIpv6 ||= ipVersion === 6;
      log.info(
        { locationSource: config.source, path: databasePath, vendor, ipVersion },
        "location database opened",
      );
    }
    if (!coversIpv6) {
      log.warn(
        { paths: config.databasePaths },
        "no location database contains IPv6 addresses, so IPv6 clients read Unknown location. " +
          "Add an IPv6 or combined file to LOCATION_DATABASE_PATH.",
      );
    }
  } catch (error) {
    warnLookupFailed(config, error);
  }
}

// A missing database file fails every sign-in the same way, so the warning is repeated at most
// once per interval, with the number of failures it stands for.
const WARNING_INTERVAL_MS = 5 * 60 * 1000;
const warningState = { lastWarnedAt: Number.NEGATIVE_INFINITY, suppressed: 0 };

function warnLookupFailed(config: LocationConfig, error: unknown): void {
  const now = Date.now();
  if (now - warningState.lastWarnedAt < WARNING_INTERVAL_MS) {
    warningState.suppressed += 1;
    return;
  }
  log.warn(
    {
      err: error,
      locationSource: config.source,
      paths: config.source === "database" ? config.databasePaths : undefined,
      failuresSinceLastWarning: warningState.suppressed,
    },
    "location lookup failed, so locations read Unknown location until the source is fixed",
  );
  warningState.lastWarnedAt = now;
  warningState.suppressed = 0;
}
