/**
 * Per-school settings: the school's name, its DfE number (LA and establishment numbers, by
 * which a CTF for another school is refused), the small-group minimum, and the attendance
 * policy as data (analytics/casework/policy.ts) — the preset chosen and every number of it
 * (target, N-code limit, escalation and casework thresholds, penalty-notice window, ladder
 * periods). The defaults are the Ludlow Junior School policy's; a school picks the Ludlow or
 * Littledean preset and changes any number in the app.
 *
 * Each setting is one row of `settings` (key, value as text). A save is checked whole and
 * written in one transaction, and every changed value is logged in `settings_changes` with
 * who and when; a form with one mistake changes nothing.
 */
import type { Connection } from "./db.ts";
import { cachedOne, cachedRows, inTransaction, keptForFile, keptWork, oneWriteAtATime, tableExists } from "./db.ts";
import {
  DEFAULT_POLICY_NUMBERS,
  DEFAULT_PRESET,
  POLICY_NUMBER_KEYS,
  POLICY_NUMBER_RULES,
  PRESET_IDS,
  applyPreset,
  buildPolicy,
  isPresetId,
  policyNumbersProblem,
  type Policy,
  type PolicyNumberKey,
  type PolicyNumbers,
  type PresetId,
} from "./casework/policy.ts";
import { SETTINGS_CHANGES_DDL } from "./casework/schema.ts";
import { DEFAULT_REGISTER_CLOSES, registerClosesProblem, type RegisterCloses } from "./register-due.ts";
import { deleteSetting, replaceSetting } from "./key-values.ts";

export interface SettingsChange {
  /** ISO timestamp (UTC) of the latest save. */
  at: string;
  by: string;
  role: string;
}

export interface Settings {
  school_name: string;
  /** Groups with fewer pupils than this are suppressed in governors' reports and flagged on screen. */
  small_group_min: number;
  /**
   * The school's DfE number as its LA number (3 digits) and establishment number (4 digits),
   * DfE number = LA × 10000 + establishment (Get Information about Schools); null until both
   * are set. A Common Transfer File is addressed by them (Header/DestSchool LEA and Estab), so
   * a CTF for another school is refused (analytics/import/ctf-destination.ts).
   */
  school_number: SchoolNumber | null;
  /** Phase used to choose national benchmarks. */
  phase: "primary";
  /** The attendance policy: preset, every threshold, the ladder. */
  policy: Policy;
  /**
   * When each session's register closes ("HH:MM", London time; AM before PM): an empty
   * register is a gap only from then (analytics/register-due.ts lastDueSession). Default
   * 09:30 and 13:35, the later of the two policies' times.
   */
  register_closes: RegisterCloses;
  /** The latest save, or null when nothing has been changed from the defaults. */
  last_change: SettingsChange | null;
  // The policy's numbers most pages read, as the policy holds them (the same stored keys):
  /** Whole-school attendance target, percent. */
  target_attendance_pct: number;
  /** School days within which an N code must be replaced by a reason. */
  n_code_limit_school_days: number;
  /** Attendance bands of the escalation ladder, percent, highest first (letter, monitoring, formal meeting, severe). */
  attendance_thresholds: number[];
  /** Penalty notice considered at this many sessions of G, N, O or U … */
  penalty_sessions: number;
  /** … within this many school weeks (a rolling window that may span terms). */
  penalty_window_school_weeks: number;
}

type Actor = { name: string; role: string };

/** A school's LA number (3 digits) and establishment number (4 digits). */
export interface SchoolNumber {
  la: string;
  estab: string;
}

/** Who a change made by a script or test (not a person in the app) is logged as. */
export const SCRIPT_ACTOR: Actor = { name: "rollcall", role: "script" };

const OTHER_DEFAULTS = { school_name: "Rollcall school", small_group_min: 5 };

function settingsFrom(
  school_name: string,
  small_group_min: number,
  preset: PresetId,
  numbers: PolicyNumbers,
  last_change: SettingsChange | null,
  school_number: SchoolNumber | null = null,
  chosen = false,
  register_closes: RegisterCloses = DEFAULT_REGISTER_CLOSES,
): Settings {
  const policy = buildPolicy(preset, numbers, chosen);
  return {
    school_name,
    small_group_min,
    school_number,
    phase: "primary",
    policy,
    register_closes: { ...register_closes },
    last_change,
    target_attendance_pct: policy.target_attendance_pct,
    n_code_limit_school_days: policy.n_code_limit_school_days,
    attendance_thresholds: policy.attendance_thresholds,
    penalty_sessions: policy.penalty_sessions,
    penalty_window_school_weeks: policy.penalty_window_school_weeks,
  };
}

export const DEFAULT_SETTINGS: Settings = settingsFrom(OTHER_DEFAULTS.school_name, OTHER_DEFAULTS.small_group_min, DEFAULT_PRESET, DEFAULT_POLICY_NUMBERS, null);

type Parser = (raw: string) => string | number | undefined;

const numberParser = (key: PolicyNumberKey): Parser => (raw) => {
  const rule = POLICY_NUMBER_RULES[key];
  if (raw.trim() === "") return undefined;
  const value = Number(raw.trim());
  if (!Number.isFinite(value) || value < rule.min || value > rule.max) return undefined;
  if (rule.integer && !Number.isInteger(value)) return undefined;
  return value;
};

/** A wall-clock time, 24-hour "HH:MM" (00:00 to 23:59). */
const CLOCK_TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

/** The least `small_group_min` a school may set: a group of 1 or 2 pupils is never shown to governors. */
export const SMALL_GROUP_FLOOR = 3;

/** The settings a school may change, each with how its stored text is read and checked. */
const PARSERS: Record<string, Parser> = {
  school_name: (raw) => (raw.trim().length > 0 && raw.length <= 120 ? raw.trim() : undefined),
  // At least 3: with 1 or 2 a governor read one looked-after child's persistent absence (a
  // trial set 1 and governors saw "Looked after 2 of 240, PA 50.0 %"). A stored 1 or 2 (from
  // before this floor) reads as the default.
  small_group_min: (raw) => {
    const value = Number(raw.trim());
    return raw.trim() !== "" && Number.isInteger(value) && value >= SMALL_GROUP_FLOOR && value <= 50 ? value : undefined;
  },
  policy_preset: (raw) => (isPresetId(raw.trim()) ? raw.trim() : undefined),
  // Blank: not set. Leading zeros are part of the number (LA 201 is the City of London; estab 0012 is not 12).
  // All zeros is no school's number (trial19b saved LA 000, establishment 0000).
  la_number: (raw) => (raw.trim() === "" || (/^\d{3}$/.test(raw.trim()) && raw.trim() !== "000") ? raw.trim() : undefined),
  estab_number: (raw) => (raw.trim() === "" || (/^\d{4}$/.test(raw.trim()) && raw.trim() !== "0000") ? raw.trim() : undefined),
  ...Object.fromEntries(POLICY_NUMBER_KEYS.map((key) => [key, numberParser(key)])),
  am_register_closes: (raw) => (CLOCK_TIME.test(raw.trim()) ? raw.trim() : undefined),
  pm_register_closes: (raw) => (CLOCK_TIME.test(raw.trim()) ? raw.trim() : undefined),
};

export type SettingKey = "school_name" | "small_group_min" | "policy_preset" | "la_number" | "estab_number" | "am_register_closes" | "pm_register_closes" | PolicyNumberKey;
export const SETTING_KEYS = Object.keys(PARSERS) as SettingKey[];

/** Before the policy had its own keys, the ladder's bands were one list; its first three are the letter, monitoring and formal-meeting thresholds. */
const LEGACY_THRESHOLDS_KEY = "attendance_thresholds";
const LEGACY_THRESHOLD_KEYS: PolicyNumberKey[] = ["letter_threshold_pct", "monitoring_threshold_pct", "formal_meeting_threshold_pct"];

export async function ensureChangeLog(connection: Connection): Promise<void> {
  for (const statement of SETTINGS_CHANGES_DDL) await connection.run(statement);
}

async function storedValues(connection: Connection): Promise<Map<string, string>> {
  // Cached per data generation: every write of settings commits through inTransaction.
  const rows = await cachedRows<{ key: string; value: string }>(connection, "SELECT key, value FROM settings");
  return new Map(rows.map((row) => [row.key, row.value]));
}

/** Reads the stored values over the defaults; a stored value that no longer parses keeps the default. */
function parseStored(stored: Map<string, string>): { school_name: string; small_group_min: number; preset: PresetId; chosen: boolean; numbers: PolicyNumbers; school_number: SchoolNumber | null; register_closes: RegisterCloses } {
  const numbers: PolicyNumbers = { ...DEFAULT_POLICY_NUMBERS };
  const legacy = stored.get(LEGACY_THRESHOLDS_KEY);
  if (legacy !== undefined) {
    const values = legacy.split(",").map((part) => Number(part.trim())).filter((v) => Number.isFinite(v)).sort((a, b) => b - a);
    LEGACY_THRESHOLD_KEYS.forEach((key, i) => {
      if (values[i] !== undefined && !stored.has(key)) numbers[key] = values[i];
    });
  }
  for (const key of POLICY_NUMBER_KEYS) {
    const raw = stored.get(key);
    const parsed = raw === undefined ? undefined : PARSERS[key](raw);
    if (typeof parsed === "number") numbers[key] = parsed;
  }
  if (policyNumbersProblem(numbers)) {
    for (const key of LEGACY_THRESHOLD_KEYS) numbers[key] = DEFAULT_POLICY_NUMBERS[key];
  }
  const name = stored.get("school_name");
  const min = stored.get("small_group_min");
  const preset = stored.get("policy_preset");
  return {
    school_name: (name !== undefined && (PARSERS.school_name(name) as string | undefined)) || OTHER_DEFAULTS.school_name,
    small_group_min: (min !== undefined && (PARSERS.small_group_min(min) as number | undefined)) || OTHER_DEFAULTS.small_group_min,
    preset: preset !== undefined && isPresetId(preset) ? preset : DEFAULT_PRESET,
    // No preset stored: the school never chose one (the default's numbers stand in, and pages say so).
    chosen: preset !== undefined && isPresetId(preset),
    numbers,
    school_number: schoolNumberOf(stored.get("la_number") ?? "", stored.get("estab_number") ?? ""),
    register_closes: registerClosesOf(stored.get("am_register_closes"), stored.get("pm_register_closes")),
  };
}

/** The stored closing times over the defaults; a pair that does not read (AM not before PM) is the defaults. */
function registerClosesOf(am: string | undefined, pm: string | undefined): RegisterCloses {
  const a = am === undefined ? undefined : PARSERS.am_register_closes(am);
  const p = pm === undefined ? undefined : PARSERS.pm_register_closes(pm);
  const closes = { AM: typeof a === "string" ? a : DEFAULT_REGISTER_CLOSES.AM, PM: typeof p === "string" ? p : DEFAULT_REGISTER_CLOSES.PM };
  return registerClosesProblem(closes) === null ? closes : { ...DEFAULT_REGISTER_CLOSES };
}

/** Both numbers when both are set and valid, else null. */
function schoolNumberOf(la: string, estab: string): SchoolNumber | null {
  const l = PARSERS.la_number(la);
  const e = PARSERS.estab_number(estab);
  return typeof l === "string" && typeof e === "string" && l !== "" && e !== "" ? { la: l, estab: e } : null;
}

/** getSettings' answers by file and data generation (keptWork), which keptSettings reads without a connection. */
const keptSettingsByGeneration = new Map<string, Promise<Settings>>();
/** How many generations' settings are kept (a few files, the newest generation of each). */
const KEPT_SETTINGS = 8;

/**
 * The school's settings: the stored values over the defaults, and the last change recorded.
 * Kept while nothing is committed to the file (keptWork: with the result cache on, outside a
 * transaction), so keptSettings can answer without a connection; inside a transaction, read
 * afresh. Returns a copy the caller may change.
 */
export async function getSettings(connection: Connection): Promise<Settings> {
  return structuredClone(await keptWork(connection, keptSettingsByGeneration, KEPT_SETTINGS, "settings", () => readSettings(connection)));
}

/**
 * The settings getSettings gave for `file` at its data generation now (a copy), without a
 * connection; null when none are kept (nothing read since the last commit, or the result cache
 * off): ask getSettings.
 */
export async function keptSettings(file: string): Promise<Settings | null> {
  const kept = keptForFile(file, keptSettingsByGeneration, "settings");
  return kept ? structuredClone(await kept) : null;
}

/** getSettings' read: the stored values and the last change, each a cached read. */
async function readSettings(connection: Connection): Promise<Settings> {
  // Reading never writes: a database file from before the change log simply has no last change yet.
  const last = (await tableExists(connection, "settings_changes"))
    ? await cachedOne<{ at: string; by: string; role: string }>(
        connection,
        `SELECT strftime(changed_at, '%Y-%m-%dT%H:%M:%SZ') AS at, changed_by AS by, changed_by_role AS role
         FROM settings_changes ORDER BY change_id DESC LIMIT 1`,
      )
    : undefined;
  return settingsOf(await storedValues(connection), last ?? null);
}

/**
 * The settings that stored values give (key → value, as a register's `settings` table holds
 * them, over the defaults), as getSettings reads them, with the last change given (null: none
 * recorded). For settings read other than from one register's connection: several schools'
 * at once from a trust's lake (analytics/trust.ts), whose export carries no change log.
 */
export function settingsOf(values: Map<string, string>, last: SettingsChange | null = null): Settings {
  const stored = parseStored(values);
  return settingsFrom(stored.school_name, stored.small_group_min, stored.preset, stored.numbers, last, stored.school_number, stored.chosen, stored.register_closes);
}

/** The policy alone (casework, ladder): the same object as getSettings(connection).policy. */
export async function getPolicy(connection: Connection): Promise<Policy> {
  return (await getSettings(connection)).policy;
}

/** What a valid value looks like, for a setting whose rule is a format. */
const FORMAT_RULES: Partial<Record<string, string>> = {
  school_name: "the school's name, 1 to 120 characters",
  policy_preset: `one of ${PRESET_IDS.join(", ")}`,
  // Every policy number says its range, as the Settings page's field does (trial20a: 101 was refused without it).
  ...Object.fromEntries(
    POLICY_NUMBER_KEYS.map((key) => {
      const rule = POLICY_NUMBER_RULES[key];
      const range = `${rule.integer ? "a whole number" : "a number"} from ${rule.min} to ${rule.max}`;
      return [key, key === "retention_years" ? `${range}: the Pupil Registration Regulations keep every register entry 3 years` : range];
    }),
  ),
  la_number: "an LA number is three digits, not all 0, e.g. 820, or empty for not set",
  estab_number: "an establishment number is four digits, not all 0, e.g. 2000, or empty for not set",
  am_register_closes: "a time of day, 24-hour HH:MM, e.g. 09:30",
  pm_register_closes: "a time of day, 24-hour HH:MM, e.g. 13:35",
  small_group_min: `a whole number of pupils from ${SMALL_GROUP_FLOOR} to 50: a group of 1 or 2 would show a governor a single pupil's figures`,
};

/**
 * The value written with a point where `value` is a decimal written with a comma ("96,5" →
 * "96.5") for a setting that takes decimals, else null: many keyboards and spreadsheets write
 * it so. One or two digits after the comma only ("1,000" is a thousands separator). The
 * Settings page and `rollcall settings set` say it (trial 54, 54b).
 */
export function decimalCommaValue(key: string, value: string): string | null {
  const rule = (POLICY_NUMBER_RULES as Partial<Record<string, { integer: boolean }>>)[key];
  const match = /^\s*(\d+),(\d{1,2})\s*$/.exec(value);
  return rule && !rule.integer && match ? `${match[1]}.${match[2]}` : null;
}

/** Why a value cannot be stored for a setting, or null when it can. */
export function settingProblem(key: string, value: string): string | null {
  const parse = PARSERS[key];
  if (!parse) return `unknown setting "${key}"`;
  if (parse(value) !== undefined) return null;
  const rule = FORMAT_RULES[key];
  const point = decimalCommaValue(key, value);
  return `"${value}" is not a valid value for ${key}${point ? ` (write the decimal with a point: ${point})` : ""}${rule ? ` (${rule})` : ""}`;
}

async function writeValues(connection: Connection, values: Partial<Record<SettingKey, string>>, by: Actor): Promise<void> {
  await ensureChangeLog(connection);
  const before = await storedValues(connection);
  const saveId = `${new Date().toISOString()}-${Math.random().toString(36).slice(2, 8)}`;
  await inTransaction(connection, async () => {
    for (const [key, raw] of Object.entries(values) as Array<[SettingKey, string]>) {
      const value = String(PARSERS[key](raw));
      const old = before.get(key) ?? null;
      // An empty optional setting (the LA and establishment numbers) never stored is no change.
      if (old === value || (old === null && value === "")) continue;
      await replaceSetting(connection, key, value);
      await connection.run(
        `INSERT INTO settings_changes (save_id, key, old_value, new_value, changed_at, changed_by, changed_by_role)
         VALUES ($save_id, $key, $old, $value, now()::TIMESTAMP, $by, $role)`,
        { save_id: saveId, key, old, value, by: by.name, role: by.role },
      );
    }
    // The policy's thresholds now have their own keys; the old single list would only confuse.
    if (before.has(LEGACY_THRESHOLDS_KEY)) await deleteSetting(connection, LEGACY_THRESHOLDS_KEY);
  });
}

/** Stores one setting after checking it; throws a message fit for the user when it is invalid. */
export async function setSetting(connection: Connection, key: string, value: string, by: Actor = SCRIPT_ACTOR): Promise<void> {
  const result = await saveSettings(connection, { [key]: value } as Partial<Record<SettingKey, string>>, by);
  const problems = Object.values(result.problems);
  if (problems.length > 0) throw new Error(problems.join("; "));
}

/**
 * Stores several settings all or nothing: every value is checked first, alone and together
 * (the attendance thresholds must descend), and they are written in one transaction with
 * who and when, so a form with one mistake changes nothing. Returns the problems by key
 * (empty when saved), every one at once; a problem of the thresholds together is reported
 * under `letter_threshold_pct`, of the closing times under the time changed. Checked and
 * written in one write turn of the file (db.ts oneWriteAtATime): two saves at once are made one
 * after the other, each checked against, and its change history recording, the values the
 * other left (a trial's two saves at once had each recorded "83 → …" from the same old value).
 */
export function saveSettings(
  connection: Connection,
  values: Partial<Record<SettingKey, string>>,
  by: Actor,
): Promise<{ problems: Partial<Record<SettingKey, string>> }> {
  return oneWriteAtATime(connection, () => checkAndWrite(connection, values, by));
}

/**
 * saveSettings with the school's settings as they were just before it and are after it, read
 * in its one write turn, so that each of two saves at once says its own change (the Settings
 * page's audit entry and `rollcall settings set`'s lines: "83 → 78", then "78 → 79"). Shapes:
 * `before` and `after` as getSettings gives them; `problems` as saveSettings'. Throws what
 * saveSettings throws.
 */
export function saveSettingsBeforeAfter(
  connection: Connection,
  values: Partial<Record<SettingKey, string>>,
  by: Actor,
): Promise<{ before: Settings; after: Settings; problems: Partial<Record<SettingKey, string>> }> {
  return oneWriteAtATime(connection, async () => {
    const before = await getSettings(connection);
    const { problems } = await saveSettings(connection, values, by);
    return { before, after: await getSettings(connection), problems };
  });
}

/** saveSettings' work, in its write turn. */
async function checkAndWrite(
  connection: Connection,
  values: Partial<Record<SettingKey, string>>,
  by: Actor,
): Promise<{ problems: Partial<Record<SettingKey, string>> }> {
  const problems: Partial<Record<SettingKey, string>> = {};
  for (const [key, value] of Object.entries(values) as Array<[SettingKey, string]>) {
    const problem = settingProblem(key, value);
    if (problem) problems[key] = problem;
  }
  // Every problem is said at once, each value alone and each combination whose values read
  // (trial 29: a letter threshold under monitoring and an afternoon register closing before
  // the morning's were told one a save, the thresholds' first).
  const readable = (...keys: SettingKey[]) => keys.every((key) => problems[key] === undefined);
  const stored = parseStored(await storedValues(connection));
  if (readable("letter_threshold_pct", "monitoring_threshold_pct", "formal_meeting_threshold_pct")) {
    const combined: PolicyNumbers = { ...stored.numbers };
    for (const key of POLICY_NUMBER_KEYS) if (values[key] !== undefined && readable(key)) combined[key] = PARSERS[key](values[key] as string) as number;
    const together = policyNumbersProblem(combined);
    if (together) problems.letter_threshold_pct = together;
  }
  // The two closing times together: the morning register closes before the afternoon's.
  if (readable("am_register_closes", "pm_register_closes")) {
    const closes = {
      AM: values.am_register_closes?.trim() ?? stored.register_closes.AM,
      PM: values.pm_register_closes?.trim() ?? stored.register_closes.PM,
    };
    const order = registerClosesProblem(closes);
    // Said beside the time that was changed (the page sends both): the morning's when it changed, else the afternoon's.
    const morningChanged = values.am_register_closes !== undefined && closes.AM !== stored.register_closes.AM;
    if (order) problems[morningChanged ? "am_register_closes" : "pm_register_closes"] = order;
  }
  // The LA and establishment numbers are one number (the DfE number): both, or neither.
  if (readable("la_number", "estab_number")) {
    const held = await storedValues(connection);
    const la = (values.la_number ?? held.get("la_number") ?? "").trim();
    const estab = (values.estab_number ?? held.get("estab_number") ?? "").trim();
    if ((la === "") !== (estab === "")) {
      problems[la === "" ? "la_number" : "estab_number"] = "the LA number and the establishment number are given together (the DfE number is both), or neither";
    }
  }
  if (Object.keys(problems).length > 0) return { problems };
  await writeValues(connection, values, by);
  return { problems };
}

/**
 * Chooses a preset: its numbers where the policy states them, the school's current numbers
 * where it is silent (see policy.ts), saved all or nothing with who and when.
 */
export async function choosePreset(connection: Connection, preset: string, by: Actor): Promise<{ problems: Partial<Record<SettingKey, string>> }> {
  if (!isPresetId(preset)) return { problems: { policy_preset: `unknown policy "${preset}"` } };
  // The school's current numbers read in the save's own turn (saveSettings).
  return oneWriteAtATime(connection, async () => {
    const stored = parseStored(await storedValues(connection));
    const numbers = applyPreset(preset, stored.numbers);
    const values: Partial<Record<SettingKey, string>> = { policy_preset: preset };
    for (const key of POLICY_NUMBER_KEYS) values[key] = String(numbers[key]);
    return saveSettings(connection, values, by);
  });
}
