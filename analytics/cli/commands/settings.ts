/**
 * rollcall settings [--json] [--db FILE]; rollcall settings set KEY VALUE [KEY VALUE …] [--user NAME] [--db FILE]
 *
 * The school's settings from the command line, checked by the same code as the Settings page
 * (analytics/settings.ts saveSettings), all or nothing: a refused value changes nothing (exit 1). Each change
 * is in the settings history and on the audit trail as the CLI's user.
 */
import { resolveDbPath, withConnection } from "../../db.ts";
import { NOT_CHOSEN_WORDS, POLICY_NUMBER_KEYS } from "../../casework/policy.ts";
import { SETTING_KEYS, getSettings, saveSettingsBeforeAfter, type SettingKey, type Settings } from "../../settings.ts";
import { DB_OPTION, UsageError, actorFrom, parseOptions } from "../args.ts";
import { auditCli } from "../audit.ts";
import { cliErr, cliOut } from "../context.ts";
import { formatTable } from "../table.ts";

export const usage = `rollcall settings [--json] [--db FILE]
rollcall settings set KEY VALUE [KEY VALUE …] [--user NAME] [--db FILE]
  Shows the school's settings, or sets them as the Settings page does (checked the same way,
  all or nothing: a refused value changes nothing). KEY is one of ${SETTING_KEYS.join(", ")}.
  la_number (3 digits) and estab_number (4 digits) are the school's DfE number
  (LA × 10000 + establishment), set together (set la_number 820 estab_number 2000); a Common
  Transfer File addressed to another school is then refused. Empty values ("") clear them.
  am_register_closes and pm_register_closes (24-hour HH:MM, morning before afternoon; default
  09:30 and 13:35) are when each session's register closes: an empty register is a gap from then.`;

/** Each setting's value as stored text ("" when not set). */
function valuesOf(settings: Settings): Record<SettingKey, string> {
  const values = {
    school_name: settings.school_name,
    small_group_min: String(settings.small_group_min),
    // A school that never chose a policy runs on the default preset's numbers: said, so that
    // "set policy_preset ludlow" reads as the change it is.
    policy_preset: settings.policy.preset_chosen ? settings.policy.preset : `${settings.policy.preset} (${NOT_CHOSEN_WORDS})`,
    la_number: settings.school_number?.la ?? "",
    estab_number: settings.school_number?.estab ?? "",
    am_register_closes: settings.register_closes.AM,
    pm_register_closes: settings.register_closes.PM,
  } as Record<SettingKey, string>;
  for (const key of POLICY_NUMBER_KEYS) values[key] = String(settings.policy[key]);
  return values;
}

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseOptions(argv, { ...DB_OPTION, json: { type: "boolean" }, user: { type: "string" } });
  const file = resolveDbPath(values.db);
  const [action, ...pairs] = positionals;
  if (action === undefined) {
    const settings = await withConnection(file, getSettings);
    const current = valuesOf(settings);
    // JSON keeps the preset's id as stored text, and says whether the school chose it.
    if (values.json) cliOut(`${JSON.stringify({ ...current, policy_preset: settings.policy.preset, policy_preset_chosen: settings.policy.preset_chosen }, null, 2)}\n`);
    else cliOut(`${formatTable(SETTING_KEYS.map((k) => ({ setting: k, value: current[k] === "" ? "not set" : current[k] })))}\n`);
    return 0;
  }
  if (action !== "set") throw new UsageError(`unknown action "${action}": use rollcall settings, or rollcall settings set KEY VALUE`);
  if (pairs.length === 0 || pairs.length % 2 !== 0) throw new UsageError("rollcall settings set KEY VALUE [KEY VALUE …]: each KEY needs its VALUE");
  const wanted: Partial<Record<SettingKey, string>> = {};
  for (let i = 0; i < pairs.length; i += 2) {
    if (!(SETTING_KEYS as string[]).includes(pairs[i])) throw new UsageError(`unknown setting "${pairs[i]}": one of ${SETTING_KEYS.join(", ")}`);
    wanted[pairs[i] as SettingKey] = pairs[i + 1];
  }
  const actor = { name: actorFrom({ user: values.user }).name, role: "CLI" };
  // Before and after read in the save's own write turn. A problem that names its setting
  // (settingProblem: '"150" is not a valid value for target_attendance_pct …') is not named
  // again before it (trial 54 read the key twice).
  const outcome = await withConnection(file, async (conn) => {
    const { before, after, problems } = await saveSettingsBeforeAfter(conn, wanted, actor);
    return { before: valuesOf(before), after: valuesOf(after), problems: Object.entries(problems).map(([k, p]) => (p.includes(` for ${k}`) ? p : `${k}: ${p}`)) };
  });
  if (outcome.problems.length > 0) {
    cliErr(`rollcall settings: ${outcome.problems.join("; ")}; nothing was changed\n`);
    return 1;
  }
  const words = (v: string) => (v === "" ? "not set" : v);
  const changes = (Object.keys(wanted) as SettingKey[]).filter((k) => outcome.before[k] !== outcome.after[k]).map((k) => `${k}: ${words(outcome.before[k])} → ${words(outcome.after[k])}`);
  if (changes.length === 0) {
    cliOut("Every setting given already has that value; nothing was changed.\n");
    return 0;
  }
  await auditCli(file, { user: values.user }, { action: "settings_change", target: changes.map((c) => c.split(":")[0]).join(", "), detail: changes.join("; ") });
  cliOut(`${changes.join("\n")}\n`);
  return 0;
}
