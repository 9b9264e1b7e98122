/**
 * rollcall casework --as-of YYYY-MM-DD [--rule ID] [--json] [--db FILE]
 *
 * The casework lists (analytics/casework/compute.ts) under the school's policy, as an array of
 * `{upn, rule, value, since}` sorted by upn then rule id (a contract with scripts), or a
 * readable table. Exit 0; 2 for bad usage, naming the valid rule ids for an unknown one.
 */
import { computeCasework } from "../../casework/compute.ts";
import { RULE_IDS, isRuleId, ruleDescription } from "../../casework/rules.ts";
import { queryRows, resolveDbPath, withConnection } from "../../db.ts";
import { plural } from "../../plural.ts";
import { pupilListName } from "../../pupil-name.ts";
import { getPolicy } from "../../settings.ts";
import { currentDate, registerStarts } from "../../periods.ts";
import { DB_OPTION, UsageError, parseOptions, requireDate } from "../args.ts";
import { formatTable } from "../table.ts";
import { cliOut } from "../context.ts";
import { auditCli } from "../audit.ts";

export const usage = `rollcall casework --as-of YYYY-MM-DD [--rule ID] [--json] [--db FILE]
  Pupils on roll on the date whom the policy's casework rules list, with each rule's value and since-date.
  ID, each list's id and title (the table names lists by title; --rule and --json use the id):
${RULE_IDS.map((id) => `    ${id}: ${ruleDescription(id).title}`).join("\n")}`;

/** A counted rule's value, one: "5 days", "1 session". */
const UNIT_NOUNS = { days: "day", sessions: "session", marks: "mark" } as const;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseOptions(argv, {
    ...DB_OPTION,
    "as-of": { type: "string" },
    rule: { type: "string" },
    json: { type: "boolean", default: false },
  });
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const asOf = requireDate(values["as-of"], "--as-of");
  // No register holds marks after today: a later date would list steps as late and rules on
  // data that does not exist yet (the Casework page stops at today too).
  const today = currentDate();
  if (asOf > today) throw new UsageError(`--as-of ${asOf} is after today (${today}): the register has no marks after today`);
  const rule = values.rule;
  if (rule !== undefined && !isRuleId(rule)) throw new UsageError(`unknown rule "${rule}"; the rules are: ${RULE_IDS.join(", ")}`);
  const { entries, policy, names } = await withConnection(resolveDbPath(values.db), async (connection) => {
    // Before the register's first marks there is nothing to judge (the pages say so too).
    const starts = await registerStarts(connection);
    if (starts !== null && asOf < starts) throw new UsageError(`--as-of ${asOf} is before the register starts (its first marks are on ${starts}): there is nothing to judge`);
    const numbers = await getPolicy(connection);
    const found = await computeCasework(connection, { asOf, numbers, rules: rule ? [rule] : undefined });
    // The table names each pupil, as the Casework page does (trial 51: a UPN alone means nothing to a head).
    const names = values.json
      ? new Map<string, string>()
      : new Map((await queryRows<{ upn: string; surname: string; forename: string }>(connection, "SELECT upn, surname, forename FROM pupils")).map((p) => [p.upn, pupilListName(p)]));
    return { entries: found, policy: numbers, names };
  });
  // The lists name pupils (UPNs): printing them is an export of pupil data, so it is recorded
  // in the audit trail like any other export (issue 9: "every export or pack download").
  await auditCli(resolveDbPath(values.db), {}, {
    action: "export",
    target: "casework lists (command line)",
    detail: `as of ${asOf}${rule ? `, rule ${rule}` : ""}: ${entries.length} ${plural(entries.length, "entry", "entries")}, ${values.json ? "JSON" : "table"}`,
  });
  if (values.json) {
    cliOut(`${JSON.stringify(entries.map(({ upn, rule: id, value, since }) => ({ upn, rule: id, value, since })), null, 2)}\n`);
  } else {
    // Each value with its unit (trial 51b: 84.09, 12.50 and 10 side by side, a percentage, days and sessions).
    const withUnit = (e: (typeof entries)[number]) => {
      const unit = ruleDescription(e.rule).unit;
      if (unit === "percent") return `${e.value.toFixed(2)}%`;
      return `${Number.isInteger(e.value) ? String(e.value) : e.value.toFixed(1)} ${plural(e.value, UNIT_NOUNS[unit])}`;
    };
    // Each list by its title, as the Casework page heads it (trial 52: rule ids such as
    // absent_more_than_10_days_in_term); --rule and --json keep the ids.
    const rows = entries.map((e) => ({ upn: e.upn, pupil: names.get(e.upn) ?? "", list: ruleDescription(e.rule).title, value: withUnit(e), since: e.since }));
    // A listed rule whose action is not a ladder step says when it is due (rules.ts due), as the page does.
    const dues = [...new Set(entries.map((e) => e.rule))].flatMap((id) => {
      const due = ruleDescription(id).due;
      return due ? [`${ruleDescription(id).title}: ${due(policy)}`] : [];
    });
    cliOut(`${formatTable(rows, { left: ["pupil", "list"] })}\n${entries.length} ${plural(entries.length, "entry", "entries")} as of ${asOf}\n${dues.map((line) => `${line}\n`).join("")}`);
  }
  return 0;
}
