/**
 * An import's record (/imports/N) names the packs its new marks reached as the Import page named
 * them on the day (analytics/import/amended-periods.ts importRecordReach), whenever it is read and
 * whatever later imports did (review 54: opened in January it named December's and the autumn's
 * packs, made after the import with its marks; after a later import amended every mark held
 * before it, it named none).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeInstance, withConnection } from "../analytics/db.ts";
import { initSchool } from "../analytics/cli/commands/init.ts";
import { importFiles } from "../analytics/import/index.ts";
import { importReach, importReachWords, importRecordReach } from "../analytics/import/amended-periods.ts";
import { BY, marksCsv, pupil, pupilsCsv, upn } from "./fixtures/import/helpers.ts";

const TODAY = "2026-12-07";
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rollcall-record-reach-"));
const db = path.join(dir, "school.duckdb");
const file = (name: string, text: string) => {
  fs.writeFileSync(path.join(dir, name), text);
  return path.join(dir, name);
};
const present = (n: number, days: string[]) => days.flatMap((d) => [[upn(n), d, "AM", "/"], [upn(n), d, "PM", "\\"]]);
const WEEK = ["2026-11-30", "2026-12-01", "2026-12-02", "2026-12-03", "2026-12-04"];
const HELD = ["2026-09-08", "2026-10-05", "2026-11-02", "2026-11-23"];
let weekId = 0;
const todayBefore = process.env.ROLLCALL_TODAY;

beforeAll(async () => {
  process.env.ROLLCALL_TODAY = TODAY;
  await initSchool(db, { school: "Brook Lane Primary", urn: "123456" });
  const calendar = file("calendar.csv", "kind,name,start_date,end_date\nhalf_term,autumn-1,2026-09-01,2026-10-23\nhalf_term,autumn-2,2026-11-02,2026-12-18\nhalf_term,spring-1,2027-01-05,2027-02-12\n");
  await importFiles(db, { calendar, pupils: file("pupils.csv", pupilsCsv([pupil(1), pupil(2)])), marks: file("marks.csv", marksCsv(present(1, HELD))) }, { by: BY, asOf: TODAY });
  const [week] = await importFiles(db, { marks: file("week.csv", marksCsv(present(1, WEEK))) }, { by: BY, asOf: TODAY });
  weekId = week.importId!;
}, 60_000);

afterAll(async () => {
  if (todayBefore === undefined) delete process.env.ROLLCALL_TODAY;
  else process.env.ROLLCALL_TODAY = todayBefore;
  await closeInstance(db);
  fs.rmSync(dir, { recursive: true, force: true });
});

// By hand: of the week's 10 new marks, 30 Nov's 2 lie in November, over on 7 Dec; December is to date.
const ON_THE_DAY = "2 new marks dated in a period already ended, the earliest on Mon 30 Nov 2026: the figures of these packs may have changed since a copy was made — the SLT pack for November 2026.";

describe("an import's record read later", () => {
  it("on the day: November's pack alone, as the Import page said", async () => {
    expect(importReachWords(await withConnection(db, (c) => importReach(c, [weekId], TODAY)))).toBe(ON_THE_DAY);
    expect(importReachWords((await withConnection(db, (c) => importRecordReach(c, weekId)))!)).toBe(ON_THE_DAY);
  });

  it("opened in January: the same packs, not December's or the autumn's, ended since", async () => {
    process.env.ROLLCALL_TODAY = "2027-01-11";
    try {
      expect(importReachWords((await withConnection(db, (c) => importRecordReach(c, weekId)))!)).toBe(ON_THE_DAY);
    } finally {
      process.env.ROLLCALL_TODAY = TODAY;
    }
  });

  it("after a later import amended every mark held before it: still November's pack", async () => {
    await importFiles(db, { marks: file("corrected.csv", marksCsv(HELD.flatMap((d) => [[upn(1), d, "AM", "L"], [upn(1), d, "PM", "L"]]))) }, { by: BY, asOf: TODAY });
    expect(importReachWords((await withConnection(db, (c) => importRecordReach(c, weekId)))!)).toBe(ON_THE_DAY);
  });

  it("is null for an import there is none of", async () => {
    expect(await withConnection(db, (c) => importRecordReach(c, 999))).toBeNull();
  });
});
