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
 * The figure as printed beside a target verdict: one decimal (or the target's own, as typed),
 * or as many more as it takes for the figure not to print as the target while it
 * is not on it (96.148 % beside a 96.1 % target prints "96.15%": at one decimal it would read
 * as the target itself) — at most MAX_TARGET_DIGITS (3, or the target's typed decimals if more).
 * A figure within half a unit of that last decimal of the target prints as the target with
 * "rounded" (targetVerdict's `close`): "96.1% rounded".
 */
export function figureBesideTarget(value: number, target: number): string {
  return targetVerdict(value, target).figure;
}

/**
 * Decimals a figure under a line is printed with — a casework list's pupils below the letter
 * threshold, a pack's band "90% to under 96%": 1, or as many more as keep it from printing as
 * the line itself (119 of 124 sessions = 95.97 % prints "95.97%", not "96.0%", on the list of
 * pupils below 96 %: trial 31), by figureBesideTarget's rule (at most MAX_TARGET_DIGITS).
 * `value`, `line`: percentages 0–100.
 */
export function decimalsBesideLine(value: number, line: number): number {
  return targetDigits(value, line).digits;
}

/**
 * Decimals a pupil's rate is printed with wherever the school's attendance lines stand beside it
 * (the pupil page, Pupils, Early warning, the SLT pack's pupil tables): one, or as many more as
 * keep it from printing as any line it is not on (decimalsBesideLine) — 95.97 %, not "96.0%",
 * beside "Letter: attendance below 96%" (trial 31b), and 90.03 %, not "90.0%", for a pupil who
 * is not persistently absent (attendance at or under 90 % is). `lines`: percent 0–100 (Settings'
 * attendance_thresholds, and 90 for persistent absence).
 */
export function decimalsBesideLines(value: number, lines: readonly number[]): number {
  return Math.max(1, ...lines.map((line) => (line === value ? 1 : decimalsBesideLine(value, line))));
}

/**
 * The most decimals a figure beside a target is printed with: 3 (0.001 points, a session in
 * 100,000; more is noise to a reader, and a session-count figure can sit 1e-6 from a target),
 * or the target's own typed decimals where the school typed more (at most 4).
 */
export const MAX_TARGET_DIGITS = 3;

function maxDigits(target: number): number {
  return Math.max(MAX_TARGET_DIGITS, typedDigits(target));
}

/**
 * Decimals figureBesideTarget prints: 1, or the fewest at which figure and target differ, at
 * most maxDigits. A figure exactly on the target prints with the target's typed decimals
 * (95.25 %, not "95.3%", which toFixed gives for the tie). A figure that still prints as the
 * target at the cap (2267 of 2359 sessions = 96.100042 %, 0.00004 above 96.1 %) is `close`:
 * it is printed as the target, "rounded", with the gap in words ("less than 0.001"), never
 * "96.1000%" with "±0.0000 pts" beside "above target", nor twelve decimals.
 */
function targetDigits(value: number, target: number): { digits: number; close: boolean } {
  if (value === target) return { digits: Math.max(1, typedDigits(target)), close: false };
  const cap = maxDigits(target);
  let digits = 1;
  while (digits <= cap && Number(value.toFixed(digits)) === Number(target.toFixed(digits))) digits++;
  if (digits > cap) return { digits: Math.max(1, typedDigits(target)), close: true };
  return { digits, close: false };
}

/** The decimals of a number as the school typed it (95.25 → 2; 96 → 0; none in exponent form). */
function typedDecimals(value: number): number {
  const typed = String(value);
  return typed.includes(".") && !typed.includes("e") ? typed.length - typed.indexOf(".") - 1 : 0;
}

/** The target's decimals as the school typed it, at most 4 (95.25 → 2; 96 → 0). */
function typedDigits(target: number): number {
  return Math.min(typedDecimals(target), 4);
}

/** One figure against the target, as every page, pack and report says it (targetVerdict). */
export interface TargetVerdict {
  /** Unrounded: above (>), exactly at (=) or below (<) the target; meets = not below (≥). */
  status: TargetStatus;
  meets: boolean;
  /**
   * "above target", "on target", "below target"; "just above target", "just below target"
   * when `close`.
   */
  words: string;
  /**
   * The figure as printed beside the verdict (figureBesideTarget), at most 3 decimals (or the
   * target's typed ones): "96.15%"; "96.1% rounded" when `close`.
   */
  figure: string;
  /**
   * What a page prints in brackets after the verdict when `precise`: the figure ("96.15%"), or
   * when `close` the figure and why it is not on the target: "96.1% rounded, under 96.1% by
   * less than 0.001 points".
   */
  why: string;
  /** True when `figure` needs more than the one decimal every rate is printed with, or is `close`. */
  precise: boolean;
  /**
   * True when the figure is not on the target but within half of 0.001 points of it (the
   * target's last typed decimal if it has more than 3), so it prints as the target: the
   * verdict still stands on the unrounded figure (≥ meets), and the words say "just".
   */
  close: boolean;
  /**
   * figure − target in points, of the figure as printed and the target as typed (so a reader's
   * subtraction gives it, and it is never 0.0 beside "above" or "below"): 0.05 for 96.148 %
   * against 96.1 %. When `close`, the unrounded difference (a few millionths: the printed one
   * would be 0).
   */
  gap: number;
  /**
   * `gap` signed, at the figure's precision: "+0.05 pts", "−0.3 pts", "±0.0 pts"; when
   * `close`, "+<0.001 pts" / "−<0.001 pts".
   */
  points: string;
  /**
   * `gap` unsigned at the same precision, for sentences: "0.05" ("0.05 points above"); when
   * `close`, "less than 0.001".
   */
  size: string;
  /**
   * The verdict in words as every page, pack and report prints it: the unsigned gap, the side,
   * and the figure in brackets when `precise` — "0.3 pts below target", "0.05 pts above target
   * (96.15%)", "on target", "just below target (96.1% rounded, under 96.1% by less than 0.001 points)"; never a
   * sign beside "below" ("−0.3 pts below target" read as a double negative: trial 28).
   */
  said: string;
}

/**
 * A figure against the school's target — the one rule for every page, pack, report and
 * export (issue 13 case 6): the verdict on the unrounded figure, as the casework rules compare
 * (`≥ target` meets it; "on target" only when exactly equal), and the figure and gap printed
 * to as many decimals as it takes to show why, so no page says "same as target" where another
 * says "above target" of the same figure (Year 6 at 96.148 %, target 96.1 %: "+0.05 pts above
 * target", figure "96.15%"). `value`, `target`: percentages 0–100.
 */
export function targetVerdict(value: number, target: number): TargetVerdict {
  const status = targetStatusOf(value, target);
  const { digits, close } = targetDigits(value, target);
  const words = status === "above" ? "above target" : status === "at" ? "on target" : "below target";
  if (close) {
    // Printed as the target: the verdict is the unrounded figure's, said with "just" and the
    // bound of the gap at the last decimal printed (never a zero gap beside "below").
    const cap = maxDigits(target);
    const bound = `less than ${(10 ** -cap).toFixed(cap)}`;
    const figure = `${value.toFixed(digits)}%`;
    const side = status === "above" ? "over" : "under";
    return {
      status,
      meets: status !== "below",
      words: `just ${words}`,
      figure: `${figure} rounded`,
      why: `${figure} rounded, ${side} ${formatThreshold(target, 1)} by ${bound} points`,
      precise: true,
      close: true,
      gap: value - target,
      points: `${status === "above" ? "+" : "−"}<${(10 ** -cap).toFixed(cap)} pts`,
      size: bound,
      said: `just ${words} (${figure} rounded, ${side} ${formatThreshold(target, 1)} by ${bound} points)`,
    };
  }
  // The gap between the figure as printed and the target as the school typed it (95.25 %).
  const gapDigits = Math.max(digits, typedDigits(target));
  const scale = 10 ** gapDigits;
  const gap = Math.round(Number(value.toFixed(digits)) * scale - target * scale) / scale;
  const sign = gap > 0 ? "+" : gap < 0 ? "−" : "±";
  const figure = `${value.toFixed(digits)}%`;
  return {
    status,
    meets: status !== "below",
    words,
    figure,
    why: figure,
    precise: digits > 1,
    close: false,
    gap,
    points: `${sign}${Math.abs(gap).toFixed(gapDigits)} pts`,
    size: Math.abs(gap).toFixed(gapDigits),
    said: status === "at" ? words : `${Math.abs(gap).toFixed(gapDigits)} pts ${words}${digits > 1 ? ` (${figure})` : ""}`,
  };
}

/** Words for a target verdict: "above target", "on target", "below target". */
export function targetVerdictWords(value: number, target: number): string {
  return targetVerdict(value, target).words;
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
  return `${value.toFixed(Math.max(minDigits, Math.min(typedDecimals(value), 6)))}%`;
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
