// Lets a script module run its command only when started directly with `node`, so tests can
// import its functions without running it.

import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** Returns true when the module at `moduleUrl` (its `import.meta.url`) is the started script. */
export function isEntryPoint(moduleUrl) {
  if (!process.argv[1]) return false;
  return realpathSync(process.argv[1]) === realpathSync(fileURLToPath(moduleUrl));
}
