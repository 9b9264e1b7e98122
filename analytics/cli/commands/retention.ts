/**
 * rollcall retention [--before YYYY-MM-DD] [--apply] [--json] [--today YYYY-MM-DD] [--user NAME] [--role ROLE] [--db FILE]
 * Lists (dry run, the default) or removes the register entries older than the school's
 * retention period (analytics/retention.ts). Exit 0 done, 2 bad usage — including a cutoff
 * inside the retention period.
 */
import { plural } from "../../plural.ts";
import { resolveDbPath, withConnection } from "../../db.ts";
import { currentDate } from "../../periods.ts";
import { RetentionError, planRetention } from "../../retention.ts";
import { DB_OPTION, UsageError, actingRole, actorFrom, optionalDate, parseOptions } from "../args.ts";
import { cliOrigin, cliOut } from "../context.ts";

export const usage = `rollcall retention [--before YYYY-MM-DD] [--apply] [--json] [--user NAME] [--role ROLE] [--db FILE]
  Lists (a dry run, the default) or with --apply removes the register entries made before
  --before (default: today minus the school's retention setting, 3 years): marks and
  amendments, and pupils who left before then with nothing left (with their characteristics
  and interventions). One transaction; recorded in the audit trail. A date within the
  retention period is refused (exit 2). --role (for the audit trail) must be attendance_lead, head or admin.`;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseOptions(argv, {
    ...DB_OPTION,
    before: { type: "string" },
    apply: { type: "boolean", default: false },
    json: { type: "boolean", default: false },
    today: { type: "string" },
    user: { type: "string" },
    role: { type: "string" },
  });
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const cutoff = optionalDate(values.before, "--before");
  const today = optionalDate(values.today, "--today") ?? currentDate();
  const role = actingRole(values.role, "change_settings", "CLI");
  const actor = actorFrom(values);
  let plan;
  try {
    plan = await withConnection(resolveDbPath(values.db), (connection) =>
      planRetention(connection, { today, cutoff, apply: values.apply, by: { actor: actor.name, role, ip: cliOrigin() } }),
    );
  } catch (error) {
    if (error instanceof RetentionError) throw new UsageError(error.message);
    throw error;
  }
  if (values.json) {
    cliOut(`${JSON.stringify(plan, null, 2)}\n`);
    return 0;
  }
  const verb = plan.applied ? "Removed" : "Would remove (dry run; add --apply to remove)";
  cliOut(
    `${verb} the register entries made before ${plan.cutoff} (retention ${plan.retentionYears} years):\n` +
      `  ${plan.marks} ${plural(plan.marks, "mark")}${plan.firstMarkDate ? ` (sessions ${plan.firstMarkDate} to ${plan.lastMarkDate})` : ""}\n` +
      `  ${plan.amendments} ${plural(plan.amendments, "amendment")}\n` +
      `  ${plan.pupils} ${plural(plan.pupils, "pupil")}${plan.upns.length > 0 ? `: ${plan.upns.join(" ")}` : ""}, with ${plan.interventions} ${plural(plan.interventions, "intervention")}\n`,
  );
  return 0;
}
