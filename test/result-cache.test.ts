/**
 * The result cache (issue 11, item 5): with it on (the web server), a measure asked again
 * before any change is answered from memory; an import committed through the import moves
 * the file on, so the next answer is the new figure. Figures worked by hand.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { cachedRows, cachedRowsToRead, enableResultCache, inTransaction, resultCacheStats, withConnection, withSharedReads, type Connection } from "../analytics/db.ts";
import { importMarks, importPupils } from "../analytics/import/index.ts";
import { summarise, summariseAtoms, summariseBy } from "../analytics/measures.ts";
import { getSettings, saveSettings } from "../analytics/settings.ts";
import { ensureInterventionsTable, recordIntervention } from "../analytics/interventions/store.ts";
import { COMMENTARY_TABLES, getCommentary, saveCommentary } from "../analytics/packs/commentary.ts";
import { recordAudit } from "../analytics/audit.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";
import { BY, marksCsv, pupil, pupilsCsv, upn } from "./fixtures/import/helpers.ts";

let db: string;
const WEEK = { from: "2024-09-02", to: "2024-09-06" };
const tx = <T>(work: (conn: Connection) => Promise<T>) => withConnection(db, (conn) => inTransaction(conn, () => work(conn)));
const figures = () => withConnection(db, (c) => summarise(c, WEEK));

beforeAll(() => enableResultCache());
afterAll(() => enableResultCache(false));
beforeEach(async () => {
  db = tempDbPath("result-cache");
  await tx((conn) => importPupils(conn, { file: "pupils.csv", text: pupilsCsv([pupil(1, { admission_date: "2021-09-01" }), pupil(2, { admission_date: "2021-09-01" })]), by: BY, asOf: "2024-09-02" }));
  // Pupil 1: present, present, ill (3 possible, 2 present). Pupil 2: late (present), unauthorised.
  await tx((conn) =>
    importMarks(conn, {
      file: "week.csv",
      text: marksCsv([
        [upn(1), "2024-09-02", "AM", "/"],
        [upn(1), "2024-09-02", "PM", "\\"],
        [upn(1), "2024-09-03", "AM", "I"],
        [upn(2), "2024-09-02", "AM", "L"],
        [upn(2), "2024-09-02", "PM", "N"],
      ]),
      by: BY,
    }),
  );
});
afterEach(async () => {
  await removeDb(db);
});

describe("the result cache", () => {
  it("answers the same measure again from memory, with the same figures", async () => {
    const first = await figures();
    expect(first).toMatchObject({ possible_sessions: 5, present_sessions: 3, authorised_sessions: 1, unauthorised_sessions: 1, pupils: 2 });
    const before = resultCacheStats();
    const second = await figures();
    const after = resultCacheStats();
    expect(second).toEqual(first);
    expect(after.hits - before.hits).toBeGreaterThan(0);
    expect(after.misses).toBe(before.misses);
  });

  it("gives each caller its own copy: changing one answer leaves the next alone", async () => {
    const groups = await withConnection(db, (c) => summariseBy(c, WEEK, "session"));
    const am = groups.find((g) => g.group === "AM")!;
    expect(am.possible_sessions).toBe(3);
    am.possible_sessions = 0;
    const again = await withConnection(db, (c) => summariseBy(c, WEEK, "session"));
    expect(again.find((g) => g.group === "AM")!.possible_sessions).toBe(3);
  });

  it("gives a caller that only reads the kept rows themselves (no copy), and still a copy to every other", async () => {
    // A governors' pack reads its spans' atoms as the kept rows (summariseAtoms): at 4,500
    // pupils their copies were a tenth of what the pack allocated.
    const sql = "SELECT upn FROM pupils ORDER BY upn";
    const [a, b, copy] = await withConnection(db, async (c) => [await cachedRowsToRead(c, sql), await cachedRowsToRead(c, sql), await cachedRows(c, sql)]);
    expect(b[0]).toBe(a[0]);
    expect(copy[0]).not.toBe(a[0]);
    expect(copy).toEqual(a);
  });

  it("gives the kept rows to a caller that only reads within one piece of work with the cache off (the CLI, the pack benchmark)", async () => {
    enableResultCache(false);
    try {
      const sql = "SELECT upn FROM pupils ORDER BY upn";
      const [a, b, copy] = await withConnection(db, (c) => withSharedReads(c, async () => [await cachedRowsToRead(c, sql), await cachedRowsToRead(c, sql), await cachedRows(c, sql)]));
      expect(b[0]).toBe(a[0]);
      expect(copy[0]).not.toBe(a[0]);
      expect(copy).toEqual(a);
    } finally {
      enableResultCache();
    }
  });

  it("makes a span's atoms afresh for each caller from the kept rows: changing one answer leaves the next alone", async () => {
    const atoms = () => withConnection(db, (c) => summariseAtoms(c, WEEK));
    const first = await atoms();
    expect(first.reduce((n, a) => n + a.possible_sessions, 0)).toBe(5);
    first[0].possible_sessions = 0;
    first[0].absence.uncounted_absent = -1;
    const again = await atoms();
    expect(again.reduce((n, a) => n + a.possible_sessions, 0)).toBe(5);
    expect(again[0].absence.uncounted_absent).not.toBe(-1);
  });

  it("forgets what it knew when an import commits: the next answer counts the new marks", async () => {
    expect((await figures()).possible_sessions).toBe(5);
    // Pupil 1's Tuesday afternoon unauthorised, Wednesday morning present: 7 possible, 4 present.
    await tx((conn) =>
      importMarks(conn, { file: "more.csv", text: marksCsv([[upn(1), "2024-09-03", "PM", "O"], [upn(1), "2024-09-04", "AM", "/"]]), by: BY }),
    );
    expect(await figures()).toMatchObject({ possible_sessions: 7, present_sessions: 4, unauthorised_sessions: 2 });
  });

  it("answers from the database again once turned off", async () => {
    await figures();
    enableResultCache(false);
    try {
      const before = resultCacheStats();
      await figures();
      expect(resultCacheStats().hits).toBe(before.hits);
      expect(resultCacheStats().entries).toBe(0);
    } finally {
      enableResultCache();
    }
  });

  it("keeps the settings every page reads in memory, and a saved setting is read at once", async () => {
    const read = () => withConnection(db, (c) => getSettings(c));
    expect((await read()).small_group_min).toBe(5);
    const before = resultCacheStats();
    await read();
    // The stored values, whether the change log exists and its last entry: all from memory,
    // the settings made from them kept as they are (getSettings, keptSettings), so not one read.
    expect(resultCacheStats().misses).toBe(before.misses);
    expect(resultCacheStats().hits - before.hits).toBe(0);
    const saved = await withConnection(db, (c) => saveSettings(c, { small_group_min: "7", school_name: "Cached Primary" }, { name: "Head", role: "admin" }));
    expect(saved.problems).toEqual({});
    const after = await read();
    expect(after.small_group_min).toBe(7);
    expect(after.school_name).toBe("Cached Primary");
    expect(after.last_change).toMatchObject({ by: "Head", role: "admin" });
  });

  it("keeps the register's figures in memory when an intervention is recorded, and reads the new entry at once", async () => {
    // A cached read of the interventions table, as the ladder's.
    const entries = () => withConnection(db, (c) => cachedRows<{ type: string; date: string; note: string }>(c, "SELECT type, strftime(date, '%Y-%m-%d') AS date, note FROM interventions ORDER BY intervention_id"));
    await withConnection(db, (c) => ensureInterventionsTable(c));
    expect(await entries()).toEqual([]);
    await figures();
    await withConnection(db, (c) =>
      recordIntervention(c, { upn: upn(1), type: "conversation", date: "2024-09-03", note: "Spoke to mum.", by: "Lead", role: "attendance_lead", today: "2024-09-06" }),
    );
    // The measure names no interventions table: answered from memory, no query run.
    const before = resultCacheStats();
    expect(await figures()).toMatchObject({ possible_sessions: 5, present_sessions: 3 });
    expect(resultCacheStats().misses).toBe(before.misses);
    // What reads interventions is asked again: the entry is there.
    expect((await entries()).map((e) => [e.type, e.date, e.note])).toEqual([["conversation", "2024-09-03", "Spoke to mum."]]);
    // A later import still moves everything on.
    await tx((conn) => importMarks(conn, { file: "more.csv", text: marksCsv([[upn(1), "2024-09-03", "PM", "O"]]), by: BY }));
    expect((await figures()).possible_sessions).toBe(6);
  });
  it("keeps the register's figures in memory when the head saves the governors' pack commentary, and reads the new words at once", async () => {
    await figures();
    // As the FGB pack page saves: the heading and its audit entry in one commit of COMMENTARY_TABLES.
    await withConnection(db, (c) =>
      inTransaction(
        c,
        async () => {
          await saveCommentary(c, { kind: "fgb", periodKey: "autumn-2024", heading: "interventions", body: "Weekly calls home.", author: "Test head", role: "Headteacher" });
          await recordAudit(c, { actor: "head@example.org", role: "head", action: "commentary_save", target: "FGB pack autumn-2024", detail: "1 heading changed" });
        },
        { changes: COMMENTARY_TABLES },
      ),
    );
    // The figures name neither table: answered from memory, no query run (before: every
    // cached figure of the register forgotten, and the pack shown next worked out from nothing).
    const before = resultCacheStats();
    expect(await figures()).toMatchObject({ possible_sessions: 5, present_sessions: 3 });
    expect(resultCacheStats().misses).toBe(before.misses);
    expect((await withConnection(db, (c) => getCommentary(c, "fgb", "autumn-2024"))).interventions).toMatchObject({ body: "Weekly calls home.", author: "Test head" });
  });
});
