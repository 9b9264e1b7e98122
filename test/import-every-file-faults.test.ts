/**
 * An import of several files with faults lists every file's faults in one refusal (fresh-clone
 * trial 29: a faulty pupils file and a faulty marks file together were refused with the pupils
 * file's 2 errors alone; the marks file's 7 came on the next try). A marks file is checked
 * against the roll as stored when the pupils file is refused, its pupils' marks not called
 * marks of unknown pupils, and the refusal says so; nothing is written. The importer (the
 * Import page's and the CLI's) and `rollcall import` with both files, on the CLI tests' small
 * register (spring 2 2026, pupils A… and B…).
 */
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeAllInstances, queryRows, withConnection } from "../analytics/db.ts";
import { importFiles } from "../analytics/import/index.ts";
import { ImportRefused } from "../analytics/import/problems.ts";
import { importUploads } from "../app/lib/import.server.ts";
import { cliOn, fileWriter, writeSmallRegister } from "./helpers/cli.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";
import { BY, upn } from "./fixtures/import/helpers.ts";

const db = tempDbPath("import-every-file-faults");
const dir = path.dirname(db);
const write = fileWriter(dir, "\n");
const NEW = upn(3);
const UNKNOWN = upn(99);
// Two faults: a sex that is none, an SEN that is none; NEW is a pupil the file adds.
const badPupils = write("bad-pupils.csv", [
  "UPN,Legal Forename,Legal Surname,DOB,Gender,Year,Reg Group,Admission Date,Leaving Date,SEN,FSM,EAL,LAC,Ethnicity",
  `${NEW},Cy,Twp,2016-04-01,X,4,4A,2026-03-02,,N,N,N,N,WBRI`,
  "A123456789012,Ada,Lovelace,2016-04-01,F,4,4A,2025-09-01,,Q,Y,N,N,WBRI",
]);
// Six faults: a Saturday, an unknown pupil, code "9", withdrawn "H", a session given twice, a session "XM";
// NEW's mark is none (the refused pupils file gives the pupil).
const badMarks = write("bad-marks.csv", [
  "upn,date,session,code",
  "A123456789012,2026-03-07,AM,/",
  `${UNKNOWN},2026-03-05,AM,/`,
  "A123456789012,2026-03-05,AM,9",
  "A123456789012,2026-03-05,PM,H",
  "B123456789012,2026-03-05,AM,/",
  "B123456789012,2026-03-05,AM,L",
  "B123456789012,2026-03-06,XM,/",
  `${NEW},2026-03-05,AM,/`,
]);
const goodMarks = write("good-marks.csv", ["upn,date,session,code", "A123456789012,2026-03-05,AM,/", `${NEW},2026-03-05,AM,/`]);

const stored = () =>
  withConnection(db, async (c) => (await queryRows<{ n: number }>(c, "SELECT (SELECT count(*) FROM mark_store) * 1000 + (SELECT count(*) FROM pupils) AS n"))[0].n);

beforeAll(async () => {
  const small = writeSmallRegister(dir);
  await importFiles(db, small, { by: BY, asOf: "2025-09-01" });
}, 120_000);
afterAll(async () => {
  await closeAllInstances();
  await removeDb(db);
});

async function refusal(files: { calendar?: string; pupils?: string; marks?: string }): Promise<ImportRefused> {
  const error = await importFiles(db, files, { by: BY, asOf: "2025-09-01" }).catch((e: unknown) => e);
  if (!(error instanceof ImportRefused)) throw new Error(`not refused as a list: ${String(error)}`);
  return error;
}

describe("an import of a faulty pupils file and a faulty marks file", () => {
  it("lists both files' faults in one refusal, says how the marks were checked, and writes nothing", async () => {
    const before = await stored();
    const refused = await refusal({ pupils: badPupils, marks: badMarks });
    const byFile = (file: string) => refused.errors.filter((e) => e.file === file).map((e) => e.reason);
    expect(byFile("bad-pupils.csv")).toHaveLength(2);
    const marks = byFile("bad-marks.csv");
    expect(marks).toHaveLength(6);
    expect(refused.total).toBe(8);
    expect(marks.join("\n")).toContain(`unknown pupil ${UNKNOWN}`);
    expect(marks.join("\n")).not.toContain(NEW);
    expect(refused.notes).toEqual([
      "bad-marks.csv was checked against the pupils already on the roll, as bad-pupils.csv was refused: a mark of a pupil that file adds or changes is checked once it is imported.",
    ]);
    expect(refused.message).toContain(refused.notes[0]);
    expect(await stored()).toBe(before);
  });

  it("a faultless marks file beside a refused pupils file: refused with the pupils file's faults and the note", async () => {
    const before = await stored();
    const refused = await refusal({ pupils: badPupils, marks: goodMarks });
    expect(new Set(refused.errors.map((e) => e.file))).toEqual(new Set(["bad-pupils.csv"]));
    expect(refused.notes).toHaveLength(1);
    expect(await stored()).toBe(before);
  });

  it("a refused calendar: its faults, and that the files checked against it were not", async () => {
    const calendar = write("bad-calendar.csv", ["kind,name,start_date,end_date", "half_term,spring-9,2026-02-23,2026-03-27"]);
    const refused = await refusal({ calendar, marks: badMarks });
    expect(refused.errors.map((e) => e.file)).toEqual(["bad-calendar.csv"]);
    expect(refused.notes).toEqual(["The other files were not checked: they are checked against the school calendar, and bad-calendar.csv was refused."]);
  });

  it("the Import page's outcome lists both files' faults and the note", async () => {
    process.env.ROLLCALL_DB = db;
    const outcome = await importUploads({ pupils: badPupils, marks: badMarks }, { by: BY, asOf: "2025-09-01" });
    if (outcome.ok) throw new Error("imported");
    expect(outcome.total).toBe(8);
    expect(outcome.errors?.map((e) => e.file).sort()).toEqual([...Array(2).fill("bad-marks.csv"), ...Array(4).fill("bad-marks.csv"), ...Array(2).fill("bad-pupils.csv")]);
    expect(outcome.notes).toHaveLength(1);
  });

  it("rollcall import --pupils --marks prints every file's faults", async () => {
    await closeAllInstances();
    const result = await cliOn(db)("import", "--pupils", badPupils, "--marks", badMarks, "--as-of", "2025-09-01");
    expect(result.code).toBe(1);
    const lines = result.stderr.split("\n");
    expect(lines.filter((l) => l.startsWith("bad-pupils.csv:"))).toHaveLength(2);
    expect(lines.filter((l) => l.startsWith("bad-marks.csv:"))).toHaveLength(6);
    expect(result.stderr).toContain("was checked against the pupils already on the roll");
  }, 60_000);
});
