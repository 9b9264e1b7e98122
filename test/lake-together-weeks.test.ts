/**
 * The Trust roll-up's per-pupil sums over several school weeks (analytics/measures.ts,
 * eachRegisterPerPupilSql): each pupil's whole weeks inside the period (mark_weeks) and days
 * at its edges (mark_days) are summed before they meet `scope`, then multiplied by the pupil's
 * rows in scope. test/lake.test.ts counts schools together over one week only; here three
 * schools' marks span the eight weeks of an autumn half term (Mon 2 Sep – Fri 25 Oct 2024,
 * every weekday a school day), so the periods below read edge days AND inner weeks, weeks a
 * pupil was on roll for part of, and a pupil with two scope rows.
 *
 * School 100021, worked by hand over P1 = Wed 11 Sep – Tue 8 Oct 2024 (edge days Wed 11 –
 * Fri 13 Sep and Mon 7 – Tue 8 Oct; inner weeks of 16, 23 and 30 Sep; 20 school days, 40
 * sessions). Every mark is present ("/", "\") except those listed.
 * A  (Y3)  on roll throughout. Absent Thu 12 Sep I I (edge day), Tue 17 Sep U U (inner week),
 *          Mon 30 Sep AM M (inner week); also Tue 10 Sep U U and Wed 9 Oct I I, in the edge
 *          weeks but outside P1 (not counted). 40 possible, 5 absent (3 auth, 2 unauth):
 *          12.5 %: PA, not SA.
 * L  (Y4)  leaves Wed 18 Sep (mid-week: the inner week of 16 Sep is 3 days). Absent Fri 13 Sep
 *          U U (edge), Wed 18 Sep O O (inner). 6 days: 12 possible, 4 unauthorised: 33.3 %: PA.
 * J  (Y3)  joins Thu 26 Sep (mid-week: the inner week of 23 Sep is 2 days). Never absent.
 *          9 days: 18 possible, 0 absent.
 * T  (Y3→Y4) two characteristic spells, both open: two rows in scope, so (as summarise and the
 *          mark-level definition join each mark to each scope row) its sessions count twice.
 *          Absent Wed 2 Oct U U (inner). 2 × (40 possible, 2 unauthorised) = 80, 4: 5 %.
 * R  (YR)  born 2020: not of compulsory school age (not in the DfE's population). Absent
 *          Tue 8 Oct I I (edge day). 40 possible, 2 authorised: 5 %.
 * Whole roll: 5 pupils, 190 possible, 15 absent (5 auth, 10 unauth): 7.89 %; PA 2 (A, L), SA 0.
 * DfE (A, L, J, T): 4 pupils, 150 possible, 13 absent (3 auth, 10 unauth); PA 2 (50 %), SA 0.
 *
 * School 100022 (the same UPNs A and L, so the same pupil ids as 100021's): A joins Mon 2 Sep
 * and misses every Monday morning (U); L leaves Tue 1 Oct (mid-week) and misses Wed 11 Sep
 * (I I); C joins Wed 16 Oct (mid-week, after P1: in the half term's scope only).
 * School 100023: no pupil in P1's scope though it has marks in it: G's only characteristic
 * spell ended on 31 Aug 2024 (no characteristics at any period's end here: in no scope), and
 * K joins Mon 14 Oct, after P1 (in the half term's scope).
 * School 100024: its register ends early (trial20b), its one pupil E marked Mon 2 – Fri 27 Sep.
 *
 * Each school's last day marked (summariseEachRegister's lastMarked: any pupil's mark, from the
 * same whole weeks and edge days as the sums): over P1, Tue 8 Oct for 100021–100023 (an edge
 * day; A's marks of Wed 9 Oct, in the same week, are after P1), for 100023 from G, who is in
 * no scope; Fri 27 Sep for 100024, the last day of the inner week of 23 Sep. Over the whole
 * half term Fri 25 Oct (an edge day), 100024 Fri 27 Sep (an inner week); over the weekend's
 * two edges Mon 23 Sep for every school; over Tue 1 – Fri 25 Oct none for 100024.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows, withConnection } from "../analytics/db.ts";
import { exportParquet, lakeSchools, lakeYears, openLakeSchools } from "../analytics/lake.ts";
import { markLevel, summarise, summariseEachRegister, type MeasureQuery } from "../analytics/measures.ts";
import { registersEndingEarly, trustRollup } from "../analytics/trust.ts";
import { daysOf, seedRegister, type TestMark } from "./helpers/register.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";

/** The weekdays from `from` to `to` (ISO dates, both included), in order. */
function weekdays(from: string, to: string): string[] {
  const days: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000) {
    const day = new Date(t);
    if (day.getUTCDay() !== 0 && day.getUTCDay() !== 6) days.push(day.toISOString().slice(0, 10));
  }
  return days;
}

/** A pupil's marks on every weekday from `from` to `to`: present, except the days in `absent` (or a weekday's, by `everyMonday`). */
function marked(upn: string, from: string, to: string, absent: Record<string, [string, string]> = {}, everyMonday?: [string, string]): TestMark[] {
  const days = Object.fromEntries(
    weekdays(from, to).map((date): [string, [string, string]] => {
      const monday = new Date(`${date}T00:00:00Z`).getUTCDay() === 1;
      return [date, absent[date] ?? (monday && everyMonday ? everyMonday : ["/", "\\"])];
    }),
  );
  return daysOf(upn, days);
}

const HALF_TERM_START = "2024-09-02";
const HALF_TERM_END = "2024-10-25";
/** Mid-week to mid-week: edge days at both ends, three inner weeks. */
const P1 = { from: "2024-09-11", to: "2024-10-08" };
const PERIODS: Record<string, MeasureQuery> = {
  "P1, mid-week to mid-week": P1,
  // Monday to Friday: its first and last weeks read day by day, the six between as weeks.
  "the whole half term": { from: HALF_TERM_START, to: HALF_TERM_END },
  // From a Thursday in August (no marks) to a Thursday after the half term.
  "the autumn so far": { from: "2024-08-01", to: "2024-10-31" },
  // Fri 20 Sep to Mon 23 Sep: adjacent edge weeks, no inner week.
  "a weekend's two edges": { from: "2024-09-20", to: "2024-09-23" },
};

describe("schools counted together over several school weeks", () => {
  const weeks = tempDbPath("lake-weeks-a");
  const second = tempDbPath("lake-weeks-b");
  const empty = tempDbPath("lake-weeks-c");
  const early = tempDbPath("lake-weeks-d");
  const together = path.join(path.dirname(weeks), `lake-weeks-${process.pid}`);
  const files = [
    [100021, weeks],
    [100022, second],
    [100023, empty],
    [100024, early],
  ] as const;
  /** Each school's register (the header's), by URN. */
  const registers: Record<number, Parameters<typeof seedRegister>[1]> = {
    100021: {
      pupils: [
        { upn: "A", admission_date: "2023-09-01", spells: [{ from: "2023-09-01", year_group: "3" }] },
        { upn: "L", admission_date: "2023-09-01", leaving_date: "2024-09-18", spells: [{ from: "2023-09-01", year_group: "4" }] },
        { upn: "J", admission_date: "2024-09-26", spells: [{ from: "2024-09-26", year_group: "3" }] },
        {
          upn: "T",
          admission_date: "2023-09-01",
          spells: [
            { from: "2023-09-01", year_group: "3" },
            { from: "2024-09-01", year_group: "4" },
          ],
        },
        { upn: "R", dob: "2020-01-10", admission_date: "2024-09-02", spells: [{ from: "2024-09-02", year_group: "R" }] },
      ],
      marks: [
        ...marked("A", HALF_TERM_START, HALF_TERM_END, { "2024-09-10": ["U", "U"], "2024-09-12": ["I", "I"], "2024-09-17": ["U", "U"], "2024-09-30": ["M", "\\"], "2024-10-09": ["I", "I"] }),
        ...marked("L", HALF_TERM_START, "2024-09-18", { "2024-09-13": ["U", "U"], "2024-09-18": ["O", "O"] }),
        ...marked("J", "2024-09-26", HALF_TERM_END),
        ...marked("T", HALF_TERM_START, HALF_TERM_END, { "2024-10-02": ["U", "U"] }),
        ...marked("R", HALF_TERM_START, HALF_TERM_END, { "2024-10-08": ["I", "I"] }),
      ],
    },
    100022: {
      pupils: [
        { upn: "A", admission_date: "2024-09-02", spells: [{ from: "2024-09-02", year_group: "5" }] },
        { upn: "L", admission_date: "2022-09-01", leaving_date: "2024-10-01", spells: [{ from: "2022-09-01", year_group: "6" }] },
        { upn: "C", admission_date: "2024-10-16", spells: [{ from: "2024-10-16", year_group: "5" }] },
      ],
      marks: [
        ...marked("A", HALF_TERM_START, HALF_TERM_END, {}, ["U", "\\"]),
        ...marked("L", HALF_TERM_START, "2024-10-01", { "2024-09-11": ["I", "I"] }),
        ...marked("C", "2024-10-16", HALF_TERM_END),
      ],
    },
    100023: {
      pupils: [
        { upn: "G", admission_date: "2023-09-01", spells: [{ from: "2023-09-01", to: "2024-08-31", year_group: "2" }] },
        { upn: "K", admission_date: "2024-10-14", spells: [{ from: "2024-10-14", year_group: "2" }] },
      ],
      marks: [...marked("G", HALF_TERM_START, HALF_TERM_END, { "2024-09-16": ["U", "U"] }), ...marked("K", "2024-10-14", HALF_TERM_END)],
    },
    100024: {
      pupils: [{ upn: "E", admission_date: "2023-09-01", spells: [{ from: "2023-09-01", year_group: "5" }] }],
      marks: marked("E", HALF_TERM_START, "2024-09-27"),
    },
  };

  beforeAll(async () => {
    for (const [urn, file] of files) {
      await withConnection(file, async (c) => {
        await seedRegister(c, registers[urn]);
        await exportParquet(c, { out: together, school: String(urn) });
      });
    }
  });
  afterAll(async () => {
    for (const [, file] of files) await removeDb(file);
    fs.rmSync(together, { recursive: true, force: true });
  });

  /** Each period's figures of every school, counted together from the lake (opened for the period's years). */
  async function countedTogether(period: MeasureQuery) {
    const lake = await openLakeSchools(together, [], lakeSchools(together), undefined, { years: lakeYears(period), together: files.map(([urn]) => String(urn)) });
    try {
      return await summariseEachRegister(await lake.connectTogether(), period, files.map(([urn]) => urn));
    } finally {
      lake.close();
    }
  }

  it("gives school 100021's figures over P1 worked by hand, and none for a school with no pupil in scope", async () => {
    const each = await countedTogether(P1);
    const brief = (m: Awaited<ReturnType<typeof summarise>>) => [m.pupils, m.possible_sessions, m.authorised_sessions, m.unauthorised_sessions, m.pa_pupils, m.sa_pupils];
    const { whole, dfe } = each.get(100021)!;
    expect(brief(whole)).toEqual([5, 190, 5, 10, 2, 0]);
    expect(whole.absence_pct).toBeCloseTo((100 * 15) / 190, 10);
    expect(whole.pa_pct).toBe(40);
    expect(brief(dfe)).toEqual([4, 150, 3, 10, 2, 0]);
    expect(dfe.absence_pct).toBeCloseTo((100 * 13) / 150, 10);
    expect(dfe.pa_pct).toBe(50);
    // School 100023 has marks in P1 but no pupil in its scope: summarise's figures of none.
    for (const population of [each.get(100023)!.whole, each.get(100023)!.dfe]) {
      expect(population).toMatchObject({ pupils: 0, possible_sessions: 0, absence_pct: null, pa_pct: null });
    }
  });

  it("equals each school's own figures, whole roll and DfE population, for every period", async () => {
    for (const [name, period] of Object.entries(PERIODS)) {
      const each = await countedTogether(period);
      for (const [register, file] of files) {
        for (const population of ["whole-roll", "dfe"] as const) {
          const counted = each.get(register)![population === "dfe" ? "dfe" : "whole"];
          const own = { ...period, population };
          expect(counted, `${name}: ${register} ${population}`).toEqual(await withConnection(file, (c) => summarise(c, own)));
          expect(counted, `${name}: ${register} ${population}, mark level`).toEqual(await withConnection(file, (c) => markLevel.summarise(c, own)));
        }
      }
    }
    // The half term counts every school's pupils: 100023's joiner K, and 100022's C.
    const halfTerm = await countedTogether(PERIODS["the whole half term"]);
    expect([100021, 100022, 100023].map((urn) => halfTerm.get(urn)!.whole.pupils)).toEqual([5, 3, 1]);
  });

  it("gives each school's last day marked in the period: any pupil's, from a whole week or an edge day, none after the period", async () => {
    const lastDays = async (period: MeasureQuery) => [...(await countedTogether(period))].map(([urn, { lastMarked }]) => [urn, lastMarked]);
    expect(await lastDays(P1)).toEqual([
      [100021, "2024-10-08"],
      [100022, "2024-10-08"],
      [100023, "2024-10-08"],
      [100024, "2024-09-27"],
    ]);
    expect(await lastDays(PERIODS["the whole half term"])).toEqual([
      [100021, HALF_TERM_END],
      [100022, HALF_TERM_END],
      [100023, HALF_TERM_END],
      [100024, "2024-09-27"],
    ]);
    expect(await lastDays(PERIODS["a weekend's two edges"])).toEqual(files.map(([urn]) => [urn, "2024-09-23"]));
    expect((await lastDays({ from: "2024-10-01", to: HALF_TERM_END })).at(-1)).toEqual([100024, null]);
    // Each the latest date of the school's own marks in the period, for every period.
    for (const [name, period] of Object.entries(PERIODS)) {
      const each = await countedTogether(period);
      for (const [register, file] of files) {
        const own = await withConnection(file, (c) => queryRows<{ last: string | null }>(c, "SELECT max(date)::VARCHAR AS last FROM marks WHERE date BETWEEN $from::DATE AND $to::DATE", { from: period.from, to: period.to }));
        expect(each.get(register)!.lastMarked, `${name}: ${register}`).toBe(own[0].last);
      }
    }
    // The trust's rows carry it, and name the school whose register ends early.
    const { schools } = await trustRollup(together, P1);
    expect(schools.map((s) => [s.urn, s.last_mark_date])).toEqual(files.map(([urn]) => [String(urn), urn === 100024 ? "2024-09-27" : "2024-10-08"]));
    expect(registersEndingEarly(schools)).toEqual(new Map([["100024", "2024-09-27"]]));
  });
});
