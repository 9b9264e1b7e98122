/**
 * An import that changes nothing (the same files twice) commits nothing: the data generation
 * stays where it was, so the result cache is kept and no listener of analytics/db.ts
 * onDataChanged (the web server's warm-up) is called; the CLI and the Import page say
 * "Nothing changed: N marks already recorded". Counts from test/helpers/cli.ts's small
 * register: 1 half term, 2 pupils, 12 marks (2 pupils × 3 days × AM/PM).
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeAllInstances, onDataChanged, queryRows, withConnection } from "../analytics/db.ts";
import { importFiles, nothingChangedMessage, nothingWouldChangeMessage } from "../analytics/import/index.ts";
import { cliOn, writeSmallRegister } from "./helpers/cli.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";
import { BY } from "./fixtures/import/helpers.ts";

const db = tempDbPath("import-no-op");
const dir = path.dirname(db);
const files = writeSmallRegister(dir);
const rollcall = cliOn(db);
const changes: (string | null)[] = [];
let stop: () => void = () => {};

beforeAll(async () => {
  stop = onDataChanged((file) => changes.push(file));
  const first = await importFiles(db, files, { by: BY, asOf: "2025-09-01" });
  expect(first.map((s) => [s.kind, s.inserted])).toEqual([["calendar", 1], ["pupils", 2], ["marks", 12]]);
  expect(nothingChangedMessage(first)).toBeNull();
  expect(changes).toHaveLength(1);
});
afterAll(async () => {
  stop();
  await removeDb(db);
});

describe("an import of files already stored", () => {
  it("commits nothing and notifies no listener, and says so", async () => {
    const importsBefore = await withConnection(db, (c) => queryRows(c, "SELECT count(*)::INTEGER AS n FROM imports"));
    const again = await importFiles(db, files, { by: BY, asOf: "2025-09-01" });
    expect(again.map((s) => [s.kind, s.inserted, s.amended, s.unchanged, s.importId])).toEqual([
      ["calendar", 0, 0, 1, null],
      ["pupils", 0, 0, 2, null],
      ["marks", 0, 0, 12, null],
    ]);
    expect(changes).toHaveLength(1);
    expect(nothingChangedMessage(again)).toBe("Nothing changed: 1 calendar row, 2 pupils, 12 marks already recorded. The register was not touched.");
    const importsAfter = await withConnection(db, (c) => queryRows(c, "SELECT count(*)::INTEGER AS n FROM imports"));
    expect(importsAfter).toEqual(importsBefore);
  });

  it("a preview of them says nothing would change, and what importing anyway would do; a preview that changes something does not", async () => {
    const preview = await importFiles(db, files, { by: BY, asOf: "2025-09-01", dryRun: true });
    expect(nothingWouldChangeMessage(preview)).toBe(
      "Nothing would change: everything in these files is already recorded (1 calendar row, 2 pupils, 12 marks). " +
        "Importing them anyway would leave the register, the import history and every figure exactly as they are.",
    );
    const changed = path.join(dir, "preview-one-changed.csv");
    fs.writeFileSync(changed, fs.readFileSync(files.marks, "utf8").replace("A123456789012,2026-03-02,AM,/", "A123456789012,2026-03-02,AM,I"));
    expect(nothingWouldChangeMessage(await importFiles(db, { marks: changed }, { by: BY, dryRun: true }))).toBeNull();
  });

  // Trial 28: a marks file of its header alone was previewed as "everything … is already recorded (0 marks)".
  it("a file of its header alone: says the file has no rows, by name", async () => {
    const headerOnly = path.join(dir, "header-only.csv");
    fs.writeFileSync(headerOnly, `${fs.readFileSync(files.marks, "utf8").split(/\r?\n/)[0]}\n`);
    const preview = await importFiles(db, { marks: headerOnly }, { by: BY, dryRun: true });
    expect(preview.map((s) => [s.rowsRead, s.inserted, s.unchanged])).toEqual([[0, 0, 0]]);
    expect(nothingWouldChangeMessage(preview)).toBe("Nothing would change: header-only.csv has no rows below its header, so there is nothing in it to import.");
    const withOthers = await importFiles(db, { pupils: files.pupils, marks: headerOnly }, { by: BY, asOf: "2025-09-01", dryRun: true });
    expect(nothingWouldChangeMessage(withOthers)).toBe(
      "Nothing would change: everything in the other files is already recorded (2 pupils), and header-only.csv has no rows below its header, so there is nothing in it to import.",
    );
    expect(nothingChangedMessage(await importFiles(db, { marks: headerOnly }, { by: BY }))).toBe(
      "Nothing changed: header-only.csv has no rows below its header, so there is nothing in it to import. The register was not touched.",
    );
  });

  it("the marks file alone: the CLI prints the sentence", async () => {
    await closeAllInstances(); // DuckDB lets one process hold the file
    const result = await rollcall("import", "--marks", files.marks);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Nothing changed: 12 marks already recorded. The register was not touched.");
  });

  it("one mark changed: commits, notifies once and says nothing of the kind", async () => {
    const changed = path.join(dir, "one-changed.csv");
    fs.writeFileSync(changed, fs.readFileSync(files.marks, "utf8").replace("B123456789012,2026-03-04,AM,/", "B123456789012,2026-03-04,AM,I"));
    const before = changes.length;
    const summaries = await importFiles(db, { marks: changed }, { by: BY });
    expect(summaries.map((s) => [s.amended, s.unchanged])).toEqual([[1, 11]]);
    expect(changes.length).toBe(before + 1);
    expect(nothingChangedMessage(summaries)).toBeNull();
  });
});
