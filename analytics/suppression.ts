/**
 * Small-group suppression for everything a governor reads (the FGB pack in every format and
 * the aggregate pages), primary and complementary, in one place.
 *
 * Primary suppression (the school's rule, settings.small_group_min, "min"):
 * - a group of fewer than `min` pupils shows no figures at all;
 * - a count of pupils (persistently or severely absent) from 1 to min − 1 reads
 *   "fewer than min", and its percentage is withheld with it (rate × pupils = count).
 *
 * Complementary (secondary) suppression: published figures that add up — the whole school is
 * the sum of its year groups and of its classes, a year group the sum of its classes, the
 * whole school a focus group plus the rest of the school — let a reader subtract their way to
 * a withheld one (Year 4 has 7 persistently absent pupils and 4B has 5, so 4A has 2). So more
 * figures are withheld, the smallest first and never the whole-school ones, until no withheld
 * figure can be worked out. "Worked out" is tested the way a reader with a calculator would:
 * every sum is used to narrow every withheld figure from what is published (interval
 * propagation, with what each withheld cell's text gives away, e.g. "fewer than 5" = 1…4,
 * and that a count of absent pupils never exceeds the group's pupils); a figure is recovered
 * when its range narrows to one value. This is the approach of the ONS/DfE statistical
 * disclosure guidance (primary then secondary suppression so "totals cannot be used to
 * derive suppressed figures": GSS "Disclosure control for tables produced from
 * administrative sources", and the DfE's "Statistics: guidance on suppression").
 *
 * The same figure appears in several tables (the year-groups table, the workbook's annual
 * tab, the Groups page): every place reads one decision from a `SuppressionPlan`, so a
 * figure withheld in one place is withheld in all.
 */

import type { Connection } from "./db.ts";
import { summarise, summariseBy, type Measures, type MeasureQuery, type PupilDimension } from "./measures.ts";

// ---------------------------------------------------------------------------------------
// The general problem: cells, sums, and who can be recovered

/** A range a reader can infer for a withheld figure from what is printed in its place. */
export interface Bounds {
  lo: number;
  hi: number;
}

/** One published-or-withheld figure: a count (pupils, sessions). */
export interface DisclosureCell {
  id: string;
  value: number;
  /**
   * Withheld by the primary rule, with what its printed text gives away: "fewer than 5" gives
   * {lo: 1, hi: 4}. Undefined when the primary rule does not withhold it.
   */
  primary?: Bounds;
  /** Cells withheld together with this one (a group's whole row). */
  linked?: string[];
  /** Withholding it costs more (whole-school figures): chosen last. Default 0. */
  cost?: number;
}

/** total = sum of parts, every one a cell id. */
export interface SumRule {
  total: string;
  parts: string[];
}

/** a ≤ b (absent pupils never outnumber the group's pupils). */
export interface AtMostRule {
  a: string;
  b: string;
}

const UNBOUNDED: Bounds = { lo: 0, hi: Number.POSITIVE_INFINITY };

/**
 * What a reader can work out: for every withheld cell, the narrowest range the published
 * cells, the sums and the at-most rules allow (interval propagation to a fixed point).
 * `known` maps published cells to their values; `withheld` maps withheld cells to what their
 * text gives away. Returns the ranges of the withheld cells.
 */
export function inferBounds(known: Map<string, number>, withheld: Map<string, Bounds>, sums: SumRule[], atMost: AtMostRule[] = []): Map<string, Bounds> {
  const bounds = new Map<string, Bounds>();
  for (const [id, b] of withheld) bounds.set(id, { ...b });
  const get = (id: string): Bounds => {
    const value = known.get(id);
    if (value !== undefined) return { lo: value, hi: value };
    return bounds.get(id) ?? UNBOUNDED;
  };
  const narrow = (id: string, lo: number, hi: number): boolean => {
    if (known.has(id)) return false;
    const b = bounds.get(id) ?? { ...UNBOUNDED };
    let changed = false;
    if (lo > b.lo) {
      b.lo = lo;
      changed = true;
    }
    if (hi < b.hi) {
      b.hi = hi;
      changed = true;
    }
    bounds.set(id, b);
    return changed;
  };
  for (let round = 0; round < 1000; round++) {
    let changed = false;
    for (const rule of sums) {
      const parts = rule.parts.map(get);
      const total = get(rule.total);
      const sumLo = parts.reduce((s, b) => s + b.lo, 0);
      const sumHi = parts.reduce((s, b) => s + b.hi, 0);
      if (narrow(rule.total, sumLo, sumHi)) changed = true;
      rule.parts.forEach((id, i) => {
        // Summed without this part: ∞ − ∞ would be NaN.
        const othersLo = parts.reduce((t, b, j) => (j === i ? t : t + b.lo), 0);
        const othersHi = parts.reduce((t, b, j) => (j === i ? t : t + b.hi), 0);
        if (narrow(id, total.lo - othersHi, total.hi - othersLo)) changed = true;
      });
    }
    for (const rule of atMost) {
      const a = get(rule.a);
      const b = get(rule.b);
      if (narrow(rule.a, Number.NEGATIVE_INFINITY, b.hi)) changed = true;
      if (narrow(rule.b, a.lo, Number.POSITIVE_INFINITY)) changed = true;
    }
    if (!changed) break;
  }
  const result = new Map<string, Bounds>();
  for (const id of withheld.keys()) result.set(id, get(id));
  return result;
}

/** The withheld cells a reader can work out exactly (their range is one value). */
export function recoverable(known: Map<string, number>, withheld: Map<string, Bounds>, sums: SumRule[], atMost: AtMostRule[] = []): string[] {
  return [...inferBounds(known, withheld, sums, atMost)].filter(([, b]) => b.lo === b.hi).map(([id]) => id);
}

/**
 * Primary and complementary suppression: which cells to withhold so that none can be worked
 * out. Returns the withheld ids, each "primary" or "secondary". Cells chosen for secondary
 * suppression are the cheapest (cost, then smallest value) visible member of a sum that would
 * otherwise give a withheld cell away; a chosen cell takes its linked cells with it.
 * When every member of such a sum is already withheld, the other side of an at-most rule that
 * gives the cell away is withheld instead. Throws if even that leaves a cell recoverable.
 */
export function protect(cells: DisclosureCell[], sums: SumRule[], atMost: AtMostRule[] = []): Map<string, "primary" | "secondary"> {
  const byId = new Map(cells.map((c) => [c.id, c]));
  const hidden = new Map<string, "primary" | "secondary">();
  const hide = (id: string, why: "primary" | "secondary") => {
    if (hidden.has(id) || !byId.has(id)) return;
    hidden.set(id, why);
    for (const other of byId.get(id)!.linked ?? []) hide(other, why);
  };
  for (const cell of cells) if (cell.primary) hide(cell.id, "primary");
  // Only sums whose members are all cells (a figure not published is no help to a reader).
  const usable = sums.filter((r) => byId.has(r.total) && r.parts.every((p) => byId.has(p)));
  const cheapest = (ids: string[]): string | undefined =>
    ids
      .filter((id) => !hidden.has(id))
      .sort((a, b) => (byId.get(a)!.cost ?? 0) - (byId.get(b)!.cost ?? 0) || byId.get(a)!.value - byId.get(b)!.value || a.localeCompare(b))[0];
  for (let round = 0; round < 10_000; round++) {
    const known = new Map<string, number>();
    const withheld = new Map<string, Bounds>();
    for (const cell of cells) {
      if (!hidden.has(cell.id)) known.set(cell.id, cell.value);
      else withheld.set(cell.id, hidden.get(cell.id) === "primary" && cell.primary ? cell.primary : UNBOUNDED);
    }
    const recovered = new Set(recoverable(known, withheld, usable, atMost));
    if (recovered.size === 0) return hidden;
    // Withhold the cheapest visible figure of any sum that involves a recovered cell: it
    // breaks that subtraction at the least cost (a class before its year, never the school
    // while anything else will do); the loop then checks again.
    const candidates = new Set<string>();
    for (const rule of usable) {
      const members = [rule.total, ...rule.parts];
      if (members.some((id) => recovered.has(id))) for (const id of members) candidates.add(id);
    }
    // Only when every member of those sums is withheld: the other side of an at-most rule
    // (a severely absent count of 0 is given away by a published persistently absent 0).
    let choice = cheapest([...candidates]);
    if (!choice) {
      const partners = atMost.filter((r) => recovered.has(r.a) || recovered.has(r.b)).flatMap((r) => [r.a, r.b]);
      choice = cheapest(partners.filter((id) => byId.has(id)));
    }
    if (!choice) throw new Error(`cannot protect ${[...recovered].join(", ")}: every figure of their sums is already withheld`);
    hide(choice, "secondary");
  }
  throw new Error("suppression did not settle");
}

// ---------------------------------------------------------------------------------------
// Governors' figures: groups of pupils and their counts

/** The additive figures a governor sees for a group (each a count). */
export const SUPPRESSED_FIGURES = ["pupils", "possible_sessions", "attended_sessions", "pa_pupils", "sa_pupils"] as const;
export type SuppressedFigure = (typeof SUPPRESSED_FIGURES)[number];

/** A group whose figures are published: the whole school, a year group, a class, a focus group or its rest of school. */
export interface GroupCounts {
  /** "school", "year:4", "class:4B", "sen:E", "rest:sen:E" — stable keys the plan answers for. */
  key: string;
  pupils: number;
  possible_sessions: number;
  /** Present plus approved educational activity. */
  attended_sessions: number;
  pa_pupils: number;
  sa_pupils: number;
}

/** Which groups add up to which: total = sum of parts (e.g. "year:4" = "class:4A" + "class:4B"). */
export interface GroupSum {
  total: string;
  parts: string[];
}

export interface SuppressionPlan {
  min: number;
  /** The group's whole row is withheld ("fewer than min pupils", or to protect one that is). */
  rowHidden(key: string): boolean;
  /** Why a row is withheld, for its printed text; null when shown. */
  rowReason(key: string): "small" | "secondary" | null;
  /** This count (and the percentage made from it) is withheld. */
  hidden(key: string, figure: SuppressedFigure): boolean;
  /** The text printed in place of a withheld figure. */
  text(key: string, figure: SuppressedFigure): string;
}

export const smallGroupText = (min: number) => `fewer than ${min} pupils — suppressed`;
export const fewerThanText = (min: number) => `fewer than ${min}`;
/** Printed for a figure withheld only so that a small one cannot be worked out. */
export const SECONDARY_TEXT = "suppressed (would reveal a small group)";

const cellId = (key: string, figure: SuppressedFigure) => `${key}|${figure}`;

/** True for a count of pupils the primary rule withholds: 1 … min − 1. */
export function isSmallCount(value: number, min: number | null): boolean {
  return min !== null && value > 0 && value < min;
}

/**
 * Plans suppression for a set of groups and the sums between them. Groups of fewer than
 * `min` pupils (but at least one) lose their whole row; PA and SA counts of 1 … min − 1 are
 * withheld; then complementary suppression as described above. The whole school ("school")
 * is withheld only if nothing else will do.
 */
export function planSuppression(groups: GroupCounts[], sums: GroupSum[], min: number): SuppressionPlan {
  const cells: DisclosureCell[] = [];
  for (const g of groups) {
    const smallRow = g.pupils > 0 && g.pupils < min;
    const row = SUPPRESSED_FIGURES.map((f) => cellId(g.key, f));
    for (const figure of SUPPRESSED_FIGURES) {
      const value = g[figure];
      let primary: Bounds | undefined;
      if (smallRow) primary = figure === "pupils" ? { lo: 1, hi: min - 1 } : { lo: 0, hi: figure === "pa_pupils" || figure === "sa_pupils" ? min - 1 : Number.POSITIVE_INFINITY };
      else if ((figure === "pa_pupils" || figure === "sa_pupils") && isSmallCount(value, min)) primary = { lo: 1, hi: min - 1 };
      cells.push({
        id: cellId(g.key, figure),
        value,
        primary,
        // A group's pupils withheld means its whole row goes (its rates would give it away).
        linked: figure === "pupils" ? row : figure === "pa_pupils" || figure === "sa_pupils" ? [] : row,
        cost: g.key === "school" ? 1_000_000 : 0,
      });
    }
  }
  const sumRules: SumRule[] = sums.flatMap((s) => SUPPRESSED_FIGURES.map((f) => ({ total: cellId(s.total, f), parts: s.parts.map((p) => cellId(p, f)) })));
  const atMost: AtMostRule[] = groups.flatMap((g) => [
    { a: cellId(g.key, "sa_pupils"), b: cellId(g.key, "pa_pupils") },
    { a: cellId(g.key, "pa_pupils"), b: cellId(g.key, "pupils") },
    { a: cellId(g.key, "attended_sessions"), b: cellId(g.key, "possible_sessions") },
  ]);
  const hidden = protect(cells, sumRules, atMost);
  const rowReason = (key: string): "small" | "secondary" | null => {
    const why = hidden.get(cellId(key, "pupils"));
    return why === undefined ? null : why === "primary" ? "small" : "secondary";
  };
  return {
    min,
    rowHidden: (key) => hidden.has(cellId(key, "pupils")),
    rowReason,
    hidden: (key, figure) => hidden.has(cellId(key, figure)),
    text: (key, figure) => {
      const reason = rowReason(key);
      if (reason === "small") return smallGroupText(min);
      const why = hidden.get(cellId(key, figure));
      if (why === "primary") return fewerThanText(min);
      return SECONDARY_TEXT;
    },
  };
}

/** No suppression (staff-only views): every figure shown. */
export const NO_SUPPRESSION: SuppressionPlan = {
  min: 0,
  rowHidden: () => false,
  rowReason: () => null,
  hidden: () => false,
  text: () => "",
};

// ---------------------------------------------------------------------------------------
// Gathering a view's groups from the measures

/** Keys the plan answers for. */
export const groupKey = {
  school: "school",
  year: (y: string) => `year:${y}`,
  class: (c: string) => `class:${c}`,
  group: (by: PupilDimension, value: string) => `${by}:${value}`,
  rest: (by: PupilDimension, value: string) => `rest:${by}:${value}`,
};

/** A group's suppressed figures without its key. */
export type GroupFigures = Omit<GroupCounts, "key">;

/** The figures suppression plans over, from a group's measures (attended = present + AEA). */
export function figuresOf(m: Measures): GroupFigures {
  return {
    pupils: m.pupils,
    possible_sessions: m.possible_sessions,
    attended_sessions: m.present_sessions + m.aea_sessions,
    pa_pupils: m.pa_pupils,
    sa_pupils: m.sa_pupils,
  };
}

/** Each figure of `whole` less the same figure of `part`: the rest of a total a reader can take. */
export function figuresMinus(whole: GroupFigures, part: GroupFigures): GroupFigures {
  return Object.fromEntries(SUPPRESSED_FIGURES.map((figure) => [figure, whole[figure] - part[figure]])) as unknown as GroupFigures;
}

/** A group's counts under a plan key, from its measures. */
export const countsOf = (key: string, m: Measures): GroupCounts => ({ key, ...figuresOf(m) });

/** The counts of `whole` less `part`, under a plan key. */
export const minus = (key: string, whole: GroupFigures, part: GroupFigures): GroupCounts => ({ key, ...figuresMinus(whole, part) });

export interface GovernorView {
  /** Year groups and classes are shown (their sums with the whole school and each other). */
  yearsAndClasses?: boolean;
  /**
   * Pupil characteristics shown against the rest of the school: every value of the
   * dimension (its values add up to the whole school), or only the listed ones.
   */
  dimensions?: Array<{ by: PupilDimension; values?: string[] }>;
}

/**
 * The suppression plan for what a governor sees of one span (and filter): the whole school,
 * its year groups and classes (a year group is the sum of its classes when every class
 * sits in one year group), and each characteristic's groups beside the rest of the school.
 * Every figure is read from the measures (summarise, summariseBy).
 */
export async function governorSuppression(connection: Connection, query: MeasureQuery, view: GovernorView, min: number): Promise<SuppressionPlan> {
  const school = countsOf(groupKey.school, await summarise(connection, query));
  const groups: GroupCounts[] = [school];
  const sums: GroupSum[] = [];
  if (view.yearsAndClasses) {
    const years = await summariseBy(connection, query, "year_group");
    const classes = await summariseBy(connection, query, "reg_group");
    groups.push(...years.map((y) => countsOf(groupKey.year(y.group), y)), ...classes.map((c) => countsOf(groupKey.class(c.group), c)));
    sums.push({ total: groupKey.school, parts: years.map((y) => groupKey.year(y.group)) });
    sums.push({ total: groupKey.school, parts: classes.map((c) => groupKey.class(c.group)) });
    const classPupils = new Map(classes.map((c) => [c.group, c.pupils]));
    for (const year of years) {
      const inYear = await summariseBy(connection, { ...query, filter: { ...query.filter, year_group: year.group } }, "reg_group");
      // A mixed-age class is not a part of one year group: no sum to protect through it.
      if (inYear.length > 0 && inYear.every((c) => classPupils.get(c.group) === c.pupils)) {
        sums.push({ total: groupKey.year(year.group), parts: inYear.map((c) => groupKey.class(c.group)) });
      }
    }
  }
  for (const dimension of view.dimensions ?? []) {
    const rows = await summariseBy(connection, query, dimension.by);
    const values = dimension.values ?? rows.map((r) => r.group);
    for (const value of values) {
      const row = rows.find((r) => r.group === value);
      const group = row ? countsOf(groupKey.group(dimension.by, value), row) : { ...minus("", school, school), key: groupKey.group(dimension.by, value) };
      groups.push(group, minus(groupKey.rest(dimension.by, value), school, group));
      sums.push({ total: groupKey.school, parts: [group.key, groupKey.rest(dimension.by, value)] });
    }
    if (!dimension.values) sums.push({ total: groupKey.school, parts: values.map((v) => groupKey.group(dimension.by, v)) });
  }
  return planSuppression(groups, sums, min);
}

// ---------------------------------------------------------------------------------------
// Pages: a group's measures as a governor may see them

/** Why a group's figures are withheld on a page, in the words printed in their place. */
export interface Withheld {
  /** The whole row. */
  row: string | null;
  /** Persistently absent pupils and their percentage. */
  pa: string | null;
  /** Severely absent pupils and their percentage. */
  sa: string | null;
}

export const NOTHING_WITHHELD: Withheld = { row: null, pa: null, sa: null };

/** Measures with every figure taken out (counts 0, rates null): a withheld row. */
export function withoutFigures<M extends Measures>(measures: M): M {
  const blank = { ...measures };
  for (const k of ["pupils", "possible_sessions", "present_sessions", "aea_sessions", "authorised_sessions", "unauthorised_sessions", "pa_pupils", "sa_pupils"] as const) blank[k] = 0;
  for (const k of ["attendance_pct", "absence_pct", "authorised_pct", "unauthorised_pct", "pa_pct", "sa_pct"] as const) blank[k] = null;
  return blank;
}

/**
 * A group's measures with what the plan withholds taken out (counts 0, rates null), so the
 * withheld figures never leave the server; `withheld` says what to print instead. With no
 * plan (staff), the measures unchanged.
 */
export function withholdMeasures<M extends Measures>(plan: SuppressionPlan | null, key: string, measures: M): { measures: M; withheld: Withheld } {
  if (!plan) return { measures, withheld: NOTHING_WITHHELD };
  if (plan.rowHidden(key)) {
    const text = plan.text(key, "pupils");
    return { measures: withoutFigures(measures), withheld: { row: text, pa: text, sa: text } };
  }
  const shown = { ...measures };
  const withheld: Withheld = { row: null, pa: null, sa: null };
  if (plan.hidden(key, "pa_pupils")) {
    shown.pa_pupils = 0;
    shown.pa_pct = null;
    withheld.pa = plan.text(key, "pa_pupils");
  }
  if (plan.hidden(key, "sa_pupils")) {
    shown.sa_pupils = 0;
    shown.sa_pct = null;
    withheld.sa = plan.text(key, "sa_pupils");
  }
  return { measures: shown, withheld };
}
