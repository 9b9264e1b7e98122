/**
 * The README's whole CTF example imports as the README says (trial 51b: its earlier fragment left
 * out BasicDetails and the school, and a school following it was refused twice): 14 marks, the
 * half term's 10 "#" skipped with a count, the new pupil placed in "Not assigned".
 */
import fs from "node:fs";
import { afterAll, expect, it } from "vitest";
import { queryRows, withConnection } from "../analytics/db.ts";
import { importFiles } from "../analytics/import/index.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";
import { BY } from "./fixtures/import/helpers.ts";
import { AUTUMN_2026_CALENDAR, inputFolder } from "./fixtures/import/ctf.ts";

const folder = inputFolder("readme-ctf");
const db = tempDbPath("readme-ctf");
afterAll(async () => {
  folder.remove();
  await removeDb(db);
});

it("the README's CTF imports: 14 marks, 10 holiday # skipped, the pupil in Not assigned", async () => {
  const readme = fs.readFileSync(new URL("../README.md", import.meta.url), "utf8");
  const block = /```xml\n([\s\S]*?<\/CTfile>)\n\s*```/.exec(readme);
  expect(block).not.toBeNull();
  const xml = block![1].replace(/^ {2}/gm, "");
  await importFiles(db, { calendar: folder.write("calendar.csv", AUTUMN_2026_CALENDAR) }, { by: BY, asOf: "2026-09-01" });
  const [pupils, marks] = await importFiles(db, { pupils: folder.write("readme.xml", xml) }, { by: BY, asOf: "2026-11-06" });
  expect(pupils).toMatchObject({ kind: "pupils", inserted: 1 });
  expect(marks).toMatchObject({ kind: "marks", inserted: 14, skipped: 10 });
  const placed = await withConnection(db, (c) => queryRows<{ reg_group: string; year_group: string }>(c, "SELECT reg_group, year_group FROM pupil_characteristics WHERE upn = 'M820200000011'"));
  expect(placed).toEqual([{ reg_group: "Not assigned", year_group: "4" }]);
});
