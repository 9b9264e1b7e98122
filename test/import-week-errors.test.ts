/**
 * A refused marks file lists every fault at once (README: "up to 50 errors … fixed in one
 * pass"), whatever its layout: a week string's own faults (too long, a week start that is not
 * a Monday) no longer stop the reading at the first, a fault found twice in one place (an
 * unknown pupil's every mark, both sessions of a day after today) is said once, and a bad
 * code in a week string names its character, day and session. A fresh-clone trial's file
 * reported only its one over-long week string and hid the rest.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryOne, withConnection } from "../analytics/db.ts";
import { importFiles } from "../analytics/import/index.ts";
import { ImportRefused } from "../analytics/import/problems.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";
import { BY, pupil, pupilsCsv, upn } from "./fixtures/import/helpers.ts";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rollcall-week-errors-"));
const write = (name: string, content: string) => {
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return file;
};
let db: string;

beforeAll(async () => {
  process.env.ROLLCALL_TODAY = "2024-09-04";
  db = tempDbPath("week-errors");
  await importFiles(
    db,
    { calendar: write("calendar.csv", "kind,name,start_date,end_date\nhalf_term,autumn-1,2024-09-02,2024-10-25\n"), pupils: write("pupils.csv", pupilsCsv([1, 2].map((n) => pupil(n, { admission_date: "2019-09-02" })))) },
    { by: BY, asOf: "2024-09-02" },
  );
}, 120_000);
afterAll(async () => {
  delete process.env.ROLLCALL_TODAY;
  await removeDb(db);
  fs.rmSync(dir, { recursive: true, force: true });
});

async function refusal(name: string, content: string): Promise<string[]> {
  const error = await importFiles(db, { marks: write(name, content) }, { by: BY }).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ImportRefused);
  return (error as ImportRefused).errors.map((e) => e.message);
}

describe("a refused week-strings file", () => {
  it("lists every fault, each once, and names the character of a bad code", async () => {
    const unknown = "Z820200000991";
    const messages = await refusal(
      "weeks.csv",
      [
        "UPN,WeekStart,WeekMarks",
        `${upn(1)},02/09/24,L\\/\\/\\9`,
        `${upn(2)},02/09/24,${"/\\".repeat(14)}`,
        `${unknown},02/09/24,/\\/\\`,
        `${upn(2)},03/09/24,/\\`,
        `${upn(1)},09/09/24,/\\`,
      ].join("\n") + "\n",
    );
    expect(messages).toHaveLength(5);
    expect(messages[0]).toBe(`weeks.csv:2:3: character 7 of the week string (Thursday 2024-09-05 AM): unknown attendance code "9"`);
    expect(messages[1]).toMatch(/^weeks\.csv:3:3: a week string holds at most 14 marks .* this one has 28$/);
    expect(messages[2]).toMatch(new RegExp(`^weeks\\.csv:4:1: .*${unknown}`));
    expect(messages[3]).toMatch(/^weeks\.csv:5:2: week start 2024-09-03 is a Tuesday/);
    expect(messages[4]).toMatch(/^weeks\.csv:6:\d+: .*2024-09-09.*after today/);
    // Refused: nothing was written.
    expect(await withConnection(db, (c) => queryOne<{ n: number }>(c, "SELECT count(*)::INTEGER AS n FROM mark_store"))).toEqual({ n: 0 });
  });

  it("lists every fault of one row: each weekend mark and a bad code, a week start that is not a Monday and a string too long", async () => {
    // Row 2: Monday PM "9" (no such code), Saturday AM "/" and Sunday PM "\\" (marks on a weekend),
    // Thursday and Friday without a mark. Row 3: a Tuesday start and 16 characters.
    const messages = await refusal("two.csv", ["UPN,WeekStart,WeekMarks", `${upn(1)},02/09/24,/9/\\/\\    /##\\`, `${upn(2)},03/09/24,${"/\\".repeat(8)}`].join("\n") + "\n");
    expect(messages).toEqual([
      'two.csv:2:3: character 11 of the week string ("/", Saturday 2024-09-07 AM) is a mark on a weekend; Saturday and Sunday are written "#" (no school)',
      'two.csv:2:3: character 14 of the week string ("\\", Sunday 2024-09-08 PM) is a mark on a weekend; Saturday and Sunday are written "#" (no school)',
      'two.csv:2:3: character 2 of the week string (Monday 2024-09-02 PM): unknown attendance code "9"',
      "two.csv:3:2: week start 2024-09-03 is a Tuesday: a week string starts on a Monday",
      "two.csv:3:3: a week string holds at most 14 marks (Monday AM to Sunday PM); this one has 16",
    ]);
  });

  it("a grid row short of fields does not hide the next row's faults", async () => {
    const messages = await refusal("grid.csv", `UPN,Surname,Forename,2024-09-02 AM,2024-09-02 PM\n${upn(1)},S,F\n${upn(2)},S,F,/,9\n`);
    expect(messages).toHaveLength(2);
    expect(messages[0]).toBe("grid.csv:2:4: expected 5 fields as in the header, found 3");
    expect(messages[1]).toMatch(/^grid\.csv:3:5: unknown attendance code "9"/);
  });
});
