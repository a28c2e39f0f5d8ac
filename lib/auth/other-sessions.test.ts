import { describe, expect, it } from "vitest";

import { countOtherSessions, describeOtherSessions } from "./other-sessions";

const group = (...ids: string[]) => ({ sessions: ids.map((id) => ({ id })) });

describe("countOtherSessions", () => {
  it("counts a group shared with this session", () => {
    const count = countOtherSessions([group("current", "b", "c"), group("phone")], "current");
    expect(count).toEqual({ sessions: 3, devices: 2, onThisDevice: true });
  });

  it("skips groups with only this session", () => {
    const count = countOtherSessions([group("current"), group("a", "b")], "current");
    expect(count).toEqual({ sessions: 2, devices: 1, onThisDevice: false });
  });

  it("counts only ended ids when given", () => {
    const devices = [group("current", "b"), group("a"), group("c")];
    const count = countOtherSessions(devices, "current", ["a", "c"]);
    expect(count).toEqual({ sessions: 2, devices: 2, onThisDevice: false });
  });

  it("counts an unlisted ended id as its own device", () => {
    const count = countOtherSessions([group("current"), group("a")], "current", ["a", "new"]);
    expect(count).toEqual({ sessions: 2, devices: 2, onThisDevice: false });
  });
});

describe("describeOtherSessions", () => {
  it.each([
    [{ sessions: 1, devices: 1, onThisDevice: false }, "1 other device"],
    [{ sessions: 2, devices: 2, onThisDevice: false }, "2 other devices"],
    [{ sessions: 2, devices: 1, onThisDevice: false }, "2 sessions on 1 other device"],
    [{ sessions: 3, devices: 2, onThisDevice: false }, "3 sessions on 2 other devices"],
    [{ sessions: 1, devices: 1, onThisDevice: true }, "1 other session on this device"],
    [{ sessions: 2, devices: 1, onThisDevice: true }, "2 other sessions on this device"],
    [{ sessions: 3, devices: 2, onThisDevice: true }, "3 other sessions on 2 devices"],
  ])("describes %o", (count, expected) => {
    expect(describeOtherSessions(count)).toBe(expected);
  });
});
