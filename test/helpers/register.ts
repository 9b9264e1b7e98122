/**
 * Writes a small register straight into the store (bypassing the CSV import), so the
 * measures can be tested against figures worked out by hand.
 */
import type { Connection } from "../../analytics/db.ts";
import { writeMarksUnchecked } from "../../analytics/store.ts";

export interface TestPupil {
  upn: string;
  forename?: string;
  surname?: string;
  /** Date of birth, ISO; by default 2016-05-01 (compulsory school age in the test years). */
  dob?: string;
  sex?: "M" | "F";
  ethnicity?: string;
  admission_date?: string;
  leaving_date?: string | null;
  /** Characteristic spells; defaults to one spell from the admission date. */
  spells?: Array<{ from: string; to?: string | null; year_group?: string; reg_group?: string; sen?: string; fsm?: string; eal?: string; lac?: string }>;
}

export type TestMark = [upn: string, date: string, session: "AM" | "PM", code: string, minutesLate?: number];

export async function seedRegister(connection: Connection, register: { pupils: TestPupil[]; marks: TestMark[] }): Promise<void> {
  await connection.run(
    // Once however often the register is seeded (imports has no key: analytics/schema.ts UNKEYED_TABLES).
    `INSERT INTO imports SELECT 0, 'test', 'fixture', '', 0, 0, 0, 0, now()::TIMESTAMP, 'test', 'test', NULL, NULL WHERE NOT EXISTS (SELECT 1 FROM imports WHERE import_id = 0)`,
  );
  for (const pupil of register.pupils) {
    const admission = pupil.admission_date ?? "2024-09-01";
    await connection.run(
      `INSERT INTO pupils VALUES ($upn, $forename, $surname, $dob::DATE, $sex, $ethnicity, $admission::DATE, $leaving::DATE)`,
      {
        upn: pupil.upn,
        dob: pupil.dob ?? "2016-05-01",
        forename: pupil.forename ?? `Forename ${pupil.upn}`,
        surname: pupil.surname ?? `Surname ${pupil.upn}`,
        sex: pupil.sex ?? "F",
        ethnicity: pupil.ethnicity ?? "WBRI",
        admission,
        leaving: pupil.leaving_date ?? null,
      },
    );
    for (const spell of pupil.spells ?? [{ from: admission }]) {
      await connection.run(
        `INSERT INTO pupil_characteristics VALUES ($upn, $from::DATE, $to::DATE, $year_group, $reg_group, $sen, $fsm, $eal, $lac)`,
        {
          upn: pupil.upn,
          from: spell.from,
          to: spell.to ?? null,
          year_group: spell.year_group ?? "3",
          reg_group: spell.reg_group ?? "3A",
          sen: spell.sen ?? "N",
          fsm: spell.fsm ?? "N",
          eal: spell.eal ?? "N",
          lac: spell.lac ?? "N",
        },
      );
    }
  }
  // Through the store's own writer, so the aggregates are kept as an import keeps them.
  await writeMarksUnchecked(
    connection,
    register.marks.map(([upn, date, session, code, minutesLate]) => ({ upn, date, session, code, minutesLate: minutesLate ?? null })),
  );
}

/** Expands "AM/PM pairs per day" into marks: days maps an ISO date to [AM code, PM code]. */
export function daysOf(upn: string, days: Record<string, [string | null, string | null]>): TestMark[] {
  const marks: TestMark[] = [];
  for (const [date, [am, pm]] of Object.entries(days)) {
    if (am) marks.push([upn, date, "AM", am]);
    if (pm) marks.push([upn, date, "PM", pm]);
  }
  return marks;
}
