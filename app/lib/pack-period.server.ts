/**
 * The period a pack page shows, read from its address (`term=` for the governors' pack,
 * `month=` for the SLT pack). A value that cannot be read, or has no pack (not in the calendar,
 * not begun, no half term of it ended), is named on the page and the default period's pack
 * shown: never a bare 400 (app/lib/filters.ts unreadWords, as every page).
 */
import { notAppliedPeriodWords } from "../../analytics/period-names.ts";
import { EXPECTED_VALUES, PERIOD_PARAMS, clip, repeatedWords, unreadWords } from "./filters";

export interface PackForPeriod<M> {
  /** The period shown (the default when the one asked for could not be used); null: none. */
  key: string | null;
  /** Its pack, or null when there is no period to report on. */
  model: M | null;
  /** What could not be read or built, and what is shown instead; null when nothing needs saying. */
  notice: string | null;
}

/**
 * `name`: the parameter, read from `search` (the whole address: the first value, trimmed; one
 * given more than once is said, repeatedWords); `pattern`: what a value looks like; `fallback`:
 * the default period; `build`: the pack of a period (throws when it has none); `failure`: the
 * builder's message as the page says it. Throws what `build` throws for the default period.
 */
export async function packForPeriod<M extends { periodLabel: string }>(options: {
  name: "term" | "month";
  search: URLSearchParams;
  pattern: RegExp;
  fallback: string | null;
  build: (key: string) => Promise<M>;
  failure: (message: string) => string;
}): Promise<PackForPeriod<M>> {
  const { name, search, pattern, fallback, build, failure } = options;
  const raw = search.get(name)?.trim() ?? "";
  let said: string | null = null;
  let key = fallback;
  if (raw && pattern.test(raw)) key = raw;
  else if (raw) said = `Not understood in the address: ${unreadWords([{ name, value: raw, expected: EXPECTED_VALUES[name] }])}.`;
  let model: M | Error | null = key ? await build(key).catch((error: Error) => error) : null;
  if (model instanceof Error) {
    said = failure(model.message);
    key = fallback;
    model = key && key !== raw ? await build(key) : null;
  }
  const notice = key && model && said ? `${said} Showing ${model.periodLabel} instead.` : said;
  // A view's period in the address (a link from a page: ?period=custom&from=…): a pack covers
  // its own term or month, so the rest is said as not applied, never silently dropped.
  const others = PERIOD_PARAMS.filter((p) => p !== name && search.get(p)?.trim()).map((p) => `${p} "${clip(search.get(p)!.trim())}"`);
  const otherWords = others.length === 0 ? null : `${others.join(", ")} (this pack covers a whole ${name}, chosen below)`;
  const unapplied = otherWords && key && model && !said ? notAppliedPeriodWords(otherWords, model.periodLabel) : otherWords ? `Not applied: ${otherWords}.` : null;
  // The first of a parameter given more than once is read, and the others said.
  const repeated = repeatedWords(search, [name]);
  const words = [repeated, notice, unapplied].filter(Boolean).join(" ") || null;
  return key && model ? { key, model, notice: words } : { key: null, model: null, notice: words };
}
