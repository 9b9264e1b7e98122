/**
 * A period asked for by a name no page reads is said, not silently ignored:
 * `/pupils?academic_year=2024-25` showed the year to date without a word (session 27's
 * fresh-clone trial). Pages read an academic year as period=academic-year&year=…, which the
 * notice gives. Register by hand: school days Mon 9 – Fri 13 March 2026, one pupil.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withConnection } from "../analytics/db.ts";
import { importCalendar } from "../analytics/import/index.ts";
import { resolveView } from "../app/lib/view.server.ts";
import { daysOf, seedRegister } from "./helpers/register.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";
import { restoreTodayAfterAll } from "./helpers/break-register.ts";

const db = tempDbPath("period-name-slip");
restoreTodayAfterAll();

beforeAll(async () => {
  process.env.ROLLCALL_TODAY = "2026-03-13T16:00";
  await withConnection(db, async (c) => {
    await importCalendar(c, { file: "calendar.csv", text: "kind,name,start_date,end_date\nhalf_term,spring-2,2026-03-09,2026-03-13\n", by: { name: "Test", role: "Test" } });
    await seedRegister(c, { pupils: [{ upn: "A", surname: "Able" }], marks: daysOf("A", { "2026-03-09": ["/", "\\"] }) });
  });
});
afterAll(() => removeDb(db));

describe("a period by a name no page reads", () => {
  it("academic_year=2024-25 is named, with the address that chooses it", async () => {
    const view = await withConnection(db, (c) => resolveView(c, new Request("http://localhost/pupils?academic_year=2024-25")));
    expect(view.notice).toBe('Not read in the address: academic_year "2024-25" (an academic year is chosen as period=academic-year&year=2024-25).');
    const half = await withConnection(db, (c) => resolveView(c, new Request("http://localhost/trends?half_term=spring-2-2026")));
    expect(half.notice).toBe('Not read in the address: half_term "spring-2-2026" (a half term is chosen as period=half-term&half=spring-2-2026).');
    // The address's own form is read without a word.
    const read = await withConnection(db, (c) => resolveView(c, new Request("http://localhost/pupils?period=academic-year&year=2025-26")));
    expect([read.notice, read.period.from]).toEqual([null, "2025-08-01"]);
  });
});
