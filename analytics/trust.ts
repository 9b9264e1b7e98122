/**
 * The trust roll-up (issue 11, item 6): every school of a trust side by side, from the
 * register lake its schools export to (`rollcall export parquet`, analytics/lake.ts). Each
 * school's figures come from the same measures as its own dashboard (`summarise`,
 * `summariseBy`), run unchanged over its Parquet files, so the trust sees what each head sees.
 *
 * Figures are for the academic year to date (1 August, DfE). Attendance is against each
 * school's own target (its settings, exported with its register); absence and persistent
 * absence are compared with national figures on the DfE's population (pupils aged 5–15 on
 * 31 August), as on each school's Overview.
 */
import path from "node:path";
import type { Connection } from "./db.ts";
import { lakeSchools, lakeState, openLake, openLakeSchools } from "./lake.ts";
import { summarise, summariseBy, type GroupMeasures, type PupilDimension } from "./measures.ts";
import { getSettings } from "./settings.ts";
import { printedDifference } from "./printed-difference.ts";

export interface TrustSchool {
  urn: string;
  /** The school's name from its own settings. */
  name: string;
  /** Pupils with at least one possible session in the period (whole roll). */
  pupils: number;
  possible_sessions: number;
  /** Whole roll, percent 0–100 (null without possible sessions). */
  attendance_pct: number | null;
  absence_pct: number | null;
  pa_pupils: number;
  pa_pct: number | null;
  sa_pupils: number;
  sa_pct: number | null;
  /** The school's attendance target (percent) and attendance − target in points (null without marks). */
  target_pct: number;
  target_gap_points: number | null;
  /** On the DfE's population, the basis of the published figures: absence and PA percent. */
  dfe_absence_pct: number | null;
  dfe_pa_pct: number | null;
}

/** The breakdowns a trust can open for one school: characteristics and year groups. */
export const TRUST_BREAKDOWNS = ["year_group", "fsm", "sen", "eal", "sex"] as const satisfies readonly PupilDimension[];
export type TrustBreakdown = (typeof TRUST_BREAKDOWNS)[number];

export function isTrustBreakdown(value: string): value is TrustBreakdown {
  return (TRUST_BREAKDOWNS as readonly string[]).includes(value);
}

/** The breakdown of one school the Trust page opened: the rows its own Groups and Year groups pages show. */
export interface TrustOpened {
  urn: string;
  name: string;
  by: TrustBreakdown;
  rows: GroupMeasures[];
}

export interface TrustRollup {
  /** One row per school the lake holds, in URN order. */
  schools: TrustSchool[];
  /** The school asked for, broken down; null when none was asked for or the lake holds no such school. */
  opened: TrustOpened | null;
}

/** Roll-ups kept: the last few (lake, state, period, school opened) asked for. */
const KEPT_LIMIT = 32;
const keptSchools = new Map<string, Promise<TrustSchool[]>>();
const keptOpened = new Map<string, Promise<TrustOpened>>();

/**
 * What `work` gives for `key`, kept in `kept` (oldest dropped past KEPT_LIMIT); callers at the
 * same time share one run, and a failed run is not kept.
 */
async function keep<T>(kept: Map<string, Promise<T>>, key: string, work: () => Promise<T>): Promise<T> {
  let result = kept.get(key);
  if (result) {
    kept.delete(key); // to the back: the most recently asked
  } else {
    result = work();
    result.catch(() => kept.delete(key));
  }
  kept.set(key, result);
  if (kept.size > KEPT_LIMIT) kept.delete(kept.keys().next().value as string);
  return structuredClone(await result);
}

/**
 * The lake's tables the roll-up reads: the settings, and what `summarise` and a pupil-level
 * `summariseBy` read from the aggregates (the pupils and their characteristics, mark_weeks and
 * mark_days). Only these are opened for 40 schools (each view costs a look at its files); a
 * measure that came to read another would fail loudly here (test/lake.test.ts).
 */
const ROLLUP_TABLES = ["settings", "pupils", "pupil_ids", "pupil_characteristics", "mark_weeks", "mark_days"] as const;

/** Each school's row, all the schools opened in one database and counted two at a time. */
async function schoolRows(dir: string, held: readonly string[], period: { from: string; to: string }): Promise<TrustSchool[]> {
  if (held.length === 0) return [];
  const lake = await openLakeSchools(dir, held, held, ROLLUP_TABLES);
  try {
    const rows = new Map<string, TrustSchool>();
    const queue = [...held];
    // Two connections: while one school's query is planned or waits on a file, the other's runs.
    const worker = async () => {
      for (let urn = queue.shift(); urn !== undefined; urn = queue.shift()) {
        const connection = await lake.connect(urn);
        try {
          rows.set(urn, await schoolRow(connection, urn, period));
        } finally {
          connection.closeSync();
        }
      }
    };
    await Promise.all([worker(), worker()]);
    return held.map((urn) => rows.get(urn)!);
  } finally {
    lake.close();
  }
}

/** One school's row: its settings and two summaries (whole roll, and the DfE's population). */
async function schoolRow(connection: Connection, urn: string, period: { from: string; to: string }): Promise<TrustSchool> {
  const settings = await getSettings(connection);
  const whole = await summarise(connection, period);
  const dfe = await summarise(connection, { ...period, population: "dfe" });
  return {
    urn,
    name: settings.school_name,
    pupils: whole.pupils,
    possible_sessions: whole.possible_sessions,
    attendance_pct: whole.attendance_pct,
    absence_pct: whole.absence_pct,
    pa_pupils: whole.pa_pupils,
    pa_pct: whole.pa_pct,
    sa_pupils: whole.sa_pupils,
    sa_pct: whole.sa_pct,
    target_pct: settings.target_attendance_pct,
    target_gap_points: printedDifference(whole.attendance_pct, settings.target_attendance_pct),
    dfe_absence_pct: dfe.absence_pct,
    dfe_pa_pct: dfe.pa_pct,
  };
}

/** One school broken down (summariseBy), with its name from its settings. */
async function openedSchool(dir: string, held: readonly string[], period: { from: string; to: string }, open: { urn: string; by: TrustBreakdown }): Promise<TrustOpened> {
  const lake = await openLake(dir, open.urn, held);
  try {
    const settings = await getSettings(lake.connection);
    return { urn: open.urn, name: settings.school_name, by: open.by, rows: await summariseBy(lake.connection, period, open.by) };
  } finally {
    lake.close();
  }
}

/**
 * The trust roll-up for the period (`from`–`to`, ISO dates, inclusive) from the lake at `dir`:
 * one row per school (its settings and the measures `summarise` gives on its own files), and
 * the school asked for in `open` (URN and breakdown) broken down (summariseBy). A URN the lake
 * does not hold gives `opened: null`.
 *
 * The lake changes only when a school exports into it, so both are kept per lake state
 * (lakeState: every file's path, size and time) and period, and computed again only after an
 * export: a page asked again answers from memory (the 40-school register: ~2–6 s to count,
 * ~15 ms to check the lake's files). Figures are the same either way: the same measures on the
 * same files. Returns fresh copies (callers may change them).
 * Throws what openLakeSchools throws (a folder that is not a lake) and the measures' errors (a
 * bad period).
 */
export async function trustRollup(dir: string, period: { from: string; to: string }, open?: { urn: string; by: TrustBreakdown }): Promise<TrustRollup> {
  const held = lakeSchools(dir);
  const key = [path.resolve(dir), lakeState(dir), period.from, period.to].join("\u0000");
  const schools = await keep(keptSchools, key, () => schoolRows(dir, held, period));
  const opened = open && held.includes(open.urn) ? await keep(keptOpened, `${key}\u0000${open.urn}\u0000${open.by}`, () => openedSchool(dir, held, period, open)) : null;
  return { schools, opened };
}
