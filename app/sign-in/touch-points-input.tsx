"use client";

import { useSyncExternalStore } from "react";

import { MAX_TOUCH_POINTS_FIELD } from "./touch-points-field";

function subscribe(): () => void {
  // The value never changes while the page is open.
  return () => {};
}

function readTouchPoints(): string {
  return String(navigator.maxTouchPoints);
}

// The server renders an empty value, which a browser without JavaScript submits unchanged and
// the server action reads as unknown.
function readServerTouchPoints(): string {
  return "";
}

/**
 * Hidden input with the browser's touch-point count. iPadOS Safari sends the same User-Agent
 * as Safari on a Mac, and this count lets the server tell the two apart.
 */
export function TouchPointsInput() {
  const touchPoints = useSyncExternalStore(subscribe, readTouchPoints, readServerTouchPoints);
  return <input type="hidden" name={MAX_TOUCH_POINTS_FIELD} value={touchPoints} />;
}
