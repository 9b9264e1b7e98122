/**
 * Earlier warning on hand-built registers: 5 % absence bands at their edges, spells of
 * absence across a weekend, a half-term holiday and a closure (unbroken) and broken by a
 * present session, and pupils trending down at exactly 5 points and just under.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withConnection } from "../analytics/db.ts";
import { absenceBands, absenceSpells, bandIndex, orderTrending, trendingDown, TRENDING_CHANGE_WORDS, TRENDING_POINTS } from "../analytics/early-warning.ts";
import { forecastYearEnd } from "../analytics/forecast.ts";
import { buildSltPack } from "../analytics/packs/index.ts";
import { cellText } from "../analytics/packs/format.ts";
import type { Block, PackTable } from "../analytics/packs/model.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";
import { absentDays, registerOf, seedSchoolDays } from "./helpers/calendar.ts";
import { seedRegister, type TestMark } from "./helpers/register.ts";

const db = tempDbPath("early-warning");

/** The first n school days on or after `from`, as absent days (both sessions), plus an odd session. */
function absences(days: string[], from: string, wholeDays: number, extraSession = false): Record<string, [string, string]> {
  const chosen = days.filter((d) => d >= from).slice(0, wholeDays + (extraSession ? 1 : 0));
  const codes: Record<string, [string, string]> = absentDays(chosen.slice(0, wholeDays));
  if (extraSession) codes[chosen[wholeDays]] = ["I", "/"];
  return codes;
}

beforeAll(async () => {
  await withConnection(db, async (c) => {
    const days = await seedSchoolDays(
      c,
      [
        { from: "2025-09-01", to: "2025-10-17", half: "autumn-1-2025", term: "autumn-2025" },
        { from: "2025-10-27", to: "2025-12-19", half: "autumn-2-2025", term: "autumn-2025" },
      ],
      ["2025-11-14"],
    );
    const toOct10 = days.filter((d) => d <= "2025-10-10"); // 30 school days, 60 sessions
    const marks: TestMark[] = [
      ...registerOf("B1", toOct10, absences(toOct10, "2025-09-01", 1, true)), // 3 of 60: 5 %
      ...registerOf("B2", toOct10, absences(toOct10, "2025-09-01", 1)), // 2 of 60: 3.3 %
      ...registerOf("B3", toOct10, absences(toOct10, "2025-09-01", 3)), // 6 of 60: 10 %
      ...registerOf("B4", toOct10, absences(toOct10, "2025-09-01", 15)), // 30 of 60: 50 %
      ...registerOf("B5", toOct10.filter((d) => d >= "2025-10-01"), absences(toOct10, "2025-10-01", 8)), // 16 sessions: not banded
      ...registerOf("B6", toOct10, absences(toOct10, "2025-09-01", 14, true)), // 29 of 60: 48.3 %
      ...registerOf("S1", days, absentDays(["2025-09-05", "2025-09-08", "2025-10-16", "2025-10-17", "2025-10-27"])),
      ...registerOf("S2", days, { ...absentDays(["2025-11-13", "2025-11-17", "2025-12-01", "2025-12-03"]), "2025-12-02": ["I", "/"] }),
      // Trending: the latest 4 school weeks run from 24 Nov (40 sessions); the year 148 sessions.
      ...registerOf("T1", days, absentDays(["2025-12-10", "2025-12-11"], "U")),
      ...registerOf("T2", days, { ...absences(days, "2025-11-24", 6), ...absences(days, "2025-09-01", 12, true) }),
      ...registerOf("T3", days, { ...absences(days, "2025-11-24", 6), ...absences(days, "2025-09-01", 13) }),
    ];
    const upns = ["B1", "B2", "B3", "B4", "B6", "S1", "S2", "T1", "T2", "T3"];
    await seedRegister(c, {
      pupils: [...upns.map((upn) => ({ upn, admission_date: "2025-09-01" })), { upn: "B5", admission_date: "2025-10-01" }],
      marks,
    });
  });
});
afterAll(() => removeDb(db));

describe("absence bands", () => {
  it("puts a pupil at a band's lower edge in that band (≥), one below it in the band under (<)", async () => {
    const { bands, pupils } = await withConnection(db, (c) => absenceBands(c, "2025-10-10"));
    const band = (upn: string) => pupils.find((p) => p.upn === upn)?.band;
    expect([band("B1"), band("B2"), band("B3"), band("B4"), band("B6")]).toEqual(["5–10%", "0–5%", "10–15%", "50%+", "45–50%"]);
    expect(band("B5")).toBeUndefined(); // 16 possible sessions: fewer than 20
    expect(bands).toHaveLength(11);
    expect(bands.find((b) => b.label === "0–5%")?.pupils).toBe(3); // B2, and S2 and T1 (no absence by 10 Oct)
    expect(bands.reduce((n, b) => n + b.pupils, 0)).toBe(pupils.length);
    expect(bandIndex(1, 20)).toBe(1);
    expect(bandIndex(99, 100)).toBe(10);
  });
});

describe("spells of absence", () => {
  it("counts runs across weekends, holidays and closures as one, and a present session as a break", async () => {
    const spells = await withConnection(db, (c) => absenceSpells(c, "2025-12-19"));
    const of = (upn: string) => spells.find((s) => s.upn === upn);
    // S1: Fri 5 Sep + Mon 8 Sep (a weekend between); Thu 16, Fri 17 Oct + Mon 27 Oct (half term between).
    expect(of("S1")).toMatchObject({ spells: 2, days_absent: 5, longest_spell_days: 3 });
    // S2: Thu 13 + Mon 17 Nov (closure on Fri 14); Mon 1 Dec; Wed 3 Dec (Tue 2 Dec present in the afternoon).
    expect(of("S2")).toMatchObject({ spells: 3, days_absent: 4, longest_spell_days: 2 });
    // T1 missed Wed 10 and Thu 11 Dec: one spell.
    expect(of("T1")).toMatchObject({ spells: 1, days_absent: 2 });
  });
});

describe("pupils trending down", () => {
  it("lists a pupil exactly 5 points below their year to date, not one 4.3 points below", async () => {
    const trending = await withConnection(db, (c) => trendingDown(c, "2025-12-19"));
    const t2 = trending.find((t) => t.upn === "T2");
    // T2: 111 of 148 sessions (75 %) this year, 28 of 40 (70 %) in the latest 4 school weeks.
    expect(t2?.ytd_pct).toBeCloseTo(75, 10);
    expect(t2?.recent_pct).toBeCloseTo(70, 10);
    expect(t2?.recent_from).toBe("2025-11-24");
    // T3: 110 of 148 (74.3 %) against 70 %: 4.3 points.
    expect(trending.find((t) => t.upn === "T3")).toBeUndefined();
    // T1: 144/148 = 97.3 % against 36/40 = 90 %.
    // Printed 90.0 % and 97.3 %: a change of −7.3 points (the printed figures' difference).
    expect(trending.find((t) => t.upn === "T1")?.change_points).toBe(-7.3);
  });
});

describe("pupils trending down: the change as printed (trial 24)", () => {
  it("is the printed rates' difference, and never reads above −5.0 for a pupil listed on the exact sessions", () => {
    // The trial's Charlie Lloyd: 102 of 122 sessions this year (83.6 %), 27 of 38 in the latest
    // 4 school weeks (71.1 %): printed 71.1 − 83.6 = −12.5 (the unrounded difference is −12.55…).
    expect(orderTrending([{ surname: "Lloyd", forename: "Charlie", ytd_pct: (100 * 102) / 122, recent_pct: (100 * 27) / 38 }])[0].change_points).toBe(-12.5);
    // Every listing the whole-session rule makes (100 (y_att r_pos − r_att y_pos) ≥ 5 y_pos r_pos)
    // prints a change of −5.0 or lower, over these windows' sizes and every attendance.
    let listed = 0;
    for (const yPos of [122, 148, 190]) {
      for (const rPos of [20, 38, 40]) {
        for (let yAtt = 0; yAtt <= yPos; yAtt++) {
          for (let rAtt = 0; rAtt <= rPos; rAtt++) {
            if (100 * (yAtt * rPos - rAtt * yPos) < TRENDING_POINTS * yPos * rPos) continue;
            listed++;
            const change = orderTrending([{ surname: "", forename: "", ytd_pct: (100 * yAtt) / yPos, recent_pct: (100 * rAtt) / rPos }])[0].change_points;
            if (change > -TRENDING_POINTS) throw new Error(`${rAtt}/${rPos} against ${yAtt}/${yPos} listed with a change of ${change}`);
          }
        }
      }
    }
    expect(listed).toBeGreaterThan(10_000);
  });
});

describe("pupils trending down: shown and sorted by the same number (trial 16a)", () => {
  it("orders by the change as printed, not the unrounded one", () => {
    // Unrounded changes −12.04 (Hamer), −11.97 (Lane), −11.96 (Lloyd): that order printed
    // −12.0, −11.9, −12.0. As printed: Hamer 84.0 − 96.0 = −12.0, Lloyd 84.0 − 96.0 = −12.0,
    // Lane 84.0 − 95.9 = −11.9.
    const rows = [
      { surname: "Hamer", forename: "A", ytd_pct: 96.04, recent_pct: 84.0 },
      { surname: "Lane", forename: "B", ytd_pct: 95.94, recent_pct: 83.97 },
      { surname: "Lloyd", forename: "C", ytd_pct: 96.0, recent_pct: 84.04 },
    ];
    expect(orderTrending(rows).map((r) => [r.surname, r.change_points])).toEqual([
      ["Hamer", -12],
      ["Lloyd", -12],
      ["Lane", -11.9],
    ]);
  });
});

describe("the year-end forecast", () => {
  // As of Friday 21 Nov 2025: 54 school days so far (35 in autumn 1; 20 in autumn 2 less the
  // closure on 14 Nov), 108 possible sessions. 20 school days (40 sessions) remain in the
  // calendar. The latest 6 school weeks start Monday 6 Oct: 29 school days, 58 sessions.
  it("projects each pupil from the average of the year so far and the latest 6 school weeks", async () => {
    const forecast = await withConnection(db, (c) => forecastYearEnd(c, "2025-11-21"));
    expect(forecast.remaining_school_days).toBe(20);
    const pupil = (upn: string) => forecast.pupils.find((p) => p.upn === upn)!;
    // T1: present throughout so far.
    expect(pupil("T1")).toMatchObject({ possible_sessions: 108, attended_sessions: 108, recent_pct: 100, projected_pct: 100, projected_pa: false, pa_now: false });
    // T3: the first 13 school days absent (26 sessions), present since: 82 of 108, 58 of 58 recently.
    // Assumed rate (82/108 + 1) / 2; projected (82 + 40 × that) / 148 = 79.18 %: persistently absent.
    const t3 = pupil("T3");
    expect(t3).toMatchObject({ possible_sessions: 108, attended_sessions: 82, remaining_sessions: 40, pa_now: true, projected_pa: true });
    expect(t3.recent_pct).toBe(100);
    expect(t3.projected_pct).toBeCloseTo((100 * (82 + 40 * ((82 / 108 + 1) / 2))) / 148, 10);
    // The school's figure adds every pupil's projected sessions (session-weighted).
    const sum = (f: (p: (typeof forecast.pupils)[number]) => number) => forecast.pupils.reduce((n, p) => n + f(p), 0);
    const projectedAttended = sum((p) => p.attended_sessions + (p.assumed_pct / 100) * p.remaining_sessions);
    expect(forecast.projected_pct).toBeCloseTo((100 * projectedAttended) / sum((p) => p.possible_sessions + p.remaining_sessions), 10);
  });

  it("gives no persistent absence so far over fewer than 20 school days, and says why (analytics/pa-span.ts)", async () => {
    // As of Friday 19 Sep 2025: 15 school days (1–19 Sep). As of 21 Nov: 54, so it is given.
    const early = await withConnection(db, (c) => forecastYearEnd(c, "2025-09-19"));
    expect(early.pa_now_not_given).toBe(
      "Persistent and severe absence are not given for the year to date: 15 school days, fewer than the 20 over which they are measured (a pupil missing one session of a short span would count as persistently absent).",
    );
    expect((await withConnection(db, (c) => forecastYearEnd(c, "2025-11-21"))).pa_now_not_given).toBeNull();
  });

  it("uses the year so far alone when the latest 6 school weeks hold fewer than 20 possible sessions", async () => {
    // B1's marks end on 10 Oct: 57 of 60 sessions attended (95 %), and the latest 6 school weeks
    // hold only 6–10 Oct, 10 sessions, all attended (100 %). The average would assume 97.5 %.
    const forecast = await withConnection(db, (c) => forecastYearEnd(c, "2025-11-21"));
    const b1 = forecast.pupils.find((p) => p.upn === "B1")!;
    expect(b1).toMatchObject({ possible_sessions: 60, attended_sessions: 57, recent_pct: 100 });
    expect(b1.assumed_pct).toBeCloseTo(95, 10);
    expect(b1.projected_pct).toBeCloseTo((100 * (57 + 0.95 * 40)) / 100, 10);
  });
});

describe("in the SLT pack", () => {
  // The pack for November 2025, made on Friday 21 Nov: its early-warning section prints the
  // same functions' figures as the Early warning page (one function per figure).
  it("prints the same bands, pupils trending down, spells and forecast as the early-warning functions", async () => {
    const asOf = "2025-11-21";
    const { model, bands, trending, spells, forecast } = await withConnection(db, async (c) => ({
      model: await buildSltPack(c, { month: "2025-11", today: asOf }),
      bands: await absenceBands(c, asOf),
      trending: await trendingDown(c, asOf),
      spells: await absenceSpells(c, asOf),
      forecast: await forecastYearEnd(c, asOf),
    }));
    const section = model.sections.find((s) => s.id === "early-warning")!;
    const tables = section.blocks.filter((b): b is Extract<Block, { kind: "table" }> => b.kind === "table").map((b) => b.table);
    const table = (caption: RegExp): PackTable => tables.find((t) => caption.test(t.caption))!;
    expect(table(/5% band/).rows.map((r) => r.map(cellText))).toEqual(bands.bands.map((b) => [b.label, String(b.pupils)]));
    expect(bands.bands.some((b) => b.pupils > 0)).toBe(true);
    expect(table(/Below their year to date/).rows.map((r) => cellText(r[0]))).toEqual(trending.map((t) => `${t.surname}, ${t.forename}`));
    // How the change is worked out is said beside it, in the page's words (trial 24).
    expect(table(/Below their year to date/).note).toBe(TRENDING_CHANGE_WORDS);
    expect(trending.length).toBeGreaterThan(0);
    expect(table(/spells of absence/).rows.map((r) => [cellText(r[0]), ...r.slice(2).map(cellText)])).toEqual(
      spells.slice(0, table(/spells of absence/).rows.length).map((s) => [`${s.surname}, ${s.forename}`, String(s.spells), String(s.days_absent), String(s.longest_spell_days)]),
    );
    const figures = section.blocks.find((b) => b.kind === "figures");
    expect(figures && figures.kind === "figures" ? figures.items.map((i) => cellText(i.value)) : []).toEqual([
      cellText({ kind: "pct", value: forecast.projected_pct }),
      String(forecast.projected_pa_pupils),
    ]);
    // The method is written out, in the same words as the page's.
    expect(section.blocks.some((b) => b.kind === "paragraphs" && b.items.some((t) => /average of/.test(t)))).toBe(true);
  });
});
