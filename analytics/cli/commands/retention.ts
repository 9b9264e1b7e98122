/** rollcall retention [--before YYYY-MM-DD] [--apply] [--json] [--today YYYY-MM-DD] [--user NAME] [--db FILE] */
import { resolveDbPath, withConnection } from "../../db.ts";
import { currentDate } from "../../periods.ts";
import { RetentionError, planRetention } from "../../retention.ts";
import { DB_OPTION, UsageError, actorFrom, optionalDate, parseOptions } from "../args.ts";
import { cliOrigin } from "../context.ts";

export const usage = `rollcall retention [--before YYYY-MM-DD] [--apply] [--json] [--user NAME] [--db FILE]
  Lists (a dry run, the default) or with --apply removes the register entries made before
  --before (default: today minus the school's retention setting, 3 years): marks, amendments,
  and pupils with no entry left who left before then. One transaction; recorded in the audit
  trail. A date within the retention period is refused.`;

export async function run(argv: string[]): Promise<number> {
  const { values } = parseOptions(argv, {
    ...DB_OPTION,
    before: { type: "string" },
    apply: { type: "boolean", default: false },
    json: { type: "boolean", default: false },
    today: { type: "string" },
    user: { type: "string" },
    role: { type: "string" },
  });
  const cutoff = optionalDate(values.before, "--before");
  const today = optionalDate(values.today, "--today") ?? currentDate();
  const actor = actorFrom(values);
  let plan;
  try {
    plan = await withConnection(resolveDbPath(values.db), (connection) =>
      planRetention(connection, { today, cutoff, apply: values.apply, by: { actor: actor.name, role: values.role ?? "CLI", ip: cliOrigin() } }),
    );
  } catch (error) {
    if (error instanceof RetentionError) throw new UsageError(error.message);
    throw error;
  }
  if (values.json) {
    process.stdout.write(`${JSON.stringify(plan, null, 2)}\n`);
    return 0;
  }
  const verb = plan.applied ? "Removed" : "Would remove (dry run; add --apply to remove)";
  process.stdout.write(
    `${verb} the register entries made before ${plan.cutoff} (retention ${plan.retentionYears} years):\n` +
      `  ${plan.marks} marks${plan.firstMarkDate ? ` (sessions ${plan.firstMarkDate} to ${plan.lastMarkDate})` : ""}\n` +
      `  ${plan.amendments} amendments\n` +
      `  ${plan.pupils} pupils${plan.upns.length > 0 ? `: ${plan.upns.join(" ")}` : ""}\n`,
  );
  return 0;
}
