/**
 * What a governor may see of the pupils a page's filter chooses — over the whole span, or over
 * each period of a breakdown (every week, month, half term, term or academic year of Trends
 * and Codes, every date of Patterns). Issue 9 (governors: "groups below the school's
 * small-group minimum are suppressed on every page a governor sees") and issue 13, cases 8–9.
 *
 * The decision for one period is the one the governors' tables make for the same span
 * (analytics/suppression.ts), so a figure withheld on Year groups & classes or on Groups is
 * withheld here too, and each period is planned on its own counts (a class of 6 in the year
 * can have 4 pupils in a week):
 * - no filter: the whole school (its row goes only if it has fewer than `min` pupils);
 * - one year group or class: the plan of Year groups & classes (the school, its year groups
 *   and classes, and the sums between them);
 * - one characteristic (SEN, FSM, …): over the span, the plan of the Groups page (every
 *   compared characteristic's groups beside the rest of the school); period by period, the
 *   filter's own characteristic's groups beside the rest of the school;
 * - several filters together (Year 4 with an EHC plan): a group no table shows. It is
 *   withheld when it has fewer than `min` pupils; when what it leaves of any broader view
 *   (the same filters less one: Year 4 less its EHC-plan pupils) has 1 … min − 1 pupils, since
 *   subtracting the two published views would give that small group away; and whenever that
 *   broader view is itself withheld (publishing part of a withheld figure could give it away).
 *   The persistently and severely absent counts follow the same rules.
 * Throws what the measures throw (a bad period, an unknown filter).
 */
import type { Connection } from "./db.ts";
import { COMPARED_DIMENSIONS } from "./groups.ts";
import { summarise, summariseBy, type MeasureQuery, type Measures, type PupilDimension, type PupilFilter, type SessionDimension } from "./measures.ts";
import {
  fewerThanText,
  groupKey,
  isSmallCount,
  NOTHING_WITHHELD,
  planSuppression,
  SECONDARY_TEXT,
  smallGroupText,
  withoutFigures,
  figuresMinus,
  figuresOf,
  type GroupCounts,
  type GroupFigures,
  type GroupSum,
  type SuppressionPlan,
  type Withheld,
} from "./suppression.ts";

type Counts = GroupFigures;
/** A set of pupils' counts in each period ("" is the whole span when there is no breakdown). */
type PerPeriod = Map<string, Counts>;

const ZERO: Counts = { pupils: 0, possible_sessions: 0, attended_sessions: 0, pa_pupils: 0, sa_pupils: 0 };


async function countsPerPeriod(connection: Connection, query: MeasureQuery, filter: PupilFilter, by: SessionDimension | null): Promise<PerPeriod> {
  const scoped: MeasureQuery = { ...query, filter };
  if (by === null) return new Map([["", figuresOf(await summarise(connection, scoped))]]);
  return new Map((await summariseBy(connection, scoped, by)).map((g) => [g.group, figuresOf(g)]));
}

/** The filter's chosen characteristics (empty values and a single pupil's UPN are not groups). */
function filterKeys(filter: PupilFilter | undefined): PupilDimension[] {
  return Object.entries(filter ?? {})
    .filter(([key, value]) => key !== "upn" && Boolean(value))
    .map(([key]) => key as PupilDimension);
}

/** A group's row as a plan leaves it, in the words printed instead of its figures. */
export function withheldOf(plan: SuppressionPlan, key: string): Withheld {
  if (plan.rowHidden(key)) {
    const text = plan.text(key, "pupils");
    return { row: text, pa: text, sa: text };
  }
  return {
    row: null,
    pa: plan.hidden(key, "pa_pupils") ? plan.text(key, "pa_pupils") : null,
    sa: plan.hidden(key, "sa_pupils") ? plan.text(key, "sa_pupils") : null,
  };
}

/**
 * Measures with what `withheld` withholds taken out (counts 0, rates null), so the figures
 * never leave the server. The whole row: every figure; PA or SA: that count and its rate.
 */
export function applyWithheld<M extends Measures>(measures: M, withheld: Withheld): M {
  if (withheld.row) return withoutFigures(measures);
  const shown = { ...measures };
  if (withheld.pa) {
    shown.pa_pupils = 0;
    shown.pa_pct = null;
  }
  if (withheld.sa) {
    shown.sa_pupils = 0;
    shown.sa_pct = null;
  }
  return shown;
}

/** True when something of the row is withheld. */
export function anyWithheld(withheld: Withheld): boolean {
  return Boolean(withheld.row || withheld.pa || withheld.sa);
}

/** Plans each period's groups and reads the chosen group's row. */
function planPerPeriod(periods: string[], members: Array<{ key: string; counts: PerPeriod }>, sums: GroupSum[], key: string, min: number): Map<string, Withheld> {
  const result = new Map<string, Withheld>();
  for (const period of periods) {
    const groups: GroupCounts[] = members.map((m) => ({ key: m.key, ...(m.counts.get(period) ?? ZERO) }));
    result.set(period, withheldOf(planSuppression(groups, sums, min), key));
  }
  return result;
}

/**
 * For each period of `by` (or the whole span, key "", when `by` is null): what a governor may
 * not see of the pupils `query.filter` chooses — the whole row ("fewer than 5 pupils —
 * suppressed", or withheld so a small group cannot be worked out), or the PA / SA counts.
 * Periods without marks for the chosen pupils are not in the map. `min` is the school's
 * small_group_min (settings). The rules are in the module's comment.
 */
export async function governorWithheldBy(connection: Connection, query: MeasureQuery, by: SessionDimension | null, min: number): Promise<Map<string, Withheld>> {
  const keys = filterKeys(query.filter);
  const base: MeasureQuery = { ...query, filter: {} };
  const chosen = await countsPerPeriod(connection, query, query.filter ?? {}, by);
  const periods = [...chosen.keys()];
  if (keys.length === 0) {
    return planPerPeriod(periods, [{ key: groupKey.school, counts: chosen }], [], groupKey.school, min);
  }
  if (keys.length === 1) {
    const [dimension] = keys;
    const value = query.filter![dimension]!;
    const school = { key: groupKey.school, counts: await countsPerPeriod(connection, base, {}, by) };
    if (dimension === "year_group" || dimension === "reg_group") {
      // The structure of Year groups & classes over the whole span (analytics/suppression.ts).
      const years = (await summariseBy(connection, base, "year_group")).map((y) => y.group);
      const classes = await summariseBy(connection, base, "reg_group");
      const classPupils = new Map(classes.map((c) => [c.group, c.pupils]));
      const members = [school];
      for (const y of years) members.push({ key: groupKey.year(y), counts: await countsPerPeriod(connection, base, { year_group: y }, by) });
      for (const c of classes) members.push({ key: groupKey.class(c.group), counts: await countsPerPeriod(connection, base, { reg_group: c.group }, by) });
      const sums: GroupSum[] = [
        { total: groupKey.school, parts: years.map(groupKey.year) },
        { total: groupKey.school, parts: classes.map((c) => groupKey.class(c.group)) },
      ];
      for (const y of years) {
        const inYear = await summariseBy(connection, { ...base, filter: { year_group: y } }, "reg_group");
        if (inYear.length > 0 && inYear.every((c) => classPupils.get(c.group) === c.pupils)) {
          sums.push({ total: groupKey.year(y), parts: inYear.map((c) => groupKey.class(c.group)) });
        }
      }
      const key = dimension === "year_group" ? groupKey.year(value) : groupKey.class(value);
      return planPerPeriod(periods, members, sums, key, min);
    }
    // Over the whole span, the Groups page's plan (every compared characteristic beside the
    // rest of the school), so a figure withheld there is withheld here. Period by period no
    // page shows the other characteristics, so the plan is the filter's own characteristic:
    // its groups, each beside the rest of the school (and a query per group, not per value
    // of every characteristic, for each week).
    const dimensions: PupilDimension[] =
      by === null ? [...COMPARED_DIMENSIONS, ...((COMPARED_DIMENSIONS as readonly string[]).includes(dimension) ? [] : [dimension])] : [dimension];
    const members = [school];
    const sums: GroupSum[] = [];
    for (const d of dimensions) {
      const values = (await summariseBy(connection, base, d)).map((g) => g.group);
      if (d === dimension && !values.includes(value)) values.push(value);
      for (const v of values) {
        const counts = await countsPerPeriod(connection, base, { [d]: v }, by);
        const rest: PerPeriod = new Map([...school.counts].map(([period, whole]) => [period, figuresMinus(whole, counts.get(period) ?? ZERO)]));
        members.push({ key: groupKey.group(d, v), counts }, { key: groupKey.rest(d, v), counts: rest });
        sums.push({ total: groupKey.school, parts: [groupKey.group(d, v), groupKey.rest(d, v)] });
      }
      sums.push({ total: groupKey.school, parts: values.map((v) => groupKey.group(d, v)) });
    }
    return planPerPeriod(periods, members, sums, groupKey.group(dimension, value), min);
  }
  // Several filters: the group against each broader view (the same filters less one).
  const result = new Map<string, Withheld>(periods.map((p) => [p, { ...NOTHING_WITHHELD }]));
  for (const period of periods) {
    const own = chosen.get(period)!;
    const w = result.get(period)!;
    if (isSmallCount(own.pupils, min)) w.row = smallGroupText(min);
    if (isSmallCount(own.pa_pupils, min)) w.pa = fewerThanText(min);
    if (isSmallCount(own.sa_pupils, min)) w.sa = fewerThanText(min);
  }
  for (const dropped of keys) {
    const broaderFilter: PupilFilter = { ...query.filter };
    delete broaderFilter[dropped];
    const broaderQuery: MeasureQuery = { ...query, filter: broaderFilter };
    const broader = await countsPerPeriod(connection, broaderQuery, broaderFilter, by);
    const broaderWithheld = await governorWithheldBy(connection, broaderQuery, by, min);
    for (const period of periods) {
      const w = result.get(period)!;
      const left = figuresMinus(broader.get(period) ?? ZERO, chosen.get(period)!);
      const wider = broaderWithheld.get(period) ?? NOTHING_WITHHELD;
      if (!w.row && (isSmallCount(left.pupils, min) || wider.row)) w.row = SECONDARY_TEXT;
      if (!w.pa && (isSmallCount(left.pa_pupils, min) || wider.pa)) w.pa = SECONDARY_TEXT;
      if (!w.sa && (isSmallCount(left.sa_pupils, min) || wider.sa)) w.sa = SECONDARY_TEXT;
    }
  }
  for (const w of result.values()) {
    if (w.row) w.pa = w.sa = w.row;
  }
  return result;
}

