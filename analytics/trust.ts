/**
 * The trust roll-up (issue 11, item 6): every school of a trust side by side, from the
 * register lake its schools export to (`rollcall export parquet`, analytics/lake.ts). Each
 * school's figures come from the same measures as its own dashboard (`summarise`, counted for
 * every school at once by summariseEachRegister with summarise's own scope, units and totals, and `summariseBy`),
 * run over its Parquet files of the per-pupil aggregates (weeks, and days at the period's
 * edges: not the marks), so the trust sees what each head sees.
 *
 * Figures are for the academic year to date (1 August, DfE). Attendance is against each
 * school's own target (its settings, exported with its register); absence and persistent
 * absence are compared with national figures on the DfE's population (pupils aged 5–15 on
 * 31 August), as on each school's Overview.
 */
import crypto from "node:crypto";
import path from "node:path";
import { queryRows, type Connection } from "./db.ts";
import { lakeSchoolStates, lakeSwapping, lakeYears, openLakeSchools } from "./lake.ts";
import { freshLakeListing, lakeListing, relistLake, withLakeListings } from "./lake-listing.ts";
import { summariseBy, summariseEachRegister, type GroupMeasures, type Measures, type PupilDimension } from "./measures.ts";
import { settingsOf, type Settings } from "./settings.ts";
import { targetVerdict } from "./thresholds.ts";

export interface TrustSchool {
  urn: string;
  /** The school's name from its own settings. */
  name: string;
  /** Pupils with at least one possible session in the period (whole roll). */
  pupils: number;
  possible_sessions: number;
  /** Whole roll, percent 0–100 (null without possible sessions). */
  attendance_pct: number | null;
  absence_pct: number | null;
  pa_pupils: number;
  pa_pct: number | null;
  sa_pupils: number;
  sa_pct: number | null;
  /** The school's attendance target (percent) and attendance − target in points (null without marks). */
  target_pct: number;
  target_gap_points: number | null;
  /** On the DfE's population, the basis of the published figures: absence and PA percent. */
  dfe_absence_pct: number | null;
  dfe_pa_pct: number | null;
  /**
   * The last day in the period with any mark in the school's register (ISO), null without
   * marks: a school whose register was exported earlier than the others' is counted to an
   * earlier day, and the Trust page says so beside its row (trial20b).
   */
  last_mark_date: string | null;
}

/** The breakdowns a trust can open for one school: characteristics and year groups. */
export const TRUST_BREAKDOWNS = ["year_group", "fsm", "sen", "eal", "sex"] as const satisfies readonly PupilDimension[];
export type TrustBreakdown = (typeof TRUST_BREAKDOWNS)[number];

export function isTrustBreakdown(value: string): value is TrustBreakdown {
  return (TRUST_BREAKDOWNS as readonly string[]).includes(value);
}

/** The breakdown of one school the Trust page opened: the rows its own Groups and Year groups pages show. */
export interface TrustOpened {
  urn: string;
  name: string;
  by: TrustBreakdown;
  rows: GroupMeasures[];
}

export interface TrustRollup {
  /** One row per school the lake holds, in URN order. */
  schools: TrustSchool[];
  /** The school asked for, broken down; null when none was asked for or the lake holds no such school. */
  opened: TrustOpened | null;
}

/** What was counted from one school's files, and the state of those files (lakeSchoolStates) it was counted from. */
interface Kept<T> {
  state: string;
  result: Promise<T>;
}

/**
 * Each school's row and each opened breakdown, kept per (lake, school, period[, breakdown]) with
 * the state of that school's own files: a school's export makes only its own row counted again.
 * Bounded (oldest used dropped first): rows for 100 schools × 10 periods, the last 32 breakdowns.
 */
const KEPT_ROWS_LIMIT = 1000;
const KEPT_OPENED_LIMIT = 32;
const keptRows = new Map<string, Kept<TrustSchool>>();
const keptOpened = new Map<string, Kept<TrustOpened>>();
const counted = { rows: 0, opened: 0, openings: 0 };

/**
 * How much the roll-up has counted since the process started (tests, bench): school rows and
 * breakdowns computed from the files (not answered from what was kept), and openings of the
 * lake (openLakeSchools, in the lake's one database) made to count them.
 */
export function trustRollupStats(): { rows: number; opened: number; openings: number } {
  return { ...counted };
}

/** `key`'s entry if it was counted from `state`, moved to the back (the most recently asked). */
function keptAt<T>(kept: Map<string, Kept<T>>, key: string, state: string): Promise<T> | undefined {
  const entry = kept.get(key);
  if (!entry || entry.state !== state) return undefined;
  kept.delete(key);
  kept.set(key, entry);
  return entry.result;
}

/**
 * Keeps `result` for `key` as counted from `state` (replacing what was counted from an earlier
 * state, oldest used dropped past `limit`); a failed count is not kept, so the next asker tries again.
 */
function keepAt<T>(kept: Map<string, Kept<T>>, limit: number, key: string, state: string, result: Promise<T>): void {
  const entry = { state, result };
  kept.delete(key);
  kept.set(key, entry);
  result.catch(() => {
    if (kept.get(key) === entry) kept.delete(key);
  });
  if (kept.size > limit) kept.delete(kept.keys().next().value as string);
}

/**
 * The lake's tables the roll-up reads: the settings, and what `summarise` and a pupil-level
 * `summariseBy` read from the aggregates (the pupils and their characteristics, mark_weeks and
 * mark_days). Only these are opened for 40 schools (each view costs a look at its files); a
 * measure that came to read another would fail loudly here (test/lake.test.ts).
 */
export const ROLLUP_TABLES = ["settings", "pupils", "pupil_ids", "pupil_characteristics", "mark_weeks", "mark_days"] as const;

/** What was counted afresh: the rows of the schools asked for, and the breakdown of the school opened if asked. */
interface Counted {
  rows: Map<string, TrustSchool>;
  opened: GroupMeasures[] | null;
}

/**
 * Counts the rows of `schools` (some of those the lake holds) and, when `open` is given, that
 * school broken down, in the lake's database (one reading of each file's footer): the rows
 * all at once, on those schools' files read as one register (openLakeSchools `together`), each
 * measure one query grouped by school; the breakdown beside it, on a connection of its own over
 * that school's register alone — or, when that school is the only one counted (its export
 * made both stale), after its row on the same views: a register read "together" alone is that
 * school's, every pupil renamed the same way, so the breakdown's groups and figures are the
 * same, and its files are not looked at again for views of their own. Both read only the files
 * of the academic years the period touches. `unchanged` is called once both are done, and
 * throws (LakeChangedError) when the files counted changed meanwhile. Rejects with the first
 * failure (a bad period, the measures' errors, a file gone), once both are done; the connections
 * of a count that failed are closed, their views with them (openLakeSchools `close(true)`).
 */
async function countSchools(
  dir: string,
  held: readonly string[],
  period: { from: string; to: string },
  schools: readonly string[],
  open: { urn: string; by: TrustBreakdown } | null,
  unchanged: () => void,
): Promise<Counted> {
  const alone = open !== null && schools.length === 1 && schools[0] === open.urn;
  const lake = await openLakeSchools(dir, open && !alone ? [open.urn] : [], held, ROLLUP_TABLES, { years: lakeYears(period), together: schools });
  counted.openings += 1;
  let failed = true;
  try {
    const result: Counted = { rows: new Map(), opened: null };
    const breakdown = async (connection: Promise<Connection>) => {
      result.opened = await summariseBy(await connection, period, open!.by);
      counted.opened += 1;
    };
    const rows = async () => {
      if (schools.length === 0) return;
      const connection = lake.connectTogether();
      result.rows = await schoolRows(await connection, schools, period);
      counted.rows += schools.length;
      if (alone) await breakdown(connection);
    };
    // Both finish before either's failure is thrown: the connections are not closed under a query.
    const work = [rows(), ...(open && !alone ? [breakdown(lake.connect(open.urn))] : [])];
    const failure = (await Promise.allSettled(work)).find((r): r is PromiseRejectedResult => r.status === "rejected");
    if (failure) throw failure.reason;
    // Files changed while they were read: what was counted may mix two exports.
    unchanged();
    failed = false;
    return result;
  } finally {
    // Views that failed are not kept for the next count (a file whose columns changed).
    lake.close(failed);
  }
}

/** A row of SETTINGS_SQL: one of a school's settings (key, value). */
type SchoolSetting = { school: string; key: string; value: string };

/**
 * Every school's settings in one statement: each statement on the lake's views costs a few ms
 * of CPU however small (its views bound, their files' footers read). Each school's last day
 * marked comes with its counts (summariseEachRegister's lastMarked, from the weeks and edge
 * days those read), no longer beside the settings from a max(date) over every day of the period
 * (mark_days, 7.6 million rows a trust's year: trust43, 40 schools' settings files just given new
 * times, load 5–9, median CPU of the settings with that last day 45–70 ms, the settings alone 15–24).
 */
const SETTINGS_SQL = `SELECT school, key, value FROM settings`;

/**
 * The rows of `schools`, from their files read as one register (openLakeSchools `together`): each
 * school's settings (one query for every school: SETTINGS_SQL), its two summaries (whole roll,
 * and the DfE's population) and its last day marked (all three from summariseEachRegister,
 * summarise's own SQL grouped by school, one query for every school). Shapes: URN → TrustSchool.
 */
async function schoolRows(connection: Connection, schools: readonly string[], period: { from: string; to: string }): Promise<Map<string, TrustSchool>> {
  const registers = schools.map(Number);
  const stored = new Map<string, Map<string, string>>(schools.map((urn) => [urn, new Map()]));
  for (const row of await queryRows<SchoolSetting>(connection, SETTINGS_SQL)) stored.get(String(row.school))?.set(row.key, row.value);
  const measures = await summariseEachRegister(connection, period, registers);
  return new Map(
    schools.map((urn) => {
      const { whole, dfe, lastMarked } = measures.get(Number(urn))!;
      return [urn, schoolRow(urn, settingsOf(stored.get(urn)!), whole, dfe, lastMarked)];
    }),
  );
}

/** One school's row from its settings, its two summaries (whole roll, the DfE's population) and its last day marked. */
function schoolRow(urn: string, settings: Settings, whole: Measures, dfe: Measures, last: string | null): TrustSchool {
  return {
    urn,
    name: settings.school_name,
    pupils: whole.pupils,
    possible_sessions: whole.possible_sessions,
    attendance_pct: whole.attendance_pct,
    absence_pct: whole.absence_pct,
    pa_pupils: whole.pa_pupils,
    pa_pct: whole.pa_pct,
    sa_pupils: whole.sa_pupils,
    sa_pct: whole.sa_pct,
    target_pct: settings.target_attendance_pct,
    // The one target verdict's gap (analytics/thresholds.ts targetVerdict), as every page.
    target_gap_points: whole.attendance_pct === null ? null : targetVerdict(whole.attendance_pct, settings.target_attendance_pct).gap,
    dfe_absence_pct: dfe.absence_pct,
    dfe_pa_pct: dfe.pa_pct,
    last_mark_date: last,
  };
}

/**
 * The schools whose register ends before the latest of them (each with its last day marked):
 * their figures cover less of the period than the others', so the Trust page names them.
 * Shapes: TrustSchool rows in; URN → last day marked (ISO) out, only for the earlier ones.
 */
export function registersEndingEarly(schools: readonly Pick<TrustSchool, "urn" | "last_mark_date">[]): Map<string, string> {
  const dates = schools.map((s) => s.last_mark_date).filter((d): d is string => d !== null);
  const latest = dates.reduce<string | null>((max, d) => (max === null || d > max ? d : max), null);
  return new Map(schools.filter((s) => s.last_mark_date !== null && latest !== null && s.last_mark_date < latest).map((s) => [s.urn, s.last_mark_date!]));
}

/**
 * The state of everything the roll-up of the lake in `dir` reads from its files (each school's
 * files of the tables it reads: lakeSchoolStates), as one digest: while it is the same,
 * trustRollup over any period gives the same figures (with the database's national figures,
 * which change only by a commit). For keeping a page made from it (app/lib/page-version.server.ts).
 * Reads only the file system; an empty or missing directory has a digest too.
 */
export function trustLakeState(dir: string): string {
  const root = path.resolve(dir);
  const states = lakeSchoolStates(root, ROLLUP_TABLES);
  return crypto.createHash("sha256").update([root, ...[...states].map(([urn, state]) => `${urn}=${state}`)].join("\n")).digest("hex");
}

/**
 * The trust roll-up for the period (`from`–`to`, ISO dates, inclusive) from the lake at `dir`:
 * one row per school (its settings and the measures `summarise` gives on its own files), and
 * the school asked for in `open` (URN and breakdown) broken down (summariseBy). A URN the lake
 * does not hold gives `opened: null`.
 *
 * The lake changes only when a school exports into it, and an export replaces that school's
 * files only, so each school's row and each breakdown are kept per the state of that school's
 * own files of the tables it reads (lakeSchoolStates: each file's path, size and time) and the period: after one
 * school's export only its row (and its breakdowns) are counted again; the others answer from
 * memory. The schools to count again (one, or all of them after every school exported) are
 * counted together, in one opening of the lake's database over their files of the period's
 * academic years alone, each figure one query grouped by school (countSchools), the school
 * opened, when its breakdown is to count, in the same opening. A school added to the
 * lake is counted, a school whose folders were removed is no longer listed. Figures are the
 * same either way: the same measures on the same files. Returns fresh copies (callers may
 * change them); callers at the same time share one count.
 * Throws what openLakeSchools throws (a folder that is not a lake) and the measures' errors (a
 * bad period).
 */
export function trustRollup(dir: string, period: { from: string; to: string }, open?: { urn: string; by: TrustBreakdown }): Promise<TrustRollup> {
  // The states and the views of the schools counted from one listing of the lake (the
  // request's, when the page cache's version already read it: analytics/lake-listing.ts).
  return withLakeListings(() => rollupRead(path.resolve(dir), period, open));
}

/** How many times the roll-up reads a lake whose files change under it before it gives up (LakeUnreadableError). */
export const LAKE_READ_TRIES = 3;

/**
 * What the roll-up counted from a school's files was not of one export: a school's export put
 * its files in place (analytics/lake.ts putInPlace) while they were read. Read again.
 */
export class LakeChangedError extends Error {}

/**
 * The roll-up could not read the lake: its files changed under every try (LAKE_READ_TRIES), or
 * a file cannot be read and did not change (damaged). `message` is for any reader (it names no
 * file of the server); `cause` is the last failure, for the server's log.
 */
export class LakeUnreadableError extends Error {}

/**
 * Whether `error` is a read of the lake's files that failed as files changing under it make
 * one fail: DuckDB's I/O error (a folder or file gone: "No files found", "No such file"; a
 * file not whole: a Parquet footer or magic bytes that cannot be read), DuckDB's Parquet reader
 * meeting bytes that are not what it read before ("Out of buffer", Thrift's "Invalid data": a
 * query binds a file's schema by its path, then opens the path again to scan, and an export
 * renamed another file into place between the two — CI of session 47, 2 in 9 runs of
 * test/lake-export-swap.test.ts), the file system's ENOENT, or the counted files' state changed
 * (LakeChangedError). Whether the files did change is checked before a read is tried again: a
 * file that fails so without changing is damaged, and fails at once.
 */
function readOfChangingFiles(error: unknown): boolean {
  if (error instanceof LakeChangedError) return true;
  if ((error as NodeJS.ErrnoException)?.code === "ENOENT") return true;
  const message = error instanceof Error ? error.message : String(error);
  return /IO Error|No files found|No such file|Could not open|magic bytes|too small to be a Parquet|footer|Out of buffer|TProtocolException/i.test(message);
}

/**
 * trustRollup, tried again while the lake's files change under it: a read that fails as
 * changing files make one fail (readOfChangingFiles) lists the lake again (relistLake: the
 * request's listing replaced) and reads again — once no export is putting a school's files in
 * place (swapsEnded) — when the state of the roll-up's files changed since the try began or an
 * export is putting a school's files in place; at most LAKE_READ_TRIES tries.
 * A file that fails to read and did not change is damaged: no try again. Either way it then
 * throws LakeUnreadableError; any other failure (a bad period) is thrown as it is.
 */
async function rollupRead(root: string, period: { from: string; to: string }, open?: { urn: string; by: TrustBreakdown }): Promise<TrustRollup> {
  for (let tried = 1; ; tried++) {
    const before = trustLakeState(root);
    try {
      return await rollupFrom(root, period, open);
    } catch (error) {
      if (!readOfChangingFiles(error)) throw error;
      const listing = relistLake(root);
      const changing = error instanceof LakeChangedError || lakeSwapping(root, listing.names("")).size > 0 || trustLakeState(root) !== before;
      if (!changing) {
        throw new LakeUnreadableError("The trust's register could not be read: a school's files in it cannot be read. Exporting that school again replaces them.", { cause: error });
      }
      if (tried >= LAKE_READ_TRIES) {
        throw new LakeUnreadableError(`The trust's register changed while it was read, ${LAKE_READ_TRIES} times: a school is exporting into it. Try again in a moment.`, { cause: error });
      }
      await swapsEnded(root);
    }
  }
}

/** How long a read waits for a school's files to be put in place (they take 2–50 ms: 18 exports, load 2–4) before it tries again all the same. */
const SWAP_WAIT_MS = 2_000;

/**
 * Resolves once no export is putting a school's files in place in the lake at `root`
 * (lakeSwapping, looked at every 10 ms; at most SWAP_WAIT_MS), or after 10 ms when none is:
 * a pause before the roll-up reads again.
 */
async function swapsEnded(root: string): Promise<void> {
  const pause = () => new Promise((resolve) => setTimeout(resolve, 10));
  const until = Date.now() + SWAP_WAIT_MS;
  do await pause();
  while (lakeSwapping(root, freshLakeListing(root).names("")).size > 0 && Date.now() < until);
}

/**
 * Throws LakeChangedError unless the files of `schools` (their ROLLUP_TABLES) are, as they are
 * now (freshLakeListing), in `states` (lakeSchoolStates when the count began) and no export is
 * putting theirs in place: then what was counted from them is one export's of each school.
 */
function checkUnchanged(root: string, states: ReadonlyMap<string, string>, schools: readonly string[]): void {
  const now = freshLakeListing(root);
  const swapping = lakeSwapping(root, now.names(""));
  const after = lakeSchoolStates(root, ROLLUP_TABLES, { listing: now, only: schools });
  const changed = schools.find((urn) => swapping.has(urn) || after.get(urn) !== states.get(urn));
  if (changed !== undefined) throw new LakeChangedError(`school ${changed}'s files changed while they were counted`);
}

/** trustRollup's work, inside one listing of the lake. */
async function rollupFrom(dir: string, period: { from: string; to: string }, open?: { urn: string; by: TrustBreakdown }): Promise<TrustRollup> {
  const root = path.resolve(dir);
  // Only the files the roll-up reads: another table's file cannot change a figure.
  const states = lakeSchoolStates(root, ROLLUP_TABLES);
  const held = [...states.keys()];
  const rowKey = (urn: string) => [root, urn, period.from, period.to].join("\u0000");
  const rows = new Map<string, Promise<TrustSchool>>();
  const stale: string[] = [];
  for (const urn of held) {
    const result = keptAt(keptRows, rowKey(urn), states.get(urn)!);
    if (result) rows.set(urn, result);
    else stale.push(urn);
  }
  const openKey = open ? `${rowKey(open.urn)}\u0000${open.by}` : "";
  const heldOpen = open && states.has(open.urn) ? open : null;
  let opened = heldOpen ? (keptAt(keptOpened, openKey, states.get(heldOpen.urn)!) ?? null) : null;
  const toOpen = heldOpen && !opened ? heldOpen : null;
  if (stale.length > 0 || toOpen) {
    const counts = [...stale, ...(toOpen && !stale.includes(toOpen.urn) ? [toOpen.urn] : [])];
    // A school whose export is putting its files in place now is read once it is done.
    const swaps = lakeSwapping(root, lakeListing(root).names(""));
    const swapping = counts.find((urn) => swaps.has(urn));
    if (swapping !== undefined) throw new LakeChangedError(`school ${swapping}'s export is putting its files in place`);
    // The schools whose files changed (or not yet counted) and the school to open, in one
    // opening; what it counted is kept only if their files did not change meanwhile.
    const counting = countSchools(root, held, period, stale, toOpen, () => checkUnchanged(root, states, counts));
    for (const urn of stale) {
      const result = counting.then((c) => c.rows.get(urn)!);
      keepAt(keptRows, KEPT_ROWS_LIMIT, rowKey(urn), states.get(urn)!, result);
      rows.set(urn, result);
    }
    if (toOpen) {
      // Its name from its row: the same settings file, of the same state.
      const row = rows.get(toOpen.urn)!;
      opened = counting.then(async (c) => ({ urn: toOpen.urn, name: (await row).name, by: toOpen.by, rows: c.opened! }));
      keepAt(keptOpened, KEPT_OPENED_LIMIT, openKey, states.get(toOpen.urn)!, opened);
    }
  }
  const [schools, breakdown] = await Promise.all([Promise.all(held.map((urn) => rows.get(urn)!)), opened]);
  return structuredClone({ schools, opened: breakdown });
}
