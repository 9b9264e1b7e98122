/**
 * One pupil's school days covered and unmarked worked out from their own day rows and the
 * calendar (analytics/one-pupil-coverage.ts: what a pupil's page reads for the months or weeks
 * of its chart and the leave-of-absence check's unmarked days) equal the grouped queries they
 * replace (analytics/pupil.ts monthCoverageByQuery for the pupil; unmarked-days.ts
 * unmarkedDaysByPupil over the whole register), on the demo school with gaps cut into its
 * register: pupils on roll, leavers, joiners mid-year and pupils with no absence, by month and
 * by week, over spans cut to their time on roll, with today's sessions due and not yet due.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inTransaction, queryRows, withConnection, type Connection } from "../analytics/db.ts";
import { buildDemo } from "../analytics/demo/index.ts";
import { deleteMarks } from "../analytics/store.ts";
import { monthCoverageByQuery } from "../analytics/pupil.ts";
import { onePupilCoverageCounts, onePupilUnmarkedDays } from "../analytics/one-pupil-coverage.ts";
import { lastMarkedParams, unmarkedDaysByPupil } from "../analytics/unmarked-days.ts";
import { onePupilRoll } from "../analytics/one-pupil.ts";
import { dueThrough, type DueSession } from "../analytics/register-due.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";

const TODAY = "2026-11-23";

type Pupil = { upn: string; admission_date: string; leaving_date: string | null; kind: string };

/** The span cut to the pupil's time on roll (as the pupil's page cuts it), or null when they were not on roll in it. */
function onRoll(p: Pupil, span: { from: string; to: string }): { from: string; to: string } | null {
  const from = p.admission_date > span.from ? p.admission_date : span.from;
  const to = p.leaving_date !== null && p.leaving_date < span.to ? p.leaving_date : span.to;
  return from <= to ? { from, to } : null;
}

describe("one pupil's days covered and unmarked on the demo school", () => {
  const db = tempDbPath("one-pupil-coverage");
  let pupils: Pupil[] = [];
  beforeAll(async () => {
    await buildDemo(db, { today: TODAY });
    await withConnection(db, async (c) => {
      // Gaps in the register: some pupils' marks of a few days gone (a register imported in
      // part), one afternoon of every pupil on 12 November, and today's afternoon (a register
      // exported after the morning's).
      await inTransaction(c, () => deleteMarks(c, `SELECT pupil_id, date, pm FROM mark_store
        WHERE (pupil_id % 7 = 0 AND date BETWEEN DATE '2026-10-05' AND DATE '2026-10-09')
           OR (pupil_id % 11 = 0 AND date = DATE '2026-09-15' AND NOT pm)
           OR (date = DATE '2026-11-12' AND pm)
           OR (date = DATE '${TODAY}' AND pm)`));
      pupils = await queryRows<Pupil>(
        c,
        `WITH p AS (SELECT upn, strftime(admission_date, '%Y-%m-%d') AS admission_date, strftime(leaving_date, '%Y-%m-%d') AS leaving_date,
                           admission_date > DATE '2026-09-03' AS joiner, leaving_date IS NOT NULL AS leaver,
                           upn NOT IN (SELECT k.upn FROM mark_days d JOIN pupil_ids k USING (pupil_id) WHERE d.authorised + d.unauthorised > 0) AS no_absence
                    FROM pupils)
         (SELECT upn, admission_date, leaving_date, 'leaver' AS kind FROM p WHERE leaver ORDER BY hash(upn) LIMIT 4)
         UNION ALL (SELECT upn, admission_date, leaving_date, 'joiner' FROM p WHERE joiner ORDER BY hash(upn) LIMIT 4)
         UNION ALL (SELECT upn, admission_date, leaving_date, 'no absence' FROM p WHERE no_absence ORDER BY hash(upn) LIMIT 4)
         UNION ALL (SELECT upn, admission_date, leaving_date, 'any' FROM p ORDER BY hash(upn) LIMIT 12)`,
      );
    });
  }, 600_000);
  afterAll(() => removeDb(db));

  const dues: DueSession[] = [dueThrough(TODAY), { date: TODAY, pm: false }];
  const spans = (p: Pupil) => [
    { from: "2026-08-01", to: TODAY },
    { from: p.admission_date, to: TODAY },
    { from: "2026-11-09", to: "2026-11-20" },
  ];

  it("has pupils of each kind to compare", () => {
    for (const kind of ["leaver", "joiner", "no absence", "any"]) expect(pupils.some((p) => p.kind === kind)).toBe(true);
  });

  it("months and weeks: the same counts as the grouped query", async () => {
    await withConnection(db, async (c: Connection) => {
      const last = await lastMarkedParams(c);
      let partial = 0;
      let unmarked = 0;
      let units = 0;
      for (const p of pupils) {
        for (const span of spans(p).map((s) => onRoll(p, s))) {
          if (!span) continue;
          for (const grain of ["month", "week"] as const) {
            for (const due of dues) {
              const mine = await onePupilCoverageCounts(c, p.upn, span, grain, due, last);
              expect(mine, `${p.kind} ${p.upn} ${grain} ${span.from}–${span.to} due ${due.date} ${due.pm}`).toEqual(await monthCoverageByQuery(c, span, p.upn, grain, due));
              units += mine.length;
              partial += mine.filter((u) => u.covered < u.school_days).length;
              unmarked += mine.reduce((sum, u) => sum + u.unmarked_days, 0);
            }
          }
        }
      }
      // Not a comparison of empty lists: part months and unmarked days among them.
      expect(units).toBeGreaterThan(200);
      expect(partial).toBeGreaterThan(10);
      expect(unmarked).toBeGreaterThan(10);
    });
  }, 600_000);

  it("unmarked days: the same count as the whole register's query", async () => {
    await withConnection(db, async (c: Connection) => {
      const last = await lastMarkedParams(c);
      let some = 0;
      for (const span of [{ from: "2026-08-01", to: TODAY }, { from: "2026-11-09", to: "2026-11-20" }, { from: "2025-09-01", to: "2026-07-22" }]) {
        for (const due of dues) {
          const all = await unmarkedDaysByPupil(c, span, due);
          for (const { upn } of pupils) {
            const mine = await onePupilUnmarkedDays(c, upn, await onePupilRoll(c, upn), span, due, last);
            expect(mine, `${upn} ${span.from}–${span.to}`).toBe(all.get(upn) ?? 0);
            // The one-pupil call of unmarkedDaysByPupil (the leave-of-absence check's) too.
            expect((await unmarkedDaysByPupil(c, span, due, upn)).get(upn) ?? 0).toBe(mine);
            if (mine > 0) some++;
          }
        }
      }
      expect(some).toBeGreaterThan(10);
      expect(await onePupilUnmarkedDays(c, "NO-SUCH-PUPIL", await onePupilRoll(c, "NO-SUCH-PUPIL"), { from: "2026-08-01", to: TODAY }, dues[0], last)).toBe(0);
    });
  }, 600_000);
});
