/**
 * How pages, packs and the CLI name the school's attendance policy, and say when the school
 * has not chosen it. Pure and client-safe: no imports.
 */

/** Said of the policy's name until the school chooses one in Settings. */
export const NOT_CHOSEN_WORDS = "the default preset — not yet chosen in Settings";

/**
 * The school's policy as a page, pack or the CLI names it: "the Ludlow Junior School policy",
 * or, until the school chooses a policy in Settings, "the Ludlow Junior School policy (the
 * default preset — not yet chosen in Settings)": a new school runs on the default preset's
 * numbers but never chose that school's policy (a trial's new school read "Ludlow Junior
 * School" on its casework, pupils' ladders and SLT pack). `the`: the leading article;
 * `noun`: what follows the name ("policy", "attendance policy", "" for the name alone);
 * `source`: words for the parenthesis, before the not-chosen words, e.g. the ladder's
 * "Ludlow attendance policy, Appendix A steps 6–10 and §14".
 */
export function policyTitle(policy: { preset_name: string; preset_chosen: boolean }, options: { the?: boolean; noun?: string; source?: string } = {}): string {
  const { the = true, noun = "policy", source } = options;
  const aside = [...(source ? [source] : []), ...(policy.preset_chosen ? [] : [NOT_CHOSEN_WORDS])];
  return `${the ? "the " : ""}${policy.preset_name}${noun ? ` ${noun}` : ""}${aside.length > 0 ? ` (${aside.join("; ")})` : ""}`;
}
