/**
 * What a governor may see of the pupils a page's filter chooses — over the whole span, or over
 * each period of a breakdown (every week, month, half term, term or academic year of Trends
 * and Codes, every date of Patterns, the Overview's weeks). Issue 9 (governors: "groups below
 * the school's small-group minimum are suppressed on every page a governor sees") and issue
 * 13, cases 8–9 (suppression that survives subtraction).
 *
 * Every decision is read from ONE plan per period for every view a governor can open
 * (analytics/governor-lattice.ts), not planned view by view: a view planned on its own can be
 * safe while two views together are not (FSM pupils in Year 3 withheld on Groups filtered to
 * Year 3, but the whole school's FSM figure and every other year's published: Year 3's is the
 * difference). The plan's cells are the school, each year group and each class, by all pupils
 * and (the school and each year group) by each value of each characteristic (and, over a whole span, the rest of the unit
 * beside each value, as Groups shows it), with every sum between them; primary then
 * complementary suppression (analytics/suppression.ts) decides them all at once, so a figure
 * withheld in one view is withheld wherever it appears.
 *
 * Which views a governor can reach is enforced by the loaders (restrictGovernorFilter, in
 * app/lib/view.server.ts) before anything is computed:
 * - Overview, Trends, Codes, Patterns (figures by period): one filter at a time — a year
 *   group, a class or one characteristic. Each period's plan covers the units' own figures
 *   and the whole school's characteristic groups ("cross" shape); a term or longer also plans
 *   the persistently and severely absent counts (a week's page gives none).
 * - Year groups & classes: a class, or a year group with one characteristic; Groups: a year
 *   group (it compares every characteristic itself). A pupil group within a class is never
 *   given (analytics/governor-lattice.ts WITHIN_CLASS_TEXT). Both read the whole span's plan
 *   ("full" shape), which the period pages' headline figures read too.
 * - Never a single pupil, never two characteristics together (their cells would be a table of
 *   every combination, too many and too small to publish).
 * Within a year group or class, a characteristic's persistently and severely absent counts
 * are not given (a handful of pupils whose "fewer than 5" cells, counted, pin each other).
 * Throws for a filter outside these rules, and what the measures throw (a bad period).
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

/**
 * The rule for session counts beside a withheld count of pupils absent (issue 13, case 9;
 * docs/DEFINITIONS.md "Small groups"): each pupil absent at least once has 1 to 2 absent
 * sessions a day, so pupils absent ≤ absent sessions ≤ 2 × school days × pupils absent. One
 * class on one day with "fewer than 5" pupils absent and "1 session" of authorised absence
 * has 1 pupil absent; 8 sessions on one day is 4 pupils. So where a page gives a governor
 * the pupils absent at least once and that count is withheld (`withheld.absent`, from the
 * span's plan), the group's absence in sessions goes with it: present, AEA, authorised and
 * unauthorised sessions 0 and every rate null (attendance and absence rates with the
 * possible sessions give the absent sessions back). The pupils and possible sessions stay.
 * Unchanged when the count is shown (or not planned).
 */
export function applyAbsentWithheld<M extends Measures>(measures: M, withheld: Withheld): M {
  if (withheld.row) return withoutFigures(measures);
  if (!withheld.absent) return measures;
  const shown = { ...measures };
  for (const k of ["present_sessions", "aea_sessions", "authorised_sessions", "unauthorised_sessions"] as const) shown[k] = 0;
  for (const k of ["attendance_pct", "absence_pct", "authorised_pct", "unauthorised_pct"] as const) shown[k] = null;
  return shown;
}

/**
 * The span's absence withheld with its pupils absent at least once (the text printed for the
 * count), for a page whose figures are all absence in slices of the span — weeks, months,
 * weekdays, days, codes — which add up to the span's absent sessions (Trends, Codes,
 * Patterns); null when the count is shown, or the whole row is withheld (the page then says
 * that instead). `span`: the span's Withheld (governorWithheldBy with `by` null), null for staff.
 */
export function absenceWithheldOf(span: Withheld | null): string | null {
  return span && !span.row ? (span.absent ?? null) : null;
}

/**
 * For a page of absence in slices of the query's span (Trends, Codes, Patterns): the whole
 * span's row withheld (`spanWithheld`, the printed reason) or else its absence withheld with
 * its pupils absent at least once (`absenceWithheld`, absenceWithheldOf); both null for staff
 * (`min` null) and when the governor may see them. `min`: the small-group minimum.
 */
export async function governorSpanWithheld(connection: Connection, query: MeasureQuery, min: number | null): Promise<{ spanWithheld: string | null; absenceWithheld: string | null }> {
  if (min === null) return { spanWithheld: null, absenceWithheld: null };
  const span = (await governorWithheldBy(connection, query, null, min)).get("") ?? null;
  return { spanWithheld: span?.row ?? null, absenceWithheld: absenceWithheldOf(span) };
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
