import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { inTransaction, queryRows, withConnection, type Connection } from "../analytics/db.ts";
import { importFiles, importMarks, importPupils } from "../analytics/import/index.ts";
import { tempDbPath, removeDb } from "./helpers/db.ts";
import { BY, marksCsv, pupil, pupilsCsv, upn } from "./fixtures/import/helpers.ts";

// An import's number is an audit trail's: the Imports page lists them, /imports/N opens one, a
// mark says which import wrote it. Nothing that left no import behind — a refused file, a
// preview (a dry run, rolled back), a transaction rolled back for any reason — may use a number
// up, or the list reads 1, 2, 4, 7 and a head asks what happened to 3, 5 and 6.

let db: string;
let dir: string;
beforeEach(async () => {
  db = tempDbPath("import-ids");
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "import-ids-"));
  await tx((conn) => importPupils(conn, { file: "pupils.csv", text: pupilsCsv([pupil(1, { admission_date: "2021-09-01" })]), by: BY, asOf: "2024-09-02" }));
});
afterEach(async () => {
  await removeDb(db);
  fs.rmSync(dir, { recursive: true, force: true });
});

const tx = <T>(work: (conn: Connection) => Promise<T>) => withConnection(db, (conn) => inTransaction(conn, () => work(conn)));
const recorded = () => withConnection(db, async (conn) => (await queryRows<{ id: number }>(conn, "SELECT import_id::INTEGER AS id FROM imports ORDER BY import_id")).map((r) => r.id));
const file = (name: string, text: string) => {
  const at = path.join(dir, name);
  fs.writeFileSync(at, text);
  return at;
};

const good = marksCsv([
  [upn(1), "2024-09-02", "AM", "/"],
  [upn(1), "2024-09-02", "PM", "I"],
]);

describe("import numbers", () => {
  it("run on without gaps after refusals, previews and rolled-back imports", async () => {
    expect(await recorded()).toEqual([1]);
    // A refused file (a code the register has no meaning for) is refused whole...
    await expect(tx((conn) => importMarks(conn, { file: "bad.csv", text: marksCsv([[upn(1), "2024-09-02", "AM", "?!"]]), by: BY }))).rejects.toThrow(/bad\.csv/);
    // ...a preview imports and rolls back...
    const preview = await importFiles(db, { marks: file("marks.csv", good) }, { by: BY, dryRun: true });
    expect(preview).toMatchObject([{ kind: "marks", inserted: 2, importId: null }]);
    // ...and so does a transaction that fails after the import inside it had changed the store.
    await expect(
      tx(async (conn) => {
        await importMarks(conn, { file: "marks.csv", text: good, by: BY });
        throw new Error("rolled back");
      }),
    ).rejects.toThrow("rolled back");
    expect(await recorded()).toEqual([1]);

    const [made] = await importFiles(db, { marks: file("marks.csv", good) }, { by: BY });
    expect(made).toMatchObject({ inserted: 2, importId: 2 });
    const amend = marksCsv([[upn(1), "2024-09-02", "PM", "M"]]);
    const [amended] = await importFiles(db, { marks: file("amend.csv", amend) }, { by: BY, reason: "Medical appointment confirmed" });
    expect(amended).toMatchObject({ amended: 1, importId: 3 });
    expect(await recorded()).toEqual([1, 2, 3]);
    // The marks carry the numbers the list gives.
    const stamps = await withConnection(db, (conn) => queryRows<{ session: string; import_id: number }>(conn, "SELECT session, import_id::INTEGER AS import_id FROM marks ORDER BY session"));
    expect(stamps).toEqual([
      { session: "AM", import_id: 2 },
      { session: "PM", import_id: 3 },
    ]);
  });

  it("number the files of one import in turn", async () => {
    const pupils = file("pupils.csv", pupilsCsv([pupil(1, { admission_date: "2021-09-01" }), pupil(2, { admission_date: "2022-09-01" })]));
    const marks = file("marks.csv", marksCsv([[upn(2), "2024-09-02", "AM", "/"]]));
    const summaries = await importFiles(db, { pupils, marks }, { by: BY, asOf: "2024-09-02" });
    expect(summaries.map((s) => [s.kind, s.importId])).toEqual([
      ["pupils", 2],
      ["marks", 3],
    ]);
  });
});
