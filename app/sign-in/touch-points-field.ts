/**
 * Name of the hidden form field that carries `navigator.maxTouchPoints`. It lives apart from
 * the client component so that server actions read the string itself, not a client reference.
 */
export const MAX_TOUCH_POINTS_FIELD = "max_touch_points";
