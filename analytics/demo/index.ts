/**
 * The demo school: a deterministic generator of the three files a school would import
 * (calendar, a pupils snapshot per academic year, marks per academic year), and
 * `buildDemo`, which imports them into a fresh database through the real importers.
 *
 * The school covers the last two full academic years before `today` and the current
 * academic year up to and including `today`; codes follow the regime of each date (the
 * 2006 codes before 19 August 2024, the 2024 codes from then).
 */
import { DEMO_MARKER } from "../users/store.ts";
import { DEMO_URN, claimSchool } from "../school-urn.ts";
import fs from "node:fs";
import { closeInstance, fileKey, inTransaction, queryOne, withConnection } from "../db.ts";
import { journalPath } from "../audit-journal.ts";
import { importCalendar, importMarks, importPupils, type Actor } from "../import/index.ts";
import { academicYearCalendar, academicYearOf, calendarCsv } from "./calendar.ts";
import { createSchool, marksCsv, pupilsCsv } from "./school.ts";
import { recordDemoInterventions } from "./interventions.ts";
import type { DueSession } from "../register-due.ts";
import { replaceMeta, replaceSetting } from "../key-values.ts";

export { academicYearCalendar, easterSunday } from "./calendar.ts";
export { createSchool, upnCheckLetter } from "./school.ts";

export const DEFAULT_DEMO_SEED = 20240901;
export const DEMO_SCHOOL_NAME = "Ludlow Junior School (demo)";
export const DEMO_TARGET_ATTENDANCE_PCT = "96.1";
export const DEMO_ACTOR: Actor = { name: "Demo generator", role: "System" };

export interface DemoFiles {
  calendarCsv: string; // kind,name,start_date,end_date
  /** One pupils file per academic year, as at 1 September of that year (or today, if earlier). */
  pupilSnapshots: { asOf: string; csv: string }[];
  marksCsvByYear: { academicYear: string; csv: string }[]; // upn,date,session,code,minutes_late
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * What the generator is asked for. `pupils` and `years` scale the school for the benchmark
 * (issue 11): about `pupils` on roll (default: the demo school's ≈ 240) over the last
 * `years` academic years up to `today` (default 3: two full years and the current one).
 * The defaults give byte-identical files to the generator before these options existed.
 */
export interface DemoOptions {
  today: string;
  /**
   * The last session of `today` the register holds (analytics/register-due.ts lastDueSession):
   * a demo built by the clock holds only the sessions whose registers have closed, so at 06:44 it
   * holds none of today's, at 10:00 the AM (a fresh-clone trial's demo built at 06:44 held 238
   * afternoon marks not yet taken, and counted them attended). A session of a day before `today`
   * is always written. Default: both of `today`'s sessions (a fixed date: the tests', the bench's).
   * Only which rows are written changes: every other mark is byte-identical.
   */
  through?: DueSession;
  seed?: number;
  pupils?: number;
  years?: number;
}

/** Largest school and longest history the generator builds (the benchmark's biggest is 20,000 × 3). */
export const MAX_DEMO_PUPILS = 50_000;
export const MAX_DEMO_YEARS = 10;

/**
 * The school and its calendar, with each year's files made only when asked for (a big
 * register's marks are tens of megabytes a year; `buildDemo` imports one year at a time).
 * Throws RangeError on a bad date or an out-of-range size.
 */
function demoSchool(options: DemoOptions) {
  const { today } = options;
  if (!ISO_DATE.test(today) || Number.isNaN(Date.parse(`${today}T00:00:00Z`))) {
    throw new RangeError(`today "${today}" is not an ISO date (YYYY-MM-DD)`);
  }
  const count = options.years ?? 3;
  if (!Number.isInteger(count) || count < 1 || count > MAX_DEMO_YEARS) {
    throw new RangeError(`years must be a whole number from 1 to ${MAX_DEMO_YEARS} (got ${count})`);
  }
  if (options.pupils !== undefined && (!Number.isInteger(options.pupils) || options.pupils < 40 || options.pupils > MAX_DEMO_PUPILS)) {
    throw new RangeError(`pupils must be a whole number from 40 to ${MAX_DEMO_PUPILS} (got ${options.pupils})`);
  }
  const seed = options.seed ?? DEFAULT_DEMO_SEED;
  const current = academicYearOf(today);
  const years = Array.from({ length: count }, (_, i) => current - (count - 1) + i).map(academicYearCalendar);
  const school = createSchool({ seed, today, years, pupils: options.pupils });
  return {
    years,
    calendarCsv: calendarCsv(years),
    snapshot(i: number): { asOf: string; csv: string } {
      const septemberFirst = `${years[i].startYear}-09-01`;
      return { asOf: septemberFirst <= today ? septemberFirst : today, csv: pupilsCsv(school, years[i]) };
    },
    marks(i: number): { academicYear: string; csv: string } {
      return { academicYear: years[i].label, csv: marksCsv(school, years[i], options.through) };
    },
  };
}

export function generateDemoSchool(options: DemoOptions): DemoFiles {
  const school = demoSchool(options);
  return {
    calendarCsv: school.calendarCsv,
    pupilSnapshots: school.years.map((_, i) => school.snapshot(i)),
    marksCsvByYear: school.years.map((_, i) => school.marks(i)),
  };
}

/** Rows after the header of a CSV text. */
function dataRows(csv: string): number {
  let n = 0;
  for (let i = csv.indexOf("\n") + 1; i > 0 && i < csv.length; i = csv.indexOf("\n", i) + 1) n++;
  return n;
}

/**
 * Replaces the database at dbPath with the demo school, in one transaction: calendar,
 * then each year's pupils snapshot and marks, then the school's settings and its URN
 * (`urn`, default DEMO_URN).
 */
export async function buildDemo(
  dbPath: string,
  /** `now`: the build's moment as TIMESTAMP text (default the clock): no intervention is stamped later (recordDemoInterventions). */
  options: DemoOptions & { schoolName?: string; now?: string; urn?: string },
): Promise<{ pupils: number; marks: number; seconds: number }> {
  const started = performance.now();
  const files = demoSchool(options);
  await closeInstance(dbPath);
  // A journal a killed process left beside the file replaced holds that file's rows, not the demo's.
  for (const file of [dbPath, `${dbPath}.wal`, journalPath(fileKey(dbPath))]) fs.rmSync(file, { force: true });

  const by = DEMO_ACTOR;
  return withConnection(dbPath, async (conn) => {
    await inTransaction(conn, async () => {
      await importCalendar(conn, { file: "demo-calendar.csv", text: files.calendarCsv, by });
      for (let i = 0; i < files.years.length; i++) {
        const snapshot = files.snapshot(i);
        const marks = files.marks(i);
        const label = marks.academicYear.replace("/", "-");
        await importPupils(conn, { file: `demo-pupils-${label}.csv`, text: snapshot.csv, asOf: snapshot.asOf, by, today: options.today });
        // The demo's "today" may differ from the clock: its marks run up to it.
        if (dataRows(marks.csv) > 0) await importMarks(conn, { file: `demo-marks-${label}.csv`, text: marks.csv, by, today: options.today });
      }
      for (const [key, value] of [
        ["school_name", options.schoolName ?? DEMO_SCHOOL_NAME],
        ["target_attendance_pct", DEMO_TARGET_ATTENDANCE_PCT],
        // The demo school is Ludlow's, on its own policy: chosen, as a school's choice in Settings stores it.
        ["policy_preset", "ludlow"],
      ]) {
        await replaceSetting(conn, key, value);
      }
      await claimSchool(conn, options.urn ?? DEMO_URN);
      // Marks the file as the demo school: only such a file ever gets demo accounts.
      await replaceMeta(conn, DEMO_MARKER, options.today);
    });
    // What the attendance lead did, worked from the imported register through the ladder.
    await recordDemoInterventions(conn, { today: options.today, seed: options.seed ?? DEFAULT_DEMO_SEED, now: options.now });
    const counts = await queryOne<{ pupils: number; marks: number }>(
      conn,
      "SELECT (SELECT count(*) FROM pupils)::INTEGER AS pupils, (SELECT count(*) FROM marks)::INTEGER AS marks",
    );
    return { pupils: counts?.pupils ?? 0, marks: counts?.marks ?? 0, seconds: Math.round(performance.now() - started) / 1000 };
  });
}
