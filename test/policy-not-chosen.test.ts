/**
 * A school that has not chosen its attendance policy runs on the default preset's numbers
 * (Ludlow Junior School's), but never chose that school's policy: wherever a page, pack or the
 * CLI names the policy's source it says so (trial22: a new school's casework, pupil ladders and
 * SLT pack cited "Ludlow Junior School" as its own policy). Once chosen, the words are as before.
 *
 * Register: test/helpers/part-month-register.ts (autumn 2024); the SLT pack of November 2024.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeInstance, withConnection } from "../analytics/db.ts";
import { caseworkLists } from "../analytics/casework/lists.ts";
import { LUDLOW_LADDER, policyTitle } from "../analytics/casework/policy.ts";
import { ladderDueRule } from "../analytics/interventions/ladder-policies.ts";
import { buildSltPack } from "../analytics/packs/index.ts";
import { choosePreset, getSettings, SCRIPT_ACTOR } from "../analytics/settings.ts";
import { cliOn } from "./helpers/cli.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";
import { seedPartMonthRegister } from "./helpers/part-month-register.ts";

const db = tempDbPath("policy-not-chosen");
const cli = cliOn(db);
/** The CLI in its own process: this one lets go of the file first. */
const rollcall = async (...args: string[]) => {
  await closeInstance(db);
  return cli(...args);
};
const NOT_CHOSEN = "the default preset — not yet chosen in Settings";

beforeAll(async () => {
  await withConnection(db, seedPartMonthRegister);
});
afterAll(async () => {
  await removeDb(db);
});

/** What the school reads where the policy is named: its settings, the SLT pack's ladder intro, a casework list's source. */
async function policyWords() {
  return withConnection(db, async (c) => {
    const settings = await getSettings(c);
    const pack = await buildSltPack(c, { month: "2024-11", today: "2024-12-02", toDateTabs: false });
    const lists = await caseworkLists(c, { asOf: "2024-12-02", policy: settings.policy, rules: ["attendance_below_96"], pageSize: null });
    return {
      chosen: settings.policy.preset_chosen,
      title: policyTitle(settings.policy),
      sltIntro: pack.sections.find((s) => s.id === "thresholds")?.intro ?? "",
      source: lists[0].source,
    };
  });
}

describe("the policy's source, before and after the school chooses one", () => {
  it("a new school: the default preset is named as such, on casework, the SLT pack, the ladder's due rule and the CLI", async () => {
    const words = await policyWords();
    expect(words.chosen).toBe(false);
    expect(words.title).toBe(`the Ludlow Junior School policy (${NOT_CHOSEN})`);
    expect(words.sltIntro).toContain(`on the ladder of the Ludlow Junior School attendance policy (Ludlow attendance policy, Appendix A steps 6–10 and §14; ${NOT_CHOSEN}), at 96%, 90%, 85%, 50%`);
    expect(words.source).toBe(`Ludlow Junior School policy: Appendix A, 6: “If a pupil's attendance falls below 96 percent, a letter is sent home” (Ludlow Junior School's policy: ${NOT_CHOSEN})`);
    expect(ladderDueRule(LUDLOW_LADDER, false)).toBe(
      `A step or action is due by 5 school days after it falls due, and late after that: Rollcall's default, as the Ludlow Junior School policy (${NOT_CHOSEN}) gives no time to act.`,
    );
    const shown = await rollcall("settings");
    expect(shown.stdout).toMatch(new RegExp(`policy_preset\\s+ludlow \\(${NOT_CHOSEN}\\)`));
    expect(JSON.parse((await rollcall("settings", "--json")).stdout)).toMatchObject({ policy_preset: "ludlow", policy_preset_chosen: false });
  });

  it("once chosen (here by the CLI, as Settings' 'Use this policy' does), the words are as before", async () => {
    const set = await rollcall("settings", "set", "policy_preset", "ludlow");
    expect(set.stdout).toBe(`policy_preset: ludlow (${NOT_CHOSEN}) → ludlow\n`);
    const words = await policyWords();
    expect(words.chosen).toBe(true);
    expect(words.title).toBe("the Ludlow Junior School policy");
    expect(words.sltIntro).toContain("on the ladder of the Ludlow Junior School attendance policy (Ludlow attendance policy, Appendix A steps 6–10 and §14), at 96%");
    expect(words.source).toBe("Ludlow Junior School policy: Appendix A, 6: “If a pupil's attendance falls below 96 percent, a letter is sent home”");
    expect(ladderDueRule(LUDLOW_LADDER)).toBe("A step or action is due by 5 school days after it falls due, and late after that: Rollcall's default, as the Ludlow Junior School policy gives no time to act.");
  });

  it("choosing a policy in Settings (choosePreset) counts as chosen", async () => {
    await withConnection(db, (c) => c.run("DELETE FROM key_values WHERE scope = 'settings' AND key = 'policy_preset'"));
    expect((await policyWords()).chosen).toBe(false);
    await withConnection(db, (c) => choosePreset(c, "littledean", SCRIPT_ACTOR));
    const words = await policyWords();
    expect(words.title).toBe("the Littledean C of E Primary School policy");
  });
});
