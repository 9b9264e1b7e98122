/**
 * The packs' to-date tabs read every year group's and class's figures in one grouped query
 * (`summariseWithin`): on a hand-built register, in periods starting and ending mid-week and
 * crossing a month, they equal one `summarise`/`summariseBy` per group with a filter (the
 * tabs' former path), and a hand count.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withConnection } from "../analytics/db.ts";
import { markLevel, PUPIL_DIMENSIONS, summarise, summariseBy, summariseByEach, summariseWithin, summariseWithinEach, type PupilDimension } from "../analytics/measures.ts";
import { seedRegister, type TestMark, type TestPupil } from "./helpers/register.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";

const DAYS: string[] = [];
for (let d = new Date("2025-09-22T00:00:00Z"); d <= new Date("2025-10-17T00:00:00Z"); d.setUTCDate(d.getUTCDate() + 1)) {
  if (d.getUTCDay() !== 0 && d.getUTCDay() !== 6) DAYS.push(d.toISOString().slice(0, 10));
}
const CODES = ["/", "/", "I", "/", "O", "/", "M", "/", "G", "/", "L", "/", "P", "/", "C", "/"];
const pupils: TestPupil[] = [
  ["G1", "3", "3A"], ["G2", "3", "3A"], ["G3", "3", "3B"], ["G4", "4", "4A"], ["G5", "4", "4A"],
].map(([upn, year_group, reg_group]) => ({ upn, admission_date: "2025-09-01", spells: [{ from: "2025-09-01", year_group, reg_group }] }));
// G6 moves from 3B to 4A on 6 October: at the end of the period they are in 4A.
pupils.push({ upn: "G6", admission_date: "2025-09-01", spells: [{ from: "2025-09-01", to: "2025-10-05", year_group: "3", reg_group: "3B" }, { from: "2025-10-06", year_group: "4", reg_group: "4A" }] });
const marks: TestMark[] = [];
pupils.forEach((p, k) =>
  DAYS.forEach((date, i) => {
    marks.push([p.upn, date, "AM", CODES[(i + 3 * k) % CODES.length]], [p.upn, date, "PM", CODES[(2 * i + k) % CODES.length]]);
  }),
);
const db = tempDbPath("packs-grouped");
beforeAll(() => withConnection(db, (c) => seedRegister(c, { pupils, marks })));
afterAll(() => removeDb(db));

const PERIODS = [
  { from: "2025-09-24", to: "2025-10-15" }, // Wednesday to Wednesday, across a month
  { from: "2025-09-22", to: "2025-10-17" },
  { from: "2025-10-01", to: "2025-10-01" },
];

describe("summariseWithin", () => {
  it("equals one filtered summary or breakdown per year group and per class", async () => {
    await withConnection(db, async (c) => {
      for (const period of PERIODS) {
        for (const within of ["year_group", "reg_group"] as PupilDimension[]) {
          const values = (await summariseBy(c, period, within)).map((r) => r.group);
          expect(values.length).toBeGreaterThan(1);
          const whole = await summariseWithin(c, period, within);
          for (const value of values) {
            const filtered = await summarise(c, { ...period, filter: { [within]: value } });
            expect(whole.get(value)).toEqual([{ group: value, ...filtered }]);
          }
          for (const by of ["week", "term", "month"] as const) {
            const grouped = await summariseWithin(c, period, within, by);
            for (const value of values) {
              const filtered = await summariseBy(c, { ...period, filter: { [within]: value } }, by);
              expect(grouped.get(value) ?? []).toEqual(filtered);
            }
          }
        }
      }
    });
  });

  it("gives every pupil-level breakdown read together (summariseByEach) as each alone and as the marks give it", async () => {
    await withConnection(db, async (c) => {
      for (const period of PERIODS) {
        const each = await summariseByEach(c, period);
        for (const by of PUPIL_DIMENSIONS) {
          const alone = await summariseBy(c, period, by);
          expect(each.get(by) ?? []).toEqual(alone);
          expect(alone).toEqual(await markLevel.summariseBy(c, period, by));
        }
        expect(each.get("reg_group")!.length).toBeGreaterThan(1);
      }
    });
  });

  it("gives the same for year groups and classes read together (summariseWithinEach) as for each alone", async () => {
    await withConnection(db, async (c) => {
      for (const period of PERIODS) {
        for (const by of [undefined, "week", "term", "weekday"] as const) {
          const both = await summariseWithinEach(c, period, ["year_group", "reg_group"], by);
          expect(both.get("year_group")).toEqual(await summariseWithin(c, period, "year_group", by));
          expect(both.get("reg_group")).toEqual(await summariseWithin(c, period, "reg_group", by));
          expect([...both.get("reg_group")!.keys()].length).toBeGreaterThan(1);
        }
      }
    });
  });

  it("puts a pupil in the class they were in at the end of the period (G6 in 4A), as a filter does", async () => {
    await withConnection(db, async (c) => {
      const period = { from: "2025-09-22", to: "2025-10-17" };
      const classes = await summariseWithin(c, period, "reg_group");
      expect(classes.get("4A")?.[0].pupils).toBe(3);
      expect(classes.get("3B")?.[0].pupils).toBe(1);
      // 20 days × 2 sessions per pupil, all counted but P (AEA, counted) and C (authorised, counted): every mark is possible.
      expect(classes.get("4A")?.[0].possible_sessions).toBe(3 * 40);
    });
  });
});
