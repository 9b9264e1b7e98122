/**
 * Which school a database file holds. Rollcall keeps one school per database file and brings
 * a trust's schools together in the Parquet lake (analytics/lake.ts, issue 11, items 6–7);
 * the file records its school's URN (meta `urn`) from `rollcall init --urn` or the first
 * `rollcall import --school`, so a file meant for one school never takes another's register.
 */
import { queryOne, type Connection } from "./db.ts";
import { replaceMeta } from "./key-values.ts";

/** A URN: the DfE's unique reference number of an establishment, six digits. */
export const URN_PATTERN = /^\d{6}$/;

/**
 * The URN the demo school records (meta `urn`; analytics/demo/index.ts buildDemo), so `rollcall export
 * parquet` names its folder without `--school` as for any school set up with `init --urn`. A
 * made-up number outside the DfE's: English establishments' URNs start with 1 and Welsh ones
 * with 4, so a demo exported into a trust's lake never takes a real school's folder. The
 * schools of `rollcall demo --schools S` record DEMO_URN + 1 … DEMO_URN + S.
 */
export const DEMO_URN = "900000";

/** The school's URN as recorded in the file (meta `urn`), or null. */
export async function recordedUrn(connection: Connection): Promise<string | null> {
  const row = await queryOne<{ value: string }>(connection, `SELECT value FROM meta WHERE key = 'urn'`);
  return row && URN_PATTERN.test(row.value) ? row.value : null;
}

/** An import named a school other than the one the database holds; nothing was changed. */
export class SchoolMismatch extends Error {
  override name = "SchoolMismatch";
  constructor(
    readonly recorded: string,
    readonly named: string,
  ) {
    super(
      `this database holds the register of the school with URN ${recorded}, and --school ${named} names another school, ` +
        `so nothing was imported. Each school has its own database file: give that school's with --db FILE ` +
        `(a new one is made by rollcall init --school "NAME" --urn ${named} --db FILE).`,
    );
  }
}

/**
 * Inside an import's transaction: checks that `urn` is the database's school. A file with no
 * URN recorded records this one (committed with the import, so a refused import records
 * nothing). Returns "recorded" or "matched".
 * @throws Error when `urn` is not six digits; SchoolMismatch when another URN is recorded.
 */
export async function claimSchool(connection: Connection, urn: string): Promise<"recorded" | "matched"> {
  if (!URN_PATTERN.test(urn)) throw new Error(`a school's URN is six digits (got "${urn.slice(0, 20)}")`);
  const recorded = await recordedUrn(connection);
  if (recorded === urn) return "matched";
  if (recorded !== null) throw new SchoolMismatch(recorded, urn);
  await replaceMeta(connection, "urn", urn);
  return "recorded";
}
