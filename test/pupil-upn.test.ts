/**
 * Correcting a mistyped UPN (analytics/pupil-upn.ts, `rollcall pupils correct-upn`) on a
 * hand-built register in real DuckDB: afterwards the pupil's page figures are identical under
 * NEW and OLD is gone from every table; a refused correction leaves the database as it was;
 * the audit row names OLD → NEW; the CLI prints what it did. With NEW already stored, the two
 * records merge when they are the same person and no session is marked in both (figures by
 * hand, the aggregates equal to a rebuild), else the correction is refused, naming why.
 *
 * The register: pupil OLD (check letter wrong: the DfE's algorithm gives another) admitted
 * 2025-09-01, two characteristics spells, the week of Monday 2025-09-08: Mon / / , Tue N N,
 * Wed / L(5 min), Thu O /, Fri I I; an amendment and an intervention. Pupil OTHER (upn(2))
 * beside it, untouched. By hand for OLD over the week: possible 10; present / / / L / = 5;
 * authorised I I = 2; unauthorised N N O = 3; attendance 50 %, absence 50 %.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { closeInstance, inTransaction, queryRows, withConnection, type Connection } from "../analytics/db.ts";
import { rebuildAggregates } from "../analytics/store.ts";
import { correctUpn, UPN_TABLES } from "../analytics/pupil-upn.ts";
import { pupilRecord } from "../analytics/pupil.ts";
import { sessionsByCode, summarise, summariseBy } from "../analytics/measures.ts";
import { pupilInterventions } from "../analytics/interventions/store.ts";
import { queryAudit } from "../analytics/audit.ts";
import { upnCheckLetter } from "../analytics/import/values.ts";
import { BY as BY_IMPORT, marksCsv, pupil, pupilsCsv, upn } from "./fixtures/import/helpers.ts";
import { importMarks, importPupils } from "../analytics/import/index.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";
import { cliOn } from "./helpers/cli.ts";
import { daysOf, seedRegister } from "./helpers/register.ts";

const NEW = upn(1);
/** NEW with its check letter mistyped (the next letter along): the UPN the school first imported. */
const OLD = `${NEW[0] === "A" ? "B" : "A"}${NEW.slice(1)}`;
const OTHER = upn(2);
const PERIOD = { from: "2025-09-01", to: "2026-07-31" };
const BY = { actor: "Ann Office", role: "attendance officer", ip: "cli" };

async function seed(c: Connection) {
  await seedRegister(c, {
    pupils: [
      {
        upn: OLD,
        forename: "Zoë",
        surname: "Brontë",
        dob: "2017-05-04",
        admission_date: "2025-09-01",
        spells: [{ from: "2025-09-01", to: "2025-09-09", reg_group: "3A" }, { from: "2025-09-10", reg_group: "3B", fsm: "Y" }],
      },
      { upn: OTHER, admission_date: "2025-09-01" },
    ],
    marks: [
      ...daysOf(OLD, { "2025-09-08": ["/", "/"], "2025-09-09": ["N", "N"], "2025-09-10": ["/", "L"], "2025-09-11": ["O", "/"], "2025-09-12": ["I", "I"] }),
      ...daysOf(OTHER, { "2025-09-08": ["/", "/"], "2025-09-09": ["/", "N"] }),
    ],
  });
  await c.run(`UPDATE mark_store SET minutes_late = 5 WHERE code = 'L'`);
  await c.run(
    `INSERT INTO amendments (amendment_id, upn, date, session, original_code, new_code, reason, amended_at, amended_by, amended_by_role, import_id)
     VALUES (1, $upn, DATE '2025-09-12', 'AM', 'O', 'I', 'letter from parent', TIMESTAMP '2025-09-15 09:00:00', 'Ann', 'attendance officer', NULL)`,
    { upn: OLD },
  );
  await c.run(
    `INSERT INTO interventions (upn, type, date, note, recorded_at, recorded_by, recorded_by_role) VALUES ($upn, 'conversation', DATE '2025-09-15', 'spoke to mum', TIMESTAMP '2025-09-15 12:00:00', 'Ann', 'attendance_lead')`,
    { upn: OLD },
  );
}

/** What the pupil's page reads (app/routes/pupils.$upn.tsx), the UPN itself left out. */
async function pageFigures(c: Connection, who: string) {
  const query = { ...PERIOD, filter: { upn: who } };
  const record = await pupilRecord(c, who, PERIOD);
  return {
    record: record && { ...record, identity: { ...record.identity, upn: "-" } },
    measures: await summarise(c, query),
    years: await summariseBy(c, query, "academic_year"),
    weeks: await summariseBy(c, query, "week"),
    codes: await sessionsByCode(c, query),
    interventions: (await pupilInterventions(c, who)).map((i) => ({ ...i, upn: "-" })),
  };
}

/** Row count and content checksum of every table (the audit trail's too). */
async function fingerprint(c: Connection): Promise<Record<string, string>> {
  const tables = await queryRows<{ t: string }>(c, `SELECT table_name AS t FROM duckdb_tables() WHERE schema_name = 'main' AND NOT temporary ORDER BY 1`);
  const out: Record<string, string> = {};
  for (const { t } of tables) {
    const [row] = await queryRows(c, `SELECT count(*) AS n, coalesce(md5(string_agg(x::VARCHAR, '|' ORDER BY x::VARCHAR)), '') AS sum FROM "${t}" x`);
    out[t] = `${row.n}:${row.sum}`;
  }
  return out;
}

/** Rows naming `who` in each table that keys a pupil by UPN. */
async function rowsOf(c: Connection, who: string): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of UPN_TABLES) out[t] = Number((await queryRows(c, `SELECT count(*) AS n FROM ${t} WHERE upn = $who`, { who }))[0].n);
  return out;
}

/**
 * NEW already stored: the corrected export imported as a new pupil on 2025-09-15, admitted
 * (as the MIS says) 2025-09-01, with the spells the import makes up for a new pupil (a first
 * spell 2025-09-01 in class "Not assigned", the current from 2025-09-15 in 3C) and the week of
 * 2025-09-15: Mon N N, Tue / /. OLD's last week ended Fri I I, so Monday's absence continues
 * OLD's spell once merged. By hand for the pupil over both weeks: possible 14, present 7,
 * authorised 2, unauthorised 5; absence spells: Tue 9 (N N), Thu 11 AM (O), Fri 12 – Mon 15
 * (I I N N, one spell) = 3.
 */
async function seedNew(c: Connection, over: { dob?: string; forename?: string; marks?: Record<string, [string | null, string | null]> } = {}) {
  await seedRegister(c, {
    pupils: [
      {
        upn: NEW,
        forename: over.forename ?? "ZOË",
        surname: "brontë",
        dob: over.dob ?? "2017-05-04",
        admission_date: "2025-09-01",
        spells: [{ from: "2025-09-01", to: "2025-09-14", reg_group: "Not assigned" }, { from: "2025-09-15", reg_group: "3C", fsm: "Y" }],
      },
    ],
    marks: daysOf(NEW, over.marks ?? { "2025-09-15": ["N", "N"], "2025-09-16": ["/", "/"] }),
  });
}

describe("correcting a pupil's UPN", () => {
  let db: string;
  beforeEach(async () => {
    db = tempDbPath("upn");
    await withConnection(db, seed);
  });
  afterEach(() => removeDb(db));

  it("the fixture: OLD's check letter is wrong, NEW's right", () => {
    expect(upnCheckLetter(OLD.slice(1))).not.toBe(OLD[0]);
    expect(upnCheckLetter(NEW.slice(1))).toBe(NEW[0]);
  });

  it("moves everything under OLD to NEW: the page's figures are identical, OLD is gone, the audit row says who and OLD → NEW", async () => {
    const before = await withConnection(db, (c) => pageFigures(c, OLD));
    expect(before.measures).toMatchObject({ possible_sessions: 10, present_sessions: 5, authorised_sessions: 2, unauthorised_sessions: 3, attendance_pct: 50 });
    expect(before.record?.characteristics).toHaveLength(2);
    expect(before.record?.amendments).toHaveLength(1);
    expect(before.interventions).toHaveLength(1);
    const other = await withConnection(db, (c) => pageFigures(c, OTHER));

    const result = await withConnection(db, (c) => correctUpn(c, { from: OLD, to: NEW, by: BY }));
    expect(result).toEqual({ from: OLD, to: NEW, kind: "renamed", dryRun: false, moved: { characteristics: 2, amendments: 1, interventions: 1, marks: 10 }, notes: [] });

    await withConnection(db, async (c) => {
      expect(await pageFigures(c, NEW)).toEqual(before);
      expect(await pageFigures(c, OTHER)).toEqual(other);
      expect(await pupilRecord(c, OLD, PERIOD)).toBeUndefined();
      expect(await rowsOf(c, OLD)).toEqual({ pupils: 0, pupil_characteristics: 0, pupil_ids: 0, amendments: 0, interventions: 0 });
      expect(await rowsOf(c, NEW)).toEqual({ pupils: 1, pupil_characteristics: 2, pupil_ids: 1, amendments: 1, interventions: 1 });
      const audit = await queryAudit(c, { action: "upn_corrected" });
      expect(audit.rows).toHaveLength(1);
      expect(audit.rows[0]).toMatchObject({ actor: "Ann Office", role: "attendance officer", ip: "cli", target: `${OLD} → ${NEW}` });
      expect(audit.rows[0].detail).toBe(`UPN ${OLD} → ${NEW}: the pupil's record now bears the new UPN; 10 marks, 2 characteristics spells, 1 amendment and 1 intervention moved`);
    });
  });

  it("refuses, changing nothing (the audit trail too): NEW not a UPN, NEW the same as OLD, OLD not stored", async () => {
    const before = await withConnection(db, fingerprint);
    const refusals: Array<[string, string, RegExp]> = [
      [OLD, "A1234", /"A1234" is not a UPN \(a capital letter, 11 digits, then a digit or capital letter\): nothing was changed\./],
      [OLD, OLD, /the old and new UPN are the same/],
      [upn(99), NEW, new RegExp(`there is no pupil with UPN ${upn(99)} in the register: nothing was changed\\.`)],
    ];
    for (const [from, to, message] of refusals) {
      await expect(withConnection(db, (c) => correctUpn(c, { from, to, by: BY }))).rejects.toThrow(message);
      expect(await withConnection(db, fingerprint)).toEqual(before);
    }
  });

  it("a dry run says what it would do and changes nothing", async () => {
    const before = await withConnection(db, fingerprint);
    const result = await withConnection(db, (c) => correctUpn(c, { from: OLD, to: NEW, by: BY, dryRun: true }));
    expect(result).toMatchObject({ kind: "renamed", dryRun: true, moved: { characteristics: 2, amendments: 1, interventions: 1, marks: 10 } });
    expect(await withConnection(db, fingerprint)).toEqual(before);
  });

  it("says when NEW's check letter is not the DfE's, and corrects all the same", async () => {
    const typo = `${OLD[0] === "B" ? "C" : "B"}${NEW.slice(1)}`;
    const result = await withConnection(db, (c) => correctUpn(c, { from: OLD, to: typo, by: BY }));
    expect(result.notes).toEqual([`${typo}'s check letter is not the one the DfE's UPN algorithm gives (it would start with ${NEW[0]}): most often a typing slip; check it against the MIS.`]);
    expect(await withConnection(db, (c) => rowsOf(c, typo))).toMatchObject({ pupils: 1, pupil_ids: 1 });
  });

  it("the CLI (bin/rollcall.js) prints what it did, refuses in a sentence (exit 1, nothing changed), and records the CLI's user", async () => {
    const rollcall = cliOn(db);
    const before = await withConnection(db, fingerprint);
    await closeInstance(db);
    expect(await rollcall("pupils", "correct-upn", upn(99), NEW)).toEqual({
      code: 1,
      stdout: "",
      stderr: `rollcall pupils: refused: there is no pupil with UPN ${upn(99)} in the register: nothing was changed.\n`,
    });
    expect(await withConnection(db, fingerprint)).toEqual(before);
    await closeInstance(db);
    // --role is written to the audit trail, so it must be a role that may amend the register
    // (trial20c: `--role governor` recorded a governor correcting a UPN): refused, exit 2.
    expect(await rollcall("pupils", "correct-upn", OLD, NEW, "--role", "Governor")).toMatchObject({ code: 2, stdout: "" }); // as people write it
    expect((await rollcall("pupils", "correct-upn", OLD, NEW, "--role", "governor")).stderr).toContain(
      "--role governor may not correct a pupil's UPN: the attendance lead, the headteacher and administrators may (attendance_lead, head, admin)",
    );
    expect((await rollcall("pupils", "correct-upn", OLD, NEW, "--role", "caretaker")).stderr).toContain('--role must be one of attendance_lead, head, admin');
    expect(await withConnection(db, fingerprint)).toEqual(before);
    await closeInstance(db);
    const detail = `UPN ${OLD} → ${NEW}: the pupil's record now bears the new UPN; 10 marks, 2 characteristics spells, 1 amendment and 1 intervention moved`;
    // Said as what it would do, not as done (trial 54, review 54).
    const wouldDo = `UPN ${OLD} → ${NEW}: the pupil's record would bear the new UPN; 10 marks, 2 characteristics spells, 1 amendment and 1 intervention would move`;
    expect(await rollcall("pupils", "correct-upn", OLD, NEW, "--dry-run")).toMatchObject({ code: 0, stdout: `Dry run, nothing was changed. It would do this: ${wouldDo}.\n` });
    expect(await withConnection(db, fingerprint)).toEqual(before);
    await closeInstance(db);
    expect(await rollcall("pupils", "correct-upn", OLD, NEW, "--user", "Sam", "--role", "attendance_lead")).toMatchObject({ code: 0, stdout: `${detail}.\n` });
    expect((await rollcall("pupils", "correct-upn", OLD)).code).toBe(2);
    const audit = await withConnection(db, (c) => queryAudit(c, { action: "upn_corrected" }));
    expect(audit.rows).toHaveLength(1);
    expect(audit.rows[0]).toMatchObject({ actor: "Sam", role: "attendance_lead", ip: "cli", target: `${OLD} → ${NEW}`, detail });
    expect(await withConnection(db, (c) => rowsOf(c, NEW))).toMatchObject({ pupils: 1, pupil_ids: 1, pupil_characteristics: 2 });
  });

  it("while the dashboard holds the file, runs inside the server as a relayed command line (analytics/cli/remote.ts runForCaller), recorded from 'cli via server'", async () => {
    const { runForCaller } = await import("../analytics/cli/remote.ts");
    const result = await runForCaller({ argv: ["pupils", "correct-upn", OLD, NEW, "--db", db], env: { USER: "Sam" } }, db);
    expect(result).toMatchObject({ code: 0, stderr: "" });
    expect(result.stdout).toContain(`UPN ${OLD} → ${NEW}: the pupil's record now bears the new UPN`);
    const audit = await withConnection(db, (c) => queryAudit(c, { action: "upn_corrected" }));
    expect(audit.rows[0]).toMatchObject({ actor: "Sam", ip: "cli via server" });
    expect(await withConnection(db, (c) => rowsOf(c, NEW))).toMatchObject({ pupils: 1, pupil_ids: 1 });
  });

  it("NEW already stored: merges OLD into NEW: marks, OLD's history before NEW's current spell, amendments, interventions; the aggregates equal a rebuild; OLD is gone", async () => {
    await withConnection(db, (c) => seedNew(c));
    const result = await withConnection(db, (c) => correctUpn(c, { from: OLD, to: NEW, by: BY }));
    expect(result).toMatchObject({ kind: "merged", moved: { characteristics: 2, amendments: 1, interventions: 1, marks: 10 } });
    await withConnection(db, async (c) => {
      const figures = await pageFigures(c, NEW);
      expect(figures.measures).toMatchObject({ possible_sessions: 14, present_sessions: 7, authorised_sessions: 2, unauthorised_sessions: 5 });
      expect(figures.record?.identity).toMatchObject({ forename: "ZOË", admission_date: "2025-09-01" });
      expect(figures.record?.characteristics.map((s) => [s.valid_from, s.valid_to, s.reg_group])).toEqual([
        ["2025-09-01", "2025-09-09", "3A"],
        ["2025-09-10", "2025-09-14", "3B"],
        ["2025-09-15", null, "3C"],
      ]);
      expect(figures.record?.amendments).toHaveLength(1);
      expect(figures.interventions).toHaveLength(1);
      expect(await rowsOf(c, OLD)).toEqual({ pupils: 0, pupil_characteristics: 0, pupil_ids: 0, amendments: 0, interventions: 0 });
      // Monday's absence continues Friday's spell: three spells, not four.
      const spells = await queryRows(c, `SELECT sum(spell_starts)::INTEGER AS n FROM mark_days JOIN pupil_ids USING (pupil_id) WHERE upn = $upn`, { upn: NEW });
      expect(spells).toEqual([{ n: 3 }]);
      // Every aggregate equals a rebuild from the marks (no row left under OLD's id).
      const all = async () => {
        const out: Record<string, unknown> = {};
        for (const t of ["mark_days", "mark_weeks", "mark_week_codes"]) out[t] = await queryRows(c, `SELECT * FROM ${t} ORDER BY ALL`);
        return out;
      };
      const kept = await all();
      await inTransaction(c, async () => {
        await rebuildAggregates(c);
        expect(await all()).toEqual(kept);
        throw new Error("roll back the rebuild");
      }).catch((error: Error) => expect(error.message).toBe("roll back the rebuild"));
      expect((await queryAudit(c, { action: "upn_corrected" })).rows[0].detail).toContain("the pupil's two records were merged under the new UPN");
    });
  });

  it("NEW already stored: refuses, changing nothing, when the two are not the same person, naming what differs", async () => {
    await withConnection(db, (c) => seedNew(c, { dob: "2017-05-05", forename: "Zoe" }));
    const before = await withConnection(db, fingerprint);
    await expect(withConnection(db, (c) => correctUpn(c, { from: OLD, to: NEW, by: BY }))).rejects.toThrow(
      `a pupil with UPN ${NEW} is already in the register and is not the same person as ${OLD} (forename Zoë under ${OLD}, Zoe under ${NEW}; date of birth 2017-05-04 under ${OLD}, 2017-05-05 under ${NEW}): nothing was changed.`,
    );
    expect(await withConnection(db, fingerprint)).toEqual(before);
  });

  it("NEW already stored: refuses, changing nothing, when a session is marked under both", async () => {
    await withConnection(db, (c) => seedNew(c, { marks: { "2025-09-11": [null, "/"], "2025-09-12": ["I", null] } }));
    const before = await withConnection(db, fingerprint);
    await expect(withConnection(db, (c) => correctUpn(c, { from: OLD, to: NEW, by: BY }))).rejects.toThrow(
      `a pupil with UPN ${NEW} is already in the register and 2 sessions are marked under both UPNs (the first 2025-09-11 PM): nothing was changed`,
    );
    expect(await withConnection(db, fingerprint)).toEqual(before);
  });
});

describe("correcting a UPN between two imports of the MIS's files", () => {
  let db: string;
  beforeEach(() => {
    db = tempDbPath("upn-import");
  });
  afterEach(() => removeDb(db));

  it("the import notes the slip and names the command; once corrected, the MIS's corrected export is the same pupil, not a new one", async () => {
    const tx = <T>(work: (c: Connection) => Promise<T>) => withConnection(db, (c) => inTransaction(c, () => work(c)));
    const first = await tx((c) => importPupils(c, { file: "pupils.csv", text: pupilsCsv([pupil(1, { upn: OLD }), pupil(2)]), by: BY_IMPORT, asOf: "2025-09-01" }));
    expect(first.notes?.join(" ")).toContain(`${OLD} would start with ${NEW[0]}`);
    expect(first.notes?.join(" ")).toContain("an administrator corrects it in Rollcall with the command rollcall pupils correct-upn OLD NEW");
    await tx((c) => importMarks(c, { file: "marks.csv", text: marksCsv([[OLD, "2025-09-08", "AM", "/"], [OLD, "2025-09-08", "PM", "N"]]), by: BY_IMPORT }));
    await withConnection(db, (c) => correctUpn(c, { from: OLD, to: NEW, by: BY }));
    const again = await tx((c) => importPupils(c, { file: "pupils.csv", text: pupilsCsv([pupil(1), pupil(2)]), by: BY_IMPORT, asOf: "2025-09-01" }));
    expect(again).toMatchObject({ inserted: 0, amended: 0, unchanged: 2 });
    expect(again.notes ?? []).toEqual([]);
    const marks = await withConnection(db, (c) => queryRows(c, `SELECT upn, code::VARCHAR AS code FROM marks ORDER BY session`));
    expect(marks).toEqual([{ upn: NEW, code: "/" }, { upn: NEW, code: "N" }]);
  });
});
