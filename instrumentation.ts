// Runs once when a server process starts. A production server with a missing or malformed
// signing key must not come up and fail later on the first sign-in, so the environment is
// validated here and the process exits with the list of invalid variables.

export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { closeDatabaseOnShutdown, validateEnvironmentAtStartup } = await import("./lib/startup");
  validateEnvironmentAtStartup();
  closeDatabaseOnShutdown();
  // Opening the location database now puts a missing file in the startup log, not in the
  // first sign-in. A failure only logs: sign-ins then read "Unknown location".
  const { prepareLocationSource } = await import("./lib/device/location");
  await prepareLocationSource();
}
