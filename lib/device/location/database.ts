import "server-only";

import { constants } from "node:fs";
import { access } from "node:fs/promises";
import { isIP } from "node:net";
import path from "node:path";

import maxmind, { type Reader, type Response } from "maxmind";

import type { Place } from "./label";

/** Who made a location database, which decides the attribution its licence requires. */
export type DatabaseVendor = "db-ip" | "maxmind-geolite2" | "other";

/** A database that is missing, unreadable or not in MaxMind DB format. */
export class LocationDatabaseError extends Error {
  override name = "LocationDatabaseError";
}

const FIX_HINT =
  "Run `npm install` to restore the bundled DB-IP country database, run `npm run location:city` " +
  "for the city database, set LOCATION_DATABASE_PATH to a MaxMind DB (.mmdb) file, or set " +
  "LOCATION_SOURCE=none to record no location.";

interface OpenedDatabase {
  reader: Reader<Response>;
  vendor: DatabaseVendor;
  /** 4 for a file with IPv4 addresses only, 6 for one that can hold both. */
  ipVersion: number;
}

interface DatabaseStore {
  opening: Map<string, Promise<OpenedDatabase>>;
  opened: Map<string, OpenedDatabase>;
}

// On globalThis so a hot reload in `next dev` reuses the open reader: every reader keeps the
// whole file in memory (8 MB for the DB-IP country file, 135 MB for the two DB-IP city files).
const globalStore = globalThis as typeof globalThis & { tesseraLocationDatabases?: DatabaseStore };
const store: DatabaseStore = (globalStore.tesseraLocationDatabases ??= {
  opening: new Map(),
  opened: new Map(),
});

/**
 * Opens the database at `databasePath` once per process and returns it. A failed open is not
 * cached, so the next call tries again (after the file was installed, for example).
 */
export function openLocationDatabase(databasePath: string): Promise<OpenedDatabase> {
  let opening = store.opening.get(databasePath);
  if (!opening) {
    opening = readDatabase(databasePath).then(
      (database) => {
        store.opened.set(databasePath, database);
        return database;
      },
      (error: unknown) => {
        store.opening.delete(databasePath);
        throw error;
      },
    );
    store.opening.set(databasePath, opening);
  }
  return opening;
}

async function readDatabase(databasePath: string): Promise<OpenedDatabase> {
  try {
    await access(databasePath, constants.R_OK);
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === "ENOENT" ? "not found" : "not readable";
    // The reason already names the error code, so the cause is left off the message.
    throw new LocationDatabaseError(`Location database ${reason} at ${databasePath}. ${FIX_HINT}`);
  }
  let reader: Reader<Response>;
  try {
    reader = await maxmind.open<Response>(databasePath);
  } catch (error) {
    throw new LocationDatabaseError(
      `Location database at ${databasePath} could not be opened (${(error as Error).message}). ` +
        FIX_HINT,
      { cause: error },
    );
  }
  return {
    reader,
    vendor: vendorOf(databasePath, reader.metadata),
    ipVersion: reader.metadata.ipVersion,
  };
}

/**
 * Looks up a normalized public address in each database in turn and returns the first match,
 * or an empty place when none has an entry. A database built for IPv4 only is never asked
 * about an IPv6 address: its tree has no IPv6 part, so the walk would end on an unrelated
 * IPv4 record.
 */
export async function lookupPlace(databasePaths: readonly string[], ip: string): Promise<Place> {
  const ipVersion = isIP(ip);
  for (const databasePath of databasePaths) {
    const database = await openLocationDatabase(databasePath);
    if (ipVersion === 6 && database.ipVersion === 4) continue;
    const record = database.reader.get(ip);
    if (record) return placeFromRecord(record);
  }
  return {};
}

/**
 * Returns the vendor of the first recognised database among `databasePaths`: from its
 * metadata once it is open, and from its file name before that.
 */
export function databaseVendor(databasePaths: readonly string[]): DatabaseVendor {
  for (const databasePath of databasePaths) {
    const vendor = store.opened.get(databasePath)?.vendor ?? vendorOf(databasePath, null);
    if (vendor !== "other") return vendor;
  }
  return "other";
}

function vendorOf(
  databasePath: string,
  metadata: { databaseType?: unknown; description?: unknown } | null,
): DatabaseVendor {
  // MaxMind's files name themselves in the metadata ("GeoLite2-City"). The ip-location-db
  // files contain only "country ipvAll", so their file name ("dbip-country.mmdb",
  // "geolite2-city.mmdb") is the remaining clue.
  const described = `${String(metadata?.databaseType ?? "")} ${descriptionText(metadata?.description)}`;
  const fromMetadata = vendorFromText(described);
  if (fromMetadata !== "other") return fromMetadata;
  return vendorFromText(path.basename(databasePath));
}

function vendorFromText(text: string): DatabaseVendor {
  if (/geolite2/i.test(text)) return "maxmind-geolite2";
  if (/\bdb-?ip/i.test(text)) return "db-ip";
  return "other";
}

// The format stores the description as a map from language code to text.
function descriptionText(description: unknown): string {
  if (typeof description === "string") return description;
  if (description && typeof description === "object") {
    return Object.values(description)
      .filter((value) => typeof value === "string")
      .join(" ");
  }
  return "";
}

/**
 * Reads a database record in either layout: GeoIP2 and GeoLite2 (`country.iso_code`,
 * `city.names.en`, `subdivisions[0].names.en`) or the flat ip-location-db layout
 * (`country_code`, and in its city files `city` and `state1`).
 */
export function placeFromRecord(record: unknown): Place {
  if (!isObject(record)) return {};
  if (typeof record.country_code === "string") {
    return {
      countryCode: record.country_code,
      city: withoutDistrict(stringOrNull(record.city)),
      region: stringOrNull(record.state1),
    };
  }

  // In GeoIP2 records `country` is optional while the network may still have a registered
  // country, which is a better guess than nothing.
  const country = isObject(record.country) ? record.country : record.registered_country;
  const subdivisions = Array.isArray(record.subdivisions) ? record.subdivisions : [];
  return {
    countryCode: isObject(country) ? stringOrNull(country.iso_code) : null,
    countryName: englishName(country),
    city: englishName(record.city),
    region: englishName(subdivisions[0]),
  };
}

// DB-IP adds the district after the city ("Frankfurt am Main (Innenstadt I)"), but a coarse
// location stops at the city.
function withoutDistrict(city: string | null): string | null {
  return city?.replace(/\s*\([^()]*\)\s*$/, "") || city;
}

function englishName(record: unknown): string | null {
  if (!isObject(record) || !isObject(record.names)) return null;
  return stringOrNull(record.names.en);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

function stringOrNull(value: unknown): string | null {
  return typeof value === "string" ? value : null;
}
