/**
 * The aggregates an import refreshes (analytics/store.ts refreshAggregates: only the touched
 * pupils, from the week of each one's earliest change, the state carried in from the pupil's
 * last counted day before it) equal a rebuild from every mark after each of a run of imports
 * that a refresh limited to the file's own rows would get wrong:
 * - a file of later weeks first, then one of the week before them (the later weeks' absence
 *   spells now continue from it, though the file holds none of their marks);
 * - a file overlapping some pupils and dates of those already stored, amending a few;
 * - a morning-only file for days whose afternoons are stored (a day's figures are both);
 * - a week after a gap, for a pupil whose last counted day before it holds a session not
 *   counted (X) after an absence, and one whose last day of marks is all X (the carried state
 *   is the day before's);
 * - an amendment read by Rollcall's own reader (a quoted field), not by DuckDB's;
 * - a day whose morning is not counted (X), its afternoon absent after an absent afternoon;
 * - a pupil's first absence after the pupil before, by id, ended its last day absent.
 * After each import, mark_days, mark_weeks and mark_week_codes are compared whole with a
 * rebuild (test/helpers/aggregates.ts).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows, withConnection } from "../analytics/db.ts";
import { importFiles } from "../analytics/import/index.ts";
import { keptAndRebuilt } from "./helpers/aggregates.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";
import { BY, pupil, pupilsCsv, upn } from "./fixtures/import/helpers.ts";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rollcall-incremental-agg-"));
const CALENDAR = ["kind,name,start_date,end_date", "half_term,autumn-1,2024-09-02,2024-10-25", "half_term,autumn-2,2024-11-04,2024-12-20"].join("\n");
let db: string;
let fileNo = 0;

/** `rows`: [pupil number, date, session, code] each; one file, imported; returns the summary and the path that read it. */
async function run(rows: Array<[number, string, "AM" | "PM", string]>, quoted = false) {
  const file = path.join(dir, `marks-${++fileNo}.csv`);
  const code = (c: string) => (quoted ? `"${c}"` : c);
  fs.writeFileSync(file, ["upn,date,session,code", ...rows.map(([p, d, s, c]) => `${upn(p)},${d},${s},${code(c)}`)].join("\n") + "\n");
  let route = "";
  const [summary] = await importFiles(db, { marks: file }, { by: BY, onMarksPath: (p) => (route = p) });
  return { summary, route };
}

/** Every weekday from `from` to `to` (ISO dates, inclusive). */
function weekdays(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = new Date(`${from}T00:00:00Z`); d <= new Date(`${to}T00:00:00Z`); d = new Date(d.getTime() + 86_400_000)) {
    if (d.getUTCDay() !== 0 && d.getUTCDay() !== 6) out.push(d.toISOString().slice(0, 10));
  }
  return out;
}

/** Marks for `pupils` on every weekday from `from` to `to`, present unless `code` says otherwise. */
function marks(pupils: number[], from: string, to: string, code: (p: number, date: string, s: "AM" | "PM") => string | null = () => null) {
  const rows: Array<[number, string, "AM" | "PM", string]> = [];
  for (const date of weekdays(from, to)) {
    for (const p of pupils) for (const s of ["AM", "PM"] as const) rows.push([p, date, s, code(p, date, s) ?? (s === "AM" ? "/" : "\\")]);
  }
  return rows;
}

/** A pupil's spell starts and whether the day's first counted session continued a spell, on `date`. */
async function spellOn(p: number, date: string) {
  return withConnection(db, async (conn) => {
    const [row] = await queryRows<{ spell_starts: number; lead_continued: boolean }>(
      conn,
      "SELECT d.spell_starts::INTEGER AS spell_starts, d.lead_continued FROM mark_days d JOIN pupil_ids k USING (pupil_id) WHERE k.upn = $upn AND d.date = $date::DATE",
      { upn: upn(p), date },
    );
    return row;
  });
}

beforeAll(async () => {
  process.env.ROLLCALL_TODAY = "2024-12-20";
  db = tempDbPath("incremental-agg");
  const calendar = path.join(dir, "calendar.csv");
  const pupils = path.join(dir, "pupils.csv");
  fs.writeFileSync(calendar, CALENDAR);
  fs.writeFileSync(pupils, pupilsCsv([1, 2, 3, 4].map((n) => pupil(n, { admission_date: "2019-09-02" }))));
  await importFiles(db, { calendar, pupils }, { by: BY, asOf: "2024-09-02" });
}, 120_000);
afterAll(async () => {
  delete process.env.ROLLCALL_TODAY;
  await removeDb(db);
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("an import's refresh of the aggregates equals a rebuild from every mark", () => {
  it("later weeks first, then the week before them, overlaps, half days, gaps and a reader's amendment", async () => {
    // 1. Weeks of 9 and 16 September: pupil 1 absent (O) all Monday 9th, pupil 2 ill (I) on Wednesday 11th.
    const first = await run(marks([1, 2, 3], "2024-09-09", "2024-09-20", (p, d) => (p === 1 && d === "2024-09-09" ? "O" : p === 2 && d === "2024-09-11" ? "I" : null)));
    expect(first).toMatchObject({ route: "sql", summary: { inserted: 60 } });
    // Monday 9th starts pupil 1's spell: nothing before it.
    expect(await spellOn(1, "2024-09-09")).toEqual({ spell_starts: 1, lead_continued: false });
    let { kept, rebuilt } = await keptAndRebuilt(db);
    expect(kept).toEqual(rebuilt);

    // 2. The week before, later: pupil 1 absent (O) on Friday 6th's afternoon, so Monday 9th
    // (not in this file) continues that spell rather than starting one.
    const second = await run(marks([1, 2], "2024-09-02", "2024-09-06", (p, d, s) => (p === 1 && d === "2024-09-06" && s === "PM" ? "O" : null)));
    expect(second.summary).toMatchObject({ inserted: 20, amended: 0 });
    expect(await spellOn(1, "2024-09-09")).toEqual({ spell_starts: 0, lead_continued: true });
    ({ kept, rebuilt } = await keptAndRebuilt(db));
    expect(kept).toEqual(rebuilt);

    // 3. Overlapping: pupils 2 and 3 for 11–13 September, pupil 2's illness now unauthorised
    // (O) and pupil 3 late (L) on Thursday 12th's morning; pupil 4's first marks.
    const third = await run(marks([2, 3, 4], "2024-09-11", "2024-09-13", (p, d, s) => (p === 2 && d === "2024-09-11" ? "O" : p === 3 && d === "2024-09-12" && s === "AM" ? "L" : null)));
    expect(third.summary).toMatchObject({ inserted: 6, amended: 3 });
    ({ kept, rebuilt } = await keptAndRebuilt(db));
    expect(kept).toEqual(rebuilt);

    // 4. Mornings only, for days whose afternoons are stored: pupil 3 ill (I) on 17–18 September.
    const fourth = await run(weekdays("2024-09-17", "2024-09-18").map((d): [number, string, "AM", string] => [3, d, "AM", "I"]));
    expect(fourth.summary).toMatchObject({ inserted: 0, amended: 2 });
    ({ kept, rebuilt } = await keptAndRebuilt(db));
    expect(kept).toEqual(rebuilt);

    // 5. After a gap: pupil 2's Friday 20th becomes O in the morning and X (not counted) in the
    // afternoon, pupil 3's becomes X all day; then the week of 30 September, everyone absent
    // (O) on Monday 30th's morning. Pupil 2's spell continues from the 20th's morning (its
    // last counted session); pupil 3's last counted session (19th, afternoon) was present.
    const fifth = await run([[2, "2024-09-20", "AM", "O"], [2, "2024-09-20", "PM", "X"], [3, "2024-09-20", "AM", "X"], [3, "2024-09-20", "PM", "X"]]);
    expect(fifth.summary).toMatchObject({ amended: 4 });
    const sixth = await run(marks([1, 2, 3, 4], "2024-09-30", "2024-10-04", (_p, d, s) => (d === "2024-09-30" && s === "AM" ? "O" : null)));
    expect(sixth.summary).toMatchObject({ inserted: 40 });
    expect(await spellOn(2, "2024-09-30")).toEqual({ spell_starts: 0, lead_continued: true });
    expect(await spellOn(3, "2024-09-30")).toEqual({ spell_starts: 1, lead_continued: false });
    ({ kept, rebuilt } = await keptAndRebuilt(db));
    expect(kept).toEqual(rebuilt);

    // 6. An amendment read by Rollcall's reader (a quoted field is not a plain file): pupil 1's
    // Friday 6th afternoon present after all, so Monday 9th starts the spell again.
    const seventh = await run([[1, "2024-09-06", "PM", "\\"]], true);
    expect(seventh).toMatchObject({ route: "rows", summary: { amended: 1 } });
    expect(await spellOn(1, "2024-09-09")).toEqual({ spell_starts: 1, lead_continued: false });
    ({ kept, rebuilt } = await keptAndRebuilt(db));
    expect(kept).toEqual(rebuilt);
  });

  it("a day whose morning is not counted takes the spell from the day before into its afternoon", async () => {
    // Pupil 4 absent (O) on Monday 7 October's afternoon, then on Tuesday 8th X (not counted) in
    // the morning and O in the afternoon: Tuesday's afternoon continues Monday's spell, as its
    // morning is no session at all (the day's morning state is none, not "present").
    const rows = await run(marks([4], "2024-10-07", "2024-10-11", (_p, d, s) => (s === "PM" && (d === "2024-10-07" || d === "2024-10-08") ? "O" : d === "2024-10-08" ? "X" : null)));
    expect(rows.summary).toMatchObject({ inserted: 10 });
    expect(await spellOn(4, "2024-10-07")).toEqual({ spell_starts: 1, lead_continued: false });
    expect(await spellOn(4, "2024-10-08")).toEqual({ spell_starts: 0, lead_continued: true });
    const { kept, rebuilt } = await keptAndRebuilt(db);
    expect(kept).toEqual(rebuilt);
  });

  it("a pupil's first absence starts a spell though the pupil before, by id, ended the same days absent", async () => {
    // The refresh reads the touched pupils' days in one order, pupil then date
    // (store.ts recomputeTouched): the last counted session before a pupil's first day is
    // the previous pupil's, which must not carry into this one. Two pupils with consecutive
    // ids, each last present before 4 November (earlier files): the first absent (O) on
    // Friday 8 November's afternoon, the second on Monday 4 November's morning.
    const ids = await withConnection(db, (conn) => queryRows<{ upn: string }>(conn, "SELECT upn FROM pupil_ids ORDER BY pupil_id"));
    const [before, after] = [1, 2, 3, 4].filter((p) => ids.some((r) => r.upn === upn(p))).sort((a, b) => ids.findIndex((r) => r.upn === upn(a)) - ids.findIndex((r) => r.upn === upn(b)));
    const rows = await run(marks([1, 2, 3, 4], "2024-11-04", "2024-11-08", (p, d, s) => ((p === before && d === "2024-11-08" && s === "PM") || (p === after && d === "2024-11-04" && s === "AM") ? "O" : null)));
    expect(rows).toMatchObject({ route: "sql", summary: { inserted: 40 } });
    expect(await spellOn(before, "2024-11-08")).toEqual({ spell_starts: 1, lead_continued: false });
    expect(await spellOn(after, "2024-11-04")).toEqual({ spell_starts: 1, lead_continued: false });
    const { kept, rebuilt } = await keptAndRebuilt(db);
    expect(kept).toEqual(rebuilt);
  });
});
