/**
 * `rollcall summary` without --json is for a person: the measures in words, down the page for the
 * whole school, a breakdown headed in words with each group named as the dashboard names it, codes
 * with their meanings (analytics/cli/summary-text.ts). A new user's first `rollcall summary` printed a
 * line of 14 field names 220 characters wide (trial 50). The --json fields are unchanged (test/cli.test.ts).
 *
 * The register by hand (test/helpers/cli.ts writeSmallRegister): Monday 2 – Wednesday 4 March 2026.
 * Ada (FSM, Year 4): 6 sessions, 5 present, 1 illness (I). Ben (SEN support, not FSM): 6 sessions,
 * 3 present, G G O (3 unauthorised). School: 12 possible, 8 present, 1 authorised, 3 unauthorised:
 * attendance 66.67%, absence 33.33%, authorised 8.33%, unauthorised 25.00%; over 3 school days no
 * persistent or severe absence is given (—). FSM: Ada 5 of 6 (83.33%, authorised 16.67%); not FSM:
 * Ben 3 of 6 (50.00%, unauthorised 50.00%). Codes: / 4, \ 4, G 2, I 1, O 1.
 */
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { lookupCode } from "../analytics/codes.ts";
import { cliOn, fileWriter, writeSmallRegister, initSchool } from "./helpers/cli.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";

const db = tempDbPath("cli-summary-text");
const rollcall = cliOn(db);
const { calendar, pupils, marks } = writeSmallRegister(path.dirname(db));
const PERIOD = ["--from", "2026-03-02", "--to", "2026-03-04"];

beforeAll(async () => {
  await initSchool(db);
  expect((await rollcall("import", "--calendar", calendar, "--pupils", pupils, "--marks", marks, "--as-of", "2025-09-01")).code).toBe(0);
});
afterAll(() => removeDb(db));

describe("rollcall summary as text", () => {
  it("the whole school: each measure in words, down the page", async () => {
    const { code, stdout } = await rollcall("summary", ...PERIOD);
    expect(code).toBe(0);
    expect(stdout).toBe(
      [
        // The school, the period and the pupils first, on the output itself (trial 51: a saved table had no dates).
        "Test Primary: 2 Mar 2026 to 4 Mar 2026, all pupils",
        "",
        "Pupils                               2",
        "Possible sessions                    12",
        "Present                              8",
        "Approved educational activity (AEA)  0",
        "Authorised absence                   1",
        "Unauthorised absence                 3",
        "Attendance                           66.67%",
        "Overall absence                      33.33%",
        "Authorised absence rate              8.33%",
        "Unauthorised absence rate            25.00%",
        "Persistently absent pupils           —",
        "Persistent absence rate              —",
        "Severely absent pupils               —",
        "Severe absence rate                  —",
        "",
        "Sessions are half days. Persistently absent: missed 10% or more of their possible sessions; severely absent: 50% or more (DfE).",
        "",
      ].join("\n"),
    );
  });

  it("by FSM: headed in words, each group named as the dashboard names it, — where not given", async () => {
    const { code, stdout, stderr } = await rollcall("summary", ...PERIOD, "--by", "fsm");
    expect(code).toBe(0);
    expect(stdout.split("\n").slice(2, 5)).toEqual([
      "                 FSM  Pupils  Possible  Present  AEA  Authorised  Unauthorised  Attend. %  Absence %  Auth. %  Unauth. %  PA  PA %  SA  SA %",
      "    Eligible for FSM       1         6        5    0           1             0     83.33%     16.67%   16.67%      0.00%   —     —   —     —",
      "Not eligible for FSM       1         6        3    0           0             3     50.00%     50.00%    0.00%     50.00%   —     —   —     —",
    ]);
    expect(stderr).toContain("Persistent and severe absence are not given for 2 Mar 2026 to 4 Mar 2026: 3 school days");
  });

  it("by code: each code with its meaning in the regulations of the period", async () => {
    const { code, stdout } = await rollcall("summary", ...PERIOD, "--by", "code");
    expect(code).toBe(0);
    const meaning = (c: string) => lookupCode(c, "2026-03-04")!.meaning;
    expect(stdout.trimEnd().split("\n")).toEqual([
      "Test Primary: 2 Mar 2026 to 4 Mar 2026, all pupils",
      "",
      "Code  Sessions  Meaning",
      `   /         4  ${meaning("/")}`,
      `   \\         4  ${meaning("\\")}`,
      `   G         2  ${meaning("G")}`,
      `   I         1  ${meaning("I")}`,
      `   O         1  ${meaning("O")}`,
    ]);
  });
});

/**
 * Across the 2024 regulations (19 August 2024): a code's meaning is that of the regulations of
 * its marks' dates, as sessionsByCode gives it and the Codes page shows it, not that of the
 * period's last day. By hand: Ada's Monday 15 July 2024 morning is C, "Other authorised
 * circumstances" in the 2006 regulations ("Leave of absence for exceptional circumstances" only
 * from 19 August 2024); her afternoon and Monday 2 September 2024 are present.
 */
describe("rollcall summary --by code across the 2024 regulations", () => {
  const spanDb = tempDbPath("cli-summary-text-2024");
  const spanCli = cliOn(spanDb);
  afterAll(() => removeDb(spanDb));
  it("a code used only before 19 August 2024 has its 2006 meaning", async () => {
    const write = fileWriter(path.dirname(spanDb));
    await initSchool(spanDb);
    const imported = await spanCli(
      "import",
      "--calendar", write("calendar-2024.csv", ["kind,name,start_date,end_date", "half_term,summer-2,2024-06-03,2024-07-19", "half_term,autumn-1,2024-09-02,2024-10-18"]),
      "--pupils", write("pupils-2024.csv", [
        "UPN,Legal Forename,Legal Surname,DOB,Gender,Year,Reg Group,Admission Date,Leaving Date,SEN,FSM,EAL,LAC,Ethnicity",
        "A123456789012,Ada,Lovelace,2016-04-01,F,3,3A,2023-09-01,,N,N,N,N,WBRI",
      ]),
      "--marks", write("marks-2024.csv", ["upn,date,session,code", "A123456789012,2024-07-15,AM,C", "A123456789012,2024-07-15,PM,\\", "A123456789012,2024-09-02,AM,/", "A123456789012,2024-09-02,PM,\\"]),
      "--as-of", "2023-09-01",
    );
    expect(imported.code, imported.stderr).toBe(0);
    const { code, stdout } = await spanCli("summary", "--from", "2024-07-15", "--to", "2024-09-02", "--by", "code");
    expect(code).toBe(0);
    expect(stdout.trimEnd().split("\n").slice(2)).toEqual([
      "Code  Sessions  Meaning",
      `   \\         2  ${lookupCode("\\", "2024-09-02")!.meaning}`,
      `   /         1  ${lookupCode("/", "2024-09-02")!.meaning}`,
      "   C         1  Other authorised circumstances",
    ]);
  });

  it("a filter's pupils named in the first line as the dashboard names them", async () => {
    const { stdout } = await rollcall("summary", ...PERIOD, "--filter", "fsm=Y", "--filter", "year_group=4");
    expect(stdout.split("\n")[0]).toBe("Test Primary: 2 Mar 2026 to 4 Mar 2026, pupils: Year 4, Eligible for FSM");
  });

  it("by half term and by week: each group as the dashboard names it, the note in words", async () => {
    const halves = await rollcall("summary", ...PERIOD, "--by", "half_term");
    expect(halves.stdout.split("\n")[3]).toMatch(/^Spring 2 2026 +2 +12 +8 /);
    const weeks = await rollcall("summary", ...PERIOD, "--by", "week");
    expect(weeks.stdout.split("\n")[3]).toMatch(/^ *2 Mar 2026 +2 +12 +8 /);
    expect(weeks.stderr).toContain("Persistent and severe absence are given only for week groups of 20 school days or more (— in the others).");
    // A month as the dashboard's charts and tables say it (analytics/period-group-words.ts).
    const months = await rollcall("summary", ...PERIOD, "--by", "month");
    expect(months.stdout.split("\n")[3]).toMatch(/^Mar 2026 +2 /);
  });
});
