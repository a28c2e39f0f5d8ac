import "server-only";

import { appendFile, mkdir } from "node:fs/promises";
import path from "node:path";

import { log } from "../log";

/** A message to one user, such as a new sign-in alert. */
export interface Notification {
  kind: "new_sign_in";
  userId: string;
  /** The user's email address. */
  to: string;
  subject: string;
  /** Plain-text body, links included. */
  text: string;
  /**
   * Links in `text` that carry a one-time secret. A notifier that writes to a shared place,
   * such as a production log, must leave them out.
   */
  secretLinks: string[];
  /** The session the message is about. */
  sessionId: string;
}

/**
 * Delivers notifications. Plug in an email or push service by implementing this interface and
 * passing it to `registerNotifier` when the server starts (see instrumentation.ts).
 */
export interface Notifier {
  send(notification: Notification): Promise<void>;
}

export type NotifierConfig =
  { kind: "log"; includeSecretLinks: boolean } | { kind: "outbox"; file: string };

/** Writes each notification to the server log, the default when no delivery is set up. */
export function createLogNotifier(includeSecretLinks: boolean): Notifier {
  return {
    async send(notification) {
      const text = includeSecretLinks
        ? notification.text
        : withoutSecretLinks(notification.text, notification.secretLinks);
      log.info(
        {
          notification: {
            kind: notification.kind,
            to: notification.to,
            userId: notification.userId,
            sessionId: notification.sessionId,
            subject: notification.subject,
            text,
          },
        },
        "notification sent",
      );
    },
  };
}

/**
 * Appends each notification as one JSON line to a file, like a local mail spool. Browser
 * tests read the file to follow the links a user would receive.
 */
export function createOutboxNotifier(file: string): Notifier {
  return {
    async send(notification) {
      await mkdir(path.dirname(file), { recursive: true });
      const line = JSON.stringify({ ...notification, sentAt: new Date().toISOString() });
      await appendFile(file, `${line}\n`, "utf8");
      log.info(
        { userId: notification.userId, sessionId: notification.sessionId, kind: notification.kind },
        "notification written to the outbox",
      );
    },
  };
}

export function createNotifier(config: NotifierConfig): Notifier {
  return config.kind === "outbox"
    ? createOutboxNotifier(config.file)
    : createLogNotifier(config.includeSecretLinks);
}

function withoutSecretLinks(text: string, links: string[]): string {
  return links.reduce(
    (current, link) => current.split(link).join("[link left out of the production log]"),
    text,
  );
}

// Kept on globalThis so that a notifier registered in instrumentation.ts is the one that
// server actions see, whichever bundle imports this module.
const registry = globalThis as typeof globalThis & { __tesseraNotifier?: Notifier };

/** Replaces the configured notifier for this process, for example with an email sender. */
export function registerNotifier(notifier: Notifier | undefined): void {
  registry.__tesseraNotifier = notifier;
}

/** Returns the registered notifier, or builds the configured one on first use. */
export function getNotifier(config: () => NotifierConfig): Notifier {
  registry.__tesseraNotifier ??= createNotifier(config());
  return registry.__tesseraNotifier;
}
