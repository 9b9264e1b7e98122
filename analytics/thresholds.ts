/**
 * One comparison for every target, band and threshold, on every page, pack and export —
 * the same as the casework rules (issue 12's table): a pupil or group is *below* a threshold
 * when its unrounded figure is `< threshold`, and *meets* a target when it is `≥ target`.
 * Never at the precision printed: a class at 96.08 % is below a 96.1 % target even though
 * both print as "96.1%" (the tag then gives the figure to two decimals so the reader sees why).
 *
 * Figures are percentages 0–100, unrounded (analytics/measures.ts derives them by one
 * correctly rounded division, so a figure exactly on a decimal threshold compares equal).
 */

/** Meets the target: value ≥ target (the school's target_attendance_pct setting). */
export function meetsTarget(value: number, target: number): boolean {
  return value >= target;
}

/** Below a threshold: value < threshold ("attendance below 96 %" = attendance < 96). */
export function isBelow(value: number, threshold: number): boolean {
  return value < threshold;
}

export type TargetStatus = "above" | "at" | "below";

/** Above (>), exactly at (=) or below (<) the target, unrounded. */
export function targetStatusOf(value: number, target: number): TargetStatus {
  return value > target ? "above" : value === target ? "at" : "below";
}

/**
 * The figure as printed beside a target verdict: one decimal, or two when one decimal would
 * print the target itself while the figure is not on it (96.08 % beside a 96.1 % target).
 */
export function figureBesideTarget(value: number, target: number): string {
  const one = value.toFixed(1);
  if (value !== target && Number(one) === Number(target.toFixed(1))) return `${value.toFixed(2)}%`;
  return `${one}%`;
}

/** Words for a target verdict: "above target", "on target", "below target". */
export function targetVerdictWords(value: number, target: number): string {
  const status = targetStatusOf(value, target);
  return status === "above" ? "above target" : status === "at" ? "on target" : "below target";
}

/**
 * A policy threshold or target as the school typed it in Settings, never rounded and never
 * with decimals appended to its text: at least `minDigits` decimals (1 where the page prints
 * figures to one decimal, 0 in words such as "below 96%"), and as many more as the setting
 * has. 96 → "96.0%" (or "96%" at 0), 95.5 → "95.5%", 95.25 → "95.25%" (one decimal would
 * print 95.3 % for a line a pupil at 95.28 % is under). Throws on a non-finite number (a
 * settings row that failed its own checks). Client-safe (no imports).
 */
export function formatThreshold(value: number, minDigits = 1): string {
  if (typeof value !== "number" || !Number.isFinite(value)) throw new Error(`a policy threshold must be a finite number, not ${String(value)}`);
  const typed = String(value);
  const decimals = typed.includes(".") && !typed.includes("e") ? typed.length - typed.indexOf(".") - 1 : 0;
  return `${value.toFixed(Math.max(minDigits, Math.min(decimals, 6)))}%`;
}

/** A policy number as words print it, without the "%" the words carry: 96, 95.5, 95.25, 4. */
export function numberInWords(value: number): string {
  return formatThreshold(value, 0).slice(0, -1);
}

/**
 * `words` with each `{key}` slot replaced by `valueOf(key)` as words print it (numberInWords;
 * a percentage's "%" is part of the words: "below {letter_threshold_pct}%"). The one way the
 * ladder's words and the intervention types' words take the school's numbers. Throws what
 * `valueOf` throws (an unknown or missing number).
 */
export function fillNumberSlots(words: string, valueOf: (key: string) => number): string {
  return words.replace(/\{([a-z_]+)\}/g, (_slot, key: string) => numberInWords(valueOf(key)));
}
