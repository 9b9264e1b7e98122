/**
 * Issue 13 (fresh-clone trial 17b, 6): the whole school's absence by reason, as governors read
 * it (Codes page, FGB pack), had no small-count rule — "Holiday not agreed: 18 sessions" over
 * a half term was 2 pupils. Now a reason had by 1 to 4 pupils is withheld, and so is any
 * other from which it could be worked out (its category's total, which governors read on the
 * Overview, less the other reasons; or the term less the other half term), by the planner
 * (analytics/governor-reasons.ts). Figures worked out by hand below.
 *
 * Register (autumn 2024: Autumn 1 from Monday 2 September, Autumn 2 from Monday 7 October, 20
 * school days each; today 4 November 2024, both ended): 20 pupils P00–P19 in class 3A.
 * Autumn 1:
 *   Illness (I)              P00–P05, one day each (2 sessions): 6 pupils, 12 sessions
 *   Medical (M)              P06–P10, one morning each:          5 pupils,  5 sessions
 *   Holiday not agreed (G)   P11, P12, four days each:           2 pupils, 16 sessions  ← 1–4 pupils
 *   Other unauthorised (O)   P13–P17, one morning each:          5 pupils,  5 sessions
 *   → authorised 17, unauthorised 21.
 * Autumn 2:
 *   Illness                  P00–P09, one day each:             10 pupils, 20 sessions
 *   Medical                  P10, one morning:                   1 pupil,   1 session   ← 1–4 pupils
 *   Holiday not agreed       P11–P15, one day each:              5 pupils, 10 sessions
 *   Other unauthorised       P13–P17, one morning each:          5 pupils,  5 sessions
 *   Arrived after registers closed (U)  P19, one morning:       1 pupil,   1 session   ← 1–4 pupils
 *   → authorised 21, unauthorised 16.
 * Autumn term: Illness 32 (10 pupils), Medical 6 (5), Holiday not agreed 26 (5: P11–P15), Other
 * 10 (5), Arrived after registers closed 1 (1 pupil ← 1–4); authorised 38, unauthorised 37.
 *
 * By hand: Autumn 1's Holiday not agreed (2 pupils) is withheld, so its Other unauthorised
 * must be too (21 − 5 = 16 otherwise). Autumn 2's Medical (1 pupil) is withheld, so its
 * Illness must be too (21 − 20 = 1). The term's Holiday not agreed (26) less Autumn 2's (10)
 * would be Autumn 1's 16, and the term's Illness (32) less Autumn 1's (12) Autumn 2's 20: so
 * every reason of both half terms goes (two to a category in each). The term's "Arrived after
 * registers closed" (1 pupil) is withheld, and with it the term's Other unauthorised (10, the
 * smallest other), else 37 − 26 − 10 = 1. A figure withheld only to protect others that can be
 * worked out all the same is printed (it hides nothing). Before the change every figure was
 * printed (the trial's fault).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { enableResultCache, withConnection, withSharedReads } from "../analytics/db.ts";
import { governorReasons } from "../analytics/governor-reasons.ts";
import { inferBounds, type SumRule } from "../analytics/suppression.ts";
import { buildFgbPack } from "../analytics/packs/fgb.ts";
import { loader as codesLoader } from "../app/routes/codes.tsx";
import { codesFootnote } from "../app/lib/codes-footnote.ts";
import { createTestAccounts, type TestAccount } from "./helpers/auth.ts";
import { daysOfHalf, marksOf, restoreTodayAfterAll, seedCalendar, type Half } from "./helpers/break-register.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";
import { countStatements } from "./helpers/statement-count.ts";
import { loaderData } from "./helpers/loader.ts";
import { seedRegister, type TestMark, type TestPupil } from "./helpers/register.ts";

restoreTodayAfterAll();

const A1: Half = { key: "autumn-1-2024", term: "autumn-2024", year: "2024/25", monday: "2024-09-02" };
const A2: Half = { key: "autumn-2-2024", term: "autumn-2024", year: "2024/25", monday: "2024-10-07" };
const upn = (i: number) => `P${String(i).padStart(2, "0")}`;
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, k) => upn(from + k));

/** The register above: whole days of absence as `days`, single mornings as `mornings`. */
function registerMarks(): TestMark[] {
  const d1 = daysOfHalf(A1);
  const d2 = daysOfHalf(A2);
  const days: Record<string, Record<string, string>> = {};
  const mornings: Array<[string, string, string]> = [];
  const day = (who: string[], date: string, code: string) => who.forEach((p) => ((days[p] ??= {})[date] = code));
  day(range(0, 5), d1[0], "I");
  for (const p of range(6, 10)) mornings.push([p, d1[1], "M"]);
  for (let k = 0; k < 4; k++) day([upn(11), upn(12)], d1[5 + k], "G");
  for (const p of range(13, 17)) mornings.push([p, d1[2], "O"]);
  day(range(0, 9), d2[0], "I");
  mornings.push([upn(10), d2[1], "M"]);
  day(range(11, 15), d2[5], "G");
  for (const p of range(13, 17)) mornings.push([p, d2[2], "O"]);
  mornings.push([upn(19), d2[3], "U"]);
  const marks = marksOf(range(0, 19), [...d1, ...d2], days);
  for (const [p, date, code] of mornings) {
    const mark = marks.find((m) => m[0] === p && m[1] === date && m[2] === "AM")!;
    mark[3] = code;
  }
  return marks;
}

describe("governors' absence by reason: 1 to 4 pupils' reasons withheld, and none worked out by subtraction", () => {
  const db = tempDbPath("governor-reasons");
  let governor: TestAccount;
  let head: TestAccount;
  beforeAll(async () => {
    const pupils: TestPupil[] = range(0, 19).map((p) => ({ upn: p, spells: [{ from: "2024-09-01", year_group: "3", reg_group: "3A" }] }));
    await withConnection(db, async (c) => {
      await seedCalendar(c, [A1, A2]);
      await seedRegister(c, { pupils, marks: registerMarks() });
    });
    ({ governor, head } = await createTestAccounts(db));
    process.env.ROLLCALL_TODAY = "2024-11-04";
  });
  afterAll(() => removeDb(db));

  const spans = { a1: { from: "2024-09-02", to: "2024-09-27" }, a2: { from: "2024-10-07", to: "2024-11-01" }, term: { from: "2024-09-02", to: "2024-11-01" } };
  const shown = (rows: Array<{ label: string; sessions: number | null }>) => Object.fromEntries(rows.map((r) => [r.label, r.sessions]));

  it("withholds the reasons of 1 to 4 pupils and those that would give them away, in each period", async () => {
    process.env.ROLLCALL_TODAY = "2024-11-04";
    const read = (span: { from: string; to: string }) => withConnection(db, async (c) => shown((await governorReasons(c, span, 5)).get("")!));
    const a1 = await read(spans.a1);
    const a2 = await read(spans.a2);
    const term = await read(spans.term);
    // The small ones (primary).
    expect(a1["Holiday not agreed"]).toBeNull();
    expect(a2["Medical or dental appointments"]).toBeNull();
    // Their category's other reason in the same half term (the totals are every governor's).
    expect(a1["Other unauthorised absence"]).toBeNull();
    expect(a2["Illness"]).toBeNull();
    // Staff (no minimum): every reason, as counted by hand.
    const staff = await withConnection(db, async (c) => shown((await governorReasons(c, spans.term, null)).get("")!));
    expect(staff).toEqual({ Illness: 32, "Medical or dental appointments": 6, "Holiday not agreed": 26, "Other unauthorised absence": 10, "Arrived after registers closed": 1 });

    // Play the reader: every printed figure of the three periods, the category totals each
    // period prints elsewhere (hand-counted above), and the sums between them. No withheld
    // reason may be worked out.
    const totals = { a1: { authorised: 17, unauthorised: 21 }, a2: { authorised: 21, unauthorised: 16 }, term: { authorised: 38, unauthorised: 37 } };
    const reasons: Record<string, "authorised" | "unauthorised"> = {
      Illness: "authorised",
      "Medical or dental appointments": "authorised",
      "Holiday not agreed": "unauthorised",
      "Other unauthorised absence": "unauthorised",
      "Arrived after registers closed": "unauthorised",
    };
    const periods = { a1, a2, term };
    const known = new Map<string, number>();
    const withheld = new Map<string, { lo: number; hi: number }>();
    const sums: SumRule[] = [];
    for (const [p, figures] of Object.entries(periods)) {
      for (const category of ["authorised", "unauthorised"] as const) {
        known.set(`${p}|${category}`, totals[p as keyof typeof totals][category]);
        sums.push({ total: `${p}|${category}`, parts: Object.keys(reasons).filter((r) => reasons[r] === category).map((r) => `${p}|${r}`) });
      }
      for (const r of Object.keys(reasons)) {
        const value = figures[r];
        if (value === null) withheld.set(`${p}|${r}`, { lo: 0, hi: Number.POSITIVE_INFINITY });
        else known.set(`${p}|${r}`, value ?? 0);
      }
    }
    for (const r of Object.keys(reasons)) sums.push({ total: `term|${r}`, parts: [`a1|${r}`, `a2|${r}`] });
    for (const [id, b] of inferBounds(known, withheld, sums)) expect(b.lo, id).toBeLessThan(b.hi);
    // What is printed is the register's, by hand.
    expect(term).toEqual({ Illness: 32, "Medical or dental appointments": 6, "Holiday not agreed": 26, "Other unauthorised absence": null, "Arrived after registers closed": null });
    expect(Object.values(a1).every((v) => v === null) && Object.values(a2).every((v) => v === null)).toBe(true);
  });

  it("reads the marks once for the term and a year to date from 1 August (no school day before 2 September)", async () => {
    process.env.ROLLCALL_TODAY = "2024-11-04";
    const yearToDate = { from: "2024-08-01", to: spans.term.to };
    // Every statement run (the routes imported here turn the server's result cache on: app/lib/db.server.ts).
    enableResultCache(false);
    await withConnection(db, async (c) => {
      const alone = await governorReasons(c, yearToDate, 5);
      const { value, statements } = await countStatements(c, (sql) => sql.includes("sd.half_term AS half"), () =>
        withSharedReads(c, async () => [await governorReasons(c, spans.term, 5), await governorReasons(c, yearToDate, 5)]),
      );
      expect(statements).toBe(1);
      expect(value[1]).toEqual(alone);
      // Planned as a span of its own (not whole half terms): the term's reasons, 1 pupil's "Arrived after registers closed" withheld.
      expect(shown(value[1].get("")!)).toMatchObject({ Illness: 32, "Holiday not agreed": 26, "Arrived after registers closed": null });
    }).finally(() => enableResultCache());
  });

  it("prints them withheld on the governor's Codes page, and says which and why", async () => {
    process.env.ROLLCALL_TODAY = "2024-11-04";
    type Codes = { codes: Array<{ meaning: string; sessions: number | null; withheld: string | null; share_of_absence_pct: number | null }>; reasonsWithheld: string[] };
    const page = await loaderData<Codes>(codesLoader, db, governor.cookie, "/codes?period=term&term=autumn-2024&by=half_term");
    const late = page.codes.find((c) => c.meaning === "Arrived after registers closed")!;
    expect(late.sessions).toBeNull();
    expect(late.withheld).toBe("withheld");
    expect(late.share_of_absence_pct).toBeNull();
    // Illness: 32 of the term's 75 absence sessions (38 authorised + 37 unauthorised).
    const illness = page.codes.find((c) => c.meaning === "Illness")!;
    expect(illness.sessions).toBe(32);
    expect(illness.share_of_absence_pct).toBeCloseTo((100 * 32) / 75, 6);
    expect(page.reasonsWithheld.sort()).toEqual(["Arrived after registers closed", "Other unauthorised absence"]);
    // Withheld reasons come after those shown: their place would rank their sessions.
    expect(page.codes.map((c) => c.sessions === null)).toEqual([false, false, false, true, true]);
    // Half term by half term (the same plan): no reason of either half term is printed.
    type OverTime = { absenceOverTime: Array<{ group: string; meaning: string; sessions: number | null }> };
    const overTime = (page as unknown as OverTime).absenceOverTime;
    expect(overTime.length).toBeGreaterThan(0);
    expect(overTime.every((row) => row.sessions === null)).toBe(true);
    // The footnote says which are withheld, and why.
    const footnote = codesFootnote(page as unknown as Parameters<typeof codesFootnote>[0]);
    expect(footnote).toContain("Withheld in this period: Arrived after registers closed; Other unauthorised absence");
    expect(footnote).toContain("1 to 4 pupils");
    // Staff read every code: G, 16 + 10 sessions.
    const staff = await loaderData<Codes>(codesLoader, db, head.cookie, "/codes?period=custom&from=2024-09-02&to=2024-11-01");
    expect(staff.codes.find((c) => (c as unknown as { code: string }).code === "G")?.sessions).toBe(26);
  });

  it("prints them withheld in the FGB pack's absence by reason", async () => {
    process.env.ROLLCALL_TODAY = "2024-11-04";
    const pack = await withConnection(db, (c) => buildFgbPack(c, { term: "autumn-2024", today: "2024-11-04" }));
    const table = pack.sections.flatMap((s) => s.blocks).flatMap((b) => (b.kind === "table" ? [b.table] : [])).find((t) => t.caption === "Absence by reason")!;
    const row = (label: string) => table.rows.find((r) => (r[0] as { text?: string }).text === label)!;
    // The term's column, as the Codes page gives the term (one plan).
    const term = await withConnection(db, async (c) => (await governorReasons(c, spans.term, 5)).get("")!);
    for (const r of term) {
      const cell = row(r.label)[2] as { kind: string; value?: number };
      if (r.sessions === null) expect(cell.kind, r.label).toBe("suppressed");
      else expect(cell.value, r.label).toBe(r.sessions);
    }
    expect(term.filter((r) => r.sessions === null).map((r) => r.label).sort()).toEqual(["Arrived after registers closed", "Other unauthorised absence"]);
  });

  // Issue 13 (trial 17b, 4): on a class's page a governor reads absence by category only, and the
  // footnote said reasons were "shown by reason … combined" — reasons that were not there.
  it("says, for a class, that its absence is by category and not by reason", async () => {
    process.env.ROLLCALL_TODAY = "2024-11-04";
    type Codes = { codes: Array<{ meaning: string; sessions: number | null }>; reasonsGiven: boolean };
    const page = await loaderData<Codes>(codesLoader, db, governor.cookie, "/codes?period=term&term=autumn-2024&reg_group=3A&by=half_term");
    expect(page.reasonsGiven).toBe(false);
    expect(page.codes.map((c) => c.meaning).sort()).toEqual(["Authorised absence (reasons not given for a group)", "Unauthorised absence (reasons not given for a group)"]);
    const footnote = codesFootnote(page as unknown as Parameters<typeof codesFootnote>[0]);
    expect(footnote).toContain("shown by category (authorised and unauthorised), not by reason");
    expect(footnote).not.toMatch(/shown by reason|combined|code on the date/);
  });
});
