/**
 * Issue 13, case 13: inside a week the Overview shows absence and the pupils absent at least
 * once, not "persistently absent pupils" (10 % of a pupil's own sessions: a measure over a
 * term or a year). pupilsAbsent counted by hand on a week of four pupils.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withConnection } from "../analytics/db.ts";
import { pupilMeasures, pupilsAbsent, summarise } from "../analytics/measures.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";
import { daysOf, seedRegister } from "./helpers/register.ts";

const db = tempDbPath("weekly-figures");
const WEEK = { from: "2025-01-06", to: "2025-01-10" };
const present = (extra: Record<string, [string, string]> = {}) => ({
  "2025-01-06": ["/", "\\"] as [string, string],
  "2025-01-07": ["/", "\\"] as [string, string],
  "2025-01-08": ["/", "\\"] as [string, string],
  "2025-01-09": ["/", "\\"] as [string, string],
  "2025-01-10": ["/", "\\"] as [string, string],
  ...extra,
});

beforeAll(async () => {
  await withConnection(db, (c) =>
    seedRegister(c, {
      pupils: [{ upn: "A" }, { upn: "B" }, { upn: "C" }, { upn: "D" }],
      marks: [
        ...daysOf("A", present()),
        // One session of illness: absent once (and, counted inside a week, "persistently absent").
        ...daysOf("B", present({ "2025-01-07": ["I", "\\"] })),
        // Three unauthorised sessions.
        ...daysOf("C", present({ "2025-01-08": ["O", "O"], "2025-01-09": ["/", "G"] })),
        // An approved educational activity is not an absence.
        ...daysOf("D", present({ "2025-01-10": ["P", "P"] })),
      ],
    }),
  );
});

afterAll(() => removeDb(db));

describe("pupils absent in a week", () => {
  it("counts the pupils with at least one absent session, of the pupils with sessions", async () => {
    const counted = await withConnection(db, (c) => pupilsAbsent(c, WEEK));
    expect(counted).toEqual({ absent: 2, pupils: 4 });
    // Persistent absence counted inside this week would call both "persistently absent":
    // the reason the weekly figure is pupils absent and the absence rate instead.
    const week = await withConnection(db, (c) => summarise(c, WEEK));
    expect(week.pa_pupils).toBe(2);
    expect(week.absence_pct).toBeCloseTo((100 * 4) / 40, 10);
  });

  it("counts nobody on a day with no absence", async () => {
    expect(await withConnection(db, (c) => pupilsAbsent(c, { from: "2025-01-06", to: "2025-01-06" }))).toEqual({ absent: 0, pupils: 4 });
  });

  it("equals the count from the per-pupil measures (its former path) over periods starting and ending mid-week", async () => {
    for (const period of [WEEK, { from: "2025-01-07", to: "2025-01-09" }, { from: "2025-01-01", to: "2025-01-08" }]) {
      await withConnection(db, async (c) => {
        const pupils = (await pupilMeasures(c, period)).filter((p) => p.possible_sessions > 0);
        const expected = { absent: pupils.filter((p) => p.authorised_sessions + p.unauthorised_sessions > 0).length, pupils: pupils.length };
        expect(await pupilsAbsent(c, period)).toEqual(expected);
      });
    }
    // Tuesday to Thursday: B (Tuesday's I) and C (Wednesday's O O, Thursday's G) absent.
    expect(await withConnection(db, (c) => pupilsAbsent(c, { from: "2025-01-07", to: "2025-01-09" }))).toEqual({ absent: 2, pupils: 4 });
  });
});
