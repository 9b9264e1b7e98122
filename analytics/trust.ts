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
import type { Connection } from "./db.ts";
import { lakeSchools, openLake } from "./lake.ts";
import { summarise, summariseBy, type GroupMeasures, type PupilDimension } from "./measures.ts";
import { getSettings } from "./settings.ts";

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

async function withSchool<T>(dir: string, urn: string, work: (connection: Connection) => Promise<T>): Promise<T> {
  const lake = await openLake(dir, urn);
  try {
    return await work(lake.connection);
  } finally {
    lake.close();
  }
}

/**
 * One row per school the lake at `dir` holds, in URN order, for the period (`from`–`to`, ISO
 * dates, inclusive). Throws what openLake throws (a folder that is not a lake) and the
 * measures' errors (a bad period).
 */
export async function trustSchools(dir: string, period: { from: string; to: string }): Promise<TrustSchool[]> {
  const rows: TrustSchool[] = [];
  for (const urn of lakeSchools(dir)) {
    rows.push(
      await withSchool(dir, urn, async (connection) => {
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
          target_gap_points: whole.attendance_pct === null ? null : whole.attendance_pct - settings.target_attendance_pct,
          dfe_absence_pct: dfe.absence_pct,
          dfe_pa_pct: dfe.pa_pct,
        };
      }),
    );
  }
  return rows;
}

/**
 * One school of the lake broken down by `by` over the period: the rows its own Groups and
 * Year groups pages show (summariseBy). Throws when the lake holds no such school.
 */
export function trustSchoolBreakdown(dir: string, urn: string, period: { from: string; to: string }, by: TrustBreakdown): Promise<GroupMeasures[]> {
  return withSchool(dir, urn, (connection) => summariseBy(connection, period, by));
}
