/**
 * Casework reads the store's aggregates (analytics/casework/pupil-days.ts): the per-pupil-
 * per-day counts from `mark_days` and illness sessions from `mark_week_codes` with the marks
 * of the weeks at either end. On a hand-built register whose periods start and end
 * mid-week, with marks of every category on both sides of each edge, they equal the counts
 * taken from the marks themselves (the mark-level definition the relation had before) and
 * the figures worked out by hand.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows, withConnection, type Connection } from "../analytics/db.ts";
import { REGIME_2024_FROM } from "../analytics/codes.ts";
import { pupilDaysSql, pupilUnitsSql } from "../analytics/casework/pupil-days.ts";
import { seedRegister, type TestMark } from "./helpers/register.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";

// Weekdays Mon 1 September to Fri 10 October 2025 (no calendar imported: the marks' dates stand in).
const DAYS: string[] = [];
for (let d = new Date("2025-09-01T00:00:00Z"); d <= new Date("2025-10-10T00:00:00Z"); d.setUTCDate(d.getUTCDate() + 1)) {
  if (d.getUTCDay() !== 0 && d.getUTCDay() !== 6) DAYS.push(d.toISOString().slice(0, 10));
}
const CODES = ["/", "I", "M", "O", "G", "B", "#", "L", "N", "C", "U", "Y1"];
const marks: TestMark[] = [];
for (const [p, upn] of ["AGG1", "AGG2", "AGG3"].entries()) {
  DAYS.forEach((date, i) => {
    // A different mix for each pupil; I (illness) on a Wednesday and a Tuesday of the edge weeks.
    marks.push([upn, date, "AM", CODES[(i * (p + 1)) % CODES.length]], [upn, date, "PM", CODES[(i * (p + 2) + 1) % CODES.length]]);
  });
}
marks.push(["AGG4", "2025-09-03", "AM", "I"], ["AGG4", "2025-09-03", "PM", "I"], ["AGG4", "2025-10-07", "AM", "I"]);
// Wed 3 September to Tue 7 October: both ends mid-week.
const PERIOD = { from: "2025-09-03", to: "2025-10-07" };

const db = tempDbPath("casework-aggregates");
beforeAll(async () => {
  await withConnection(db, (c) =>
    seedRegister(c, {
      pupils: ["AGG1", "AGG2", "AGG3", "AGG4"].map((upn) => ({ upn, admission_date: "2025-09-01" })),
      marks,
    }),
  );
});
afterAll(() => removeDb(db));

async function fromAggregates(c: Connection) {
  const { sql, params } = pupilDaysSql(PERIOD, PERIOD);
  const days = await queryRows(
    c,
    `WITH ${sql} SELECT k.upn, strftime(date, '%Y-%m-%d') AS date, possible, attended, authorised, unauthorised
     FROM pupil_days JOIN pupil_ids k USING (pupil_id) ORDER BY upn, date`,
    params,
  );
  const illness = await queryRows(c, `WITH ${sql} SELECT k.upn, sessions FROM pupil_illness JOIN pupil_ids k USING (pupil_id) ORDER BY upn`, params);
  const schoolDays = await queryRows(c, `WITH ${sql} SELECT strftime(date, '%Y-%m-%d') AS date, n::INTEGER AS n FROM school_day ORDER BY n`, params);
  return { days, illness, schoolDays };
}

describe("casework's day relation from the aggregates", () => {
  it("equals the counts taken from the marks, mid-week edges included", async () => {
    await withConnection(db, async (c) => {
      const aggregate = await fromAggregates(c);
      const fromMarks = await queryRows(
        c,
        `SELECT m.upn, strftime(m.date, '%Y-%m-%d') AS date,
                count(*) FILTER (WHERE cc.category <> 'not_counted')::INTEGER AS possible,
                count(*) FILTER (WHERE cc.category IN ('present', 'aea'))::INTEGER AS attended,
                count(*) FILTER (WHERE cc.category = 'authorised')::INTEGER AS authorised,
                count(*) FILTER (WHERE cc.category = 'unauthorised')::INTEGER AS unauthorised
         FROM marks m JOIN code_catalogue cc ON cc.code = m.code AND cc.regime = CASE WHEN m.date >= $r::DATE THEN '2024' ELSE '2006' END
         WHERE m.date BETWEEN $from::DATE AND $to::DATE GROUP BY m.upn, m.date ORDER BY m.upn, date`,
        { ...PERIOD, r: REGIME_2024_FROM },
      );
      expect(aggregate.days).toEqual(fromMarks);
      const illness = await queryRows(
        c,
        `SELECT upn, count(*)::INTEGER AS sessions FROM marks WHERE code = 'I' AND date BETWEEN $from::DATE AND $to::DATE GROUP BY upn ORDER BY upn`,
        PERIOD,
      );
      expect(aggregate.illness).toEqual(illness);
      // Without a calendar, the dates with a mark are the school days, numbered in order.
      expect(aggregate.schoolDays.map((d) => d.date)).toEqual(DAYS.filter((d) => d >= PERIOD.from && d <= PERIOD.to));
    });
  });

  it("counts AGG4's illness by hand: Wed 3 September both sessions and Tue 7 October AM, nothing outside", async () => {
    await withConnection(db, async (c) => {
      const { illness, days } = await fromAggregates(c);
      expect(illness.find((r) => r.upn === "AGG4")).toEqual({ upn: "AGG4", sessions: 3 });
      const agg4 = days.filter((r) => r.upn === "AGG4");
      expect(agg4).toEqual([
        { upn: "AGG4", date: "2025-09-03", possible: 2, attended: 0, authorised: 2, unauthorised: 0 },
        { upn: "AGG4", date: "2025-10-07", possible: 1, attended: 0, authorised: 1, unauthorised: 0 },
      ]);
      // A period of one day inside a week reads that day's marks only.
      const { sql, params } = pupilDaysSql({ from: "2025-10-07", to: "2025-10-07" }, { from: "2025-09-04", to: "2025-10-06" });
      expect(await queryRows(c, `WITH ${sql} SELECT sessions FROM pupil_illness JOIN pupil_ids k USING (pupil_id) WHERE k.upn = 'AGG4'`, params)).toEqual([]);
    });
  });
});

describe("casework's week units", () => {
  // Spans start on a Monday, mid-week and on a date without marks; the period starts and ends mid-week.
  const CUTS = ["2025-09-08", "2025-09-17", "2025-09-27", "2025-10-02"];
  it("sum, from every cut to the period's end, to the same counts as the days (and a pupil has a unit there exactly when a day)", async () => {
    await withConnection(db, async (c) => {
      const days = pupilDaysSql(PERIOD, PERIOD);
      const units = pupilUnitsSql(PERIOD, "cuts");
      const cuts = `cuts AS (SELECT unnest([${CUTS.map((_, i) => `$cut_${i}::DATE`).join(", ")}, NULL::DATE]) AS cut)`;
      const params = { ...days.params, ...units.params, ...Object.fromEntries(CUTS.map((cut, i) => [`cut_${i}`, cut])) };
      const sums = (relation: string, first: string) =>
        queryRows(
          c,
          `WITH ${days.sql}, ${cuts}, ${units.sql}
           SELECT strftime(cuts.cut, '%Y-%m-%d') AS cut, k.upn, count(*) > 0 AS marked,
                  sum(possible)::INTEGER AS possible, sum(attended)::INTEGER AS attended, sum(authorised)::INTEGER AS authorised,
                  sum(unauthorised)::INTEGER AS unauthorised, sum(present)::INTEGER AS present, sum(aea)::INTEGER AS aea
           FROM ${relation} r JOIN cuts ON r.${first} >= cuts.cut JOIN pupil_ids k USING (pupil_id)
           GROUP BY ALL ORDER BY cut, upn`,
          params,
        );
      const fromUnits = await sums("pupil_units", "first_date");
      expect(fromUnits).toEqual(await sums("pupil_days", "date"));
      // Every pupil from every cut: AGG4 through its mark on Tuesday 7 October.
      expect(fromUnits.length).toBe(CUTS.length * 4);
      // Fewer rows than days: the week of 8 September is the one no cut or end falls inside (a cut on its Monday splits nothing).
      const rows = async (relation: string) =>
        Number((await queryRows(c, `WITH ${days.sql}, ${cuts}, ${units.sql} SELECT count(*)::INTEGER AS n FROM ${relation}`, params))[0].n);
      expect(await rows("pupil_days")).toBe((await rows("pupil_units")) + 3 * 4);
      // Every unit inside the period, none straddling a cut.
      const straddling = await queryRows(
        c,
        `WITH ${days.sql}, ${cuts}, ${units.sql}
         SELECT * FROM pupil_units u JOIN cuts ON u.first_date < cuts.cut AND u.last_date >= cuts.cut
         UNION ALL SELECT *, NULL FROM pupil_units WHERE first_date < $pu_from::DATE OR last_date > $pu_to::DATE`,
        params,
      );
      expect(straddling).toEqual([]);
    });
  });
});
