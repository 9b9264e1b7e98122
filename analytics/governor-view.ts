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
import { governorLattice, type LatticePlan, type LatticeShape } from "./governor-lattice.ts";
import type { MeasureQuery, Measures, PupilFilter, SessionDimension } from "./measures.ts";
import { NOTHING_WITHHELD, withoutFigures, type SuppressionPlan, type Withheld } from "./suppression.ts";


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

/**
 * For each period of `by` (or the whole span, key "", when `by` is null): what a governor may
 * not see of the pupils `query.filter` chooses — the whole row ("fewer than 5 pupils —
 * suppressed", or withheld so a small group cannot be worked out), or the PA / SA counts —
 * read from the one plan of every view of that period (governorLattice). `shape` as there:
 * by default "full" over a whole span, "cross" for a breakdown. Periods without marks are not
 * in the map; a period where the filter chooses no pupils withholds nothing. `min` is the
 * school's small_group_min (settings). Throws for a filter a governor may not use on such a
 * page (restrictGovernorFilter) and what the measures throw (a bad period).
 */
export async function governorWithheldBy(
  connection: Connection,
  query: MeasureQuery,
  by: SessionDimension | null,
  min: number,
  shape?: LatticeShape,
): Promise<Map<string, Withheld>> {
  const plans = await governorLattice(connection, query, by, min, shape);
  const filter = query.filter ?? {};
  return new Map([...plans].map(([period, plan]) => [period, plan.withheld(filter)]));
}

/**
 * The plan of every view of the query's whole span (governorLattice, "full"), for a page
 * that shows several of them at once (Year groups & classes, Groups); null when the span has
 * no marks (every figure is then 0). `min` as above.
 */
export async function governorSpan(connection: Connection, query: MeasureQuery, min: number): Promise<LatticePlan | null> {
  return (await governorLattice(connection, query, null, min)).get("") ?? null;
}

/** What a span plan withholds of a filter's pupils (nothing without a plan: no marks). */
export function withheldIn(plan: LatticePlan | null, filter: PupilFilter): Withheld {
  return plan ? plan.withheld(filter) : NOTHING_WITHHELD;
}
