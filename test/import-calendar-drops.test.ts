/**
 * A calendar file replaces its academic years (analytics/import/calendar.ts). A stored
 * closure it no longer lists turns its days back into school days: the summary says what goes
 * (trial20a: "6 unchanged" while six closures were deleted), and a past closure day with no
 * marks is refused unless the same import brings that day's marks.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { inTransaction, queryRows, withConnection, type Connection } from "../analytics/db.ts";
import { importCalendar, importFiles } from "../analytics/import/index.ts";
import { tempDbPath, removeDb } from "./helpers/db.ts";
import { BY, fingerprint, marksCsv, pupil, pupilsCsv, upn } from "./fixtures/import/helpers.ts";

let db: string;
let dir: string;
beforeEach(() => {
  db = tempDbPath("import-calendar-drops");
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "calendar-drops-"));
});
afterEach(async () => {
  await removeDb(db);
  fs.rmSync(dir, { recursive: true, force: true });
  delete process.env.ROLLCALL_TODAY;
});

const tx = <T>(work: (conn: Connection) => Promise<T>) => withConnection(db, (conn) => inTransaction(conn, () => work(conn)));
const load = (text: string, file = "calendar.csv") => tx((conn) => importCalendar(conn, { file, text, by: BY }));
const write = (name: string, text: string) => {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
};

// Autumn 1 2025: Mon 1 Sep to Fri 12 Sep, 10 weekdays; INSET Mon 1 and Tue 2 Sep; a strike Fri 12 Sep.
const HEADER = "kind,name,start_date,end_date\n";
const HALF_TERM = "half_term,autumn-1,2025-09-01,2025-09-12\n";
const INSET = "closure,INSET day,2025-09-01,2025-09-02\n";
const STRIKE = "closure,Strike,2025-09-12,2025-09-12\n";
const FULL = HEADER + HALF_TERM + INSET + STRIKE;

const schoolDays = () => withConnection(db, async (c) => (await queryRows(c, "SELECT date FROM school_days ORDER BY date")).map((r) => r.date));

describe("a calendar that drops stored closures", () => {
  it("refuses to make past closure days with no marks into school days, naming the closure and how to keep it, and changes nothing", async () => {
    process.env.ROLLCALL_TODAY = "2025-11-30";
    await load(FULL);
    const before = await withConnection(db, fingerprint);
    const error = await load(HEADER + HALF_TERM, "half-terms.csv").then(
      () => null,
      (e: Error) => e,
    );
    // The file's last row is line 2: the missing closure's row would go after it.
    expect(error?.message).toBe(
      [
        'half-terms.csv:2:1: the stored closure "INSET day" (1 Sep 2025 to 2 Sep 2025) is not in this file (its row would go after this, the last line), and removing it would make its past days school days on which no pupil has a mark: every pupil on roll would show a gap there. Add it back as closure,INSET day,2025-09-01,2025-09-02, or, if the school was open, import that day\'s marks with this calendar',
        'half-terms.csv:2:1: the stored closure "Strike" (12 Sep 2025) is not in this file (its row would go after this, the last line), and removing it would make its past days school days on which no pupil has a mark: every pupil on roll would show a gap there. Add it back as closure,Strike,2025-09-12,2025-09-12, or, if the school was open, import that day\'s marks with this calendar',
      ].join("\n"),
    );
    expect(await withConnection(db, fingerprint)).toEqual(before);
  });

  it("removes future closures, counting and naming them in the summary (a dry run shows the same)", async () => {
    process.env.ROLLCALL_TODAY = "2025-08-20";
    await load(FULL);
    const s = await load(HEADER + HALF_TERM + STRIKE, "moved-inset.csv");
    expect(s).toMatchObject({ rowsRead: 2, inserted: 0, amended: 0, unchanged: 2, removed: 1 });
    expect(s.notes).toEqual(['1 stored entry is not in this file and goes (the file replaces its academic years): closure "INSET day" (1 Sep 2025 to 2 Sep 2025)']);
    expect(await schoolDays()).toHaveLength(9);
  });

  it("lets a past closure go when the same import brings marks for its days (the school was open)", async () => {
    process.env.ROLLCALL_TODAY = "2025-11-30";
    await load(FULL);
    const calendar = write("calendar.csv", HEADER + HALF_TERM + STRIKE);
    const roll = [1, 2].map((n) => pupil(n, { admission_date: "2025-09-01" }));
    // Every weekday of autumn 1 but the strike, both sessions, both pupils: 1 and 2 Sep are marked.
    const days = ["01", "02", "03", "04", "05", "08", "09", "10", "11"].map((d) => `2025-09-${d}`);
    const marks = [1, 2].flatMap((n) => days.flatMap((d) => ["AM", "PM"].map((s) => [upn(n), d, s, "/"])));
    const [cal, , marked] = await importFiles(
      db,
      { calendar, pupils: write("pupils.csv", pupilsCsv(roll)), marks: write("marks.csv", marksCsv(marks)) },
      { by: BY, asOf: "2025-09-01" },
    );
    expect(cal).toMatchObject({ removed: 1, notes: ['1 stored entry is not in this file and goes (the file replaces its academic years): closure "INSET day" (1 Sep 2025 to 2 Sep 2025)'] });
    expect(marked.inserted).toBe(36);
    expect((await schoolDays()).slice(0, 2)).toEqual(["2025-09-01", "2025-09-02"]);
  });

  it("counts a dropped half term and a dropped closure outside any half term, which reopen no school day", async () => {
    process.env.ROLLCALL_TODAY = "2026-11-30";
    const year = HEADER + HALF_TERM + "half_term,autumn-2,2025-11-03,2025-11-07\nclosure,Staff training,2025-10-27,2025-10-27\n";
    await load(year);
    const s = await load(HEADER + HALF_TERM, "autumn-1-only.csv");
    expect(s).toMatchObject({ unchanged: 1, removed: 2, importId: 2 });
    expect(s.notes).toEqual([
      '2 stored entries are not in this file and go (the file replaces its academic years): half term autumn-2 2025 (3 Nov 2025 to 7 Nov 2025); closure "Staff training" (27 Oct 2025)',
    ]);
    expect(await schoolDays()).toHaveLength(10);
  });
});
