/**
 * Per-school settings. The policies' thresholds are settings, not constants: the defaults
 * below are the Ludlow Junior School policy's (target 96.1 %, N codes resolved within a
 * week, escalation at 96 %, 90 %, 85 % and 50 %) and the national framework's penalty-notice
 * threshold (10 unauthorised sessions in 10 school weeks); a school changes them in the app.
 */
import type { Connection } from "./db.ts";
import { inTransaction, queryRows } from "./db.ts";

export interface Settings {
  school_name: string;
  /** Whole-school attendance target, percent. */
  target_attendance_pct: number;
  /** School days within which an N code must be replaced by a reason. */
  n_code_limit_school_days: number;
  /** Groups with fewer pupils than this are suppressed in governors' reports and flagged on screen. */
  small_group_min: number;
  /** Attendance bands of the escalation ladder, percent, highest first. */
  attendance_thresholds: number[];
  /** Penalty notice considered at this many sessions of G, N, O or U … */
  penalty_sessions: number;
  /** … within this many school weeks (a rolling window that may span terms). */
  penalty_window_school_weeks: number;
  /**
   * Years every register entry is kept from the date it was made (both policies: three
   * years; the Education (Pupil Registration) (England) Regulations 2024). `rollcall
   * retention` removes nothing younger.
   */
  retention_years: number;
  /** Phase used to choose national benchmarks. */
  phase: "primary";
}

export const DEFAULT_SETTINGS: Settings = {
  school_name: "Rollcall school",
  target_attendance_pct: 96.1,
  n_code_limit_school_days: 5,
  small_group_min: 5,
  attendance_thresholds: [96, 90, 85, 50],
  penalty_sessions: 10,
  penalty_window_school_weeks: 10,
  retention_years: 3,
  phase: "primary",
};

type Parser = (raw: string) => Settings[keyof Settings] | undefined;

const number = (min: number, max: number): Parser => (raw) => {
  const value = Number(raw);
  return Number.isFinite(value) && value >= min && value <= max ? value : undefined;
};

/** The settings a school may change, each with how its stored text is read and checked. */
const PARSERS: Record<Exclude<keyof Settings, "phase">, Parser> = {
  school_name: (raw) => (raw.trim().length > 0 && raw.length <= 120 ? raw.trim() : undefined),
  target_attendance_pct: number(50, 100),
  n_code_limit_school_days: number(1, 60),
  small_group_min: number(1, 50),
  penalty_sessions: number(1, 100),
  penalty_window_school_weeks: number(1, 39),
  // Whole years, never under the three years the policies and regulations require.
  retention_years: (raw) => (/^\s*\d+\s*$/.test(raw) ? number(3, 100)(raw) : undefined),
  attendance_thresholds: (raw) => {
    const values = raw.split(",").map((part) => Number(part.trim()));
    if (values.length === 0 || values.some((v) => !Number.isFinite(v) || v <= 0 || v > 100)) return undefined;
    return [...values].sort((a, b) => b - a);
  },
};

export type SettingKey = keyof typeof PARSERS;
export const SETTING_KEYS = Object.keys(PARSERS) as SettingKey[];

export async function getSettings(connection: Connection): Promise<Settings> {
  const rows = await queryRows<{ key: string; value: string }>(connection, "SELECT key, value FROM settings");
  const settings: Settings = { ...DEFAULT_SETTINGS, attendance_thresholds: [...DEFAULT_SETTINGS.attendance_thresholds] };
  for (const { key, value } of rows) {
    const parse = PARSERS[key as SettingKey];
    const parsed = parse?.(value);
    if (parsed !== undefined) (settings as unknown as Record<string, unknown>)[key] = parsed;
  }
  return settings;
}

/** Why a value cannot be stored for a setting, or null when it can. */
export function settingProblem(key: string, value: string): string | null {
  const parse = PARSERS[key as SettingKey];
  if (!parse) return `unknown setting "${key}"`;
  return parse(value) === undefined ? `"${value}" is not a valid value for ${key}` : null;
}

/** Stores a setting after checking it; throws a message fit for the user when it is invalid. */
export async function setSetting(connection: Connection, key: string, value: string): Promise<void> {
  const problem = settingProblem(key, value);
  if (problem) throw new Error(problem);
  await connection.run("INSERT OR REPLACE INTO settings VALUES ($key, $value)", { key, value: value.trim() });
}

/**
 * Stores several settings all or nothing: every value is checked first, and they are
 * written in one transaction, so a form with one mistake changes nothing.
 */
export async function saveSettings(
  connection: Connection,
  values: Partial<Record<SettingKey, string>>,
): Promise<{ problems: Partial<Record<SettingKey, string>> }> {
  const problems: Partial<Record<SettingKey, string>> = {};
  for (const [key, value] of Object.entries(values) as Array<[SettingKey, string]>) {
    const problem = settingProblem(key, value);
    if (problem) problems[key] = problem;
  }
  if (Object.keys(problems).length > 0) return { problems };
  await inTransaction(connection, async () => {
    for (const [key, value] of Object.entries(values) as Array<[SettingKey, string]>) await setSetting(connection, key, value);
  });
  return { problems };
}
