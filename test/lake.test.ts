/**
 * The register as Parquet (issue 11, item 7): `rollcall export parquet` writes hive folders
 * by school and academic year, and the measures' SQL runs unchanged over the files.
 *
 * School 100001 (hand-worked): three pupils over the last week of 2023/24 and the first of
 * 2024/25 (the 1 August boundary splits them into two academic-year folders).
 *            Mon 15 Jul  Tue 16 Jul   |  Mon 9 Sep  Tue 10 Sep  Wed 11 Sep
 * A (Y3)     / \         / \          |  / \        I I         / \        2024/25: 6 possible, 2 absent (33.3 %: PA, not SA)
 * B (Y4)     / \         U U          |  / \        / \         / \        2024/25: 6 possible, 0 absent
 * C (Y4)     –           –            |  O O        N N         / \        2024/25: 6 possible, 4 unauthorised (66.7 %: SA)
 * 2024/25: 18 possible, 6 absent (33.3 %), 2 authorised, 4 unauthorised; PA 2 of 3 (A, C), SA 1 (C).
 * 2023/24 (A and B only): 8 possible, 2 absent (B's U U): 25 %.
 * School 100002 (the same directory): one pupil, present both days of 9–10 September 2024.
 * The trust roll-up (analytics/trust.ts) reads both schools from the one lake.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeAllInstances, withConnection, queryRows } from "../analytics/db.ts";
import { describeLake, exportParquet, lakeSchools, lakeSchoolStates, lakeYears, openLake, openLakeSchools } from "../analytics/lake.ts";
import { writeMarksUnchecked } from "../analytics/store.ts";
import { markLevel, summarise, summariseBy, summariseEachRegister } from "../analytics/measures.ts";
import { getSettings, setSetting } from "../analytics/settings.ts";
import { TRUST_BREAKDOWNS, registersEndingEarly, trustLakeState, trustRollup, trustRollupStats } from "../analytics/trust.ts";
import { daysOf, seedRegister } from "./helpers/register.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";
import { cliOn } from "./helpers/cli.ts";
import { replaceMeta } from "../analytics/key-values.ts";

const first = tempDbPath("lake-a");
const second = tempDbPath("lake-b");
const third = tempDbPath("lake-c");
const lake = path.join(path.dirname(first), `lake-${process.pid}`);
const YEAR = { from: "2024-08-01", to: "2024-09-11" };
const LAST_YEAR = { from: "2023-09-01", to: "2024-07-31" };

beforeAll(async () => {
  await withConnection(first, (c) =>
    seedRegister(c, {
      pupils: [
        { upn: "A", admission_date: "2023-09-01", spells: [{ from: "2023-09-01", year_group: "3", reg_group: "3A" }] },
        { upn: "B", admission_date: "2023-09-01", spells: [{ from: "2023-09-01", year_group: "4", reg_group: "4A" }] },
        { upn: "C", admission_date: "2024-09-01", spells: [{ from: "2024-09-01", year_group: "4", reg_group: "4A" }] },
      ],
      marks: [
        ...daysOf("A", { "2024-07-15": ["/", "\\"], "2024-07-16": ["/", "\\"], "2024-09-09": ["/", "\\"], "2024-09-10": ["I", "I"], "2024-09-11": ["/", "\\"] }),
        ...daysOf("B", { "2024-07-15": ["/", "\\"], "2024-07-16": ["U", "U"], "2024-09-09": ["/", "\\"], "2024-09-10": ["/", "\\"], "2024-09-11": ["/", "\\"] }),
        ...daysOf("C", { "2024-09-09": ["O", "O"], "2024-09-10": ["N", "N"], "2024-09-11": ["/", "\\"] }),
      ],
    }),
  );
  await withConnection(second, (c) =>
    seedRegister(c, {
      pupils: [{ upn: "Z", admission_date: "2024-09-01", spells: [{ from: "2024-09-01" }] }],
      marks: daysOf("Z", { "2024-09-09": ["/", "\\"], "2024-09-10": ["/", "\\"] }),
    }),
  );
});
afterAll(async () => {
  await removeDb(first);
  await removeDb(second);
  await removeDb(third);
  fs.rmSync(lake, { recursive: true, force: true });
});

describe("rollcall export parquet and the measures over the lake", () => {
  it("writes hive folders by school and academic year, and counts what it wrote", async () => {
    const written = await withConnection(first, (c) => exportParquet(c, { out: lake, school: "100001" }));
    const rows = Object.fromEntries(written.tables.map((t) => [t.table, t.rows]));
    expect(rows).toMatchObject({ marks: 26, mark_store: 26, pupils: 3, pupil_ids: 3, mark_days: 13 });
    expect(fs.existsSync(path.join(lake, "marks", "school=100001", "academic_year=2023-24", "data_0.parquet"))).toBe(true);
    expect(fs.existsSync(path.join(lake, "marks", "school=100001", "academic_year=2024-25", "data_0.parquet"))).toBe(true);
    expect(fs.existsSync(path.join(lake, "pupils", "school=100001", "data_0.parquet"))).toBe(true);
    expect(written.bytes).toBeGreaterThan(0);
    // The register as any reader sees it: 2024/25's marks are 18 (3 pupils × 3 days × 2).
    const perYear = await withConnection(":memory:", (c) =>
      queryRows<{ y: string; n: number }>(
        c,
        `SELECT academic_year AS y, count(*)::INTEGER AS n FROM read_parquet($files, hive_partitioning = true, hive_types_autocast = false) GROUP BY ALL ORDER BY y`,
        { files: path.join(lake, "marks", "*", "*", "*.parquet") },
      ),
    );
    expect(perYear).toEqual([
      { y: "2023-24", n: 8 },
      { y: "2024-25", n: 18 },
    ]);
  });

  it("gives the hand-worked figures from the Parquet files, equal to the database's", async () => {
    const open = await openLake(lake, "100001");
    try {
      const fromLake = await summarise(open.connection, YEAR);
      const fromDb = await withConnection(first, (c) => summarise(c, YEAR));
      expect(fromLake).toEqual(fromDb);
      expect(fromLake).toMatchObject({ pupils: 3, possible_sessions: 18, authorised_sessions: 2, unauthorised_sessions: 4, pa_pupils: 2, sa_pupils: 1 });
      expect(fromLake.absence_pct).toBeCloseTo((100 * 6) / 18, 10);
      expect((await summarise(open.connection, LAST_YEAR)).absence_pct).toBeCloseTo(25, 10);
      // A breakdown too: Year 4 is B and C, 12 possible, 4 absent.
      const byYear = await summariseBy(open.connection, YEAR, "year_group");
      expect(byYear).toEqual(await withConnection(first, (c) => summariseBy(c, YEAR, "year_group")));
      const year4 = byYear.find((row) => row.group === "4")!;
      expect([year4.possible_sessions, year4.authorised_sessions + year4.unauthorised_sessions]).toEqual([12, 4]);
    } finally {
      open.close();
    }
  });

  it("keeps a second school's register beside the first, each read on its own", async () => {
    await withConnection(second, (c) => exportParquet(c, { out: lake, school: "100002" }));
    // The first school exported again replaces only its own folders.
    await withConnection(first, (c) => exportParquet(c, { out: lake, school: "100001" }));
    expect(lakeSchools(lake)).toEqual(["100001", "100002"]);
    const open = await openLake(lake, "100002");
    try {
      expect(await summarise(open.connection, YEAR)).toMatchObject({ pupils: 1, possible_sessions: 4, absence_pct: 0 });
    } finally {
      open.close();
    }
    const again = await openLake(lake, "100001");
    try {
      expect((await summarise(again.connection, YEAR)).possible_sessions).toBe(18);
    } finally {
      again.close();
    }
    await expect(openLake(lake, "100003")).rejects.toThrow(/holds no register for school 100003 \(it holds 100001, 100002\)/);
    await expect(withConnection(first, (c) => exportParquet(c, { out: lake, school: "12345" }))).rejects.toThrow(/"12345" is not a URN/);
  });

  it("rolls the trust up from one reading of the lake: each school's row, and the school asked for broken down", async () => {
    const { schools, opened } = await trustRollup(lake, YEAR, { urn: "100001", by: "year_group" });
    expect(schools.map((s) => [s.urn, s.pupils, s.possible_sessions, s.pa_pupils, s.sa_pupils])).toEqual([
      ["100001", 3, 18, 2, 1],
      ["100002", 1, 4, 0, 0],
    ]);
    expect(schools[0].absence_pct).toBeCloseTo((100 * 6) / 18, 10);
    // 100002's register ends on 10 September, a day before 100001's (trial20b: a school exported
    // earlier sat beside the others unremarked): its last day marked is kept and named.
    expect(schools.map((s) => s.last_mark_date)).toEqual(["2024-09-11", "2024-09-10"]);
    expect(registersEndingEarly(schools)).toEqual(new Map([["100002", "2024-09-10"]]));
    expect(registersEndingEarly(schools.slice(0, 1))).toEqual(new Map());
    // Year 3 is A (6 possible, 2 absent); Year 4 is B and C (12 possible, 4 absent).
    expect(opened).toMatchObject({ urn: "100001", name: schools[0].name, by: "year_group" });
    expect(opened!.rows.map((row) => [row.group, row.possible_sessions, row.authorised_sessions + row.unauthorised_sessions])).toEqual([
      ["3", 6, 2],
      ["4", 12, 4],
    ]);
    expect(opened!.rows).toEqual(await withConnection(first, (c) => summariseBy(c, YEAR, "year_group")));
    // Every breakdown the page offers runs on the tables the roll-up opens, equal to the database's.
    for (const by of TRUST_BREAKDOWNS) {
      expect((await trustRollup(lake, YEAR, { urn: "100001", by })).opened!.rows).toEqual(await withConnection(first, (c) => summariseBy(c, YEAR, by)));
    }
    // No school asked for, or one the lake does not hold: the rows alone.
    expect(await trustRollup(lake, YEAR)).toEqual({ schools, opened: null });
    expect((await trustRollup(lake, YEAR, { urn: "100003", by: "fsm" })).opened).toBeNull();
  });

  it("keeps the roll-up until a school exports again, then counts the new register", async () => {
    const before = await trustRollup(lake, YEAR, { urn: "100002", by: "year_group" });
    // Callers get copies: changing one changes nothing kept.
    before.schools[1].pupils = 99;
    before.opened!.rows[0].possible_sessions = 99;
    const again = await trustRollup(lake, YEAR, { urn: "100002", by: "year_group" });
    expect([again.schools[1].pupils, again.schools[1].possible_sessions, again.opened!.rows[0].possible_sessions]).toEqual([1, 4, 4]);
    expect(lakeSchoolStates(lake)).toEqual(lakeSchoolStates(lake));
    const state = lakeSchoolStates(lake).get("100002");
    // What the Trust page is kept by (app/lib/page-version.server.ts): the same until an export.
    const lakeState = trustLakeState(lake);
    expect(trustLakeState(lake)).toBe(lakeState);
    // School 100002's register changes (Z absent, unauthorised, all of Wed 11 Sep) and is exported again.
    await withConnection(second, async (c) => {
      await writeMarksUnchecked(c, daysOf("Z", { "2024-09-11": ["O", "O"] }).map(([upn, date, session, code]) => ({ upn, date, session, code, minutesLate: null })));
      await exportParquet(c, { out: lake, school: "100002" });
    });
    expect(lakeSchoolStates(lake).get("100002")).not.toBe(state);
    expect(trustLakeState(lake)).not.toBe(lakeState);
    // Z: 6 possible, 2 absent (33.3 %): persistently absent, not severely.
    const after = await trustRollup(lake, YEAR, { urn: "100002", by: "year_group" });
    expect(after.schools.map((s) => [s.urn, s.pupils, s.possible_sessions, s.pa_pupils, s.sa_pupils])).toEqual([
      ["100001", 3, 18, 2, 1],
      ["100002", 1, 6, 1, 0],
    ]);
    expect(after.schools[1].absence_pct).toBeCloseTo((100 * 2) / 6, 10);
    expect(after.opened!.rows.map((row) => [row.group, row.possible_sessions, row.unauthorised_sessions])).toEqual([["3", 6, 2]]);
  });

  it("counts again only the school that exported: the other schools' rows and breakdowns are kept, a school added is counted, one removed goes", async () => {
    const opened100001 = { urn: "100001", by: "year_group" } as const;
    const before = await trustRollup(lake, YEAR, opened100001);
    const counted = (since: ReturnType<typeof trustRollupStats>) => {
      const now = trustRollupStats();
      return { rows: now.rows - since.rows, opened: now.opened - since.opened, openings: now.openings - since.openings };
    };
    let since = trustRollupStats();
    expect(await trustRollup(lake, YEAR, opened100001)).toEqual(before);
    expect(counted(since)).toEqual({ rows: 0, opened: 0, openings: 0 });

    // School 100002 changes its marks (Z absent, unauthorised, all of Fri 6 Sep) and exports again;
    // school 100001's files are untouched, and so is its state.
    const states = lakeSchoolStates(lake);
    await withConnection(second, async (c) => {
      await writeMarksUnchecked(c, daysOf("Z", { "2024-09-06": ["O", "O"] }).map(([upn, date, session, code]) => ({ upn, date, session, code, minutesLate: null })));
      await exportParquet(c, { out: lake, school: "100002" });
    });
    const statesAfter = lakeSchoolStates(lake);
    expect([...statesAfter.keys()]).toEqual(["100001", "100002"]);
    expect(statesAfter.get("100001")).toBe(states.get("100001"));
    expect(statesAfter.get("100002")).not.toBe(states.get("100002"));
    since = trustRollupStats();
    const after = await trustRollup(lake, YEAR, opened100001);
    // Only 100002's row was counted, in one database opened over it alone; 100001's row and breakdown were kept.
    expect(counted(since)).toEqual({ rows: 1, opened: 0, openings: 1 });
    expect(after.schools[0]).toEqual(before.schools[0]);
    expect(after.opened).toEqual(before.opened);
    // Z: 8 possible (6, 9, 10, 11 Sep), 4 absent (6 and 11 Sep): 50 %, persistently and severely absent.
    expect(after.schools.map((s) => [s.urn, s.pupils, s.possible_sessions, s.pa_pupils, s.sa_pupils])).toEqual([
      ["100001", 3, 18, 2, 1],
      ["100002", 1, 8, 1, 1],
    ]);
    expect(after.schools[1].absence_pct).toBe(50);
    // The figures kept are the figures counted from scratch: 100002 from its own files.
    const fresh = await openLake(lake, "100002");
    try {
      const counts = await summarise(fresh.connection, YEAR);
      expect(after.schools[1]).toMatchObject({ pupils: counts.pupils, possible_sessions: counts.possible_sessions, absence_pct: counts.absence_pct, pa_pupils: counts.pa_pupils });
    } finally {
      fresh.close();
    }
    // 100002 opened now: its breakdown of the new files is counted; asked again, kept.
    since = trustRollupStats();
    expect((await trustRollup(lake, YEAR, { urn: "100002", by: "year_group" })).opened!.rows.map((row) => [row.group, row.possible_sessions, row.unauthorised_sessions])).toEqual([["3", 8, 4]]);
    await trustRollup(lake, YEAR, { urn: "100002", by: "year_group" });
    expect(counted(since)).toEqual({ rows: 0, opened: 1, openings: 1 });

    // A third school exports into the lake: counted on its own, listed in URN order.
    await withConnection(third, async (c) => {
      await seedRegister(c, {
        pupils: [{ upn: "Y", admission_date: "2024-09-01", spells: [{ from: "2024-09-01" }] }],
        marks: daysOf("Y", { "2024-09-09": ["/", "\\"], "2024-09-10": ["U", "U"] }),
      });
      await exportParquet(c, { out: lake, school: "100003" });
    });
    since = trustRollupStats();
    const added = await trustRollup(lake, YEAR);
    expect(counted(since)).toEqual({ rows: 1, opened: 0, openings: 1 });
    // Y: 4 possible, 2 unauthorised: 50 %.
    expect(added.schools.map((s) => [s.urn, s.pupils, s.possible_sessions, s.pa_pupils, s.sa_pupils])).toEqual([
      ["100001", 3, 18, 2, 1],
      ["100002", 1, 8, 1, 1],
      ["100003", 1, 4, 1, 1],
    ]);

    // Its folders removed (every table's), it is no longer listed, nor can it be opened; nothing is counted.
    for (const table of fs.readdirSync(lake)) fs.rmSync(path.join(lake, table, "school=100003"), { recursive: true, force: true });
    since = trustRollupStats();
    const removed = await trustRollup(lake, YEAR, { urn: "100003", by: "year_group" });
    expect(removed).toEqual({ schools: after.schools, opened: null });
    expect(counted(since)).toEqual({ rows: 0, opened: 0, openings: 0 });
  });

  it("says which lake is served and the schools found, or that its directory is missing or empty", () => {
    expect(describeLake(lake)).toBe(`trust lake ${path.resolve(lake)}: 2 schools (100001, 100002)`);
    const missing = path.join(lake, "no-such-folder");
    expect(describeLake(missing)).toBe(
      `trust lake ${missing}: the directory does not exist, so the Trust page shows no school (export a school's register there with \`rollcall export parquet --out ${missing}\`)`,
    );
    const empty = fs.mkdtempSync(path.join(lake, "empty-"));
    expect(describeLake(empty)).toMatch(/: the directory holds no school's register yet, so the Trust page shows no school/);
    expect(describeLake(path.join(lake, "pupils", "school=100001", "data_0.parquet"))).toMatch(/: not a directory/);
  });

  it("runs from the command line, refuses bad usage and records the export in the audit trail", async () => {
    // The command is another process: this one lets go of the file first.
    await closeAllInstances();
    const rollcall = cliOn(first);
    const out = path.join(lake, "cli");
    const bad = await rollcall("export", "parquet", "--out", out, "--school", "ABC");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--school takes the school's six-digit unique reference number \(got "ABC"\)/);
    // No --school and no URN recorded for the school: says how to give one.
    const none = await rollcall("export", "parquet", "--out", out);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/--school URN is needed: this database records no URN/);
    expect((await rollcall("export", "csv", "--out", out, "--school", "100001")).code).toBe(2);
    // With the URN `rollcall init --urn` records, --school may be left out.
    await withConnection(first, (c) => replaceMeta(c, "urn", "100001"));
    await closeAllInstances();
    const ok = await rollcall("export", "parquet", "--out", out, "--json");
    expect(ok.stderr).toBe("");
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ school: "100001", tables: expect.arrayContaining([{ table: "marks", rows: 26 }]) });
    const audit = await withConnection(first, (c) => queryRows<{ action: string; detail: string }>(c, `SELECT action, detail FROM audit_log WHERE action = 'export' ORDER BY id DESC LIMIT 1`));
    expect(audit[0].detail).toMatch(/^school 100001: 3 pupils, 26 marks, \d+ files, \d+ bytes$/);
  });
});

/**
 * Schools counted together (analytics/trust.ts counts every school whose files changed in one
 * database reading their files as one register: openLakeSchools `together`, summariseEachRegister). Two
 * schools whose pupils share ids and a UPN (pupil A moved from 100011 to 100012), worked by hand,
 * week of Mon 9 Sep 2024:
 *            Mon 9 Sep  Tue 10 Sep  Wed 11 Sep
 * 100011 A   / \        U U         –            4 possible, 2 unauthorised (50 %: PA and SA); DfE population (born 2016)
 * 100011 R   / \        / \         –            4 possible, 0 absent; born 2020: not of compulsory school age
 * 100012 A   / \        / \         / \           6 possible, 0 absent; DfE population
 * 100011: 2 pupils, 8 possible, 2 absent (25 %), PA 1 (50 %), SA 1; DfE: 4 possible, 2 absent (50 %), PA 1 of 1 (100 %).
 * 100012: 1 pupil, 6 possible, 0 absent, PA 0, SA 0; DfE the same (0 %, PA 0 %).
 */
describe("schools counted together from the lake", () => {
  const moved = tempDbPath("lake-moved-a");
  const joined = tempDbPath("lake-moved-b");
  const together = path.join(path.dirname(moved), `lake-together-${process.pid}`);
  const WEEK = { from: "2024-08-01", to: "2024-09-11" };

  beforeAll(async () => {
    await withConnection(moved, async (c) => {
      await seedRegister(c, {
        pupils: [
          { upn: "A", admission_date: "2023-09-01", spells: [{ from: "2023-09-01", year_group: "3" }] },
          { upn: "R", dob: "2020-01-10", admission_date: "2024-09-01", spells: [{ from: "2024-09-01", year_group: "R" }] },
        ],
        marks: [...daysOf("A", { "2024-09-09": ["/", "\\"], "2024-09-10": ["U", "U"] }), ...daysOf("R", { "2024-09-09": ["/", "\\"], "2024-09-10": ["/", "\\"] })],
      });
      await setSetting(c, "school_name", "Moved From Primary");
      await setSetting(c, "target_attendance_pct", "95");
      await exportParquet(c, { out: together, school: "100011" });
    });
    await withConnection(joined, async (c) => {
      await seedRegister(c, {
        pupils: [{ upn: "A", admission_date: "2024-09-11", spells: [{ from: "2024-09-11", year_group: "3" }] }],
        marks: daysOf("A", { "2024-09-09": ["/", "\\"], "2024-09-10": ["/", "\\"], "2024-09-11": ["/", "\\"] }),
      });
      await setSetting(c, "school_name", "Moved To Primary");
      await exportParquet(c, { out: together, school: "100012" });
    });
  });
  afterAll(async () => {
    await removeDb(moved);
    await removeDb(joined);
    fs.rmSync(together, { recursive: true, force: true });
  });

  it("keeps each school's pupils apart when their ids and UPNs are the same, with the figures worked by hand", async () => {
    const lake = await openLakeSchools(together, [], lakeSchools(together), undefined, { years: lakeYears(WEEK), together: ["100011", "100012"] });
    try {
      const connection = await lake.connectTogether();
      const each = await summariseEachRegister(connection, WEEK, [100011, 100012, 100013]);
      const brief = (m: Awaited<ReturnType<typeof summarise>>) => [m.pupils, m.possible_sessions, m.authorised_sessions + m.unauthorised_sessions, m.pa_pupils, m.sa_pupils];
      expect(brief(each.get(100011)!.whole)).toEqual([2, 8, 2, 1, 1]);
      expect(each.get(100011)!.whole.absence_pct).toBe(25);
      expect(brief(each.get(100011)!.dfe)).toEqual([1, 4, 2, 1, 1]);
      expect([each.get(100011)!.dfe.absence_pct, each.get(100011)!.dfe.pa_pct]).toEqual([50, 100]);
      expect(brief(each.get(100012)!.whole)).toEqual([1, 6, 0, 0, 0]);
      expect(each.get(100012)!.dfe).toEqual(each.get(100012)!.whole);
      // A register asked for that has no pupil: summarise's figures of none.
      expect(each.get(100013)!.whole).toMatchObject({ pupils: 0, possible_sessions: 0, absence_pct: null, pa_pct: null });
      // Both equal each school's own summaries from its database, and the mark-level definition's.
      for (const [register, file] of [[100011, moved], [100012, joined]] as const) {
        for (const population of ["whole-roll", "dfe"] as const) {
          const counted = each.get(register)![population === "dfe" ? "dfe" : "whole"];
          expect(counted).toEqual(await withConnection(file, (c) => summarise(c, { ...WEEK, population })));
          expect(counted).toEqual(await withConnection(file, (c) => markLevel.summarise(c, { ...WEEK, population })));
        }
      }
      // What registers read as one cannot count: a population (both are given), a slice, half terms.
      await expect(summariseEachRegister(connection, { ...WEEK, population: "dfe" }, [100011])).rejects.toThrow(/no population, slice or half-term membership/);
      await expect(summariseEachRegister(connection, { ...WEEK, membership: "half-term" }, [100011])).rejects.toThrow(/no population, slice or half-term membership/);
      await expect(summariseEachRegister(connection, { ...WEEK, slice: { by: "weekday", value: "1" } }, [100011])).rejects.toThrow(/no population, slice or half-term membership/);
    } finally {
      lake.close();
    }
  });

  it("rolls up schools counted together, each row equal to the school's own figures and settings", async () => {
    const { schools } = await trustRollup(together, WEEK);
    expect(schools.map((s) => [s.urn, s.name, s.target_pct, s.pupils, s.possible_sessions, s.pa_pupils, s.sa_pupils, s.absence_pct, s.dfe_absence_pct, s.dfe_pa_pct, s.last_mark_date])).toEqual([
      ["100011", "Moved From Primary", 95, 2, 8, 1, 1, 25, 50, 100, "2024-09-10"],
      ["100012", "Moved To Primary", 96.1, 1, 6, 0, 0, 0, 0, 0, "2024-09-11"],
    ]);
    // 75 % attendance against a 95 % target: 20 points below.
    expect(schools[0].target_gap_points).toBeCloseTo(-20, 10);
    for (const [row, file] of [[schools[0], moved], [schools[1], joined]] as const) {
      const [whole, dfe, settings] = await withConnection(file, async (c) => [await markLevel.summarise(c, WEEK), await markLevel.summarise(c, { ...WEEK, population: "dfe" }), await getSettings(c)] as const);
      // The row's whole-roll figures are the school's own, its DfE figures its own on that population.
      const { urn, name, target_pct, target_gap_points, dfe_absence_pct, dfe_pa_pct, last_mark_date, ...wholeRoll } = row;
      expect([urn, name, target_pct, target_gap_points === null, last_mark_date !== null]).toEqual([urn, settings.school_name, settings.target_attendance_pct, false, true]);
      expect(whole).toMatchObject(wholeRoll);
      expect([dfe_absence_pct, dfe_pa_pct]).toEqual([dfe.absence_pct, dfe.pa_pct]);
    }
  });

  it("reads only the academic years of the period, and a period with no files of its years counts nothing", async () => {
    expect(lakeYears({ from: "2024-08-01", to: "2024-09-11" })).toEqual(["2024-25"]);
    expect(lakeYears({ from: "2023-07-31", to: "2025-08-01" })).toEqual(["2022-23", "2023-24", "2024-25", "2025-26"]);
    expect(() => lakeYears({ from: "2024-09-11", to: "2024-08-01" })).toThrow(/the period starts \(2024-09-11\) after it ends/);
    // School 100001 of the first lake has marks in 2023/24 and 2024/25: opened for 2024/25, the
    // days of 2023/24 are not read, and the year's figures are the same.
    const one = await openLakeSchools(lake, ["100001"], lakeSchools(lake), undefined, { years: lakeYears(YEAR) });
    try {
      const c = await one.connect("100001");
      const days = await queryRows<{ first: string }>(c, "SELECT min(date)::VARCHAR AS first FROM mark_days");
      expect(days[0].first).toBe("2024-09-09");
      expect(await summarise(c, YEAR)).toEqual(await withConnection(first, (db) => summarise(db, YEAR)));
      await expect(one.connectTogether()).rejects.toThrow(/no schools were opened together/);
    } finally {
      one.close();
    }
    // A year the lake has no files of: the tables keep their columns and have no rows.
    const none = await openLakeSchools(together, ["100011"], lakeSchools(together), undefined, { years: ["2030-31"], together: ["100011", "100012"] });
    try {
      const connection = await none.connectTogether();
      expect(await queryRows(connection, "SELECT * FROM mark_weeks")).toEqual([]);
      expect(await queryRows(await none.connect("100011"), "SELECT * FROM mark_days")).toEqual([]);
      const each = await summariseEachRegister(connection, { from: "2030-09-01", to: "2030-09-30" }, [100011]);
      expect(each.get(100011)!.whole).toMatchObject({ pupils: 0, possible_sessions: 0 });
    } finally {
      none.close();
    }
  });
});

