/**
 * The CLI as a script would use it: the real `bin/rollcall.js` in a child process, real
 * files, a real database. Its JSON field names are a contract.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryAudit } from "../analytics/audit.ts";
import { closeInstance, withConnection } from "../analytics/db.ts";
import { cliOn, fileWriter, writeSmallRegister, initSchool } from "./helpers/cli.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";

const db = tempDbPath("cli");
const dir = path.dirname(db);

const rollcall = cliOn(db);

// Monday 2 – Wednesday 4 March 2026. P1 (FSM): 6 sessions, 1 illness. P2: 6 sessions, 3 absent (G, G, O).
const { calendar, pupils, marks } = writeSmallRegister(dir);
const write = fileWriter(dir, "\r\n");

beforeAll(async () => {
  await initSchool(db);
  const result = await rollcall("import", "--calendar", calendar, "--pupils", pupils, "--marks", marks, "--as-of", "2025-09-01");
  expect(result.stderr).toBe("");
  expect(result.code).toBe(0);
});
afterAll(() => removeDb(db));

const CONTRACT = [
  "pupils", "possible_sessions", "present_sessions", "aea_sessions", "authorised_sessions", "unauthorised_sessions",
  "attendance_pct", "absence_pct", "authorised_pct", "unauthorised_pct", "pa_pupils", "pa_pct", "sa_pupils", "sa_pct",
];

describe("rollcall summary --json", () => {
  it("without --from and --to reads the academic year to date, and says so on stderr", async () => {
    const saved = process.env.ROLLCALL_TODAY;
    process.env.ROLLCALL_TODAY = "2026-03-04";
    try {
      const bare = await rollcall("summary", "--json");
      expect(bare.code).toBe(0);
      const given = await rollcall("summary", "--from", "2025-08-01", "--to", "2026-03-04", "--json");
      // The period said first, then what the same dates given say (the span too short for PA).
      expect(bare.stderr).toBe(`rollcall summary: 2025-08-01 to 2026-03-04 (the academic year to date; --from and --to choose another period)\n${given.stderr}`);
      expect(JSON.parse(bare.stdout)).toEqual(JSON.parse(given.stdout));
      // By hand: P1 6 sessions (1 illness), P2 6 sessions (3 absent).
      expect(JSON.parse(bare.stdout)).toMatchObject({ pupils: 2, possible_sessions: 12, present_sessions: 8 });
      const toOnly = await rollcall("summary", "--to", "2026-03-03", "--json");
      expect(toOnly.stderr.split("\n")[0]).toBe("rollcall summary: 2025-08-01 to 2026-03-03 (from the start of the academic year; --from and --to choose another period)");
      expect(JSON.parse(toOnly.stdout)).toMatchObject({ possible_sessions: 8 });
    } finally {
      if (saved === undefined) delete process.env.ROLLCALL_TODAY;
      else process.env.ROLLCALL_TODAY = saved;
    }
  });

  it("prints one object with exactly the contract's fields", async () => {
    const { code, stdout } = await rollcall("summary", "--from", "2026-03-02", "--to", "2026-03-04", "--json");
    expect(code).toBe(0);
    const summary = JSON.parse(stdout);
    expect(Object.keys(summary)).toEqual(CONTRACT);
    // Three school days: persistent and severe absence are not given (the Overview's rule,
    // analytics/pa-span.ts: they were 2 and 1, P1 and P2 each "persistently absent" over 3 days).
    expect(summary).toMatchObject({ pupils: 2, possible_sessions: 12, present_sessions: 8, authorised_sessions: 1, unauthorised_sessions: 3, pa_pupils: null, pa_pct: null, sa_pupils: null, sa_pct: null });
    expect(summary.attendance_pct).toBeCloseTo((100 * 8) / 12, 12);
  });

  it("says on stderr why persistent absence is not given over 3 school days, for a breakdown too", async () => {
    const { code, stderr } = await rollcall("summary", "--from", "2026-03-02", "--to", "2026-03-04", "--json");
    expect(code).toBe(0);
    expect(stderr).toBe("Persistent and severe absence are not given for 2 Mar 2026 to 4 Mar 2026: 3 school days, fewer than the 20 over which they are measured (a pupil missing one session of a short span would count as persistently absent).\n");
    const years = JSON.parse((await rollcall("summary", "--from", "2026-03-02", "--to", "2026-03-04", "--by", "year_group", "--json")).stdout);
    expect(years.map((r: { pa_pupils: number | null }) => r.pa_pupils)).toEqual(years.map(() => null));
    const months = await rollcall("summary", "--from", "2026-03-02", "--to", "2026-03-04", "--by", "month", "--json");
    expect(JSON.parse(months.stdout)[0]).toMatchObject({ group: "2026-03", pa_pupils: null, sa_pct: null });
    expect(months.stderr).toMatch(/given only for month groups of 20 school days or more/);
  });

  it("prints an array with the stored group value for --by", async () => {
    const { stdout } = await rollcall("summary", "--from", "2026-03-02", "--to", "2026-03-04", "--by", "fsm", "--json");
    const rows = JSON.parse(stdout);
    expect(rows.map((r: { group: string; possible_sessions: number }) => [r.group, r.possible_sessions])).toEqual([["Y", 6], ["N", 6]]);
    expect(Object.keys(rows[0])).toEqual(["group", ...CONTRACT]);
    const years = JSON.parse((await rollcall("summary", "--from", "2026-03-02", "--to", "2026-03-04", "--by", "year_group", "--json")).stdout);
    expect(years[0].group).toBe("4");
    const days = JSON.parse((await rollcall("summary", "--from", "2026-03-02", "--to", "2026-03-04", "--by", "weekday", "--json")).stdout);
    expect(days.map((d: { group: string }) => d.group)).toEqual(["Monday", "Tuesday", "Wednesday"]);
  });

  it("prints {code, sessions} rows for --by code", async () => {
    const { stdout } = await rollcall("summary", "--from", "2026-03-02", "--to", "2026-03-04", "--by", "code", "--json");
    expect(JSON.parse(stdout)).toEqual([
      { code: "/", sessions: 4 },
      { code: "\\", sessions: 4 },
      { code: "G", sessions: 2 },
      { code: "I", sessions: 1 },
      { code: "O", sessions: 1 },
    ]);
  });

  it("refuses a day not on the calendar in a sentence (trial21: a raw DuckDB conversion error)", async () => {
    const result = await rollcall("summary", "--from", "2026-09-31", "--to", "2026-10-02", "--json");
    expect(result.code).toBe(2);
    expect(result.stderr.split("\n")[0]).toBe("rollcall summary: --from 2026-09-31 is not a date: September 2026 has 30 days");
  });

  it("explains a bad option and exits non-zero", async () => {
    const result = await rollcall("summary", "--from", "2026-03-02", "--to", "2026-03-04", "--by", "colour", "--json");
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--by must be one of/);
  });

  it("says an unknown option, an option without its value and a switch given one in its own words, exit 2 (trial 54: Node's advice, an unbalanced quote)", async () => {
    for (const [args, first] of [
      [["summary", "--bogus"], "rollcall summary: unknown option --bogus (this command's options are below)"],
      [["summary", "--json", "--to"], "rollcall summary: --to needs a value after it (e.g. --to VALUE)"],
      [["summary", "--to", "--json"], "rollcall summary: --to needs a value after it (e.g. --to VALUE)"],
      [["summary", "--json=yes"], "rollcall summary: --json takes no value (give --json alone)"],
    ] as const) {
      const result = await rollcall(...args);
      expect(result.code, args.join(" ")).toBe(2);
      expect(result.stderr.split("\n")[0]).toBe(first);
      expect(result.stderr).toContain("rollcall summary [--from YYYY-MM-DD]");
    }
    // --db with an option after it is no file to look for (review 54: "there is no database at …/--json").
    const noFile = await cliOn(null)("summary", "--db", "--json");
    expect(noFile.code).toBe(2);
    expect(noFile.stderr.split("\n")[0]).toBe("rollcall summary: --db needs a value after it (e.g. --db VALUE)");
  });

  it("refuses a pack's month or term of the wrong shape as the command line's fault, exit 2 with the usage, as a missing one (trial 54: exit 1)", async () => {
    const out = path.join(dir, "pack.pdf");
    for (const [args, first] of [
      [["pack", "slt", "--month", "2026-13", "--format", "pdf", "--out", out], 'rollcall pack: a month looks like 2026-03 (got "2026-13")'],
      [["pack", "fgb", "--term", "autumn-26", "--format", "pdf", "--out", out], 'rollcall pack: a term looks like autumn-2026, spring-2027 or summer-2027 (got "autumn-26")'],
    ] as const) {
      const result = await rollcall(...args);
      expect(result.code, args.join(" ")).toBe(2);
      expect(result.stderr.split("\n")[0]).toBe(first);
      expect(result.stderr).toContain("rollcall pack slt --month YYYY-MM");
      expect(fs.existsSync(out)).toBe(false);
    }
  });
});

describe("rollcall summary --filter", () => {
  const span = ["summary", "--from", "2026-03-02", "--to", "2026-03-04", "--json"];
  it("reads a value as the pupils import does (trial21: fsm=y, Y5, Female and 5a gave 0 pupils)", async () => {
    // By hand: A (FSM, F, Year 4, 4A) 6 sessions, 5 present, 1 illness; B (not FSM, M, Year 4, 4B) 6 sessions, 3 unauthorised.
    for (const [filter, expected] of [
      ["fsm=y", { pupils: 1, possible_sessions: 6, present_sessions: 5, unauthorised_sessions: 0 }],
      ["fsm=No", { pupils: 1, possible_sessions: 6, present_sessions: 3, unauthorised_sessions: 3 }],
      ["sex=Female", { pupils: 1, possible_sessions: 6, present_sessions: 5 }],
      ["year_group=Y4", { pupils: 2, possible_sessions: 12 }],
      ["year_group=Year 4", { pupils: 2, possible_sessions: 12 }],
      ["reg_group=4b", { pupils: 1, possible_sessions: 6, unauthorised_sessions: 3 }],
      ["ethnicity=wbri", { pupils: 2, possible_sessions: 12 }],
    ] as const) {
      const result = await rollcall(...span, "--filter", filter);
      expect(result.code, `${filter}: ${result.stderr}`).toBe(0);
      expect(JSON.parse(result.stdout), filter).toMatchObject(expected);
    }
  });

  it("refuses a value no pupil has, or an empty one (exit 2), naming the values stored", async () => {
    for (const [filter, words] of [
      ["reg_group=5Z", "--filter reg_group=5Z: no class 5Z; classes are 4A, 4B"],
      ["year_group=Y5", "--filter year_group=Y5: no year group Y5; year groups are 4"],
      ["fsm=maybe", '--filter fsm=maybe: fsm "maybe" is not Y or N, or yes or no; fsm values are N, Y'],
      ["sex=X", '--filter sex=X: sex "X" is not M or F, or male or female; sex values are F, M'],
      // An empty or missing value of a known dimension is said to be empty, with the values
      // stored (trial22: fsm= was told fsm is no dimension); an unknown dimension names the dimensions.
      ["fsm=", "--filter fsm=: the value is empty; fsm values are N, Y"],
      ["fsm= ", "--filter fsm= : the value is empty; fsm values are N, Y"],
      ["fsm", "--filter fsm: give fsm=VALUE, the value is empty; fsm values are N, Y"],
      ["reg_group=", "--filter reg_group=: the value is empty; classes are 4A, 4B"],
      ["year_group=", "--filter year_group=: the value is empty; year groups are 4"],
      ["ethnicity=", "--filter ethnicity=: the value is empty; ethnicities are WBRI"],
      ["sex", "--filter sex: give sex=VALUE, the value is empty; sex values are F, M"],
      ["colour=red", '--filter takes DIMENSION=VALUE with DIMENSION one of sen, fsm, eal, lac, sex, ethnicity, year_group, reg_group (got "colour=red")'],
    ]) {
      const result = await rollcall(...span, "--filter", filter);
      expect(result.code, filter).toBe(2);
      expect(result.stdout).toBe("");
      expect(result.stderr.split("\n")[0]).toBe(`rollcall summary: ${words}`);
    }
  });
});

describe("a command other than init and demo, given a database that is not there", () => {
  it("is refused naming the path and how to make one, and creates nothing (trial20c, trial21: a mistyped --db imported into a new empty file)", async () => {
    const missing = path.join(dir, "no-such-folder", "none.duckdb");
    const commands = [
      ["summary", "--from", "2026-03-02", "--to", "2026-03-04", "--json"],
      ["casework", "--json"],
      ["import", "--calendar", calendar, "--pupils", pupils, "--marks", marks, "--as-of", "2025-09-01"],
      ["import", "--marks", marks, "--dry-run"],
      ["users", "list"],
      ["users", "add", "--email", "a@school.example", "--name", "A", "--role", "admin"],
      ["settings"],
      ["settings", "set", "la_number", "820", "estab_number", "2000"],
      ["benchmarks", "list"],
      ["compact"],
    ];
    for (const args of commands) {
      const result = await cliOn(missing)(...args);
      expect(result.code, args.join(" ")).toBe(1);
      expect(result.stdout).toBe("");
      expect(result.stderr).toBe(
        `rollcall ${args[0]}: there is no database at ${missing}: give --db FILE or set ROLLCALL_DB to the school's database, or create one with rollcall init --school NAME --db ${missing} (or try rollcall demo)\n`,
      );
    }
    expect(fs.existsSync(path.dirname(missing))).toBe(false);
    // In the folder that is there, a mistyped file name: still nothing made.
    const typo = path.join(dir, "rolcall.duckdb");
    expect((await cliOn(typo)("import", "--marks", marks)).code).toBe(1);
    expect(fs.existsSync(typo)).toBe(false);
    // What the message says to run makes the file, and then the command runs.
    const made = path.join(dir, "made", "school.duckdb");
    fs.mkdirSync(path.dirname(made));
    expect((await cliOn(made)("init", "--school", "Made Primary")).code).toBe(0);
    expect(await cliOn(made)("users", "list")).toMatchObject({ code: 0, stderr: "" });
  });
});

describe("rollcall import", () => {
  it("refuses a bad file with file:line:column, exits non-zero and changes nothing", async () => {
    const before = (await rollcall("summary", "--from", "2026-03-02", "--to", "2026-03-06", "--json")).stdout;
    const bad = write("bad-marks.csv", ["upn,date,session,code", "A123456789012,2026-03-05,AM,/", "A123456789012,2026-03-05,PM,Q9"]);
    const result = await rollcall("import", "--marks", bad);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("bad-marks.csv:3:4");
    expect((await rollcall("summary", "--from", "2026-03-02", "--to", "2026-03-06", "--json")).stdout).toBe(before);
  });

  it("lists every error of a refused file (up to 50), each with file:line:column", async () => {
    const bad = write("three-bad.csv", [
      "upn,date,session,code",
      "A123456789012,2026-03-05,AM,Q9",
      "A123456789012,2026-03-07,AM,/",
      "Z999999999999,2026-03-05,AM,/",
      "A123456789012,2026-03-06,AM,-",
    ]);
    const result = await rollcall("import", "--marks", bad);
    expect(result.code).toBe(1);
    expect(result.stderr.split("\n").slice(0, 5)).toEqual([
      "rollcall import: refused:",
      'three-bad.csv:2:4: unknown attendance code "Q9"',
      "three-bad.csv:3:2: 2026-03-07 is a Saturday: registers are taken on school days only",
      // Z is not the check letter of 999999999999 (F is): the refusal says it may be mistyped.
      "three-bad.csv:4:1: unknown pupil Z999999999999: import the pupil first (or mistyped: its check letter is not the one the DfE's UPN algorithm gives for its digits, which would start it with F)",
      "Nothing was imported: the database is unchanged.",
    ]);
  });

  it("--role must be a role that may import: a governor or an unknown label is refused before any file is read (exit 2), a role that may is recorded", async () => {
    const before = (await rollcall("summary", "--from", "2026-03-02", "--to", "2026-03-06", "--json")).stdout;
    const governor = await rollcall("import", "--marks", marks, "--role", "governor");
    expect(governor.code).toBe(2);
    expect(governor.stderr).toContain("--role governor may not import register or benchmark files: the attendance lead, the headteacher and administrators may");
    const label = await rollcall("import", "--marks", marks, "--role", "MIS nightly");
    expect(label.code).toBe(2);
    expect(label.stderr).toContain('--role must be one of attendance_lead, head, admin (the roles that may import register or benchmark files), or left out; got "MIS nightly"');
    expect((await rollcall("summary", "--from", "2026-03-02", "--to", "2026-03-06", "--json")).stdout).toBe(before);
    expect((await rollcall("import", "--marks", marks, "--role", "head", "--user", "Pat")).code).toBe(0);
    const audit = await withConnection(db, (c) => queryAudit(c, { action: "import" }));
    expect(audit.rows.find((r) => r.actor === "Pat")).toMatchObject({ role: "head" });
    await closeInstance(db);
  });

  it("changes nothing when the same file is imported again", async () => {
    const result = await rollcall("import", "--marks", marks);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/0 new, 0 amended, 12 unchanged/);
  });
});
