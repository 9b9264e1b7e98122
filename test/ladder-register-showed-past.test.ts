/**
 * A view of a past date knows the amendments made since (register-showed.ts): a step the
 * register first showed after the as-of date was, as of that date, neither due nor late. The
 * trial's story: the SLT makes November's pack on Mon 7 Dec; the weekly import of 7 Dec amends
 * October (late-recorded O), so Jude crossed the 96 % line on 14 Oct, but the register first
 * showed it on 7 Dec. November's pack and /casework?asOf=2026-11-30 listed the 96 % letter as
 * Late (the amendment read as if the register had always held it); nobody could have acted on it
 * in November.
 *
 * Calendar: Autumn 1 Tue 1 Sep – Fri 23 Oct 2026, half term 26–30 Oct, Autumn 2 Mon 2 Nov – Fri
 * 18 Dec; school day n: Fri 2 Oct = 24, Tue 13 Oct = 31, Wed 14 Oct = 32, Mon 30 Nov = 60, Fri
 * 4 Dec = 64. The register is seeded, every pupil present, to Fri 27 Nov. Ludlow's ladder (96 %
 * letter strictly below 96 %; grace 5 school days; penalty threshold 10 sessions of G, N, O, U in
 * 10 school weeks: not met by anyone here).
 *
 * - J (Jude): the import made Mon 7 Dec (the week of 30 Nov – 4 Dec, new marks, and J's 13–16 Oct
 *   amended to O, 8 sessions): 60/62 = 96.8 % on Tue 13 Oct, 60/64 = 93.75 % on Wed 14 Oct, below
 *   96 % from then on (8/2n > 0.04 to day 99; 112/120 = 93.3 % on 30 Nov), never below 90 %. As
 *   the register stood on 30 Nov, present throughout. As of 30 Nov the letter is not yet due,
 *   dated from 7 Dec (by Mon 14 Dec: 8, 9, 10, 11, 14 Dec), not late (it read due from 14 Oct, by
 *   21 Oct, late); as of 7 Dec due from 7 Dec, not late; as of Mon 21 Dec late.
 * - K: the same amendment of 13–16 Oct, made Mon 2 Nov: shown then, due by Mon 9 Nov, late as of
 *   30 Nov (the lead could have acted on it in November).
 * - L: present throughout.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withConnection } from "../analytics/db.ts";
import { mostUrgentFirst, type LadderPolicy } from "../analytics/interventions/ladder.ts";
import { LUDLOW_LADDER } from "../analytics/casework/policy.ts";
import { caseworkLists } from "../analytics/casework/lists.ts";
import { ladderPolicyOf } from "../analytics/interventions/policy.ts";
import { getSettings } from "../analytics/settings.ts";
import { buildSltPack } from "../analytics/packs/index.ts";
import { caseworkCsv } from "../app/lib/casework-csv.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";
import { registerOf, seedSchoolDays, weekdays } from "./helpers/calendar.ts";
import { seedRegister } from "./helpers/register.ts";
import { bothSessions, importMade, standingsAlike } from "./helpers/ladder.ts";
import { upn } from "./fixtures/import/helpers.ts";

const db = tempDbPath("ladder-register-showed-past");
const policy: LadderPolicy = { ladder: LUDLOW_LADDER, penalty_sessions: 10, penalty_window_school_weeks: 10 };
const [J, K, L] = [1, 2, 3].map(upn);
const amendedOctober = weekdays("2026-10-13", "2026-10-16");

beforeAll(async () => {
  await withConnection(db, async (c) => {
    const days = await seedSchoolDays(c, [
      { from: "2026-09-01", to: "2026-10-23", half: "autumn-1-2026", term: "autumn-2026" },
      { from: "2026-11-02", to: "2026-12-18", half: "autumn-2-2026", term: "autumn-2026" },
    ]);
    const seeded = days.filter((d) => d <= "2026-11-27");
    await seedRegister(c, { pupils: [J, K, L].map((u) => ({ upn: u, admission_date: "2026-09-01" })), marks: [J, K, L].flatMap((u) => registerOf(u, seeded)) });
    await importMade(c, "2026-11-02", bothSessions(K, amendedOctober, "O"), 8);
    const week = days.filter((d) => d >= "2026-11-30" && d <= "2026-12-04");
    await importMade(c, "2026-12-07", [...bothSessions(J, amendedOctober, "O"), ...[J, K, L].flatMap((u) => registerOf(u, week).map(([p, d, s, code]) => [p, d, s, code]))], 8);
  });
});
afterAll(() => removeDb(db));

const standings = (asOf: string) => standingsAlike(db, asOf, policy, [J, K, L]);
const line = (met_on: string) => ({ met_on, rule: "line" });

describe("a past view knows the amendments made since", () => {
  it("as of 30 Nov: Jude's letter, shown only on 7 Dec, is not yet due and not late; K's, shown on 2 Nov, is late", async () => {
    const s = await standings("2026-11-30");
    expect(s.get(J)).toEqual({ due: [["letter_below_96", "2026-12-07", "2026-12-14", false, line("2026-10-14"), "not yet due"]], action: null });
    expect(s.get(K)).toEqual({ due: [["letter_below_96", "2026-11-02", "2026-11-09", true, line("2026-10-14")]], action: null });
    expect(s.get(L)).toEqual({ due: [], action: null });
  });

  it("as of 7 Dec, the day shown: due from 7 Dec, by 14 Dec, not late", async () => {
    const s = await standings("2026-12-07");
    expect(s.get(J)).toEqual({ due: [["letter_below_96", "2026-12-07", "2026-12-14", false, line("2026-10-14")]], action: null });
  });

  it("as of 21 Dec, after the grace: late, still dated from 7 Dec", async () => {
    const s = await standings("2026-12-21");
    expect(s.get(J)).toEqual({ due: [["letter_below_96", "2026-12-07", "2026-12-14", true, line("2026-10-14")]], action: null });
  });

  it("the Casework lists as of 30 Nov and their CSV say not yet due, and why", async () => {
    const lists = await withConnection(db, async (c) => {
      const settings = await getSettings(c);
      return caseworkLists(c, { asOf: "2026-11-30", policy: settings.policy, ladder: ladderPolicyOf(settings), pageSize: null });
    });
    const rows = lists.flatMap((list) => list.pupils.filter((p) => p.upn === J));
    expect(rows.length).toBeGreaterThan(0);
    for (const p of rows) {
      expect(p.ladder).toMatchObject({ status: "not yet due", due_by: "2026-12-14", due_from: "2026-12-07", shown_late: { met_on: "2026-10-14", rule: "line" } });
    }
    const { csv } = caseworkCsv(lists.filter((l) => l.pupils.some((p) => p.upn === J)).slice(0, 1));
    const [header, ...lines] = csv.trim().split(/\r?\n/);
    expect(header).toContain(",Status,");
    expect(header).toContain(",List's action due,Why due from later,Register");
    // The status, and the sentence (quoted: it holds a comma) before the register's column.
    const row = lines.find((l) => l.includes(J))!;
    expect(row).toContain(",not yet due,");
    expect(row).toContain(`,"Due from 2026-12-07, when the register first showed it; the line was crossed on 2026-10-14.",`);
  });

  it("November's SLT pack, made on 7 Dec, lists Jude's letter as not yet due with the day shown; K's as late", async () => {
    const pack = await withConnection(db, (c) => buildSltPack(c, { month: "2026-11", today: "2026-12-07", toDateTabs: false }));
    const statusOf = (u: string): string => {
      const section = pack.sections.find((s) => s.id === "thresholds")!;
      for (const block of section.blocks) {
        if (block.kind !== "table") continue;
        const status = block.table.columns.findIndex((col) => col.label === "Status");
        const row = block.table.rows.find((r) => r[0].kind === "text" && r[0].text === `Surname ${u}, Forename ${u}`);
        if (row && status >= 0) return (row[status] as { text: string }).text;
      }
      throw new Error(`${u} is not in the ladder table`);
    };
    expect(statusOf(J)).toBe("Not yet due. Due from 7 Dec 2026, when the register first showed it; the line was crossed on 14 Oct 2026.");
    expect(statusOf(K)).toBe("Late");
  });
});

describe("mostUrgentFirst", () => {
  it("puts a step not yet due as of the date after one due then, before one due only if there is no improvement", () => {
    const notYet = { late: false, not_yet_due: true, due_by: "2026-12-14" };
    const due = { late: false, due_by: "2026-12-04" };
    const pending = { late: false, conditional: true, due_by: "2026-12-11" };
    const late = { late: true, due_by: "2026-11-09" };
    // Given furthest first (the ladder's order): the one not yet due first of all.
    expect(mostUrgentFirst([notYet, pending, due, late])).toEqual([late, due, notYet, pending]);
  });
});
