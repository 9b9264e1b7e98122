/**
 * A governor's approved educational activity (AEA) is not given on its own (fresh-clone trial,
 * session 21): Codes by week read "2" AEA sessions in the week of 21 September 2026 after one
 * pupil's two K (off-site provision) marks. AEA is a handful of pupils in any week or group and
 * is not a cell of the suppression plan, so governors are given sessions attended in all
 * (present + AEA: analytics/governor-view.ts attendedOnly), by week, by half term and over the
 * span; staff still see AEA. Register by hand: one class of 30 pupils over two weeks (one half
 * term), everyone present every session except P1, whose Wednesday of week 2 is K K. No pupil
 * is absent, so no day has 1 to 4 pupils absent and the weeks themselves are given.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withConnection } from "../analytics/db.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";
import { registerOf, seedSchoolDays } from "./helpers/calendar.ts";
import { seedRegister } from "./helpers/register.ts";
import { createTestAccounts, type TestAccount } from "./helpers/auth.ts";
import { loaderData } from "./helpers/loader.ts";
import { restoreTodayAfterAll } from "./helpers/break-register.ts";
import { loader as codesLoader } from "../app/routes/codes.tsx";
import { loader as trendsLoader } from "../app/routes/trends.tsx";
import { loader as patternsLoader } from "../app/routes/patterns.tsx";
import { loader as overviewLoader } from "../app/routes/_index.tsx";
import { loader as classesLoader } from "../app/routes/classes.tsx";
import { loader as groupsLoader } from "../app/routes/groups.tsx";

const db = tempDbPath("governor-aea-slices");
const SPAN = { from: "2025-01-06", to: "2025-01-17" };
const PUPILS = Array.from({ length: 30 }, (_, i) => `P${i + 1}`);
let accounts: Record<string, TestAccount>;

beforeAll(async () => {
  await withConnection(db, async (c) => {
    const days = await seedSchoolDays(c, [{ ...SPAN, half: "spring-1-2025", term: "spring-2025" }]);
    await seedRegister(c, {
      pupils: PUPILS.map((upn) => ({ upn, spells: [{ from: "2024-09-01", year_group: "3", reg_group: "3A" }] })),
      marks: [...registerOf("P1", days, { "2025-01-15": ["K", "K"] }), ...PUPILS.slice(1).flatMap((u) => registerOf(u, days))],
    });
  });
  accounts = await createTestAccounts(db);
  // After the half term has ended: a governor's figures of it are given.
  process.env.ROLLCALL_TODAY = "2025-01-20";
});
restoreTodayAfterAll();
afterAll(() => removeDb(db));

const PERIOD = `period=custom&from=${SPAN.from}&to=${SPAN.to}`;
type Row = Record<string, unknown>;
/** Every AEA figure anywhere in a loader's data (any depth), and every present_sessions. */
function figures(data: unknown, key: string): unknown[] {
  const found: unknown[] = [];
  const walk = (value: unknown) => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === "object") for (const [k, v] of Object.entries(value)) (k === key || k.endsWith(` ${key}`) ? found.push(v) : walk(v));
  };
  walk(data);
  return found;
}

describe("a governor is never given approved educational activity on its own", () => {
  it("Codes by week: the week of 13 January is given, without its 2 AEA sessions (staff: 2)", async () => {
    const governor = await loaderData<{ categoriesOverTime: Row[] }>(codesLoader, db, accounts.governor.cookie, `/codes?${PERIOD}&by=week`);
    // The weeks are shown (no day has 1 to 4 pupils absent): the test is of AEA, not withholding.
    expect(governor.categoriesOverTime.map((row) => [row.group, row.withheld, row.absence_sessions])).toEqual([
      ["2025-01-06", null, 0],
      ["2025-01-13", null, 0],
    ]);
    expect(governor.categoriesOverTime.map((row) => row.aea_sessions)).toEqual([null, null]);
    const staff = await loaderData<{ categoriesOverTime: Row[] }>(codesLoader, db, accounts.attendance_lead.cookie, `/codes?${PERIOD}&by=week`);
    expect(staff.categoriesOverTime.map((row) => row.aea_sessions)).toEqual([0, 2]);
  });

  it("Codes by half term, Trends, Patterns, the Overview and Year groups & classes: no AEA figure but 0, sessions attended in all", async () => {
    const pages: Array<[string, Parameters<typeof loaderData>[0], string]> = [
      ["codes by half term", codesLoader, `/codes?${PERIOD}&by=half_term`],
      ["trends by week", trendsLoader, `/trends?${PERIOD}&by=week`],
      ["trends by half term", trendsLoader, `/trends?${PERIOD}&by=half_term`],
      ["patterns", patternsLoader, `/patterns?${PERIOD}`],
      ["overview", overviewLoader, `/?${PERIOD}`],
      ["classes", classesLoader, `/classes?${PERIOD}`],
      ["groups", groupsLoader, `/groups?${PERIOD}`],
    ];
    for (const [name, loader, url] of pages) {
      const data = await loaderData(loader, db, accounts.governor.cookie, url);
      const aea = figures(data, "aea_sessions");
      expect(aea.every((value) => value === null || value === 0), `${name}: ${JSON.stringify(aea)}`).toBe(true);
      // Present sessions, where sent, are sessions attended (present + AEA): a week of 30
      // pupils × 10 sessions (300), week 2 too, with P1's K K in it — never 298.
      const present = figures(data, "present_sessions");
      expect(present.includes(298) || present.includes(598), `${name}: ${JSON.stringify(present)}`).toBe(false);
    }
  });
});
