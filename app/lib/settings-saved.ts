/**
 * What a save of the Settings page says it changed (trial 50: "Settings saved." and "Policy
 * chosen and its numbers saved." named nothing): each setting changed, from what to what, in
 * the page's own labels, with what a change of the small-group minimum means for governors;
 * or that nothing changed. Client-safe: the action sends the sentence, the page prints it.
 */

/** One setting's change: the page's label, and the values before and after as the form shows them ("" when not set). */
export interface SettingChange {
  key: string;
  label: string;
  was: string;
  now: string;
}

const shown = (value: string) => value || "not set";

/** "Smallest group to report (pupils) 5 → 3 (governors now see figures for groups of 3 pupils or more)". */
function changeWords(change: SettingChange): string {
  const words = `${change.label} ${shown(change.was)} → ${shown(change.now)}`;
  // The one setting whose change alters what governors are shown: said in their terms.
  return change.key === "small_group_min" && change.now ? `${words} (governors now see figures for groups of ${change.now} pupils or more)` : words;
}

/**
 * The sentence a save answers with. `changes`: the settings whose values differ after the
 * save, in the page's order; `policy`: for "Use this policy", the policy chosen and whether it
 * was already the school's chosen one.
 */
export function settingsSavedWords(changes: readonly SettingChange[], policy?: { name: string; was: string | null }): string {
  const numbers = changes.map(changeWords).join("; ");
  if (policy) {
    const chosen = policy.was === policy.name ? `${policy.name}'s policy was already chosen` : `Policy chosen: ${policy.name}${policy.was ? ` (was ${policy.was})` : " (no policy had been chosen before)"}`;
    return changes.length === 0 ? `${chosen}; its numbers were already these, so none changed.` : `${chosen}. Saved: ${numbers}.`;
  }
  return changes.length === 0 ? "Nothing changed: every setting was already as entered." : `Saved: ${numbers}.`;
}
