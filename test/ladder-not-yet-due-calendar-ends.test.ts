/**
 * A step not yet due as of a past date (the register first showed its rule after it:
 * register-showed.ts) whose due-by date the school calendar cannot give yet says so, as a step
 * due does (due-words.ts DUE_BY_UNKNOWN): the Casework lists' CSV and the SLT pack printed
 * nothing (the page "—"), as if the step had no date at all (review 50).
 *
 * Calendar: Autumn 1 Tue 1 Sep – Fri 23 Oct 2026, Autumn 2 Mon 2 Nov – Fri 18 Dec, nothing
 * after (next year's term dates not imported). The register seeded, every pupil present, to Fri
 * 27 Nov; the import made Mon 14 Dec brings the week of 30 Nov – 4 Dec and amends J's 13–16 Oct
 * to O (8 sessions: below 96 % from Wed 14 Oct, 112/120 = 93.3 % on 30 Nov). As of 30 Nov J's
 * 96 % letter is not yet due, due from 14 Dec; its 5 school days of grace would be 15, 16, 17,
 * 18 Dec and a day the calendar does not hold: due by not known yet.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withConnection } from "../analytics/db.ts";
import { caseworkLists } from "../analytics/casework/lists.ts";
import { ladderPolicyOf } from "../analytics/interventions/policy.ts";
import { getSettings } from "../analytics/settings.ts";
import { buildSltPack } from "../analytics/packs/index.ts";
import { DUE_BY_UNKNOWN } from "../analytics/due-words.ts";
import { caseworkCsv } from "../app/lib/casework-csv.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";
import { registerOf, seedSchoolDays, weekdays } from "./helpers/calendar.ts";
import { seedRegister } from "./helpers/register.ts";
import { bothSessions, importMade } from "./helpers/ladder.ts";
import { upn } from "./fixtures/import/helpers.ts";

const db = tempDbPath("ladder-not-yet-due-calendar-ends");
const [J, K] = [1, 2].map(upn);

beforeAll(async () => {
  await withConnection(db, async (c) => {
    const days = await seedSchoolDays(c, [
      { from: "2026-09-01", to: "2026-10-23", half: "autumn-1-2026", term: "autumn-2026" },
      { from: "2026-11-02", to: "2026-12-18", half: "autumn-2-2026", term: "autumn-2026" },
    ]);
    await seedRegister(c, { pupils: [J, K].map((u) => ({ upn: u, admission_date: "2026-09-01" })), marks: [J, K].flatMap((u) => registerOf(u, days.filter((d) => d <= "2026-11-27"))) });
    const week = days.filter((d) => d >= "2026-11-30" && d <= "2026-12-04");
    await importMade(c, "2026-12-14", [...bothSessions(J, weekdays("2026-10-13", "2026-10-16"), "O"), ...[J, K].flatMap((u) => registerOf(u, week).map((m) => [...m] as string[]))], 8);
  });
});
afterAll(() => removeDb(db));

/** A CSV line's cells (a quoted cell may hold commas; none here holds a quote). */
const cellsOf = (line: string): string[] => [...line.matchAll(/("[^"]*"|[^,]*)(,|$)/g)].slice(0, -1).map((m) => m[1].replace(/^"|"$/g, ""));

describe("a step not yet due whose due-by the calendar cannot give", () => {
  it("the Casework lists as of 30 Nov: not yet due, no date; their CSV says the date is not known yet", async () => {
    const lists = await withConnection(db, async (c) => {
      const settings = await getSettings(c);
      return caseworkLists(c, { asOf: "2026-11-30", policy: settings.policy, ladder: ladderPolicyOf(settings), pageSize: null });
    });
    const withJ = lists.filter((l) => l.pupils.some((p) => p.upn === J));
    expect(withJ.length).toBeGreaterThan(0);
    for (const list of withJ) expect(list.pupils.find((p) => p.upn === J)!.ladder).toMatchObject({ status: "not yet due", due_by: null, due_from: "2026-12-14" });
    const [header, ...lines] = caseworkCsv(withJ.slice(0, 1)).csv.trim().split(/\r?\n/);
    const columns = cellsOf(header);
    const cells = cellsOf(lines.find((l) => l.includes(J))!);
    expect(cells[columns.indexOf("Due by")]).toBe(DUE_BY_UNKNOWN);
    expect(cells[columns.indexOf("Status")]).toBe("not yet due");
  });

  it("November's SLT pack made on 14 Dec: its Due by cell says the date is not known yet", async () => {
    const pack = await withConnection(db, (c) => buildSltPack(c, { month: "2026-11", today: "2026-12-14", toDateTabs: false }));
    const section = pack.sections.find((s) => s.id === "thresholds")!;
    const cells: Array<{ kind: string; text?: string }> = [];
    for (const block of section.blocks) {
      if (block.kind !== "table") continue;
      const dueBy = block.table.columns.findIndex((col) => col.label === "Due by");
      const row = block.table.rows.find((r) => r[0].kind === "text" && r[0].text === `Surname ${J}, Forename ${J}`);
      if (row && dueBy >= 0) cells.push(row[dueBy] as { kind: string; text?: string });
    }
    expect(cells).toEqual([{ kind: "text", text: DUE_BY_UNKNOWN }]);
  });
});
