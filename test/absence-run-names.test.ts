/**
 * Runs of absent sessions and spells of absence have one name each (fresh-clone trial 24:
 * Daniel Cooper had 9 "Absence spells" on the Pupils list and 8 "spells" on Early warning, the
 * first counting runs of absent sessions, the second runs of whole days absent). Real SQL on
 * DuckDB: one pupil, school days 1–30 Sep 2025 (22 days: persistent absence is given from 20), absent (I) on Mon 1 Sep AM, Wed 3
 * Sep both sessions, Thu 4 Sep PM and Fri 5 Sep AM: by hand 3 runs of absent sessions (Mon AM;
 * Wed AM–PM; Thu PM–Fri AM) and 1 spell of absence (Wed, the one whole day).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withConnection } from "../analytics/db.ts";
import { pupilMeasures } from "../analytics/measures.ts";
import { absenceSpells } from "../analytics/early-warning.ts";
import { pupilList } from "../analytics/pupil-list.ts";
import { buildSltPack } from "../analytics/packs/index.ts";
import { pupilListCsv } from "../app/lib/pupil-csv.ts";
import { parseCsv } from "../analytics/csv.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";
import { registerOf, seedSchoolDays } from "./helpers/calendar.ts";
import { seedRegister } from "./helpers/register.ts";

const db = tempDbPath("absence-run-names");
const AS_OF = "2025-09-30";

beforeAll(async () => {
  await withConnection(db, async (c) => {
    const days = await seedSchoolDays(c, [{ from: "2025-09-01", to: "2025-10-17", half: "autumn-1-2025", term: "autumn-2025" }]);
    const marked = days.filter((d) => d <= AS_OF);
    const codes: Record<string, [string, string]> = { "2025-09-01": ["I", "/"], "2025-09-03": ["I", "I"], "2025-09-04": ["/", "I"], "2025-09-05": ["I", "/"] };
    await seedRegister(c, { pupils: [{ upn: "P1", admission_date: "2025-09-01" }], marks: registerOf("P1", marked, codes) });
  });
});
afterAll(() => removeDb(db));

describe("runs of absent sessions and spells of absence are named apart", () => {
  it("counts 3 runs of absent sessions and 1 spell of absence, each under its own name in the CSV and the SLT pack", async () => {
    const [measures, spells, list, pack] = await withConnection(db, async (c) => [
      await pupilMeasures(c, { from: "2025-09-01", to: AS_OF }),
      await absenceSpells(c, AS_OF),
      await pupilList(c, { from: "2025-09-01", to: AS_OF }, { trend: null, pageSize: null }),
      await buildSltPack(c, { month: "2025-09", today: AS_OF }),
    ]);
    expect(measures.find((p) => p.upn === "P1")?.absence_spells).toBe(3);
    expect(spells.find((s) => s.upn === "P1")?.spells).toBe(1);

    // The Pupils CSV: the 3 is under "Runs of absent sessions", and no column speaks of spells.
    const [header, row] = parseCsv(pupilListCsv(list.rows), "pupils.csv").map((r) => r.fields.map((f) => f.value));
    expect(row[header.indexOf("Runs of absent sessions")]).toBe("3");
    expect(header.filter((h) => /spell/i.test(h))).toEqual([]);

    // The SLT pack: every column that says "spell" gives P1's 1 (or its longest spell, 1 day);
    // every "Runs of absent sessions" column gives 3; both kinds are there.
    const seen = { spell: 0, runs: 0 };
    for (const section of pack.sections) {
      for (const block of section.blocks) {
        if (block.kind !== "table") continue;
        const p1 = block.table.rows.find((r) => r[0].kind === "text" && /P1/.test(r[0].text));
        if (!p1) continue;
        block.table.columns.forEach((column, i) => {
          const cell = p1[i];
          const value = cell.kind === "count" ? cell.value : null;
          if (/spell/i.test(column.label)) {
            seen.spell += 1;
            expect([column.label, value]).toEqual([column.label, 1]);
          }
          if (column.label === "Runs of absent sessions") {
            seen.runs += 1;
            expect(value).toBe(3);
          }
        });
      }
    }
    expect(seen.spell).toBeGreaterThan(0);
    expect(seen.runs).toBeGreaterThan(0);
  });
});
