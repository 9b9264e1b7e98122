/**
 * rollcall pupils correct-upn OLD NEW [--user NAME] [--role ROLE] [--dry-run] [--db FILE]
 *
 * Corrects a pupil's UPN (analytics/pupil-upn.ts correctUpn): everything recorded under OLD
 * moves to NEW in one transaction, with an audit row. A refusal is one sentence on stderr,
 * exit 1, and changes nothing; bad usage exits 2. While the dashboard runs, the command is
 * sent to its server as every command is (analytics/cli/index.ts, remote.ts).
 */
import { resolveDbPath, withConnection } from "../../db.ts";
import { UpnCorrectionRefused, correctUpn, correctionDetail } from "../../pupil-upn.ts";
import { DB_OPTION, UsageError, actingRole, actorFrom, parseOptions } from "../args.ts";
import { cliErr, cliOrigin, cliOut } from "../context.ts";

export const usage = `rollcall pupils correct-upn OLD NEW [--user NAME] [--role ROLE] [--dry-run] [--db FILE]
  Corrects a pupil's UPN typed wrongly in the MIS: the pupil, their characteristics history,
  marks, amendments and interventions move from OLD to NEW in one transaction, recorded on
  the audit trail. NEW must be a UPN (a capital letter, 11 digits, a digit or capital letter);
  a check letter that is not the DfE's is said. When NEW is already stored (the corrected
  export was imported as a new pupil) the two records are merged, only if they are the same
  person (forename, surname, date of birth) and no session is marked in both; otherwise
  refused, naming what differs. A refusal changes nothing (exit 1). --dry-run says what it
  would do and changes nothing.`;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseOptions(argv, {
    ...DB_OPTION,
    user: { type: "string" },
    role: { type: "string" },
    "dry-run": { type: "boolean", default: false },
  });
  const [action, from, to, ...extra] = positionals;
  if (action !== "correct-upn") throw new UsageError(action === undefined ? "give an action: rollcall pupils correct-upn OLD NEW" : `unknown action "${action}": use rollcall pupils correct-upn OLD NEW`);
  if (from === undefined || to === undefined) throw new UsageError("rollcall pupils correct-upn needs the old UPN and the new one: correct-upn OLD NEW");
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
  const role = actingRole(values.role, "amend", "CLI");
  const actor = actorFrom(values);
  let result;
  try {
    result = await withConnection(resolveDbPath(values.db), (connection) =>
      correctUpn(connection, { from, to, dryRun: values["dry-run"], by: { actor: actor.name, role, ip: cliOrigin() } }),
    );
  } catch (error) {
    if (error instanceof UpnCorrectionRefused) {
      cliErr(`rollcall pupils: refused: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
  cliOut(`${result.dryRun ? "Dry run, nothing was changed. It would do this: " : ""}${correctionDetail(result)}.\n`);
  for (const note of result.notes) cliOut(`  ${note}\n`);
  return 0;
}
