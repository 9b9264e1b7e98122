/**
 * A register where pupils change group between half terms, for governors' half-term
 * membership (issue 13: analytics/measures.ts MeasureQuery.membership). Min 5. Every pupil
 * in Year 3, a girl, WBRI, no SEN, EAL or LAC, so the cells are the school, its classes and
 * its FSM groups.
 *
 * Half terms (20 school days each, Monday to Friday), both ended by "today" (4 November 2024):
 * - autumn-1-2024: 2 – 27 September 2024;
 * - autumn-2-2024: 7 October – 1 November 2024.
 * Pupils (FSM in brackets; every class has pupils on FSM and pupils not, so no class less
 * the FSM group is one pupil):
 * - 3A: A0–A3 (N), C0, C1 (Y); and X from 7 October.
 * - 3B: B0–B3 (N), C2, C3 (Y); and X until 6 October (X moves class at the half term).
 * - 3C: D0–D2 (N), C4, C5 (Y), and Y: not on FSM until 6 October, on FSM from 7 October.
 * Absence (every other session present):
 * - A0 off ill (I) on 2 September: 2 authorised sessions, Autumn 1;
 * - X off ill (I) on 9, 10 and 11 September (6 authorised, Autumn 1, in 3B) and absent
 *   unauthorised (O) on 14 October (2, Autumn 2, in 3A): 8 of 80 over the term (10 %:
 *   persistently absent over the term; 15 % over Autumn 1; 5 % over Autumn 2);
 * - Y absent unauthorised (O) on 16 and 17 September (4, Autumn 1, not on FSM);
 * - D0 off ill (I) on 18 September and 16 October: 2 authorised sessions in each half term (4
 *   of 80, 5 %: never persistently absent). Without them the school's own 14 missed sessions
 *   over the term, of pupils with 80 each, would pin its withheld count of persistently absent
 *   pupils (at least 8 each) to 1, and the school's whole row would go over the term
 *   (analytics/suppression.ts absenceRules; analytics/measures.ts wholeSpanAbsence); with 18,
 *   1 or 2.
 */
import { addDays, format, parseISO } from "date-fns";
import type { Connection } from "../../analytics/db.ts";
import { seedRegister, type TestMark, type TestPupil } from "./register.ts";

export const MOVERS_TODAY = "2024-11-04";

export const MOVERS_HALF_TERMS = [
  { key: "autumn-1-2024", term: "autumn-2024", year: "2024/25", monday: "2024-09-02" },
  { key: "autumn-2-2024", term: "autumn-2024", year: "2024/25", monday: "2024-10-07" },
] as const;

const iso = (date: Date) => format(date, "yyyy-MM-dd");

/** The 20 school days of a half term. */
export function moversDays(half: (typeof MOVERS_HALF_TERMS)[number]): string[] {
  const days: string[] = [];
  for (let w = 0; w < 4; w++) for (let d = 0; d < 5; d++) days.push(iso(addDays(parseISO(half.monday), 7 * w + d)));
  return days;
}

export const MOVERS_A1 = { from: "2024-09-02", to: "2024-09-27" };
export const MOVERS_A2 = { from: "2024-10-07", to: "2024-11-01" };
export const MOVERS_TERM = { from: MOVERS_A1.from, to: MOVERS_A2.to };

const ABSENT: Record<string, Record<string, string>> = {
  A0: { "2024-09-02": "I" },
  X: { "2024-09-09": "I", "2024-09-10": "I", "2024-09-11": "I", "2024-10-14": "O" },
  Y: { "2024-09-16": "O", "2024-09-17": "O" },
  D0: { "2024-09-18": "I", "2024-10-16": "I" },
};

export function moversRegister(): { pupils: TestPupil[]; marks: TestMark[] } {
  const pupils: TestPupil[] = [];
  const one = (upn: string, reg_group: string, fsm: string) => pupils.push({ upn, spells: [{ from: "2024-09-01", reg_group, fsm }] });
  for (let i = 0; i < 4; i++) one(`A${i}`, "3A", "N");
  one("C0", "3A", "Y");
  one("C1", "3A", "Y");
  for (let i = 0; i < 4; i++) one(`B${i}`, "3B", "N");
  one("C2", "3B", "Y");
  one("C3", "3B", "Y");
  for (let i = 0; i < 3; i++) one(`D${i}`, "3C", "N");
  one("C4", "3C", "Y");
  one("C5", "3C", "Y");
  pupils.push({ upn: "X", spells: [{ from: "2024-09-01", to: "2024-10-06", reg_group: "3B" }, { from: "2024-10-07", reg_group: "3A" }] });
  pupils.push({ upn: "Y", spells: [{ from: "2024-09-01", to: "2024-10-06", reg_group: "3C", fsm: "N" }, { from: "2024-10-07", reg_group: "3C", fsm: "Y" }] });
  const marks: TestMark[] = [];
  for (const p of pupils) {
    for (const date of MOVERS_HALF_TERMS.flatMap(moversDays)) {
      const code = ABSENT[p.upn]?.[date];
      marks.push([p.upn, date, "AM", code ?? "/"], [p.upn, date, "PM", code ?? "\\"]);
    }
  }
  return { pupils, marks };
}

/** The calendar (as a calendar import writes it) and the register, into an empty store. */
export async function seedMoversRegister(c: Connection): Promise<void> {
  for (const half of MOVERS_HALF_TERMS) {
    const days = moversDays(half);
    await c.run("INSERT INTO calendar_periods VALUES ($key, $from::DATE, $to::DATE)", { key: half.key, from: days[0], to: days.at(-1)! });
    for (const date of days) await c.run("INSERT INTO school_days VALUES ($date::DATE, $year, $term, $key)", { date, year: half.year, term: half.term, key: half.key });
  }
  await seedRegister(c, moversRegister());
}
