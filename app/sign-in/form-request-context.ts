import "server-only";

import { currentRequestContext } from "@/lib/auth/server";
import { parseMaxTouchPoints, type RequestContext } from "@/lib/device/request-context";

import { MAX_TOUCH_POINTS_FIELD } from "./touch-points-field";

/** Reads the request context and adds the touch-point count that the form submitted. */
export async function formRequestContext(form: FormData): Promise<RequestContext> {
  const context = await currentRequestContext();
  return { ...context, maxTouchPoints: parseMaxTouchPoints(form.get(MAX_TOUCH_POINTS_FIELD)) };
}
