/**
 * A school exporting into the lake while the lake is read (issue 11, trial 46: 9 of 400 Trust
 * requests answered 500 while `rollcall export parquet` ran): analytics/lake.ts exportParquet
 * writes the new files into a staging folder and renames them into place, and the roll-up
 * (analytics/trust.ts) reads again when files changed under it. Real DuckDB, real files.
 *
 * School 100001 has two registers, exported in turn (week of Mon 9 September 2024):
 *            Mon 9 Sep  Tue 10 Sep
 * OLD  A     / \        / \
 *      B     I I        / \          2 pupils, 8 possible, 2 absent (25 %); B 50 %: PA and SA
 * NEW  A     / \        / \
 *      B     I I        / \
 *      C     / \        O O          3 pupils, 12 possible, 4 absent (33.3 %); B and C 50 %: PA 2, SA 2
 * School 100002 (exported once, never changes): Z present both days: 1 pupil, 4 possible, 0 absent.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeAllInstances, queryOne, withConnection } from "../analytics/db.ts";
import { exportParquet, lakeSchools, lakeSchoolStates, openLakeSchools } from "../analytics/lake.ts";
import { trustRollup } from "../analytics/trust.ts";
import { daysOf, seedRegister, type TestPupil } from "./helpers/register.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";
import { cliOn } from "./helpers/cli.ts";

const oldDb = tempDbPath("swap-old");
const newDb = tempDbPath("swap-new");
const otherDb = tempDbPath("swap-other");
const lake = path.join(path.dirname(oldDb), `lake-swap-${process.pid}`);
const YEAR = { from: "2024-08-01", to: "2024-09-13" };
const inYear = (upn: string): TestPupil => ({ upn, spells: [{ from: "2024-09-01", year_group: "3", reg_group: "3A" }] });
const present = { "2024-09-09": ["/", "\\"], "2024-09-10": ["/", "\\"] } as Record<string, [string, string]>;
const OLD = { pupils: [inYear("A"), inYear("B")], marks: [...daysOf("A", present), ...daysOf("B", { "2024-09-09": ["I", "I"], "2024-09-10": ["/", "\\"] })] };
const NEW = { pupils: [...OLD.pupils, inYear("C")], marks: [...OLD.marks, ...daysOf("C", { "2024-09-09": ["/", "\\"], "2024-09-10": ["O", "O"] })] };

/** School 100001's row as [pupils, possible, absent, PA pupils, SA pupils], and 100002's. */
async function figures(): Promise<string> {
  const { schools } = await trustRollup(lake, YEAR);
  return JSON.stringify(schools.map((s) => [s.urn, s.pupils, s.possible_sessions, Math.round(((s.absence_pct ?? 0) * s.possible_sessions) / 100), s.pa_pupils, s.sa_pupils]));
}
const OLD_FIGURES = JSON.stringify([["100001", 2, 8, 2, 1, 1], ["100002", 1, 4, 0, 0, 0]]);
const NEW_FIGURES = JSON.stringify([["100001", 3, 12, 4, 2, 2], ["100002", 1, 4, 0, 0, 0]]);

/**
 * Rows of 100001's pupils and of its mark_days, each table read by a query of its own
 * (openLakeSchools, which does not read again): each table is one export's, but the two may be
 * of two exports (OLD's pupils beside NEW's days), as analytics/lake.ts putInPlace says.
 */
async function tableCounts(): Promise<string> {
  const opened = await openLakeSchools(lake, ["100001"], lakeSchools(lake), ["pupils", "mark_days"]);
  try {
    const connection = await opened.connect("100001");
    const pupils = await queryOne<{ n: number }>(connection, "SELECT count(*)::INTEGER AS n FROM pupils");
    const days = await queryOne<{ n: number }>(connection, "SELECT count(*)::INTEGER AS n FROM mark_days");
    opened.close();
    return `${pupils?.n} pupils; ${days?.n} days`;
  } catch (error) {
    opened.close(true);
    throw error;
  }
}

/**
 * Two readers, each running the roll-up (figures) and the tables' counts in turn while
 * `going()`: every answer and how often it came, and every read's error (its first line).
 */
async function readWhile(going: () => boolean): Promise<{ seen: Map<string, number>; errors: string[] }> {
  const seen = new Map<string, number>();
  const errors: string[] = [];
  const reader = async () => {
    while (going()) {
      for (const read of [figures, tableCounts]) {
        try {
          for (const answer of (await read()).split("; ")) seen.set(answer, (seen.get(answer) ?? 0) + 1);
        } catch (error) {
          errors.push(`${read.name}: ${String(error).split("\n")[0]}`);
        }
        // A read that fails at once (no I/O) must not keep the exports from running.
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
  };
  await Promise.all([reader(), reader()]);
  return { seen, errors };
}

/** The lake's root entries that are an export's staging (dot-names). */
const staging = () => fs.readdirSync(lake).filter((name) => name.startsWith("."));

beforeAll(async () => {
  await withConnection(oldDb, (c) => seedRegister(c, OLD));
  await withConnection(newDb, (c) => seedRegister(c, NEW));
  await withConnection(otherDb, async (c) => {
    await seedRegister(c, { pupils: [inYear("Z")], marks: daysOf("Z", present) });
    await exportParquet(c, { out: lake, school: "100002" });
  });
  await withConnection(oldDb, (c) => exportParquet(c, { out: lake, school: "100001" }));
  await closeAllInstances();
});
afterAll(async () => {
  await closeAllInstances();
  for (const db of [oldDb, newDb, otherDb]) await removeDb(db);
  fs.rmSync(lake, { recursive: true, force: true });
});

describe("a school exporting into the lake while it is read", () => {
  it("gives every read the old figures or the new, never an error, while the school exports 16 times", async () => {
    expect(await figures()).toBe(OLD_FIGURES);
    let exporting = true;
    const exports = () => exporting;
    const reading = readWhile(exports);
    await withConnection(oldDb, (old) =>
      withConnection(newDb, async (fresh) => {
        for (let i = 0; i < 16; i++) {
          await exportParquet(i % 2 === 0 ? fresh : old, { out: lake, school: "100001" });
          // The readers' turn between exports, as a CLI's runs are seconds apart.
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      }),
    );
    exporting = false;
    const { seen, errors } = await reading;
    expect(errors).toEqual([]);
    // The roll-up: OLD's or NEW's figures; each table read alone: OLD's rows or NEW's.
    expect([...seen.keys()].filter((answer) => ![OLD_FIGURES, NEW_FIGURES, "2 pupils", "3 pupils", "4 days", "6 days"].includes(answer))).toEqual([]);
    // Enough reads to have met the exports (each export's swap among them).
    expect([...seen.values()].reduce((a, b) => a + b, 0)).toBeGreaterThan(16);
    // The last export was OLD's; nothing of the staging is left.
    expect(await figures()).toBe(OLD_FIGURES);
    expect(staging()).toEqual([]);
  });

  it("gives every read the old figures or the new while `rollcall export parquet` exports from another process, as the trial's", async () => {
    // The CLI opens the school's file itself: this process lets go of it.
    await closeAllInstances();
    let exporting = true;
    const exports = () => exporting;
    const reading = readWhile(exports);
    for (let i = 0; i < 6; i++) {
      const run = await cliOn(i % 2 === 0 ? newDb : oldDb)("export", "parquet", "--out", lake, "--school", "100001");
      expect(run.stderr).toBe("");
      expect(run.code).toBe(0);
    }
    exporting = false;
    const { seen, errors } = await reading;
    expect(errors).toEqual([]);
    expect([...seen.keys()].filter((answer) => ![OLD_FIGURES, NEW_FIGURES, "2 pupils", "3 pupils", "4 days", "6 days"].includes(answer))).toEqual([]);
    expect(await figures()).toBe(OLD_FIGURES);
    expect(staging()).toEqual([]);
  });

  it("leaves the earlier export as it was, and no staging, when a COPY fails midway", async () => {
    const before = lakeSchoolStates(lake);
    await withConnection(newDb, async (c) => {
      // `closures` (the 11th table written): its COPY fails as a full disk would, after ten
      // tables are written (the temporary view hides the table on this connection only).
      await c.run(`CREATE TEMP VIEW closures AS SELECT error('injected: No space left on device') AS date FROM range(1)`);
      await expect(exportParquet(c, { out: lake, school: "100001" })).rejects.toThrow(/injected: No space left on device/);
      await c.run("DROP VIEW temp.main.closures");
    });
    expect(lakeSchoolStates(lake)).toEqual(before);
    expect(staging()).toEqual([]);
    expect(await figures()).toBe(OLD_FIGURES);
    expect(await tableCounts()).toBe("2 pupils; 4 days");
  });

  it("ignores a staging folder left by an export that died, and the next export removes it", async () => {
    const before = lakeSchoolStates(lake);
    // A process that has ended: its id names the staging it left (NEW's files, half moved in).
    const dead = spawnSync(process.execPath, ["-e", ""]).pid;
    const left = path.join(lake, `.export-100001-${dead}-abc123`);
    for (const table of ["pupils", "mark_days", "mark_weeks"]) fs.cpSync(path.join(lake, table, "school=100001"), path.join(left, table, "school=100001"), { recursive: true });
    fs.writeFileSync(`${left}.swapping`, "");
    expect(lakeSchools(lake)).toEqual(["100001", "100002"]);
    expect(lakeSchoolStates(lake)).toEqual(before);
    expect(await figures()).toBe(OLD_FIGURES);
    expect(await tableCounts()).toBe("2 pupils; 4 days");
    await withConnection(newDb, (c) => exportParquet(c, { out: lake, school: "100001" }));
    expect(staging()).toEqual([]);
    expect(await figures()).toBe(NEW_FIGURES);
  });
});
