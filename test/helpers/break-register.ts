/**
 * Small registers for test/governor-break*.test.ts: a calendar of half terms of 20 school
 * days (four weeks from a Monday, unless said), written as a calendar import writes it, and
 * marks; two registers and a reading of the FGB pack that more than one test file uses.
 */
import { addDays, format, parseISO } from "date-fns";
import { afterAll } from "vitest";
import type { Connection } from "../../analytics/db.ts";
import { buildFgbPack } from "../../analytics/packs/fgb.ts";
import { seedRegister, type TestMark, type TestPupil } from "./register.ts";

const iso = (date: Date) => format(date, "yyyy-MM-dd");

export interface Half {
  key: string;
  term: string;
  year: string;
  monday: string;
  /** School weeks in it (Monday to Friday each); 4 unless said. */
  weeks?: number;
}

/** The school days of a half term: `weeks` (4 unless said) Mondays to Fridays from its Monday. */
export function daysOfHalf(half: Half): string[] {
  const days: string[] = [];
  for (let w = 0; w < (half.weeks ?? 4); w++) for (let d = 0; d < 5; d++) days.push(iso(addDays(parseISO(half.monday), 7 * w + d)));
  return days;
}

/** A calendar as a calendar import writes it. */
export async function seedCalendar(c: Connection, halves: readonly Half[]): Promise<void> {
  for (const half of halves) {
    const days = daysOfHalf(half);
    await c.run("INSERT INTO calendar_periods VALUES ($key, $from::DATE, $to::DATE)", { key: half.key, from: days[0], to: days.at(-1)! });
    for (const date of days) await c.run("INSERT INTO school_days VALUES ($date::DATE, $year, $term, $key)", { date, year: half.year, term: half.term, key: half.key });
  }
}

/** Every pupil present at every session of `days`, except the absences given (upn → date → code). */
export function marksOf(upns: string[], days: string[], absent: Record<string, Record<string, string>> = {}): TestMark[] {
  const marks: TestMark[] = [];
  for (const upn of upns) {
    for (const date of days) {
      const code = absent[upn]?.[date];
      marks.push([upn, date, "AM", code ?? "/"], [upn, date, "PM", code ?? "\\"]);
    }
  }
  return marks;
}

/**
 * The FGB pack's interventions recorded by type for `term` (as of `today`): the type's words
 * to its count, or null where the pack prints it withheld.
 */
export async function fgbRecordedCounts(c: Connection, term: string, today: string): Promise<Map<string, number | null>> {
  const pack = await buildFgbPack(c, { term, today });
  const tables = pack.sections.flatMap((s) => s.blocks).flatMap((b) => (b.kind === "table" ? [b.table] : []));
  const table = tables.find((t) => t.caption.startsWith("Interventions recorded this academic year"))!;
  const cell = (x: (typeof table.rows)[number][number]) => x as { kind: string; value?: number; text?: string };
  return new Map(table.rows.map((row) => [cell(row[0]).text!, cell(row[1]).kind === "count" ? cell(row[1]).value! : null]));
}

/** Autumn 1 2025 (from Monday 1 September 2025, 20 school days): the half term of seedReceptionFsm. */
export const RECEPTION_FSM_HALF: Half = { key: "autumn-1-2025", term: "autumn-2025", year: "2025/26", monday: "2025-09-01" };

/**
 * The register of test/governor-dfe-units.test.ts and test/governor-break-units.test.ts
 * (2025/26, RECEPTION_FSM_HALF only; everyone on roll throughout, 40 possible sessions each):
 * - Reception (class RA): FSM — two aged 5 on 31 August 2025 (RF5a, RF5b, born 1 July 2020:
 *   the DfE's population) and six aged 4 (born 1 October 2020); not FSM — six aged 5, six aged 4.
 * - Year 1 (class 1A, all born 1 June 2019: aged 6): six FSM, eight not.
 * - RF5a off ill (I) for the first 9 days: 18 sessions (45 %: persistently, not severely,
 *   absent: half would pin the school's own withheld count of severely absent pupils to 1 by its
 *   20 missed sessions of 40-session pupils, analytics/suppression.ts absenceRules, and every
 *   row would go); everyone else present.
 */
export async function seedReceptionFsm(c: Connection): Promise<void> {
  const pupils: TestPupil[] = [];
  const add = (upn: string, year_group: string, reg_group: string, fsm: string, dob: string) =>
    pupils.push({ upn, dob, admission_date: "2025-09-01", spells: [{ from: "2025-09-01", year_group, reg_group, fsm }] });
  const [FIVE, FOUR] = ["2020-07-01", "2020-10-01"];
  add("RF5a", "R", "RA", "Y", FIVE);
  add("RF5b", "R", "RA", "Y", FIVE);
  for (let i = 0; i < 6; i++) add(`RF4${i}`, "R", "RA", "Y", FOUR);
  for (let i = 0; i < 6; i++) add(`RN5${i}`, "R", "RA", "N", FIVE);
  for (let i = 0; i < 6; i++) add(`RN4${i}`, "R", "RA", "N", FOUR);
  for (let i = 0; i < 6; i++) add(`1F${i}`, "1", "1A", "Y", "2019-06-01");
  for (let i = 0; i < 8; i++) add(`1N${i}`, "1", "1A", "N", "2019-06-01");
  const days = daysOfHalf(RECEPTION_FSM_HALF);
  const ill = Object.fromEntries(days.slice(0, 9).map((d) => [d, "I"]));
  await seedCalendar(c, [RECEPTION_FSM_HALF]);
  await seedRegister(c, { pupils, marks: marksOf(pupils.map((p) => p.upn), days, { RF5a: ill }) });
}

/**
 * Puts ROLLCALL_TODAY back as it was once the file's tests are done (each sets "today" for the
 * registers' half terms): call at the top level of a test file.
 */
export function restoreTodayAfterAll(): void {
  const saved = process.env.ROLLCALL_TODAY;
  afterAll(() => {
    if (saved === undefined) delete process.env.ROLLCALL_TODAY;
    else process.env.ROLLCALL_TODAY = saved;
  });
}

/** Year 3's classes 3A (A0–A7) and 3B (B0–B7), on roll from 1 September 2024: the attack tests' register. */
export function yearThreeClasses(): TestPupil[] {
  const pupils: TestPupil[] = [];
  for (const cls of ["A", "B"]) for (let i = 0; i < 8; i++) pupils.push({ upn: `${cls}${i}`, spells: [{ from: "2024-09-01", reg_group: `3${cls}` }] });
  return pupils;
}

/** A first half term of three weeks (15 school days: short for persistent absence), and the next. */
export const SHORT_AUTUMN: readonly Half[] = [
  { key: "autumn-1-2024", term: "autumn-2024", year: "2024/25", monday: "2024-09-02", weeks: 3 },
  { key: "autumn-2-2024", term: "autumn-2024", year: "2024/25", monday: "2024-10-07" },
];

/**
 * Year 3 only (yearThreeClasses) over SHORT_AUTUMN, with FSM pupils A0, A1, B0, B1, B2: A0 off
 * ill (I) on the morning of 9 September (1 session, the FSM pupils' only absence); A2–A7 and
 * B3–B7 each off ill on 11 September (2 sessions each). Pupils absent at least once over
 * Autumn 1, by hand: school 12, 3A 7, 3B 5, FSM 1, not FSM 11 (test/governor-short-absence.test.ts).
 */
export async function seedShortFsmRegister(c: Connection): Promise<void> {
  const fsm = new Set(["A0", "A1", "B0", "B1", "B2"]);
  const pupils = yearThreeClasses().map((p) => ({ ...p, spells: p.spells!.map((s) => ({ ...s, fsm: fsm.has(p.upn) ? "Y" : "N" })) }));
  const absent: Record<string, Record<string, string>> = {};
  for (const upn of ["A2", "A3", "A4", "A5", "A6", "A7", "B3", "B4", "B5", "B6", "B7"]) absent[upn] = { "2024-09-11": "I" };
  const marks = marksOf(pupils.map((p) => p.upn), SHORT_AUTUMN.flatMap(daysOfHalf), absent).map((m) =>
    m[0] === "A0" && m[1] === "2024-09-09" && m[2] === "AM" ? (["A0", "2024-09-09", "AM", "I"] as typeof m) : m,
  );
  await seedCalendar(c, SHORT_AUTUMN);
  await seedRegister(c, { pupils, marks });
}
