import "server-only";

import { getEnv } from "../env";
import { getNotifier, type Notifier } from "./notifier";

/** Returns the notifier registered for this process, or the one NOTIFIER configures. */
export function configuredNotifier(): Notifier {
  return getNotifier(() => getEnv().notifier);
}
