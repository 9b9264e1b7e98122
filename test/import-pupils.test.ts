import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { inTransaction, queryRows, withConnection, type Connection } from "../analytics/db.ts";
import { InputError } from "../analytics/csv.ts";
import { importMarks, importPupils } from "../analytics/import/index.ts";
import { tempDbPath, removeDb } from "./helpers/db.ts";
import { upnCheckLetter } from "../analytics/import/values.ts";
import { BY, PUPIL_HEADER, count, fingerprint, marksCsv, pupil, pupilsCsv, upn } from "./fixtures/import/helpers.ts";

let db: string;
beforeEach(() => {
  db = tempDbPath("import-pupils");
});
afterEach(async () => {
  await removeDb(db);
});

const tx = <T>(work: (conn: Connection) => Promise<T>) => withConnection(db, (conn) => inTransaction(conn, () => work(conn)));

describe("importPupils", () => {
  it("inserts pupils with characteristics from admission, one spell per academic year before the file's, and records the import", async () => {
    const text = pupilsCsv([pupil(1), pupil(2, { fsm: "Y", sen: "K", leaving_date: "2024-07-19" })]);
    const summary = await tx((conn) => importPupils(conn, { file: "pupils.csv", text, by: BY, asOf: "2024-09-02" }));
    expect(summary).toEqual({
      kind: "pupils",
      file: "pupils.csv",
      rowsRead: 2,
      inserted: 2,
      amended: 0,
      unchanged: 0,
      importId: 1,
      changedPupils: [
        { upn: upn(1), name: "Forename1 Surname1", change: "new" },
        { upn: upn(2), name: "Forename2 Surname2", change: "new" },
      ],
      appliesFrom: { date: "2024-09-02", source: "the date given with the file" },
    });
    await withConnection(db, async (conn) => {
      expect(await queryRows(conn, "SELECT * FROM pupils ORDER BY upn")).toEqual([
        { upn: upn(1), forename: "Forename1", surname: "Surname1", dob: "2017-05-04", sex: "F", ethnicity: "WBRI", admission_date: "2021-09-01", leaving_date: null },
        { upn: upn(2), forename: "Forename2", surname: "Surname2", dob: "2017-05-04", sex: "M", ethnicity: "WBRI", admission_date: "2021-09-01", leaving_date: "2024-07-19" },
      ]);
      // Year 3 in the file's year (2024/25 for pupil 1; pupil 2 left in July 2024, so 2023/24),
      // one year group less for each year back to admission, the class not given for those
      // years (trial 16a: one spell "1 Sep 2023 – 31 Aug 2025: Year 4" for a pupil in Year 3 in 2023/24).
      expect(await queryRows(conn, "SELECT upn, valid_from, valid_to, year_group, reg_group, sen, fsm FROM pupil_characteristics ORDER BY upn, valid_from")).toEqual([
        { upn: upn(1), valid_from: "2021-09-01", valid_to: "2022-07-31", year_group: "R", reg_group: "Not assigned", sen: "N", fsm: "N" },
        { upn: upn(1), valid_from: "2022-08-01", valid_to: "2023-07-31", year_group: "1", reg_group: "Not assigned", sen: "N", fsm: "N" },
        { upn: upn(1), valid_from: "2023-08-01", valid_to: "2024-07-31", year_group: "2", reg_group: "Not assigned", sen: "N", fsm: "N" },
        { upn: upn(1), valid_from: "2024-08-01", valid_to: null, year_group: "3", reg_group: "3B", sen: "N", fsm: "N" },
        { upn: upn(2), valid_from: "2021-09-01", valid_to: "2022-07-31", year_group: "1", reg_group: "Not assigned", sen: "K", fsm: "Y" },
        { upn: upn(2), valid_from: "2022-08-01", valid_to: "2023-07-31", year_group: "2", reg_group: "Not assigned", sen: "K", fsm: "Y" },
        { upn: upn(2), valid_from: "2023-08-01", valid_to: null, year_group: "3", reg_group: "3B", sen: "K", fsm: "Y" },
      ]);
      const [imp] = await queryRows(conn, "SELECT * FROM imports");
      expect(imp).toMatchObject({ import_id: 1, kind: "pupils", file_name: "pupils.csv", rows_read: 2, rows_inserted: 2, imported_by: BY.name, imported_by_role: BY.role });
      expect(String(imp.sha256)).toMatch(/^[0-9a-f]{64}$/);
    });
  });

  it("accepts MIS header aliases, a BOM, CRLF, quoted fields, UK dates, extra columns and year group spellings", async () => {
    const text =
      "\uFEFFLegal Surname,Legal Forename,UPN,Date of Birth,Gender,NC Year,Registration Group,Date of Admission,Date of Leaving,SEN Provision,FSM Eligible,EAL,Looked After,Ethnic Code,House\r\n" +
      `"O'Brien, Jr",Seán,${upn(1)},04/05/2017,f,Year 3,3B,01/09/2021,,n,Yes,y,N,WIRI,Red\r\n` +
      `Smith,Jo,${upn(2)},2016-12-31,M,Y3,3B,2021-09-01,,E,N,N,N,WBRI,Blue\r\n` +
      `Lee,Al,${upn(3)},2020-01-01,M,Reception,RA,2024-09-04,,N,N,N,N,CHNE,Green\r\n` +
      `Ng,Bo,${upn(4)},2021-01-01,F,N2,Nursery,2024-09-04,,N,N,N,N,CHNE,Green\r\n`;
    const summary = await tx((conn) => importPupils(conn, { file: "sims.csv", text, by: BY, asOf: "2024-09-04" }));
    expect(summary.inserted).toBe(4);
    const rows = await withConnection(db, (conn) =>
      queryRows(conn, "SELECT p.upn, forename, surname, dob, sex, year_group, reg_group, sen, fsm, eal FROM pupils p JOIN pupil_characteristics USING (upn) WHERE valid_to IS NULL ORDER BY p.upn[2:]"),
    );
    expect(rows[0]).toEqual({ upn: upn(1), forename: "Seán", surname: "O'Brien, Jr", dob: "2017-05-04", sex: "F", year_group: "3", reg_group: "3B", sen: "N", fsm: "Y", eal: "Y" });
    expect(rows.map((r) => r.year_group)).toEqual(["3", "3", "R", "N2"]);
  });

  it("says which UPNs' check letters are not the DfE's, and imports them as given (trial19a: A820200000011 was taken without a word; the DfE's letter is M)", async () => {
    const right = `${upnCheckLetter("820200000021")}820200000021`;
    const text =
      "upn,forename,surname,dob,sex,year_group,reg_group,admission_date,leaving_date,sen,fsm,eal,lac,ethnicity\n" +
      "A820200000011,Ann,Typo,2017-05-04,F,3,3B,2021-09-01,,N,N,N,N,WBRI\n" +
      `${right},Bea,Right,2017-05-04,F,3,3B,2021-09-01,,N,N,N,N,WBRI\n`;
    const summary = await tx((conn) => importPupils(conn, { file: "slip.csv", text, by: BY, asOf: "2024-09-04" }));
    expect(summary.inserted).toBe(2);
    expect(upnCheckLetter("820200000011")).toBe("M");
    expect(summary.notes).toEqual([
      "1 UPN's check letter is not the one the DfE's UPN algorithm gives (slip.csv, line 2, column 1: A820200000011 would start with M): most often a typing slip. Imported as given; check them against the MIS, and once it holds the right UPN, an administrator corrects it in Rollcall with the command rollcall pupils correct-upn OLD NEW (it keeps the pupil's marks and history; there is no page for it).",
    ]);
  });

  it("re-importing the same file changes nothing, not even the imports table", async () => {
    const text = pupilsCsv([pupil(1), pupil(2)]);
    await tx((conn) => importPupils(conn, { file: "pupils.csv", text, by: BY, asOf: "2024-09-02" }));
    const before = await withConnection(db, fingerprint);
    const again = await tx((conn) => importPupils(conn, { file: "pupils.csv", text, by: BY, asOf: "2024-10-01" }));
    expect(again).toEqual({ kind: "pupils", file: "pupils.csv", rowsRead: 2, inserted: 0, amended: 0, unchanged: 2, importId: null, appliesFrom: { date: "2024-10-01", source: "the date given with the file" } });
    expect(await withConnection(db, fingerprint)).toEqual(before);
  });

  it("keeps characteristic history: FSM from an as-of date closes the old spell and opens a new one", async () => {
    await tx((conn) => importPupils(conn, { file: "p1.csv", text: pupilsCsv([pupil(1), pupil(2)]), by: BY, asOf: "2024-09-02" }));
    const s = await tx((conn) =>
      importPupils(conn, { file: "p2.csv", text: pupilsCsv([pupil(1, { fsm: "Y" }), pupil(2)]), by: BY, asOf: "2025-01-06" }),
    );
    expect(s).toMatchObject({ inserted: 0, amended: 1, unchanged: 1, importId: 2 });
    const history = () =>
      withConnection(db, (conn) =>
        queryRows(conn, "SELECT valid_from, valid_to, fsm, year_group FROM pupil_characteristics WHERE upn = $u AND valid_from >= DATE '2024-08-01' ORDER BY valid_from", { u: upn(1) }),
      );
    expect(await history()).toEqual([
      { valid_from: "2024-08-01", valid_to: "2025-01-05", fsm: "N", year_group: "3" },
      { valid_from: "2025-01-06", valid_to: null, fsm: "Y", year_group: "3" },
    ]);
    // A change dated on or before the current spell's start corrects that spell in place.
    await tx((conn) => importPupils(conn, { file: "p3.csv", text: pupilsCsv([pupil(1, { fsm: "Y", eal: "Y" })]), by: BY, asOf: "2025-01-06" }));
    expect(await history()).toEqual([
      { valid_from: "2024-08-01", valid_to: "2025-01-05", fsm: "N", year_group: "3" },
      { valid_from: "2025-01-06", valid_to: null, fsm: "Y", year_group: "3" },
    ]);
    const [current] = await withConnection(db, (conn) => queryRows(conn, "SELECT eal FROM pupil_characteristics WHERE upn = $u AND valid_to IS NULL", { u: upn(1) }));
    expect(current.eal).toBe("Y");
    // Pupil 2 was absent from p3.csv and is left as it was.
    expect(await withConnection(db, (conn) => count(conn, "pupils"))).toBe(2);
  });

  it("an older year's file imported after a newer one sets its own year only, never the current year or the pupil's details", async () => {
    // 2025/26's file first (Year 4, 4A), then 2024/25's (Year 3, 3B, the surname before a change).
    await tx((conn) => importPupils(conn, { file: "2025-26.csv", text: pupilsCsv([pupil(1, { year_group: "4", reg_group: "4A", surname: "Jones" })]), by: BY, asOf: "2025-09-01" }));
    const older = pupilsCsv([pupil(1, { year_group: "3", reg_group: "3B", surname: "Smith" })]);
    const preview = await withConnection(db, (conn) => conn.run("BEGIN").then(() => importPupils(conn, { file: "2024-25.csv", text: older, by: BY, asOf: "2024-09-01" }).finally(() => conn.run("ROLLBACK"))));
    expect(preview.changedPupils).toEqual([
      { upn: upn(1), name: "Forename1 Jones", change: "changed", changes: [{ field: "Class (1 Sep 2024 to 31 Jul 2025 only)", before: "Not assigned", after: "3B" }] },
    ]);
    expect(preview.notes).toEqual([
      "1 pupil already had characteristics recorded from after 1 Sep 2024, the file's date: for them the file sets the year group, class and other characteristics from 1 Sep 2024 up to the next recorded change only, never the current ones",
      "1 pupil: names, dates, sex or ethnicity that differ in this older file were kept as recorded",
    ]);
    const s = await tx((conn) => importPupils(conn, { file: "2024-25.csv", text: older, by: BY, asOf: "2024-09-01" }));
    expect(s).toMatchObject({ inserted: 0, amended: 1, unchanged: 0 });
    await withConnection(db, async (conn) => {
      expect(await queryRows(conn, "SELECT valid_from, valid_to, year_group, reg_group FROM pupil_characteristics WHERE valid_from >= DATE '2024-08-01' ORDER BY valid_from")).toEqual([
        { valid_from: "2024-08-01", valid_to: "2024-08-31", year_group: "3", reg_group: "Not assigned" },
        { valid_from: "2024-09-01", valid_to: "2025-07-31", year_group: "3", reg_group: "3B" },
        { valid_from: "2025-08-01", valid_to: null, year_group: "4", reg_group: "4A" },
      ]);
      expect(await queryRows(conn, "SELECT surname FROM pupils")).toEqual([{ surname: "Jones" }]);
    });
    // The older file again changes nothing.
    const before = await withConnection(db, fingerprint);
    expect(await tx((conn) => importPupils(conn, { file: "2024-25.csv", text: older, by: BY, asOf: "2024-09-01" }))).toMatchObject({ amended: 0, unchanged: 1, importId: null });
    expect(await withConnection(db, fingerprint)).toEqual(before);
  });

  it("a file as of a date before a pupil's admission corrects the characteristics they were admitted with", async () => {
    // Admitted on 3 September, after the file's date: their spell starts on admission, and the same year's file again corrects it.
    await tx((conn) => importPupils(conn, { file: "p1.csv", text: pupilsCsv([pupil(1, { admission_date: "2025-09-03", year_group: "4", reg_group: "4A" })]), by: BY, asOf: "2025-09-01" }));
    const s = await tx((conn) => importPupils(conn, { file: "p2.csv", text: pupilsCsv([pupil(1, { admission_date: "2025-09-03", year_group: "4", reg_group: "4B" })]), by: BY, asOf: "2025-09-01" }));
    expect(s).toMatchObject({ amended: 1, changedPupils: [{ upn: upn(1), change: "changed", changes: [{ field: "Class", before: "4A", after: "4B" }] }] });
    expect(s.notes).toBeUndefined();
    expect(await withConnection(db, (conn) => queryRows(conn, "SELECT valid_from, valid_to, reg_group FROM pupil_characteristics"))).toEqual([{ valid_from: "2025-09-03", valid_to: null, reg_group: "4B" }]);
  });

  it("dates a change from today (in England) when no as-of date is given", async () => {
    const saved = process.env.ROLLCALL_TODAY;
    process.env.ROLLCALL_TODAY = "2025-03-03";
    try {
      await tx((conn) => importPupils(conn, { file: "p1.csv", text: pupilsCsv([pupil(1)]), by: BY }));
      await tx((conn) => importPupils(conn, { file: "p2.csv", text: pupilsCsv([pupil(1, { sen: "K" })]), by: BY }));
    } finally {
      if (saved === undefined) delete process.env.ROLLCALL_TODAY;
      else process.env.ROLLCALL_TODAY = saved;
    }
    const rows = await withConnection(db, (conn) => queryRows(conn, "SELECT valid_from, valid_to, sen FROM pupil_characteristics WHERE valid_from >= DATE '2024-08-01' ORDER BY valid_from"));
    expect(rows).toEqual([
      { valid_from: "2024-08-01", valid_to: "2025-03-02", sen: "N" },
      { valid_from: "2025-03-03", valid_to: null, sen: "K" },
    ]);
  });

  it("updates identity columns in place and counts the pupil as amended", async () => {
    await tx((conn) => importPupils(conn, { file: "p1.csv", text: pupilsCsv([pupil(1)]), by: BY, asOf: "2024-09-02" }));
    const s = await tx((conn) =>
      importPupils(conn, { file: "p2.csv", text: pupilsCsv([pupil(1, { surname: "Jones", leaving_date: "2025-07-18" })]), by: BY, asOf: "2024-10-01" }),
    );
    expect(s).toMatchObject({ inserted: 0, amended: 1, unchanged: 0 });
    const rows = await withConnection(db, (conn) => queryRows(conn, "SELECT surname, leaving_date FROM pupils"));
    expect(rows).toEqual([{ surname: "Jones", leaving_date: "2025-07-18" }]);
    // Its spells as the first import wrote them (2021/22 to 2023/24 and 2024/25's): nothing new.
    expect(await withConnection(db, (conn) => count(conn, "pupil_characteristics"))).toBe(4);
  });

  describe("refuses a bad file whole, naming file, line and column, and changes nothing", () => {
    const good = pupilsCsv([pupil(1), pupil(2)]);
    const cases: [string, string, string][] = [
      ["missing column", "upn,forename,surname,dob,sex,year_group,reg_group,admission_date,leaving_date,sen,fsm,eal,lac\n", 'bad.csv:1:1: missing column "ethnicity"'],
      ["bad UPN", pupilsCsv([pupil(3), pupil(4, { upn: "a12345678901" })]), 'bad.csv:3:1: "a12345678901" is not a UPN'],
      ["bad date", pupilsCsv([pupil(3, { dob: "2017-02-30" })]), 'bad.csv:2:4: date of birth: "2017-02-30" is not a date'],
      ["empty admission date", pupilsCsv([pupil(3, { admission_date: "" })]), "bad.csv:2:8: admission date: an empty value is not a date"],
      ["sen not E/K/N", pupilsCsv([pupil(3, { sen: "S" })]), "bad.csv:2:10: SEN provision must be E (EHC plan), K (SEN support) or N (none)"],
      ["flag not Y/N", pupilsCsv([pupil(3, { lac: "maybe" })]), 'bad.csv:2:13: LAC must be Y or N, not "maybe"'],
      ["sex not M/F", pupilsCsv([pupil(3, { sex: "X" })]), 'bad.csv:2:5: sex must be M or F, not "X"'],
      ["bad year group", pupilsCsv([pupil(3, { year_group: "Year 20" })]), 'bad.csv:2:6: year group "Year 20"'],
      ["leaving before admission", pupilsCsv([pupil(3, { admission_date: "2024-09-04", leaving_date: "2024-09-03" })]), "bad.csv:2:9: leaving date 2024-09-03 is before the admission date 2024-09-04"],
      ["duplicate UPN", pupilsCsv([pupil(3), pupil(4), pupil(3, { forename: "Again" })]), `bad.csv:4:1: duplicate UPN ${upn(3)}: already given on line 2`],
      ["wrong field count", `${PUPIL_HEADER}\n${upn(3)},a,b\n`, "bad.csv:2:4: expected 14 fields as in the header, found 3"],
    ];
    for (const [label, text, message] of cases) {
      it(label, async () => {
        await tx((conn) => importPupils(conn, { file: "good.csv", text: good, by: BY, asOf: "2024-09-02" }));
        const before = await withConnection(db, fingerprint);
        const error = await tx((conn) => importPupils(conn, { file: "bad.csv", text, by: BY, asOf: "2024-10-01" })).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(InputError);
        expect((error as Error).message.startsWith(message)).toBe(true);
        expect(await withConnection(db, fingerprint)).toEqual(before);
      });
    }
  });

  it("refuses new admission or leaving dates that would strand stored marks off roll", async () => {
    await tx(async (conn) => {
      await importPupils(conn, { file: "p.csv", text: pupilsCsv([pupil(1), pupil(2)]), by: BY, asOf: "2024-09-02" });
      await importMarks(conn, {
        file: "m.csv",
        text: marksCsv([
          [upn(2), "2024-09-02", "AM", "/"],
          [upn(2), "2024-09-10", "AM", "/"],
          [upn(2), "2024-09-11", "AM", "/"],
        ]),
        by: BY,
      });
    });
    const before = await withConnection(db, fingerprint);
    const attempt = (text: string) => tx((conn) => importPupils(conn, { file: "p2.csv", text, by: BY, asOf: "2024-10-01" })).catch((e: Error) => e.message);
    expect(await attempt(pupilsCsv([pupil(1), pupil(2, { admission_date: "2024-09-05" })]))).toBe(
      `p2.csv:3:8: admission date 2024-09-05 would leave 1 stored mark(s) of ${upn(2)} before admission (earliest 2024-09-02); amend those marks first`,
    );
    expect(await attempt(pupilsCsv([pupil(1), pupil(2, { leaving_date: "2024-09-09" })]))).toBe(
      `p2.csv:3:9: leaving date 2024-09-09 would leave 2 stored mark(s) of ${upn(2)} after leaving (latest 2024-09-11); amend those marks first`,
    );
    // The store check on line 3 is reported before a bad value on a later line.
    expect(await attempt(pupilsCsv([pupil(1), pupil(2, { leaving_date: "2024-09-09" }), pupil(3, { sex: "Q" })]))).toMatch(/^p2\.csv:3:9: /);
    expect(await withConnection(db, fingerprint)).toEqual(before);
    // A leaving date on the last marked day is fine: the leaving date is the last day on roll.
    const ok = await tx((conn) => importPupils(conn, { file: "p3.csv", text: pupilsCsv([pupil(2, { leaving_date: "2024-09-11" })]), by: BY, asOf: "2024-10-01" }));
    expect(ok.amended).toBe(1);
  });
});
