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
import { lakeSchools, openLake } from "./lake.ts";
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

/**
 * The trust roll-up for the period (`from`–`to`, ISO dates, inclusive) from the lake at `dir`,
 * reading the lake once: its schools listed once (lakeSchools), each school's files opened
 * once (openLake), and the school asked for in `open` (URN and breakdown) broken down
 * (summariseBy) on the connection its row was computed on. A URN the lake does not hold gives
 * `opened: null`. Throws what openLake throws (a folder that is not a lake) and the measures'
 * errors (a bad period).
 */
export async function trustRollup(dir: string, period: { from: string; to: string }, open?: { urn: string; by: TrustBreakdown }): Promise<TrustRollup> {
  const held = lakeSchools(dir);
  const schools: TrustSchool[] = [];
  let opened: TrustOpened | null = null;
  for (const urn of held) {
    const lake = await openLake(dir, urn, held);
    try {
      const connection = lake.connection;
      const settings = await getSettings(connection);
      const whole = await summarise(connection, period);
      const dfe = await summarise(connection, { ...period, population: "dfe" });
      schools.push({
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
      });
      if (open?.urn === urn) opened = { urn, name: settings.school_name, by: open.by, rows: await summariseBy(connection, period, open.by) };
    } finally {
      lake.close();
    }
  }
  return { schools, opened };
}
