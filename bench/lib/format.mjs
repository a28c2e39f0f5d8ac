// Number formats of the benchmark report.

/** Formats `value` with `digits` decimals, or an en dash when there is no value. */
export const fixed = (value, digits) =>
  value === null || value === undefined || Number.isNaN(value) ? "–" : value.toFixed(digits);

/** Rounds `value` to two or three significant digits and adds thousands separators. */
export function thousands(value) {
  if (value === null || value === undefined || !Number.isFinite(value)) return "–";
  const rounded =
    value >= 10_000
      ? Math.round(value / 1000) * 1000
      : value >= 1000
        ? Math.round(value / 100) * 100
        : Math.round(value);
  return rounded.toLocaleString("en-US");
}
