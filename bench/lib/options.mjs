// Command-line options of bench/run.mjs. Every option has a default, so `npm run bench` alone
// runs the whole benchmark.

export const SUITES = ["http", "latency", "refresh", "population", "verify", "scale"];
export const HTTP_MODES = [
  "floor",
  "stateless",
  "db",
  "redis",
  "page-floor",
  "page-stateless",
  "page-db",
  "page-redis",
  "playground",
];
export const BUILDS = ["middleware", "no-middleware", "proxy"];

const DEFAULTS = {
  suites: ["http", "latency", "refresh", "population", "verify"],
  modes: HTTP_MODES,
  builds: BUILDS,
  connections: 16,
  durationSeconds: 10,
  warmupSeconds: 3,
  // PostgreSQL 15 and later report a backend's counters when it has been idle for up to
  // 10 s, so the statement count of a run is read after this wait.
  statsWaitSeconds: 11,
  addedRoundTripMs: 1,
  refreshSessions: 1000,
  populationUsers: 300,
  populationIntervalsSeconds: [1, 4],
  populationDurationSeconds: 60,
  verifySecondsPerCase: 1.5,
  scaleUsers: 100_000,
  scaleSessionsPerUser: 10,
  basePort: 3600,
  proxyPort: 55600,
  database: "tessera_bench",
  postgresUrl: "postgres://postgres@127.0.0.1:5432",
  redisUrl: "redis://127.0.0.1:6379",
  redisPrefix: "tessera-bench:",
  appDir: process.cwd(),
  write: true,
  reportOnly: false,
  waitForQuiet: true,
  quick: false,
};

// --quick: a smoke run that shows every suite still works, in under two minutes with an
// existing build. It reads PostgreSQL's counters without waiting, because no shorter wait than
// the usual one is complete: a busy connection publishes its counts at most once a second, and
// the rest only after 10 s idle. Its statement counts can miss the last second of each
// connection. For that reason, and because its runs last seconds, it records nothing.
const QUICK = {
  suites: ["http", "refresh", "population", "verify"],
  builds: ["middleware"],
  durationSeconds: 2,
  warmupSeconds: 1,
  statsWaitSeconds: 0,
  refreshSessions: 100,
  populationUsers: 30,
  populationDurationSeconds: 10,
  verifySecondsPerCase: 0.2,
  write: false,
  waitForQuiet: false,
  quick: true,
};

const HELP = `Usage: npm run bench -- [options]

Runs Tessera's benchmarks against a production build (\`npm run build\` first, or the harness
builds it) and writes the figures to docs/benchmarks.md.

  --suites=LIST        suites to run, from ${SUITES.join(",")}
                       (default ${DEFAULTS.suites.join(",")}; scale seeds 1,000,000 rows)
  --modes=LIST         request modes of the http suite, from ${HTTP_MODES.join(",")}
                       (each build measures the ones of its default set that are listed)
  --builds=LIST        builds for the http suite, from ${BUILDS.join(",")}
                       (proxy: the same middleware code as proxy.ts, on the Node.js runtime)
  --connections=N      concurrent connections of the load generator (default 16)
  --duration=SECONDS   measured time per mode (default 10)
  --warmup=SECONDS     unmeasured time before each mode (default 3)
  --stats-wait=SECONDS wait before reading PostgreSQL's statement counters (default 11)
  --added-rtt=MS       round trip the latency suite adds to each database exchange (default 1)
  --refresh-sessions=N distinct sessions the refresh suite rotates through (default 1000)
  --population-users=N simulated signed-in users of the population suite (default 300)
  --population-interval=SECONDS[,SECONDS...]
                       seconds between two requests of one user; one measured window per
                       interval and design (default 1,4)
  --population-duration=SECONDS
                       measured seconds per window of the population suite (default 60;
                       below 45, one refresh interval, a window's refresh count depends
                       on where the refreshes fall)
  --scale-users=N      users seeded by the scale suite (default 100000, 10 sessions each)
  --port=N             first app server port; the harness uses N to N+3 (default 3600)
  --proxy-port=N       port of the latency suite's delay proxy (default 55600)
  --database=NAME      PostgreSQL database the harness drops and creates (default tessera_bench)
  --postgres-url=URL   server URL without a database (default ${DEFAULTS.postgresUrl})
  --redis-url=URL      Redis for the redis mode (default ${DEFAULTS.redisUrl})
  --redis-prefix=TEXT  prefix of the Redis keys the harness writes and deletes (default ${DEFAULTS.redisPrefix})
  --no-write           print the results without writing bench/results or docs/benchmarks.md
  --report-only        rewrite docs/benchmarks.md from bench/results without measuring
  --no-wait            measure even while a build, CI or Playwright run is active
  --quick              smoke run of every suite that is quick, in under two minutes: 2 s
                       per mode, the shipped build only, 30 users for 10 s; implies
                       --no-write and --no-wait, and fails when any request fails
  --help               print this text`;

const INTEGER_OPTIONS = {
  connections: "connections",
  duration: "durationSeconds",
  warmup: "warmupSeconds",
  "stats-wait": "statsWaitSeconds",
  "refresh-sessions": "refreshSessions",
  "population-users": "populationUsers",
  "population-duration": "populationDurationSeconds",
  "scale-users": "scaleUsers",
  port: "basePort",
  "proxy-port": "proxyPort",
};

const STRING_OPTIONS = {
  database: "database",
  "postgres-url": "postgresUrl",
  "redis-url": "redisUrl",
  "redis-prefix": "redisPrefix",
};

/** Parses `argv` (without node and the script), throwing an error that names a bad option. */
export function parseOptions(argv) {
  const quick = argv.includes("--quick");
  const options = quick ? { ...DEFAULTS, ...QUICK } : { ...DEFAULTS };
  for (const argument of argv) {
    if (argument === "--help" || argument === "-h") return { ...options, help: HELP };
    if (argument === "--no-write") {
      options.write = false;
      continue;
    }
    if (argument === "--report-only") {
      options.reportOnly = true;
      continue;
    }
    if (argument === "--no-wait") {
      options.waitForQuiet = false;
      continue;
    }
    if (argument === "--quick") continue;
    const match = /^--([a-z-]+)=(.*)$/.exec(argument);
    if (!match) throw new Error(`Unknown argument "${argument}". Run with --help for the options.`);
    const [, name, value] = match;
    if (name === "suites") options.suites = parseList(name, value, SUITES);
    else if (name === "modes") options.modes = parseList(name, value, HTTP_MODES);
    else if (name === "builds") options.builds = parseList(name, value, BUILDS);
    else if (name === "added-rtt") options.addedRoundTripMs = parseNumber(name, value, 0);
    else if (name === "population-interval") {
      options.populationIntervalsSeconds = value
        .split(",")
        .map((item) => parsePositive(name, item));
    } else if (INTEGER_OPTIONS[name]) options[INTEGER_OPTIONS[name]] = parseInteger(name, value);
    else if (STRING_OPTIONS[name]) options[STRING_OPTIONS[name]] = value;
    else throw new Error(`Unknown option --${name}. Run with --help for the options.`);
  }
  if (options.populationUsers < 1) {
    throw new Error(`--population-users must be 1 or more, got ${options.populationUsers}.`);
  }
  if (quick) {
    // A smoke run's figures are never recorded, and it runs while the machine is busy (in CI).
    options.write = false;
    options.waitForQuiet = false;
  }
  if (!/^[a-z_][a-z0-9_]*$/.test(options.database)) {
    throw new Error(
      `--database must be a plain lower-case PostgreSQL name, got "${options.database}".`,
    );
  }
  return options;
}

function parseList(name, value, allowed) {
  const items = value
    .split(",")
    .map((item) => item.trim())
    .filter(Boolean);
  const unknown = items.filter((item) => !allowed.includes(item));
  if (items.length === 0 || unknown.length > 0) {
    throw new Error(
      `--${name} must list some of ${allowed.join(", ")}; got "${value}". Separate them with commas.`,
    );
  }
  return items;
}

function parseInteger(name, value) {
  const number = Number(value);
  if (!Number.isSafeInteger(number) || number < 0) {
    throw new Error(`--${name} must be a whole number of 0 or more, got "${value}".`);
  }
  return number;
}

function parseNumber(name, value, minimum) {
  const number = Number(value);
  if (value.trim() === "" || !Number.isFinite(number) || number < minimum) {
    throw new Error(`--${name} must be a number of ${minimum} or more, got "${value}".`);
  }
  return number;
}

function parsePositive(name, value) {
  const number = Number(value);
  if (value.trim() === "" || !Number.isFinite(number) || number <= 0) {
    throw new Error(`--${name} must list numbers above 0, got "${value}".`);
  }
  return number;
}
