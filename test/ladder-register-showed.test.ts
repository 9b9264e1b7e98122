/**
 * A step is due from the day the register first showed its rule met (register-showed.ts): a
 * week's import that amends marks from weeks before makes a pupil cross a line on a day long
 * gone, and the step is due, not late, on the import's day, late only after the grace.
 *
 * Calendar AUTUMN_2025_TERM: school day n is Mon 1 Sep = 1, Fri 26 Sep = 20, Mon 6 Oct = 26,
 * Fri 10 Oct = 30, half term 20–24 Oct, Mon 24 Nov = 56, Fri 28 Nov = 60. The register is seeded
 * to Fri 21 Nov (import 0); the week of 24–28 Nov is imported by importMarks, made (the
 * fixture says) on Fri 28 Nov at 16:00, with amended marks of 6–10 Oct among it. Ludlow's ladder
 * without its formal meeting; grace 5 school days; penalty threshold 10 sessions of G, N, O, U
 * in the latest 10 school weeks (to 28 Nov: from Mon 15 Sep).
 *
 * - A: present throughout; the import amends 6–10 Oct to O (ten sessions). Year to date after
 *   day n ≥ 30: (2n − 10) / 2n. Day 26: 50/52 = 96.2 %; day 27 (Tue 7 Oct): 50/54 = 92.6 %,
 *   below 96 % from then on (n < 125). The tenth O is Fri 10 Oct: the threshold met then. Before
 *   the import the register showed neither: both are due from Fri 28 Nov, due by Fri 5 Dec.
 * - B: ill (I) on 1–2 Sep, then as A. Before the import: (2n − 4) / 2n, 90 % on day 20 (first
 *   judged, below 96 %), not below 90 % after day 20, back to 96 % only on day 50: the 96 %
 *   letter was due from Fri 26 Sep (by 3 Oct) and the school could see it, so it stays late. The
 *   import puts B below 90 % from Mon 6 Oct ((52 − 6) / 52 = 88.5 %), seen only on 28 Nov.
 * - C: present to 21 Nov; the week's import brings O on Mon 24 – Wed 26 Nov (new marks, not
 *   amendments): day 58, 110/116 = 94.8 %, below 96 % from Wed 26 Nov, due by Wed 3 Dec —
 *   the normal weekly case, dated from the crossing as before.
 * - D: N on 6–10 Oct in the seeded register, resolved to O by the import: no figure moves
 *   (both unauthorised absence), so the letter stays due from Tue 7 Oct (late) and the
 *   threshold from Fri 10 Oct.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inTransaction, withConnection } from "../analytics/db.ts";
import { ladderFor, type LadderPolicy } from "../analytics/interventions/ladder.ts";
import { LUDLOW_LADDER } from "../analytics/casework/policy.ts";
import { importMarks } from "../analytics/import/index.ts";
import { shownLateWords } from "../analytics/due-words.ts";
import { firstShown } from "../analytics/interventions/register-showed.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";
import { absentDays, AUTUMN_2025_TERM, registerOf, seedSchoolDays } from "./helpers/calendar.ts";
import { seedRegister } from "./helpers/register.ts";
import { dateImportMade, standingsAlike, stepsOnly } from "./helpers/ladder.ts";
import { BY, marksCsv, upn } from "./fixtures/import/helpers.ts";

const db = tempDbPath("ladder-register-showed");
const policy: LadderPolicy = { ladder: stepsOnly(LUDLOW_LADDER), penalty_sessions: 10, penalty_window_school_weeks: 10 };
const [A, B, C, D] = [1, 2, 3, 4].map(upn);
const amendedWeek = ["2025-10-06", "2025-10-07", "2025-10-08", "2025-10-09", "2025-10-10"];

beforeAll(async () => {
  await withConnection(db, async (c) => {
    const days = await seedSchoolDays(c, [...AUTUMN_2025_TERM]);
    const seeded = days.filter((d) => d <= "2025-11-21");
    await seedRegister(c, {
      pupils: [A, B, C, D].map((u) => ({ upn: u, admission_date: "2025-09-01" })),
      marks: [
        ...registerOf(A, seeded),
        ...registerOf(B, seeded, absentDays(["2025-09-01", "2025-09-02"])),
        ...registerOf(C, seeded),
        ...registerOf(D, seeded, absentDays(amendedWeek, "N")),
      ],
    });
    const week = days.filter((d) => d >= "2025-11-24" && d <= "2025-11-28");
    const rows = [
      ...[A, B, D].flatMap((u) => amendedWeek.flatMap((d) => [[u, d, "AM", "O"], [u, d, "PM", "O"]])),
      ...[A, B, C, D].flatMap((u) =>
        registerOf(u, week, u === C ? absentDays(["2025-11-24", "2025-11-25", "2025-11-26"], "O") : {}).map(([p, d, s, code]) => [p, d, s, code]),
      ),
    ];
    const summary = await inTransaction(c, () => importMarks(c, { file: "week-48.csv", text: marksCsv(rows), by: BY }));
    expect(summary.amended).toBe(30);
    // The import as made on Fri 28 Nov (the clock says today): its amendments and its record.
    await dateImportMade(c, summary.importId!, "2025-11-28");
  });
});
afterAll(() => removeDb(db));

const standings = (asOf: string) => standingsAlike(db, asOf, policy, [A, B, C, D]);

const line = (met_on: string) => ({ met_on, rule: "line" });
const threshold = (met_on: string) => ({ met_on, rule: "threshold" });

describe("a step due from the day the register first showed it", () => {
  it("on the import's day: A's letter and penalty notice due from Fri 28 Nov, by Fri 5 Dec, not late", async () => {
    const s = await standings("2025-11-28");
    expect(s.get(A)).toEqual({
      due: [["letter_below_96", "2025-11-28", "2025-12-05", false, line("2025-10-07")]],
      action: ["penalty_notice_requested", "2025-11-28", "2025-12-05", false, threshold("2025-10-10")],
    });
  });

  it("after the grace: late from Mon 8 Dec, still dated from the import's day", async () => {
    expect((await standings("2025-12-05")).get(A)?.due[0]).toEqual(["letter_below_96", "2025-11-28", "2025-12-05", false, line("2025-10-07")]);
    const s = await standings("2025-12-08");
    expect(s.get(A)).toEqual({
      due: [["letter_below_96", "2025-11-28", "2025-12-05", true, line("2025-10-07")]],
      action: ["penalty_notice_requested", "2025-11-28", "2025-12-05", true, threshold("2025-10-10")],
    });
  });

  it("a crossing the register already showed stays late; the one the amendment made is due from the import", async () => {
    const s = await standings("2025-11-28");
    // The late one first (mostUrgentFirst).
    expect(s.get(B)?.due).toEqual([
      ["letter_below_96", "2025-09-26", "2025-10-03", true, null],
      ["letter_below_90", "2025-11-28", "2025-12-05", false, line("2025-10-06")],
    ]);
  });

  it("the normal weekly case: C's crossing in the week imported is due from its own day", async () => {
    const s = await standings("2025-11-28");
    expect(s.get(C)).toEqual({ due: [["letter_below_96", "2025-11-26", "2025-12-03", false, null]], action: null });
  });

  it("an amendment that moves no figure (N resolved to O) leaves D's steps dated from the crossing", async () => {
    const s = await standings("2025-11-28");
    expect(s.get(D)).toEqual({
      due: [["letter_below_96", "2025-10-07", "2025-10-14", true, null]],
      action: ["penalty_notice_requested", "2025-10-10", "2025-10-17", true, null],
    });
  });

  it("as of a day before the import was made: shown only after it, so not yet due (and not late) then", async () => {
    // It read due from 7 Oct and late: the amendment of 28 Nov as if the register had always held
    // it (test/ladder-register-showed-past.test.ts is the trial's story of such a view).
    const s = await standings("2025-11-27");
    expect(s.get(A)).toEqual({
      due: [["letter_below_96", "2025-11-28", "2025-12-05", false, line("2025-10-07"), "not yet due"]],
      action: ["penalty_notice_requested", "2025-11-28", "2025-12-05", false, threshold("2025-10-10"), "not yet due"],
    });
  });

  it("says why in one sentence", async () => {
    const [standing] = await withConnection(db, (c) => ladderFor(c, "2025-11-28", policy, { upn: A }));
    const fmt = (iso: string) => new Date(`${iso}T12:00:00Z`).toLocaleDateString("en-GB", { day: "numeric", month: "short", timeZone: "UTC" });
    expect(shownLateWords(standing.due[0], fmt)).toBe("Due from 28 Nov, when the register first showed it; the line was crossed on 7 Oct.");
    expect(shownLateWords(standing.action_due, fmt)).toBe("Due from 28 Nov, when the register first showed it; the penalty-notice threshold was met on 10 Oct.");
  });
});

describe("firstShown", () => {
  const change = (date: string, made: string, unauthorised: number) => ({ date, made, possible: 0, attended: 0, unauthorised });
  // A running count per day; the rule: at least 2.
  const run = [{ date: "2025-10-06", n: 2 }, { date: "2025-10-07", n: 3 }, { date: "2025-10-08", n: 4 }];
  const holds = (d: { n: number }, undone: readonly { unauthorised: number }[]) => d.n - undone.reduce((s, c) => s + c.unauthorised, 0) >= 2;

  it("the rule's own day without a later change", () => {
    expect(firstShown(run, [], holds)).toBe("2025-10-06");
  });

  it("the day of the change that made it, or an earlier day of the run another day showed it", () => {
    // Both sessions of 6 Oct recorded on 20 Nov: 6 Oct shown then; 7 Oct (3 − 2 = 1) too; 8 Oct (4 − 2 = 2) on its own day.
    expect(firstShown(run, [change("2025-10-06", "2025-11-20", 2)], holds)).toBe("2025-10-08");
    // And one each of 7 and 8 Oct recorded on 1 Dec: as the register stood on 20 Nov its latest day, 8 Oct, had 4 − 2 = 2.
    expect(firstShown(run, [change("2025-10-06", "2025-11-20", 1), change("2025-10-08", "2025-12-01", 1), change("2025-10-07", "2025-12-01", 1)], holds)).toBe("2025-11-20");
  });
});
