import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { and, eq } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";

import { securityEvents, sessions } from "../db/schema";
import { setupTestDatabase, uniqueEmail } from "../db/test-database";
import type { RequestContext } from "../device/request-context";
import { log } from "../log";
import { NEW_SIGN_IN_SUBJECT } from "../notify/new-sign-in";
import {
  createLogNotifier,
  createOutboxNotifier,
  type Notification,
  type Notifier,
} from "../notify/notifier";
import { signIn, signUp } from "./accounts";
import { reportSignIn, reportSignInUrl, sendNewSignInAlert } from "./sign-in-alerts";

const database = setupTestDatabase();

const PASSWORD = "correct horse battery";
const MAC_CHROME: RequestContext = {
  userAgent:
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
  ip: "127.0.0.1",
};
const WINDOWS_FIREFOX: RequestContext = {
  userAgent: "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0",
  ip: "127.0.0.1",
};
// RIPE NCC's own address: the Netherlands in the bundled DB-IP country database.
const FROM_NETHERLANDS: RequestContext = { ...MAC_CHROME, ip: "193.0.6.139" };

function capturingNotifier(): Notifier & { sent: Notification[] } {
  const sent: Notification[] = [];
  return {
    sent,
    async send(notification) {
      sent.push(notification);
    },
  };
}

async function createUser(context: RequestContext = MAC_CHROME) {
  const email = uniqueEmail("alerts");
  const result = await signUp(
    database.db,
    { email, displayName: "Ada", password: PASSWORD },
    context,
  );
  if (!result.ok) throw new Error("sign-up failed in test setup");
  return { email, userId: result.session.subject.userId, first: result.session };
}

async function signInFrom(email: string, context: RequestContext) {
  const result = await signIn(database.db, { email, password: PASSWORD }, context);
  if (!result.ok) throw new Error("sign-in failed in test setup");
  return result.session;
}

async function readSession(sessionId: string) {
  const [row] = await database.db.select().from(sessions).where(eq(sessions.id, sessionId));
  if (!row) throw new Error(`session ${sessionId} not found`);
  return row;
}

async function signInEventDetail(sessionId: string) {
  const [event] = await database.db
    .select({ detail: securityEvents.detail })
    .from(securityEvents)
    .where(and(eq(securityEvents.sessionId, sessionId), eq(securityEvents.type, "sign_in")));
  return event?.detail ?? null;
}

describe("new sign-in detection", () => {
  it("does not flag the sign-up session", async () => {
    const { first } = await createUser();
    const row = await readSession(first.subject.sessionId);
    expect(first.alert).toBeUndefined();
    expect(row.newDevice).toBe(false);
    expect(row.newCountry).toBe(false);
    expect(row.deviceKey).toBe("chrome|macos|desktop");
  });

  it("does not flag a known device", async () => {
    const { email } = await createUser();
    const again = await signInFrom(email, MAC_CHROME);
    expect(again.alert).toBeUndefined();
    expect((await readSession(again.subject.sessionId)).reportSecretHash).toBeNull();
    expect(await signInEventDetail(again.subject.sessionId)).toBeNull();
  });

  it("flags a new device", async () => {
    const { email } = await createUser();
    const session = await signInFrom(email, WINDOWS_FIREFOX);
    const row = await readSession(session.subject.sessionId);
    expect(session.alert?.newDevice).toBe(true);
    expect(session.alert?.newCountry).toBe(false);
    expect(session.alert?.device).toBe("Firefox on Windows");
    expect(row.newDevice).toBe(true);
    expect(row.reportSecretHash).not.toBeNull();
    expect(await signInEventDetail(session.subject.sessionId)).toEqual({ newDevice: "true" });
  });

  it("flags a new country once", async () => {
    const { email } = await createUser();
    const first = await signInFrom(email, FROM_NETHERLANDS);
    const second = await signInFrom(email, FROM_NETHERLANDS);
    expect(first.alert?.newCountry).toBe(true);
    expect(first.alert?.newDevice).toBe(false);
    expect(first.alert?.location).toBe("Netherlands");
    expect((await readSession(first.subject.sessionId)).countryCode).toBe("NL");
    expect(second.alert).toBeUndefined();
  });

  it("keeps flagging nothing after the device signs out", async () => {
    const { email } = await createUser();
    await signInFrom(email, WINDOWS_FIREFOX);
    const later = await signInFrom(email, WINDOWS_FIREFOX);
    expect(later.alert).toBeUndefined();
  });
});

describe("sendNewSignInAlert", () => {
  it("sends device, location and report link", async () => {
    const { email, userId } = await createUser();
    const session = await signInFrom(email, WINDOWS_FIREFOX);
    const notifier = capturingNotifier();

    const sent = await sendNewSignInAlert(
      database.db,
      notifier,
      session.alert!,
      "http://127.0.0.1:3000",
    );

    const [message] = notifier.sent;
    const reportUrl = reportSignInUrl("http://127.0.0.1:3000", session.alert!.reportSecret);
    expect(sent).toBe(true);
    expect(message?.to).toBe(email);
    expect(message?.userId).toBe(userId);
    expect(message?.subject).toBe(NEW_SIGN_IN_SUBJECT);
    expect(message?.text).toContain("Device: Firefox on Windows");
    expect(message?.text).toContain("Location: Local network (approximate)");
    expect(message?.text).toContain(reportUrl);
    expect(message?.secretLinks).toEqual([reportUrl]);
  });

  it("logs a failed delivery instead of raising", async () => {
    const { email } = await createUser();
    const session = await signInFrom(email, WINDOWS_FIREFOX);
    const failing: Notifier = {
      send: () => Promise.reject(new Error("mail server down")),
    };
    const logged = vi.spyOn(log, "error").mockImplementation(() => undefined);

    const sent = await sendNewSignInAlert(database.db, failing, session.alert!, "http://x.test");

    expect(sent).toBe(false);
    expect(logged).toHaveBeenCalledOnce();
    logged.mockRestore();
  });
});

describe("reportSignIn", () => {
  it("revokes only the reported session", async () => {
    const { email, first } = await createUser();
    const intruder = await signInFrom(email, WINDOWS_FIREFOX);

    const result = await reportSignIn(database.db, intruder.alert!.reportSecret, MAC_CHROME);

    const reported = await readSession(intruder.subject.sessionId);
    const own = await readSession(first.subject.sessionId);
    expect(result).toBe("revoked");
    expect(reported.status).toBe("revoked");
    expect(reported.endReason).toBe("reported_by_user");
    expect(own.status).toBe("active");
    const events = await database.db
      .select({ type: securityEvents.type })
      .from(securityEvents)
      .where(eq(securityEvents.sessionId, intruder.subject.sessionId));
    expect(events.map((event) => event.type)).toContain("session_reported");
  });

  it("answers already_ended on a second use", async () => {
    const { email } = await createUser();
    const intruder = await signInFrom(email, WINDOWS_FIREFOX);
    await reportSignIn(database.db, intruder.alert!.reportSecret, MAC_CHROME);

    expect(await reportSignIn(database.db, intruder.alert!.reportSecret, MAC_CHROME)).toBe(
      "already_ended",
    );
  });

  it("keeps a reported device new", async () => {
    const { email } = await createUser();
    const intruder = await signInFrom(email, WINDOWS_FIREFOX);
    await reportSignIn(database.db, intruder.alert!.reportSecret, MAC_CHROME);

    const returning = await signInFrom(email, WINDOWS_FIREFOX);

    expect(returning.alert?.newDevice).toBe(true);
  });

  it.each([
    ["missing", null],
    ["empty", ""],
    ["malformed", "not a secret"],
    ["unknown", "A".repeat(43)],
  ])("rejects a %s secret", async (_label, secret) => {
    expect(await reportSignIn(database.db, secret, MAC_CHROME)).toBe("invalid");
  });
});

describe("notifiers", () => {
  const notification: Notification = {
    kind: "new_sign_in",
    userId: "user-1",
    to: "ada@example.test",
    subject: NEW_SIGN_IN_SUBJECT,
    text: "Open http://127.0.0.1/auth/report-sign-in?secret=abc to sign it out.",
    secretLinks: ["http://127.0.0.1/auth/report-sign-in?secret=abc"],
    sessionId: "session-1",
  };

  it("log notifier leaves secret links out when told", async () => {
    const logged = vi.spyOn(log, "info").mockImplementation(() => undefined);
    await createLogNotifier(false).send(notification);
    const [fields] = logged.mock.calls[0] as unknown as [{ notification: { text: string } }];
    expect(fields.notification.text).not.toContain("secret=abc");
    expect(fields.notification.text).toContain("[link left out of the production log]");
    logged.mockRestore();
  });

  it("log notifier keeps links in development", async () => {
    const logged = vi.spyOn(log, "info").mockImplementation(() => undefined);
    await createLogNotifier(true).send(notification);
    const [fields] = logged.mock.calls[0] as unknown as [{ notification: { text: string } }];
    expect(fields.notification.text).toContain("secret=abc");
    logged.mockRestore();
  });

  it("outbox notifier appends JSON lines", async () => {
    const folder = await mkdtemp(path.join(tmpdir(), "tessera-outbox-"));
    const file = path.join(folder, "nested", "outbox.jsonl");
    const outbox = createOutboxNotifier(file);

    await outbox.send(notification);
    await outbox.send({ ...notification, sessionId: "session-2" });

    const lines = (await readFile(file, "utf8")).trim().split("\n");
    const parsed = lines.map((line) => JSON.parse(line) as Notification);
    expect(parsed.map((entry) => entry.sessionId)).toEqual(["session-1", "session-2"]);
    expect(parsed[0]?.text).toBe(notification.text);
    await rm(folder, { recursive: true, force: true });
  });
});
