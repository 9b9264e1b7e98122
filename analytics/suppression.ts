/**
 * Small-group suppression for everything a governor reads (the FGB pack in every format and
 * the aggregate pages), primary and complementary, in one place.
 *
 * Primary suppression (the school's rule, settings.small_group_min, "min"):
 * - a group of fewer than `min` pupils shows no figures at all;
 * - a count of pupils (persistently or severely absent) from 1 to min − 1 is withheld, and
 *   its percentage with it (rate × pupils = count).
 * Every withheld figure reads the same word (WITHHELD_TEXT), whatever withheld it.
 *
 * Complementary (secondary) suppression: published figures that add up — the whole school is
 * the sum of its year groups and of its classes, a year group the sum of its classes, the
 * whole school a focus group plus the rest of the school — let a reader subtract their way to
 * a withheld one (Year 4 has 7 persistently absent pupils and 4B has 5, so 4A has 2). So more
 * figures are withheld, the smallest first and never the whole-school ones, until no withheld
 * figure can be worked out. "Worked out" is tested the way a reader with a calculator would:
 * every sum is used to narrow every withheld figure from what is published (interval
 * propagation, with what each withheld cell's text gives away, e.g. "fewer than 5" = 1…4,
 * and that a count of absent pupils never exceeds the group's pupils, and what a group's
 * absent sessions say of its persistently and severely absent pupils: absenceRules); a figure
 * is recovered when its range narrows to one value. The guarantee (docs/DEFINITIONS.md "Withheld
 * figures (governors)"): no withheld figure is recovered; and, for the governors' plans
 * (ProtectOptions.secondaryWidth = min − 1), no count of pupils withheld to protect others is
 * narrowed to fewer than min − 1 values (as many as "fewer than min" leaves a small count) but
 * through the whole school's own counts, which stay published. This is the approach of the ONS/DfE statistical
 * disclosure guidance (primary then secondary suppression so "totals cannot be used to
 * derive suppressed figures": GSS "Disclosure control for tables produced from
 * administrative sources", and the DfE's "Statistics: guidance on suppression").
 *
 * The same figure appears in several tables (the year-groups table, the workbook's annual
 * tab, the Groups page): every place reads one decision from a `SuppressionPlan`, so a
 * figure withheld in one place is withheld in all.
 */

import type { Connection } from "./db.ts";
import { summarise, summariseBy, type AbsenceBounds, type Measures, type MeasureQuery, type PupilDimension } from "./measures.ts";

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
  /**
   * Never published, whatever its value (a page gives no such figure): withheld from the start
   * like a secondary figure, so it hides others but needs no protection itself.
   */
  unpublished?: boolean;
  /**
   * Never printed, but a reader can work it out from printed sums (the pupils outside the
   * DfE's population: the whole roll less the DfE's population), so it is protected like a
   * printed one: withheld from the start, by the primary rule when `primary` is set (the
   * figure must then stay unknown); the reader reads no text for it, so no bounds are given.
   */
  unprinted?: boolean;
  /**
   * The most it can be by a published figure outside the table planned (pupils absent at least
   * once never outnumber the group's published pupils: planSuppression's second pass), a
   * bound a reader has whatever is printed in its place. Undefined: none.
   */
  ceiling?: number;
  /**
   * Known to every reader whatever is printed in its place (the leavers' pupils over a span:
   * the school's pupils over it less over its last half term, both published; their sessions,
   * 0 by definition: analytics/leavers.ts). Withheld as the primary rule says, but read as
   * known when working out the others, so no other figure is withheld to protect it, and
   * never chosen to protect others (withholding it hides nothing).
   */
  public?: boolean;
  /**
   * Never printed by itself: the difference of the printed figures of its row given here (a
   * group's absent sessions: possible − attended, [possible, attended]), a figure of its own
   * in the rules so that what a reader works out of it by subtraction across sums (Year 3's
   * absent sessions less 3B's bound 3A's and 3C's together, each at least 0) is what the
   * planner works out too: ranges of the two figures apart lose it (3A's possible and
   * attended each unknown, their difference at most 20). Withheld from the start, known to
   * no reader but through the rules, never protected itself (what it gives away is through
   * the counts it bounds) and never chosen to be withheld; where it pins a count, the figures
   * it is the difference of are the ones to withhold (protect's choices reach them).
   */
  derivedFrom?: string[];
}

/**
 * What a reader knows of a withheld cell before any sum: what the primary rule's text gives
 * away (not for a figure never printed, or one printed as withheld to protect others), within
 * its ceiling.
 */
function readerBounds(cell: DisclosureCell, why: "primary" | "secondary"): Bounds {
  const text = why === "primary" && cell.primary && !cell.unprinted ? cell.primary : UNBOUNDED;
  return cell.ceiling === undefined ? text : { lo: text.lo, hi: Math.min(text.hi, cell.ceiling) };
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

/** One cell of a LinearRule with its coefficient (a positive integer). */
export interface Term {
  id: string;
  times: number;
}

/**
 * Σ times × cell on the left ≤ Σ times × cell on the right + constant, every coefficient a
 * positive integer and the constant a non-negative integer (so every bound it gives a cell
 * of counts is rounded inwards: down for a left cell, up for a right one). A group's absent
 * sessions (possible − attended) bound its persistently or severely absent pupils both ways
 * (absenceRules): "k × PA + attended ≤ possible" (every such pupil misses at least k of the
 * group's sessions) and "possible ≤ attended + (M − m) × PA + m × pupils + U" (none misses
 * more than M, any other pupil at most m, U missed by pupils counted elsewhere).
 */
export interface LinearRule {
  left: Term[];
  right: Term[];
  constant?: number;
}

/**
 * One pass of a LinearRule over its cells' ranges as they are (`lo`/`hi` read before any is
 * narrowed): the bound it gives each cell, to `narrow`. A left cell's most: (the right side's
 * most − the other left cells' least) ÷ its coefficient, rounded down; a right cell's least:
 * (the left side's least − the other right cells' most) ÷ its coefficient, rounded up; none
 * while a needed most is unbounded. `lo`/`hi`: each cell's range by cell number. inferBounds
 * uses it (linearPassByIds) and so does CompiledRules.propagate, on its own cell numbers.
 */
function linearPass(
  left: ArrayLike<number>,
  leftTimes: ArrayLike<number>,
  right: ArrayLike<number>,
  rightTimes: ArrayLike<number>,
  constant: number,
  lo: ArrayLike<number>,
  hi: ArrayLike<number>,
  narrow: (cell: number, lo: number, hi: number) => void,
  // Snapshots of the left cells' least and the right cells' most (at least as long as each
  // side): CompiledRules.propagate keeps one pair for a whole propagation.
  leftLo: Float64Array = new Float64Array(left.length),
  rightHi: Float64Array = new Float64Array(right.length),
): void {
  let leftLeast = 0;
  for (let i = 0; i < left.length; i++) {
    leftLo[i] = lo[left[i]];
    leftLeast += leftTimes[i] * leftLo[i];
  }
  let rightMost = constant;
  let unbounded = 0;
  for (let j = 0; j < right.length; j++) {
    rightHi[j] = hi[right[j]];
    if (rightHi[j] === Number.POSITIVE_INFINITY) unbounded++;
    else rightMost += rightTimes[j] * rightHi[j];
  }
  if (unbounded === 0) {
    for (let i = 0; i < left.length; i++) narrow(left[i], Number.NEGATIVE_INFINITY, Math.floor((rightMost - leftLeast + leftTimes[i] * leftLo[i]) / leftTimes[i]));
  }
  for (let j = 0; j < right.length; j++) {
    const othersUnbounded = unbounded - (rightHi[j] === Number.POSITIVE_INFINITY ? 1 : 0);
    if (othersUnbounded > 0) continue;
    const othersMost = rightHi[j] === Number.POSITIVE_INFINITY ? rightMost : rightMost - rightTimes[j] * rightHi[j];
    narrow(right[j], Math.ceil((leftLeast - othersMost) / rightTimes[j]), Number.POSITIVE_INFINITY);
  }
}

/**
 * linearPass over a LinearRule as written, its cells by id (inferBounds; the
 * compiled rules call linearPass on their own cell numbers). `narrow` is given each cell's id.
 */
function linearPassByIds(rule: LinearRule, lo: (id: string) => number, hi: (id: string) => number, narrow: (id: string, lo: number, hi: number) => void): void {
  const ids = [...rule.left, ...rule.right].map((t) => t.id);
  linearPass(
    rule.left.map((_, i) => i),
    rule.left.map((t) => t.times),
    rule.right.map((_, j) => rule.left.length + j),
    rule.right.map((t) => t.times),
    rule.constant ?? 0,
    ids.map(lo),
    ids.map(hi),
    (c, l, h) => narrow(ids[c], l, h),
  );
}

const UNBOUNDED: Bounds = { lo: 0, hi: Number.POSITIVE_INFINITY };

/**
 * What a reader can work out: for every withheld cell, the narrowest range the published
 * cells, the sums, the at-most rules and the linear rules allow (interval propagation to a
 * fixed point). `known` maps published cells to their values; `withheld` maps withheld cells
 * to what their text gives away. Returns the ranges of the withheld cells.
 */
export function inferBounds(known: Map<string, number>, withheld: Map<string, Bounds>, sums: SumRule[], atMost: AtMostRule[] = [], linear: LinearRule[] = []): Map<string, Bounds> {
  const bounds = new Map<string, Bounds>();
  for (const [id, b] of withheld) bounds.set(id, { ...b });
  const get = (id: string): Bounds => {
    const value = known.get(id);
    if (value !== undefined) return { lo: value, hi: value };
    return bounds.get(id) ?? UNBOUNDED;
  };
  // A worklist: a rule is looked at again only when one of its cells narrowed (the fixed point
  // is the same as sweeping every rule until nothing changes, at a fraction of the work).
  const rules: Array<{ sum?: SumRule; atMost?: AtMostRule; linear?: LinearRule }> = [
    ...sums.map((sum) => ({ sum })),
    ...atMost.map((rule) => ({ atMost: rule })),
    ...linear.map((rule) => ({ linear: rule })),
  ];
  const rulesOf = new Map<string, number[]>();
  rules.forEach((rule, index) => {
    const ids = rule.sum ? [rule.sum.total, ...rule.sum.parts] : rule.atMost ? [rule.atMost.a, rule.atMost.b] : [...rule.linear!.left, ...rule.linear!.right].map((t) => t.id);
    for (const id of ids) {
      if (known.has(id)) continue;
      const list = rulesOf.get(id) ?? [];
      list.push(index);
      rulesOf.set(id, list);
    }
  });
  const queue: number[] = rules.map((_, i) => i);
  const queued = new Uint8Array(rules.length).fill(1);
  const narrow = (id: string, lo: number, hi: number): void => {
    if (known.has(id)) return;
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
    if (!changed) return;
    for (const r of rulesOf.get(id) ?? []) {
      if (!queued[r]) {
        queued[r] = 1;
        queue.push(r);
      }
    }
  };
  // Ranges only ever narrow and always hold the true values, so this ends; the cap is a guard.
  const limit = 2000 * (rules.length + 1);
  for (let head = 0; head < queue.length && head < limit; head++) {
    const index = queue[head];
    queued[index] = 0;
    const { sum, atMost: rule, linear: line } = rules[index];
    if (line) {
      linearPassByIds(line, (id) => get(id).lo, (id) => get(id).hi, narrow);
    } else if (sum) {
      const parts = sum.parts.map(get);
      const total = get(sum.total);
      // Sums without one part, in one pass: an infinite upper bound is counted, not added
      // (∞ − ∞ would be NaN).
      let sumLo = 0;
      let finiteHi = 0;
      let infinite = 0;
      for (const b of parts) {
        sumLo += b.lo;
        if (b.hi === Number.POSITIVE_INFINITY) infinite++;
        else finiteHi += b.hi;
      }
      narrow(sum.total, sumLo, infinite > 0 ? Number.POSITIVE_INFINITY : finiteHi);
      sum.parts.forEach((id, i) => {
        const b = parts[i];
        const othersLo = sumLo - b.lo;
        const othersHi = b.hi === Number.POSITIVE_INFINITY ? (infinite > 1 ? Number.POSITIVE_INFINITY : finiteHi) : infinite > 0 ? Number.POSITIVE_INFINITY : finiteHi - b.hi;
        narrow(id, total.lo - othersHi, total.hi - othersLo);
      });
    } else if (rule) {
      const a = get(rule.a);
      const b = get(rule.b);
      narrow(rule.a, Number.NEGATIVE_INFINITY, b.hi);
      narrow(rule.b, a.lo, Number.POSITIVE_INFINITY);
    }
  }
  const result = new Map<string, Bounds>();
  for (const id of withheld.keys()) result.set(id, get(id));
  return result;
}

/**
 * The number of cell `id` in `index` (by id) and `ids` (by number), given the next one and an
 * empty list of rules in `rulesOf` when it is new: RulesBase's numbering, which CompiledRules
 * carries on for cells only its linear rules name.
 */
function cellNumber(index: Map<string, number>, ids: string[], rulesOf: number[][], id: string): number {
  let i = index.get(id);
  if (i === undefined) {
    i = ids.length;
    index.set(id, i);
    ids.push(id);
    rulesOf.push([]);
  }
  return i;
}

/**
 * The part of CompiledRules that is a function of the cells' ids (in order), the sums and the
 * at-most rules alone: the cells numbered (the cells first, in their order, then any other
 * member as first met), each rule's cells, each cell's rules. The governors' half-term tables
 * (2,724 cells at 4,500 pupils) have the same cells, sums and at-most rules in every half term
 * and differ in their linear rules (each group's sessions: absenceRules), so one base serves
 * every half term's CompiledRules (protect's SharedBase). Never changed once made.
 */
class RulesBase {
  readonly index = new Map<string, number>();
  readonly ids: string[] = [];
  readonly sumCount: number;
  readonly linearStart: number;
  readonly totals: Int32Array;
  readonly parts: Int32Array[];
  /** By cell: the sums and at-most rules it is in, in ascending order. */
  readonly rulesOf: number[][] = [];
  readonly members: Int32Array[];
  readonly distinct: boolean;

  constructor(cellIds: readonly string[], sums: readonly SumRule[], atMost: readonly AtMostRule[]) {
    for (const id of cellIds) this.indexOf(id);
    this.sumCount = sums.length;
    this.linearStart = sums.length + atMost.length;
    this.totals = new Int32Array(this.linearStart);
    this.parts = new Array<Int32Array>(this.linearStart);
    // Typed arrays filled by index, not Int32Array.from(list, map) (an iterator per rule; a
    // table of some 10,000 rules is compiled for every plan, twice where figures are derived).
    const numbers = (ids: readonly string[]): Int32Array => {
      const out = new Int32Array(ids.length);
      for (let i = 0; i < ids.length; i++) out[i] = this.indexOf(ids[i]);
      return out;
    };
    sums.forEach((sum, r) => {
      this.totals[r] = this.indexOf(sum.total);
      this.parts[r] = numbers(sum.parts);
    });
    atMost.forEach((rule, i) => {
      const r = sums.length + i;
      this.totals[r] = this.indexOf(rule.a);
      this.parts[r] = Int32Array.of(this.indexOf(rule.b));
    });
    for (let r = 0; r < this.linearStart; r++) {
      this.rulesOf[this.totals[r]].push(r);
      for (const m of this.parts[r]) this.rulesOf[m].push(r);
    }
    this.members = new Array<Int32Array>(this.linearStart);
    for (let r = 0; r < this.linearStart; r++) this.members[r] = withTotal(this.totals[r], this.parts[r]);
    this.distinct = this.members.every((cells, r) => cells.length === 1 + this.parts[r].length);
  }

  private indexOf(id: string): number {
    return cellNumber(this.index, this.ids, this.rulesOf, id);
  }
}

/**
 * inferBounds for one table looked at many times (protect's rounds): the rules turned into
 * numbers once, each look only the published values and the withheld cells' starting ranges.
 * The same propagation as inferBounds, rule by rule in the same order with the same
 * arithmetic, so the same ranges (protect's choices, and every plan, are unchanged); made
 * once per protect call, where inferBounds made its index of the rules' cells on every look
 * (at 4,500 pupils a governor's table takes hundreds of looks).
 */
class CompiledRules {
  /** Cell numbers by id: the base's where the linear rules name no other cell (never changed once made). */
  readonly index: Map<string, number>;
  private readonly ids: string[];
  /** Per rule: sum (total, parts) or at-most (a, b), as cell numbers (the base's). */
  private readonly totals: Int32Array;
  private readonly parts: Int32Array[];
  private readonly sumCount: number;
  /** How many rules: the base's sums and at-most rules, then the linear rules. */
  private readonly count: number;
  /** The first linear rule's number (after the sums and the at-most rules). */
  private readonly linearStart: number;
  /** Per linear rule (from linearStart): its cells left and right, their coefficients, its constant. */
  private readonly linear: Array<{ left: Int32Array; leftTimes: Float64Array; right: Int32Array; rightTimes: Float64Array; constant: number }>;
  /** By cell: the rules it is in, the base's array itself for a cell in no linear rule (never changed once made). */
  private readonly rulesOf: number[][];
  /** Per rule: its cells, each once (Retraction's replay reads them). */
  readonly members: Int32Array[];
  /**
   * No sum or at-most rule names a cell twice (a total among its parts, a part twice): each
   * pass of a rule is then a function of its cells' ranges as they were before it, narrowing
   * none less where they are narrower, so a look's ranges are the same whatever order its
   * rules are looked at in (Retraction). So in every governor's table; Retraction looks
   * afresh otherwise.
   */
  readonly distinct: boolean;
  /** The most cells on one side of a linear rule (propagate's buffers). */
  private readonly widest: number;
  /**
   * propagate's buffers, made once (a table is looked at hundreds of times): its queue of rules
   * (a ring), which rules are in it, and linearPass's snapshots.
   */
  private readonly queue: Int32Array;
  private readonly queued: Uint8Array;
  private readonly leftLo: Float64Array;
  private readonly rightHi: Float64Array;

  /** The rules compiled from nothing: the cells, sums and at-most rules (RulesBase), then the linear rules. */
  static of(cellIds: readonly string[], sums: readonly SumRule[], atMost: readonly AtMostRule[], linear: readonly LinearRule[] = []): CompiledRules {
    return new CompiledRules(new RulesBase(cellIds, sums, atMost), linear);
  }

  /**
   * `base`'s cells, sums and at-most rules, shared, not copied (RulesBase: the same for every
   * call on a table whose linear rules alone differ), and the linear rules on top, numbered
   * after them: the same numbers, lists and order as compiling all of them at once.
   */
  constructor(base: RulesBase, linear: readonly LinearRule[] = []) {
    this.sumCount = base.sumCount;
    this.linearStart = base.linearStart;
    this.count = base.linearStart + linear.length;
    this.totals = base.totals;
    this.parts = base.parts;
    this.distinct = base.distinct;
    // The base's numbers serve unless a linear rule names a cell it does not know (never in
    // protect's tables: their linear rules name cells alone); then a copy is extended.
    const known = linear.every((rule) => rule.left.every((t) => base.index.has(t.id)) && rule.right.every((t) => base.index.has(t.id)));
    this.index = known ? base.index : new Map(base.index);
    this.ids = known ? base.ids : base.ids.slice();
    const rulesOf: number[][] = base.rulesOf.slice();
    const indexOf = (id: string): number => cellNumber(this.index, this.ids, rulesOf, id);
    const terms = (side: readonly Term[]): { cells: Int32Array; times: Float64Array } => {
      const cells = new Int32Array(side.length);
      const times = new Float64Array(side.length);
      for (let i = 0; i < side.length; i++) {
        cells[i] = indexOf(side[i].id);
        times[i] = side[i].times;
      }
      return { cells, times };
    };
    this.linear = linear.map((rule) => {
      const left = terms(rule.left);
      const right = terms(rule.right);
      return { left: left.cells, leftTimes: left.times, right: right.cells, rightTimes: right.times, constant: rule.constant ?? 0 };
    });
    this.widest = this.linear.reduce((most, rule) => Math.max(most, rule.left.length, rule.right.length), 0);
    this.members = new Array<Int32Array>(this.count);
    for (let r = 0; r < this.linearStart; r++) this.members[r] = base.members[r];
    // A linear rule's cells each once, left then right as first met (a cell met twice in one
    // rule is listed once, and the rule is looked at again once): by a stamp per cell, without
    // a set and two spreads' iterators per rule (some 4,000 rules a table, tables by the dozen).
    // A cell's list is copied from the base's when its first linear rule joins it.
    const metIn = new Int32Array(this.ids.length).fill(-1);
    const own = new Uint8Array(this.ids.length);
    for (let i = base.ids.length; i < this.ids.length; i++) own[i] = 1;
    const buffer = new Int32Array(2 * this.widest);
    this.linear.forEach((rule, i) => {
      const r = this.linearStart + i;
      let n = 0;
      for (const side of [rule.left, rule.right]) {
        for (let j = 0; j < side.length; j++) {
          const m = side[j];
          if (metIn[m] === r) continue;
          metIn[m] = r;
          buffer[n++] = m;
          if (own[m] === 0) {
            own[m] = 1;
            rulesOf[m] = rulesOf[m].slice();
          }
          rulesOf[m].push(r);
        }
      }
      this.members[r] = buffer.slice(0, n);
    });
    this.rulesOf = rulesOf;
    this.queue = new Int32Array(Math.max(1, this.count));
    this.queued = new Uint8Array(this.count);
    this.leftLo = new Float64Array(this.widest);
    this.rightHi = new Float64Array(this.widest);
  }

  /**
   * inferBounds(known, withheld, sums, atMost) with those sums and rules: `known` the
   * published cells' values, `withheld` what each withheld cell's text gives away (every
   * rule's cell is one or the other). Returns the withheld cells' ranges, in `withheld`'s order.
   */
  infer(known: Map<string, number>, withheld: Map<string, Bounds>): Map<string, Bounds> {
    const look = this.look();
    for (const [id, value] of known) {
      const i = this.index.get(id);
      if (i === undefined) continue;
      look.isKnown[i] = 1;
      look.lo[i] = value;
      look.hi[i] = value;
    }
    for (const [id, b] of withheld) {
      const i = this.index.get(id);
      if (i === undefined || look.isKnown[i]) continue;
      look.lo[i] = b.lo;
      look.hi[i] = b.hi;
    }
    this.propagate(look);
    const result = new Map<string, Bounds>();
    for (const id of withheld.keys()) {
      const i = this.index.get(id)!;
      result.set(id, { lo: look.lo[i], hi: look.hi[i] });
    }
    return result;
  }

  /**
   * Whether linear rule `r` (a rule number, from linearStart) pins one of its withheld members
   * in `look`: the member is pinned (one value) and its most (a left member) or least (a right
   * member, above 0, which every count has) is the rule's. Otherwise the rule pins nothing (a
   * class's 3 persistently absent pupils pinned by sums beside 400 absent sessions; a figure
   * withheld to protect others whose range the rule only narrows), and withholding its
   * published sessions would take a row for nothing. `only` (a cell number): whether it pins
   * that member. Every member of protect's linear rules is a cell of its table. On cell
   * numbers, without a map or an object per member (focusedChoice asks it of each linear rule
   * it meets on every look: at 4,500 pupils some 40,000 walks for one pack).
   */
  linearGivesAway(r: number, look: Look, only = -1): boolean {
    const { isKnown, lo, hi } = look;
    const { left, leftTimes, right, rightTimes, constant } = this.linear[r - this.linearStart];
    let gives = false;
    // linearPass reads every range before it narrows any, and this `narrow` changes none.
    const test = (k: number, l: number, h: number): void => {
      if (isKnown[k] === 1 || lo[k] !== hi[k] || (only >= 0 && k !== only)) return;
      if (h !== Number.POSITIVE_INFINITY && h <= hi[k]) gives = true;
      if (l !== Number.NEGATIVE_INFINITY && l > 0 && l >= lo[k]) gives = true;
    };
    linearPass(left, leftTimes, right, rightTimes, constant, lo, hi, test, this.leftLo, this.rightHi);
    return gives;
  }

  /** The id of cell number `i`. */
  idOf(i: number): string {
    return this.ids[i];
  }

  /** The rules cell number `i` is in. */
  rulesOfCell(i: number): readonly number[] {
    return this.rulesOf[i];
  }

  /** How many cells the rules know of (the cells given first, in their order, then any other rule member). */
  get size(): number {
    return this.ids.length;
  }

  /** A look at the table to fill in (by cell number) for propagate: nothing known, every range [0, ∞). */
  look(): Look {
    const n = this.ids.length;
    return { isKnown: new Uint8Array(n), lo: new Float64Array(n), hi: new Float64Array(n).fill(Number.POSITIVE_INFINITY) };
  }

  /**
   * infer on cell numbers, in place: `look` holds the published cells (isKnown, lo = hi = the
   * value) and every other cell's starting range; on return each unpublished cell's range is
   * what the rules give. The same propagation, rule by rule in the same order with the same
   * arithmetic, as infer (and inferBounds): protect's rounds call it directly, without a map
   * of ids in and a map of ranges out on every look (at 4,500 pupils most of a plan's time).
   * `first`: the rules to look at first, in ascending order (Retraction: those of the cells it
   * set back), the others only once one of their cells narrows; every rule when not given.
   * `trace`: where each pass that narrowed something is written down (Retraction). True when
   * it settled (no rule left to look at); false when it stopped at its limit (a guard).
   */
  propagate(look: Look, first?: ArrayLike<number>, trace?: Trace): boolean {
    const { isKnown, lo, hi } = look;
    const count = this.count;
    // First in, first out, as a ring: a rule is in it at most once at a time (queued), so
    // `count` places hold it. Every rule at first (or those given), in order.
    const { queue, queued, leftLo, rightHi } = this;
    let waiting: number;
    if (first === undefined) {
      for (let r = 0; r < count; r++) queue[r] = r;
      queued.fill(1);
      waiting = count;
    } else {
      queued.fill(0);
      for (let i = 0; i < first.length; i++) {
        queue[i] = first[i];
        queued[first[i]] = 1;
      }
      waiting = first.length;
    }
    let tail = waiting % queue.length;
    const rulesOf = this.rulesOf;
    const narrow = (i: number, l: number, h: number): void => {
      if (isKnown[i]) return;
      let changed = 0;
      if (l > lo[i]) {
        lo[i] = l;
        changed = NARROWED_LO;
      }
      if (h < hi[i]) {
        hi[i] = h;
        changed |= NARROWED_HI;
      }
      if (changed === 0) return;
      trace?.narrowed(i, changed);
      // Indexed loops over the rules and parts, not for…of: a propagation narrows thousands of
      // ranges and looks at thousands of rules, each iterator one more object to collect.
      const rules = rulesOf[i];
      for (let ri = 0; ri < rules.length; ri++) {
        const r = rules[ri];
        if (!queued[r]) {
          queued[r] = 1;
          queue[tail] = r;
          tail = tail + 1 === queue.length ? 0 : tail + 1;
          waiting++;
        }
      }
    };
    const limit = 2000 * (count + 1);
    let looked = 0;
    for (let head = 0; waiting > 0 && looked < limit; looked++) {
      const r = queue[head];
      head = head + 1 === queue.length ? 0 : head + 1;
      waiting--;
      queued[r] = 0;
      trace?.pass(r);
      if (r >= this.linearStart) {
        const { left, leftTimes, right, rightTimes, constant } = this.linear[r - this.linearStart];
        linearPass(left, leftTimes, right, rightTimes, constant, lo, hi, narrow, leftLo, rightHi);
        continue;
      }
      const total = this.totals[r];
      const parts = this.parts[r];
      if (r < this.sumCount) {
        // As inferBounds: the sums without one part from one pass over the parts' ranges as
        // they were, the total narrowed first and read as narrowed, each part read as it is.
        let sumLo = 0;
        let finiteHi = 0;
        let infinite = 0;
        for (let pi = 0; pi < parts.length; pi++) {
          const p = parts[pi];
          sumLo += lo[p];
          if (hi[p] === Number.POSITIVE_INFINITY) infinite++;
          else finiteHi += hi[p];
        }
        narrow(total, sumLo, infinite > 0 ? Number.POSITIVE_INFINITY : finiteHi);
        for (let pi = 0; pi < parts.length; pi++) {
          const p = parts[pi];
          const bLo = lo[p];
          const bHi = hi[p];
          const othersLo = sumLo - bLo;
          const othersHi = bHi === Number.POSITIVE_INFINITY ? (infinite > 1 ? Number.POSITIVE_INFINITY : finiteHi) : infinite > 0 ? Number.POSITIVE_INFINITY : finiteHi - bHi;
          narrow(p, lo[total] - othersHi, hi[total] - othersLo);
        }
      } else {
        const b = parts[0];
        narrow(total, Number.NEGATIVE_INFINITY, hi[b]);
        narrow(b, lo[total], Number.POSITIVE_INFINITY);
      }
    }
    trace?.pass(-1);
    return waiting === 0;
  }
}

/** [total, ...parts] as one array, without a spread's iterator for each rule of each plan. */
function withTotal(total: number, parts: Int32Array): Int32Array {
  const members = new Int32Array(1 + parts.length);
  members[0] = total;
  members.set(parts, 1);
  return members;
}

const NARROWED_LO = 1;
const NARROWED_HI = 2;

/**
 * What a propagation did, step by step (Retraction): each pass of a rule that narrowed
 * something, with the cells it narrowed and which of their bounds; and each cell set back to
 * its start. Kept as numbers: a pass as [rule, n, (cell × 4 + bounds) × n], a cell set back as
 * [−1 − cell].
 */
class Trace {
  ops = new Int32Array(1024);
  length = 0;
  /** Where the open pass's entry starts (its rule, then its count), −1 while none narrowed anything. */
  private open = -1;
  private rule = -1;

  private push(value: number): void {
    if (this.length === this.ops.length) {
      const grown = new Int32Array(this.ops.length * 2);
      grown.set(this.ops);
      this.ops = grown;
    }
    this.ops[this.length++] = value;
  }

  /** A pass of rule `r` begins (−1: the propagation ended). */
  pass(r: number): void {
    this.rule = r;
    this.open = -1;
  }

  /** The pass under way narrowed cell `i`'s bounds (NARROWED_LO, NARROWED_HI). */
  narrowed(i: number, bounds: number): void {
    if (this.open < 0) {
      this.open = this.length;
      this.push(this.rule);
      this.push(0);
    }
    this.push(i * 4 + bounds);
    this.ops[this.open + 1]++;
  }

  /** Cell `i` is set back to its start. */
  setBack(i: number): void {
    this.push(-1 - i);
  }

  /**
   * Empty again, its buffer kept (grown as it was): a look made afresh writes its steps from
   * the start. A new Trace each time grew from 1,024 entries by doubling, every grown buffer
   * one more to collect, up to its fresh length (tens of thousands of steps at 4,500 pupils).
   */
  clear(): void {
    this.length = 0;
    this.open = -1;
    this.rule = -1;
  }
}

/**
 * CompiledRules.propagate for the looks protect takes at one table, one after another: each
 * made from the last, where only the ranges that can depend on the figures whose start changed
 * (withheld or published since, or their words' range) are worked out again: at 4,500 pupils a
 * governor's table takes some 300 looks, each of some 10,000 rule passes from scratch (most of
 * a first build's time), while a round changes a few dozen ranges.
 *
 * The same ranges as propagating afresh. Each pass of a rule narrows its cells by a function
 * of their ranges that narrows no less where they are narrower and keeps every value the
 * rules allow (CompiledRules.distinct), so a propagation ends, in whatever order its rules
 * are looked at, at the widest ranges within the start that no rule narrows (the greatest
 * common fixed point). The last look's steps are kept (Trace); replayed, every step that read
 * a changed figure, or a bound such a step set, is marked, as are the bounds it set. A bound
 * no marked step set was worked out from unchanged figures alone, so it holds every value the
 * rules allow from the new start: those cells keep their ranges; the marked cells (and the
 * changed ones) start again from the start, and the rules of all of them are looked at again,
 * to the same fixed point. The marked steps leave the trace, and the new ones join it; a trace
 * grown to TRACE_GROWTH times its fresh length, or a propagation stopped at its limit (never
 * seen: a guard), is made afresh, as before.
 */
class Retraction {
  private start: Look | undefined;
  private result: Look | undefined;
  private trace = new Trace();
  private freshLength = 0;
  /** Whether the last look was made from the one before (not afresh): for measurement and tests. */
  fromLast = false;
  /** Per look, made once: the cells whose start changed, their marks (replay), each rule's marked cells, the rules to look at again. */
  private readonly changed: Uint8Array;
  private readonly marked: Uint8Array;
  private readonly markedIn: Int32Array;
  private readonly ruleAgain: Uint8Array;
  /** The rules to look at again, in ascending order (the first `count` of them). */
  private readonly first: Int32Array;

  constructor(private readonly rules: CompiledRules) {
    this.changed = new Uint8Array(rules.size);
    this.marked = new Uint8Array(rules.size);
    this.markedIn = new Int32Array(rules.members.length);
    this.ruleAgain = new Uint8Array(rules.members.length);
    this.first = new Int32Array(rules.members.length);
  }

  /**
   * `start` propagated with the rules. Returns the Retraction's own look, good until its next
   * call (which works from it in place); keeps a copy of `start`, which the caller may then
   * change (protect fills one start for every look). No look is made afresh for each call: at
   * 4,500 pupils a pack's plans take some 5,000 looks, each three arrays of every cell twice
   * over, and their collection was a tenth of the time. `only`: every cell whose start can
   * differ from the last call's (the others are not compared); every cell when not given.
   */
  propagate(start: Look, only?: readonly number[]): Look {
    const last = this.start;
    const result = this.result;
    const size = start.isKnown.length;
    if (last && result && this.rules.distinct && this.trace.length <= TRACE_GROWTH * Math.max(1024, this.freshLength)) {
      const changed = this.changed.fill(0);
      let any = false;
      const compared = only ? only.length : size;
      for (let i = 0; i < compared; i++) {
        const k = only ? only[i] : i;
        if (start.isKnown[k] !== last.isKnown[k] || start.lo[k] !== last.lo[k] || start.hi[k] !== last.hi[k]) {
          changed[k] = 1;
          any = true;
        }
      }
      // From the last, unless the propagation below fails and the look is made afresh after all.
      this.fromLast = true;
      if (!any) return result;
      const again = this.replay(changed);
      const ruleAgain = this.ruleAgain.fill(0);
      for (let k = 0; k < size; k++) {
        if (!again[k]) continue;
        result.isKnown[k] = start.isKnown[k];
        result.lo[k] = start.lo[k];
        result.hi[k] = start.hi[k];
        this.trace.setBack(k);
        const rules = this.rules.rulesOfCell(k);
        for (let ri = 0; ri < rules.length; ri++) ruleAgain[rules[ri]] = 1;
      }
      let count = 0;
      for (let r = 0; r < ruleAgain.length; r++) if (ruleAgain[r]) this.first[count++] = r;
      if (this.rules.propagate(result, this.first.subarray(0, count), this.trace)) {
        copyLook(start, last);
        return result;
      }
    }
    this.fromLast = false;
    const fresh = copyLook(start, result ?? this.rules.look());
    this.trace.clear();
    const settled = this.rules.propagate(fresh, undefined, this.trace);
    this.freshLength = this.trace.length;
    this.start = settled ? copyLook(start, last ?? this.rules.look()) : undefined;
    this.result = settled ? fresh : undefined;
    return fresh;
  }

  /**
   * Replays the trace with the cells `changed` (1) marked from the start: returns the cells to
   * work out again (changed, or a bound last set by a marked step), and drops the marked steps
   * from the trace.
   */
  private replay(changed: Uint8Array): Uint8Array {
    const size = changed.length;
    // Each cell's bounds marked (NARROWED_LO, NARROWED_HI), and how many marked cells each rule has.
    const marked = this.marked.fill(0);
    const markedIn = this.markedIn.fill(0);
    const setMark = (k: number, bounds: number) => {
      const was = marked[k] !== 0;
      marked[k] = bounds;
      if (was === (bounds !== 0)) return;
      const rules = this.rules.rulesOfCell(k);
      const step = was ? -1 : 1;
      for (let ri = 0; ri < rules.length; ri++) markedIn[rules[ri]] += step;
    };
    const both = NARROWED_LO | NARROWED_HI;
    for (let k = 0; k < size; k++) if (changed[k]) setMark(k, both);
    const { ops, length } = this.trace;
    let kept = 0;
    for (let at = 0; at < length; ) {
      const op = ops[at];
      if (op < 0) {
        const k = -1 - op;
        setMark(k, changed[k] ? both : 0);
        ops[kept++] = op;
        at++;
        continue;
      }
      const n = ops[at + 1];
      const mark = markedIn[op] > 0;
      for (let j = 0; j < n; j++) {
        const entry = ops[at + 2 + j];
        const cell = entry >> 2;
        const bounds = entry & both;
        if (mark) setMark(cell, marked[cell] | bounds);
        else if (marked[cell] & bounds) setMark(cell, marked[cell] & ~bounds);
      }
      if (!mark) {
        // Moved down entry by entry (kept < at): a pass is a handful of numbers, and
        // copyWithin's call for each was a fifth of the replay (4,500 pupils' first FGB build).
        if (kept !== at) for (let j = 0; j < 2 + n; j++) ops[kept + j] = ops[at + j];
        kept += 2 + n;
      }
      at += 2 + n;
    }
    this.trace.length = kept;
    for (let k = 0; k < size; k++) marked[k] |= changed[k];
    return marked;
  }
}

/**
 * What protect's looks at a table (lookAtTable) write for each cell, by cell number: its value
 * (published, or known to every reader: `isPublic`), and withheld, the range its words give
 * (readerBounds: `primaryLo`/`primaryHi` withheld by the primary rule, `secondaryHi` to
 * protect others, whose least is 0), within its ceiling. Made once per run: a look wrote them
 * from the cells' objects, every cell every look, and reading a cell's number from its object
 * there made a number to collect (at 4,500 pupils 128 MB of a first FGB build's 1.8 GB).
 */
interface LookStarts {
  value: Float64Array;
  isPublic: Uint8Array;
  primaryLo: Float64Array;
  primaryHi: Float64Array;
  secondaryHi: Float64Array;
}

function lookStarts(cells: readonly DisclosureCell[]): LookStarts {
  const n = cells.length;
  const starts: LookStarts = { value: new Float64Array(n), isPublic: new Uint8Array(n), primaryLo: new Float64Array(n), primaryHi: new Float64Array(n), secondaryHi: new Float64Array(n) };
  for (let k = 0; k < n; k++) {
    const cell = cells[k];
    starts.value[k] = cell.value;
    starts.isPublic[k] = cell.public ? 1 : 0;
    const primary = readerBounds(cell, "primary");
    starts.primaryLo[k] = primary.lo;
    starts.primaryHi[k] = primary.hi;
    starts.secondaryHi[k] = readerBounds(cell, "secondary").hi;
  }
  return starts;
}

/** Copies look `from` into `to` (of the same table) and returns `to`. */
function copyLook(from: Look, to: Look): Look {
  to.isKnown.set(from.isKnown);
  to.lo.set(from.lo);
  to.hi.set(from.hi);
  return to;
}

/** How far a Retraction's trace may grow past its fresh length before the look is made afresh. */
const TRACE_GROWTH = 4;

/** One look at a table by cell number (CompiledRules.look, propagate): published or not, and each cell's range. */
interface Look {
  isKnown: Uint8Array;
  lo: Float64Array;
  hi: Float64Array;
}

/** protect's kinds of rule (ruleGivesAway). */
const SUM_RULE = 0;
const AT_MOST_RULE = 1;
const LINEAR_RULE = 2;

const NOT_HIDDEN = 0;
const HIDDEN_PRIMARY = 1;
const HIDDEN_SECONDARY = 2;

/**
 * protect's withheld figures: a map of id to why, which also keeps why by cell number (the
 * cells' order: `byNumber`, NOT_HIDDEN, HIDDEN_PRIMARY or HIDDEN_SECONDARY), so that each look
 * at the table reads an array, not the map (at 4,500 pupils thousands of looks, each over
 * every cell). An id that is no cell is kept in the map alone.
 */
export class HiddenFigures extends Map<string, "primary" | "secondary"> {
  readonly byNumber: Uint8Array;
  private readonly numberOf: ReadonlyMap<string, number>;
  /** Where every `set` is written down while given (protectAfresh's rounds: RoundStarts.hiddenLog). */
  log?: Array<[string, "primary" | "secondary"]>;
  /**
   * The cell numbers set or deleted since the caller last emptied it (protectAfresh's looks:
   * only their cells' starts can differ from the last look's), each as often as changed; null
   * for every cell (none emptied yet, or cleared).
   */
  touched: number[] | null = null;

  constructor(cells: readonly DisclosureCell[]) {
    super();
    this.numberOf = new Map(cells.map((c, k) => [c.id, k]));
    this.byNumber = new Uint8Array(cells.length);
  }

  override set(id: string, why: "primary" | "secondary"): this {
    super.set(id, why);
    this.log?.push([id, why]);
    const k = this.numberOf.get(id);
    if (k !== undefined) {
      this.byNumber[k] = why === "primary" ? HIDDEN_PRIMARY : HIDDEN_SECONDARY;
      this.touched?.push(k);
    }
    return this;
  }

  override delete(id: string): boolean {
    const k = this.numberOf.get(id);
    if (k !== undefined) {
      this.byNumber[k] = NOT_HIDDEN;
      this.touched?.push(k);
    }
    return super.delete(id);
  }

  override clear(): void {
    this.byNumber.fill(NOT_HIDDEN);
    this.touched = null;
    super.clear();
  }
}

/** The withheld cells a reader can work out exactly (their range is one value). */
export function recoverable(known: Map<string, number>, withheld: Map<string, Bounds>, sums: SumRule[], atMost: AtMostRule[] = [], linear: LinearRule[] = []): string[] {
  return [...inferBounds(known, withheld, sums, atMost, linear)].filter(([, b]) => b.lo === b.hi).map(([id]) => id);
}

/**
 * Primary and complementary suppression: which cells to withhold so that none can be worked
 * out. Returns the withheld ids, each "primary" or "secondary". Cells chosen for secondary
 * suppression are the cheapest (cost, then smallest value) visible member of a sum that would
 * otherwise give a withheld cell away; a chosen cell takes its linked cells with it.
 * When every member of such a sum is already withheld, the other side of an at-most rule that
 * gives the cell away is withheld instead. Throws if even that leaves a cell recoverable.
 */
export function protect(cells: DisclosureCell[], sums: SumRule[], atMost: AtMostRule[] = [], options: ProtectOptions = {}): Map<string, "primary" | "secondary"> {
  return protectWithRules(cells, sums, atMost, options).hidden;
}

/**
 * protect, with the rules it compiled (`rules`: the cells first, in their order) when they are
 * every rule given (`complete`: no sum or linear rule left out for a member that is no cell),
 * so that planSuppression's last look (publishWorkedOut) is made on them, not on rules made again.
 */
function protectWithRules(
  cells: DisclosureCell[],
  sums: SumRule[],
  atMost: AtMostRule[],
  options: ProtectOptions,
): { hidden: Map<string, "primary" | "secondary">; rules: CompiledRules; complete: boolean } {
  // This run's inputs (InputList) compared with each kept list in place; copied out only to be kept.
  const base = (list: InputList) => baseInputs(list, cells, sums, atMost);
  const linear = (list: InputList) => linearInputs(list, options.linear);
  const rest = (list: InputList) => restInputs(list, cells, options);
  // The cells and rules as kept (basesByInputs, compiledByRules) where the same: the entries
  // found after them most often hold those very lists, compared by identity.
  const sameBase = basesByInputs.find((kept) => InputList.matches(kept.inputs, base));
  const baseList = sameBase?.inputs;
  const isBase = (list: readonly unknown[]) => list === baseList || InputList.matches(list, base);
  const sameRules = compiledByRules.find((kept) => isBase(kept.base) && InputList.matches(kept.linear, linear));
  const linearList = sameRules?.linear;
  const publicFlags = Uint8Array.from(cells, (c) => (c.public ? 1 : 0));
  const keptRun = lastRuns.find(
    (kept) =>
      InputList.matches(kept.rest, rest) &&
      isBase(kept.base) &&
      (kept.linear === linearList || InputList.matches(kept.linear, linear)),
  );
  const last = keptRun?.last;
  if (keptRun && last && sameRun(last, publicFlags)) {
    lastRuns.use(keptRun);
    const hidden = new HiddenFigures(cells);
    for (const [id, why] of last.hidden) hidden.set(id, why);
    for (const id of last.stuckAdded) options.stuck!.add(id);
    return { hidden, rules: last.rules, complete: last.complete };
  }
  const consulted = new Uint8Array(cells.length);
  const stuckBefore = options.stuck?.size ?? 0;
  // A run on the same table whose changed flags it first read some rounds in: those rounds
  // are the same here, so this run takes up from where they left the last (resumeAt).
  const resume = last ? resumeAt(last, publicFlags) : undefined;
  if (resume) {
    takenUp.runs++;
    takenUp.rounds += resume.round;
  }
  // The same cells, rules and derived figures: the rules compiled for the last such run serve.
  // The same cells, sums and at-most rules (a half term's table, whichever half term): their
  // part of the rules serves (SharedBase).
  const kept = {
    base: baseList ?? InputList.copy(base),
    linear: linearList ?? InputList.copy(linear),
    // Copied before the run, which adds to options.stuck.
    rest: keptRun ? keptRun.rest : InputList.copy(rest),
  };
  const shared = sameBase ? basesByInputs.use(sameBase).shared : basesByInputs.add({ inputs: kept.base, shared: {} }).shared;
  const compiledRules = sameRules ? compiledByRules.use(sameRules).shared : compiledByRules.add({ base: kept.base, linear: kept.linear, shared: { base: shared } }).shared;
  const run = protectAfresh(cells, sums, atMost, options, consulted, compiledRules, resume);
  const made: LastRun = {
    publicFlags,
    consulted,
    hidden: [...run.hidden],
    stuckAdded: options.stuck ? [...options.stuck].slice(stuckBefore) : [],
    rules: run.rules,
    complete: run.complete,
    rounds: run.rounds,
  };
  // Replaced where it stands (a run made again is not moved up: its table's turn is as it was).
  if (keptRun) keptRun.last = made;
  else lastRuns.add({ ...kept, last: made });
  return run;
}

/**
 * protect's last run on a table (lastRuns): the cells every reader knew (DisclosureCell.public,
 * 1 by cell number), which of them the run read that of (`consulted`), and what it gave: the
 * withheld figures in the order withheld, the figures it added to options.stuck, its rules.
 */
interface LastRun {
  publicFlags: Uint8Array;
  consulted: Uint8Array;
  hidden: Array<[string, "primary" | "secondary"]>;
  stuckAdded: string[];
  rules: CompiledRules;
  complete: boolean;
  /** Where each of its rounds began (resumeAt). */
  rounds: RoundStarts;
}

/**
 * What protectAfresh's rounds (its loop, each a look at the table and the figures withheld
 * for what it pins) had done where each began, so that a later run on the same table can take
 * up from one of them (resumeAt) instead of doing them again. Round r began with the first
 * `hiddenAt[r]` entries of `hiddenLog` set (every hidden.set of the rounds, in order: the
 * withheld figures are those of the start (the primary rule's, those never printed) set in
 * that order), the first `stuckAt[r]` of the run's figures added to options.stuck
 * (LastRun.stuckAdded) added, and the first `zerosAt[r]` of `zeros` (zerosByAbsence, in the
 * order found) found. `consultedBy` (by cell number): the first round at whose start the run
 * had read the cell's `public` (`consulted`; read before the rounds: 0), `started` for one
 * first read in the round that ended the run (its last looks: releaseRows, widen), NEVER for
 * one never read. `started`: how many rounds began.
 */
interface RoundStarts {
  consultedBy: Int32Array;
  hiddenLog: Array<[string, "primary" | "secondary"]>;
  hiddenAt: number[];
  stuckAt: number[];
  zeros: number[];
  zerosAt: number[];
  started: number;
}

/** RoundStarts.consultedBy of a cell whose `public` the run never read. */
const NEVER = 0x7fffffff;

/**
 * Where a run on the same table as `last` (restInputs: everything but the cells' `public`),
 * with the cells' flags `publicFlags`, can take up from `last`'s rounds: the latest round that
 * began before `last` read the flag of any cell whose flag differs. The run is a deterministic
 * function of its inputs that reads a cell's flag only where it marks it consulted (lastRuns),
 * so the rounds before that one read the same values as `last`'s did, took the same steps and
 * left the same withheld figures, stuck figures and zeros (RoundStarts): the run is the same
 * taken up from there. Session 40, 4,500 pupils' FGB pack planned afresh: a term's and the
 * year's 3,726-cell tables planned again round after round of forcedRows with a few sessions
 * known or no longer, most first read in their last four of some 110 rounds.
 * Undefined where that is the first round (nothing to take up).
 */
function resumeAt(last: LastRun, publicFlags: Uint8Array): { round: number; last: LastRun } | undefined {
  if (last.publicFlags.length !== publicFlags.length) return undefined;
  const { consultedBy, started } = last.rounds;
  let round = started - 1;
  for (let k = 0; k < publicFlags.length && round > 0; k++) if (publicFlags[k] !== last.publicFlags[k]) round = Math.min(round, consultedBy[k] - 1);
  return round > 0 ? { round, last } : undefined;
}

/**
 * The rules protectAfresh compiled, kept for the next run on the same cell ids in order, rules
 * and derived figures (baseInputs and linearInputs, the key of compiledByRules), which numbers them alike:
 * `all`, and `apart` without the figures derived from others, made when first needed. A
 * CompiledRules keeps no state from one look to the next but its buffers, filled afresh by
 * each propagation. A half term planned again with more rows forced (forcedRows) has the same.
 */
interface SharedRules {
  all?: CompiledRules;
  apart?: CompiledRules;
  /** protectAfresh's index of the rules by cell (indexRules). */
  index?: RuleIndex;
  /**
   * The looks at what the words printed for withheld figures give alone (wordsAlone), with
   * `all` and with `apart`, each made from the last such look on these rules, of this run or
   * an earlier one (Retraction: the same ranges as afresh).
   */
  words?: WordsLooks;
  /** Their part of the same cells, sums and at-most rules, shared with every run on those (whatever its linear rules). */
  base: SharedBase;
}

/**
 * wordsAlone's looks on one set of rules (SharedRules.words). Each was a propagation from
 * scratch: at 4,500 pupils a first build of the FGB pack took 231 of them over 3,726 cells
 * (each run's first round, each round whose small figure's words went); the words change
 * between them by a few figures (a row forced, a small figure's words gone), so made from the
 * last look as protect's own looks are.
 */
interface WordsLooks {
  all: WordsLook;
  apart?: WordsLook;
}

/** One of wordsAlone's Retractions and the start it fills in (a look of its rules' size). */
interface WordsLook {
  start: Look;
  retraction: Retraction;
}

/** A WordsLook of `rules`. */
const wordsLookOf = (rules: CompiledRules): WordsLook => ({ start: rules.look(), retraction: new Retraction(rules) });

/**
 * What protectAfresh compiled of the cells' ids in order, which are derived from others, the
 * sums and the at-most rules (baseInputs, the key of basesByInputs): the RulesBase of
 * `all` and `apart`, and the BaseIndex. At 4,500 pupils every half term's 2,724-cell table has
 * the same, with its own linear rules (3,172-3,418).
 */
interface SharedBase {
  all?: RulesBase;
  apart?: RulesBase;
  index?: BaseIndex;
}

/**
 * protect's last run by everything it is a function of but the cells' `public` (InputList): a
 * governor's period is planned again round after round (governor-lattice.ts forcedRows, at
 * 4,500 pupils seven times for each of the term's and the year's 3,726-cell tables) with only a
 * few cells known to every reader or no longer (their sessions, from the half terms). The run
 * is a deterministic function of its inputs that reads a cell's `public` only at the places
 * that mark it `consulted` (protectAfresh); so a run whose inputs differ from the last only in
 * cells it never read that of would read the same values at every step, take the same steps,
 * and give the same figures, reasons and stuck figures: the last run's are given (sameRun).
 * Where the run read such a cell only some rounds in, the rounds before are the same: it is
 * taken up from there (resumeAt, RoundStarts). Bounded: the least recently used goes first.
 * Emptied by forgetProtectRuns.
 */
// 16, not 8: at 4,500 pupils a first build of the FGB pack plans a term and the year to date
// again after six or more other runs (each forcedRows round's half term, its pupils-absent
// tables), which evicted their last runs: two plans made afresh (0.3-0.4 s each) that a kept
// run gives (session 40; every plan the same).
const LAST_RUNS_MAX = 16;

/**
 * Up to LAST_RUNS_MAX entries, the least recently used first: found by a full comparison of
 * their inputs (InputList.matches) against each, never by a hash alone. 16 entries, each compared
 * until its first difference (most often a cell's value, the first number).
 */
class KeptByInputs<T> {
  private entries: T[] = [];
  find(same: (entry: T) => boolean): T | undefined {
    return this.entries.find(same);
  }
  /** `entry`, now the most recently used. */
  use(entry: T): T {
    this.entries.splice(this.entries.indexOf(entry), 1);
    this.entries.push(entry);
    return entry;
  }
  /** Adds `entry` as the most recently used, the least recently used going when full. */
  add(entry: T): T {
    if (this.entries.length >= LAST_RUNS_MAX) this.entries.shift();
    this.entries.push(entry);
    return entry;
  }
  clear(): void {
    this.entries = [];
  }
}

const lastRuns = new KeptByInputs<{ base: readonly unknown[]; linear: readonly unknown[]; rest: readonly unknown[]; last: LastRun }>();
/** The rules compiled by the last runs (SharedRules), by baseInputs and linearInputs; bounded as lastRuns. */
const compiledByRules = new KeptByInputs<{ base: readonly unknown[]; linear: readonly unknown[]; shared: SharedRules }>();
/** Their part of the cells, sums and at-most rules (SharedBase), by baseInputs; bounded as lastRuns. */
const basesByInputs = new KeptByInputs<{ inputs: readonly unknown[]; shared: SharedBase }>();

/** Forgets protect's last runs (lastRuns): for a first build planned afresh (governor-lattice.ts forgetKeptPlans) and tests. */
export function forgetProtectRuns(): void {
  lastRuns.clear();
  compiledByRules.clear();
  basesByInputs.clear();
}

/** Runs taken up from a last run's round (resumeAt) and the rounds they did not do again, since the process began. */
const takenUp = { runs: 0, rounds: 0 };

/** How many runs protect took up from a last run's round (resumeAt), and how many rounds those did not do again, since the process began: for tests and measurement. */
export function runsTakenUp(): { runs: number; rounds: number } {
  return { ...takenUp };
}

/** Whether the cells whose `public` differs from the last run's are all cells that run never read that of. */
function sameRun(last: LastRun, publicFlags: Uint8Array): boolean {
  if (last.publicFlags.length !== publicFlags.length) return false;
  for (let k = 0; k < publicFlags.length; k++) if (publicFlags[k] !== last.publicFlags[k] && last.consulted[k] === 1) return false;
  return true;
}

/**
 * Everything protect's run is a function of but the cells' `public` (lastRuns), as three flat
 * lists of the values themselves (strings, numbers, booleans, undefined for a field not
 * given), each led by its parts' lengths so that two lists are equal exactly when their inputs
 * are: `base` (baseInputs: the cells' ids in order, which are derived from others and from
 * what, the sums and at-most rules: basesByInputs), `linear` (linearInputs: the linear rules
 * given, or none given: compiledByRules with `base`), and `rest` (restInputs: every other field
 * of every cell in order, the options, the stuck figures given in their order). A run's inputs
 * are compared with a kept list in place (InputList.matches) and copied out only to be kept:
 * copies, not the caller's objects, which a caller may change after the run. Session 41's key
 * was these as one JSON string (~1.6 MB for a 3,726-cell table; ~0.6 s of a 4,500-pupil first
 * build in making and hashing it).
 */
class InputList {
  readonly values: unknown[] = [];
  private at = 0;
  /** False once a value put differed from the list's (nothing more is compared). */
  same = true;

  private constructor(private readonly against?: readonly unknown[]) {}

  /** Whether `walk` puts exactly the values of `list`, in order (NaN equal to NaN; a missing field only to one missing). */
  static matches(list: readonly unknown[], walk: (list: InputList) => void): boolean {
    const check = new InputList(list);
    walk(check);
    return check.same && check.at === list.length;
  }

  /** The values `walk` puts, copied out. */
  static copy(walk: (list: InputList) => void): readonly unknown[] {
    const out = new InputList();
    walk(out);
    return out.values;
  }

  /** A list of ids led by its length, or -1 for none given. */
  putIds(ids: readonly string[] | undefined): void {
    if (ids === undefined) {
      this.put(-1);
      return;
    }
    this.put(ids.length);
    for (const id of ids) this.put(id);
  }

  /** A linear rule's side: each term's cell and coefficient. */
  putTerms(side: readonly Term[]): void {
    for (const t of side) {
      this.put(t.id);
      this.put(t.times);
    }
  }

  put(x: unknown): void {
    const against = this.against;
    if (against === undefined) this.values.push(x);
    else if (this.same) {
      const y = against[this.at++];
      if (x !== y && !(x !== x && y !== y)) this.same = false;
    }
  }
}

function baseInputs(list: InputList, cells: readonly DisclosureCell[], sums: readonly SumRule[], atMost: readonly AtMostRule[]): void {
  list.put(cells.length);
  list.put(sums.length);
  list.put(atMost.length);
  for (const c of cells) {
    if (!list.same) return;
    list.put(c.id);
    list.putIds(c.derivedFrom);
  }
  for (const r of sums) {
    if (!list.same) return;
    list.put(r.total);
    list.putIds(r.parts);
  }
  for (const r of atMost) {
    if (!list.same) return;
    list.put(r.a);
    list.put(r.b);
  }
}

function linearInputs(list: InputList, linear: readonly LinearRule[] | undefined): void {
  list.put(linear === undefined ? -1 : linear.length);
  for (const r of linear ?? []) {
    if (!list.same) return;
    list.put(r.left.length);
    list.put(r.right.length);
    list.put(r.constant);
    list.putTerms(r.left);
    list.putTerms(r.right);
  }
}

function restInputs(list: InputList, cells: readonly DisclosureCell[], options: ProtectOptions): void {
  list.put(cells.length);
  list.put(options.focused);
  list.put(options.secondaryWidth);
  for (const c of cells) {
    if (!list.same) return;
    list.put(c.value);
    list.put(c.cost);
    list.put(c.unpublished);
    list.put(c.unprinted);
    list.put(c.ceiling);
    const { primary } = c;
    list.put(primary !== undefined);
    if (primary !== undefined) {
      list.put(primary.lo);
      list.put(primary.hi);
    }
    list.putIds(c.linked);
  }
  const stuck = options.stuck;
  list.put(stuck === undefined ? -1 : stuck.size);
  for (const id of stuck ?? []) list.put(id);
}

/**
 * protectAfresh's rules by cell and by number, a function of the cells' ids and the rules given
 * alone (baseInputs and linearInputs), so made once for every run with the same (SharedRules: a governor's
 * period planned round after round, some 10,000 rules a table); its sums' and at-most rules'
 * part (BaseIndex) once for every run with the same cells, sums and at-most rules (SharedBase:
 * every half term's table). Never changed by a run.
 */
interface RuleIndex {
  /** The sums and linear rules whose members are all cells. */
  usable: SumRule[];
  linear: LinearRule[];
  /** The usable sums each cell is a member of. */
  sumsOf: Map<string, SumRule[]>;
  /** Every rule's members, by cell, as in ruleMembers. */
  rulesOfCell: Map<string, string[][]>;
  /** The linear rules, by their members' list in ruleMembers. */
  linearOf: Map<string[], LinearRule>;
  /** Every rule's members, numbered: the usable sums, the at-most pairs, the linear rules. */
  ruleMembers: string[][];
  /** The linear rules' numbers, by their members' list. */
  ruleNumber: Map<string[], number>;
  /** By rule number: SUM_RULE, AT_MOST_RULE or LINEAR_RULE. */
  ruleKinds: number[];
}

/** RuleIndex's part that is a function of the cells' ids, the sums and the at-most rules alone (the sums' and at-most rules' numbers come first). */
interface BaseIndex {
  usable: SumRule[];
  sumsOf: Map<string, SumRule[]>;
  rulesOfCell: Map<string, string[][]>;
  ruleMembers: string[][];
  ruleKinds: number[];
}

function indexBase(byId: ReadonlyMap<string, unknown>, sums: readonly SumRule[], atMost: readonly AtMostRule[]): BaseIndex {
  // Only sums whose members are all cells (a figure not published is no help to a reader).
  const usable = sums.filter((r) => byId.has(r.total) && r.parts.every((p) => byId.has(p)));
  const sumsOf = new Map<string, SumRule[]>();
  // Every rule's members, by cell: the sums, and the at-most pairs.
  const rulesOfCell = new Map<string, string[][]>();
  for (const rule of usable) {
    for (const id of [rule.total, ...rule.parts]) {
      const list = sumsOf.get(id) ?? [];
      list.push(rule);
      sumsOf.set(id, list);
    }
  }
  // The at-most pairs among them ([a, b]: a ≤ b), told apart from sums (atMostGivesAway).
  const pairs = new WeakSet<string[]>();
  const atMostKeys = new Set(atMost.map((r) => `${r.a}\u0000${r.b}`));
  // Every rule's members, numbered in this order (focusedChoice's walks); the linear rules after.
  const ruleMembers = [...usable.map((r) => [r.total, ...r.parts]), ...atMost.map((r) => [r.a, r.b])];
  for (const members of ruleMembers) {
    if (members.length === 2 && atMostKeys.has(`${members[0]}\u0000${members[1]}`)) pairs.add(members);
    for (const id of members) {
      const list = rulesOfCell.get(id) ?? [];
      list.push(members);
      rulesOfCell.set(id, list);
    }
  }
  // Whether a rule narrows one of its withheld members as far as it goes (an at-most pair,
  // a linear rule), or is a sum (always looked at): a rule that narrows nothing is no way
  // to a recovered figure, and withholding its published members would hide them for nothing.
  // By rule number (rule r of ruleMembers is rule r of the compiled rules), on a look.
  const ruleKinds = ruleMembers.map((members) => (pairs.has(members) ? AT_MOST_RULE : SUM_RULE));
  return { usable, sumsOf, rulesOfCell, ruleMembers, ruleKinds };
}

/** RuleIndex: `base` (indexBase of the same cells), and the linear rules `given` whose members are all cells, numbered after its rules. */
function indexRules(base: BaseIndex, byId: ReadonlyMap<string, unknown>, given: readonly LinearRule[]): RuleIndex {
  const allCells = (side: readonly Term[]) => side.every((t) => byId.has(t.id));
  const linear = given.filter((r) => allCells(r.left) && allCells(r.right));
  // The linear rules among them, by their members' list (ruleGivesAway).
  const linearOf = new Map<string[], LinearRule>();
  const ruleNumber = new Map<string[], number>();
  const ruleMembers = base.ruleMembers.slice();
  const ruleKinds = base.ruleKinds.slice();
  // The base's lists by cell, each copied when a linear rule first joins it.
  const rulesOfCell = new Map(base.rulesOfCell);
  const copied = new Set<string>();
  for (const rule of linear) {
    // Each id once, left then right as first met (a rule names a handful of cells).
    const members: string[] = [];
    for (const side of [rule.left, rule.right]) for (const t of side) if (!members.includes(t.id)) members.push(t.id);
    linearOf.set(members, rule);
    ruleNumber.set(members, ruleMembers.length);
    ruleMembers.push(members);
    ruleKinds.push(LINEAR_RULE);
    for (const id of members) {
      let list = rulesOfCell.get(id);
      if (list === undefined) rulesOfCell.set(id, (list = []));
      else if (!copied.has(id)) rulesOfCell.set(id, (list = list.slice()));
      copied.add(id);
      list.push(members);
    }
  }
  return { usable: base.usable, linear, sumsOf: base.sumsOf, rulesOfCell, linearOf, ruleMembers, ruleNumber, ruleKinds };
}

/**
 * protectWithRules without its last runs: `consulted` (by cell number) is set for every cell
 * whose `public` the run reads, or may read (lastRuns: a cell marked that was not read only
 * plans afresh once more). `resume`: a round of a last run on the same table to take up from
 * (resumeAt), its rounds before it not done again. Returns, besides the figures, where each
 * round began (RoundStarts).
 */
function protectAfresh(
  cells: DisclosureCell[],
  sums: SumRule[],
  atMost: AtMostRule[],
  options: ProtectOptions,
  consulted: Uint8Array,
  compiledRules: SharedRules,
  resume?: { round: number; last: LastRun },
): { hidden: HiddenFigures; rules: CompiledRules; complete: boolean; rounds: RoundStarts } {
  const stuckBefore = options.stuck?.size ?? 0;
  const byId = new Map(cells.map((c) => [c.id, c]));
  const hidden = new HiddenFigures(cells);
  const hide = (id: string, why: "primary" | "secondary") => {
    if (hidden.has(id) || !byId.has(id)) return;
    hidden.set(id, why);
    for (const other of byId.get(id)!.linked ?? []) hide(other, why);
  };
  for (const cell of cells) if (cell.primary) hide(cell.id, "primary");
  for (const cell of cells) if ((cell.unpublished || cell.unprinted || cell.derivedFrom) && !hidden.has(cell.id)) hidden.set(cell.id, "secondary");
  // The rules' index by cell (RuleIndex), made once for the same cells and rules (SharedRules).
  const { usable, linear, sumsOf, rulesOfCell, linearOf, ruleMembers, ruleNumber, ruleKinds } = (compiledRules.index ??= indexRules(
    (compiledRules.base.index ??= indexBase(byId, sums, atMost)),
    byId,
    options.linear ?? [],
  ));
  const ruleGivesAway = (r: number, look: Look): boolean => {
    if (ruleKinds[r] === LINEAR_RULE) return compiled.linearGivesAway(r, look);
    if (ruleKinds[r] === SUM_RULE) return true;
    const [a, b] = walks!.members[r];
    return atMostGivesAway(a, b, look, cells.length);
  };
  // A cell taking more cells with it (a group's whole row) costs more to withhold.
  const rowSize = (id: string) => (options.focused ? (byId.get(id)!.linked?.length ?? 0) : 0);
  // Figures every reader knows (DisclosureCell.public): withholding one protects nothing.
  const read = (id: string) => {
    const k = compiled.index.get(id);
    if (k !== undefined && k < cells.length) consulted[k] = 1;
  };
  const byCost = (a: string, b: string) => (byId.get(a)!.cost ?? 0) - (byId.get(b)!.cost ?? 0) || rowSize(a) - rowSize(b) || byId.get(a)!.value - byId.get(b)!.value || a.localeCompare(b);
  const cheapest = (ids: string[]): string | undefined => {
    const shown = ids.filter((id) => !hidden.has(id));
    const pick = shown.filter((id) => !byId.get(id)?.public).sort(byCost)[0];
    // The choice reads `public` (lastRuns) of the figure chosen, and of each known to every
    // reader that would come first (or as early) were it not: of no other can it change the choice.
    for (const id of shown) if (id === pick || (byId.get(id)?.public && (pick === undefined || byCost(id, pick) <= 0))) read(id);
    return pick;
  };
  const compiled = (compiledRules.all ??= new CompiledRules((compiledRules.base.all ??= new RulesBase(cells.map((c) => c.id), usable, atMost)), linear));
  const starts: RoundStarts = { consultedBy: new Int32Array(cells.length).fill(NEVER), hiddenLog: [], hiddenAt: [], stuckAt: [], zeros: [], zerosAt: [], started: 0 };
  const done = () => {
    hidden.log = undefined;
    for (let k = 0; k < cells.length; k++) if (consulted[k] === 1 && starts.consultedBy[k] === NEVER) starts.consultedBy[k] = starts.started;
    starts.zeros = [...zerosByAbsence];
    return { hidden, rules: compiled, complete: usable.length === sums.length && linear.length === (options.linear ?? []).length, rounds: starts };
  };
  // The least cost any figure has: a walk that meets one need look no further (focusedChoice).
  let leastCost = Number.POSITIVE_INFINITY;
  for (const c of cells) leastCost = Math.min(leastCost, c.cost ?? 0);
  // The cells are the compiled rules' first numbers, in their order (each id once).
  if (byId.size !== cells.length) throw new Error("protect: a cell id is given twice");
  const walks = options.focused ? walkingRules(compiled, cells, ruleMembers, (members) => linearOf.has(members), (c) => [c.cost ?? 0, rowSize(c.id), c.value], consulted) : undefined;
  /**
   * A look at the table with `hidden` as it is: published figures (and those every reader
   * knows) known, the others from their words (readerBounds), propagated (compiled.propagate).
   * `known` and `inferred` read it by id as the maps of published values and of the withheld
   * figures' ranges (inferBounds) did.
   */
  // The rules without the figures derived from others (DisclosureCell.derivedFrom), made when
  // first needed: what a reader works out with each group's possible and attended sessions
  // apart (pinnedIn). The same cells, numbered alike (every rule's member is a cell).
  const derived = cells.some((c) => c.derivedFrom);
  const noDerived = (ids: readonly string[]) => ids.every((id) => !byId.get(id)!.derivedFrom);
  const plainRules = () =>
    (compiledRules.apart ??= new CompiledRules(
      (compiledRules.base.apart ??= new RulesBase(
        cells.map((c) => c.id),
        usable.filter((r) => noDerived([r.total, ...r.parts])),
        atMost,
      )),
      linear.filter((r) => noDerived([...r.left, ...r.right].map((t) => t.id))),
    ));
  /**
   * `apart`: with figures derived from others, the look with the rules without them
   * (plainRules): the rounds need both (pinnedIn) where a small group's count of 0 is pinned.
   * Each is made from the last look of its rules (Retraction), to the same ranges as afresh.
   */
  const retraction = new Retraction(compiled);
  let retractionApart: Retraction | undefined;
  // Every look's start, filled afresh (the Retractions keep copies of the last): the cells are
  // written each time; any other rule member stays unknown, [0, ∞), as compiled.look() made it.
  const start = compiled.look();
  // Which look `start` holds (the look apart is made from it: only while it is the last).
  let looks = 0;
  // The cells' figures as lookAtTable writes them (LookStarts), read from arrays.
  const startOf = lookStarts(cells);
  const lookAtTable = (): { look: Look; known: KnownFigures; inferred: InferredRanges; apart?: () => Look } => {
    const made = ++looks;
    const byNumber = hidden.byNumber;
    const { isKnown, lo, hi } = start;
    // Only the cells withheld or published again since the last look (HiddenFigures.touched):
    // the others' starts are as that look wrote them, and it marked those withheld consulted.
    const touched = hidden.touched;
    const count = touched ? touched.length : cells.length;
    for (let i = 0; i < count; i++) {
      const k = touched ? touched[i] : i;
      const why = byNumber[k];
      if (why !== NOT_HIDDEN) consulted[k] = 1;
      if (why === NOT_HIDDEN || startOf.isPublic[k] === 1) {
        isKnown[k] = 1;
        lo[k] = startOf.value[k];
        hi[k] = startOf.value[k];
      } else {
        // readerBounds, without making its object.
        isKnown[k] = 0;
        lo[k] = why === HIDDEN_PRIMARY ? startOf.primaryLo[k] : UNBOUNDED.lo;
        hi[k] = why === HIDDEN_PRIMARY ? startOf.primaryHi[k] : startOf.secondaryHi[k];
      }
    }
    // The Retraction's last look was made from the last start (this run's: the first look of a
    // run writes every cell), so the touched cells are the only ones whose start can differ.
    const look = retraction.propagate(start, touched ?? undefined);
    hidden.touched = [];
    if (derived) {
      // Made only when asked (pinnedIn, for a pinned count of 0): most looks never need it, and
      // it is a second propagation over the table. Its Retraction works from the last look it
      // made, to the same ranges as afresh, however many looks it missed.
      let apart: Look | undefined;
      const lookApart = (): Look => {
        if (apart) return apart;
        if (made !== looks) throw new Error("protect: a look apart asked of an earlier look");
        const rulesApart = plainRules();
        if (rulesApart.size !== compiled.size) throw new Error("protect: the rules apart number the cells otherwise");
        retractionApart ??= new Retraction(rulesApart);
        return (apart = retractionApart.propagate(start));
      };
      return { look, apart: lookApart, ...lookViews(compiled.index, cells.length, look) };
    }
    return { look, ...lookViews(compiled.index, cells.length, look) };
  };
  /**
   * The figures pinned in `look` that must stay unknown, by cell number in the cells' order:
   * every withheld one, or (`primaryOnly`) those withheld by the primary rule; never a figure
   * derived from others, nor one no withholding protects (options.stuck). But not a count of 0
   * whose words allow 0 (a small group's count) that only its absent sessions, worked out by
   * subtraction as a figure of their own, pin: they say that no pupil of the group missed enough
   * to be counted, because the groups around it missed too few sessions between them (the
   * school's 6 missed sessions over a term leave no room for a severely absent pupil of 4A,
   * who would miss 10), which withholding the school's own sessions alone would hide: such a 0
   * is protected as before, by the figures' ranges apart. `zeros`: cell numbers so found
   * (ranges only widen as more is withheld, so they stay so while the rounds go on), kept
   * from look to look. The rounds' test and releaseRows'.
   */
  const zeroOfRange = (look: Look, k: number) => derived && look.hi[k] === 0 && cells[k].primary?.lo === 0;
  const pinnedIn = ({ look, apart: lookApart }: { look: Look; apart?: () => Look }, primaryOnly: boolean, zeros?: Set<number>): number[] => {
    const pinned: number[] = [];
    const zero: number[] = [];
    for (let k = 0; k < cells.length; k++) {
      if (look.isKnown[k] || look.lo[k] !== look.hi[k]) continue;
      const cell = cells[k];
      if ((primaryOnly && cell.primary === undefined) || cell.derivedFrom || options.stuck?.has(cell.id) || zeros?.has(k)) continue;
      if (zeroOfRange(look, k)) zero.push(k);
      pinned.push(k);
    }
    if (zero.length === 0) return pinned;
    const apart = lookApart!();
    const byAbsence = new Set(zero.filter((k) => apart!.lo[k] !== apart!.hi[k]));
    for (const k of byAbsence) zeros?.add(k);
    return pinned.filter((k) => !byAbsence.has(k));
  };
  const zerosByAbsence = new Set<number>();
  /**
   * options.secondaryWidth: the figures withheld to protect others (in the cells' order, by
   * number) that `look` narrows to fewer values than that, though not to one (a figure worked
   * out exactly is published: publishWorkedOut): never one withheld as small (primary), never
   * printed, derived, known to every reader, or one already found that nothing widens.
   */
  const width = options.focused ? (options.secondaryWidth ?? 0) : 0;
  // The counts that nothing widens (left as they are), each looked at once.
  const narrowStuck = new Set<string>();
  // A count secondaryWidth holds to its width (widen and releaseWidened alike): a count of pupils
  // alone (a row's figures go with its pupils: `linked`), printed, not withheld as small, not
  // derived, not known to every reader.
  const widthEligible = (cell: DisclosureCell): boolean =>
    cell.linked?.length === 0 && !cell.primary && !cell.unpublished && !cell.unprinted && !cell.derivedFrom && !cell.public;
  const narrowedIn = (look: Look): number[] => {
    const narrowed: number[] = [];
    if (width <= 2) return narrowed;
    for (let k = 0; k < cells.length; k++) {
      if (look.isKnown[k] || hidden.byNumber[k] !== HIDDEN_SECONDARY) continue;
      const values = look.hi[k] - look.lo[k] + 1;
      if (values < 2 || values >= width) continue;
      const cell = cells[k];
      consulted[k] = 1;
      if (!widthEligible(cell) || narrowStuck.has(cell.id)) continue;
      narrowed.push(k);
    }
    return narrowed;
  };
  /**
   * Widens the narrowed figures of `table` (narrowedIn): for each, the cheapest of the nearest
   * published counts along its sums (within WIDEN_STEPS, through withheld figures; below the
   * whole school's own: RELEASE_WORDS_MIN_COST), withheld.
   * A figure with none is left as it is (narrowStuck). True when something changed.
   */
  // The counts widen withheld, in its order (releaseWidened).
  const widened: string[] = [];
  const widen = (table: ReturnType<typeof lookAtTable>): boolean => {
    const narrowed = narrowedIn(table.look);
    if (narrowed.length === 0) return false;
    const w = walks!;
    let changed = false;
    for (const k of narrowed) {
      const id = cells[k].id;
      // The nearest published counts along its sums, through withheld ones (WBRI's persistently
      // absent pupils are the school's less every other ethnic group's: WOTH's, published, is
      // one sum away; a small group's rest two), the cheapest of the nearest.
      // By cell number, over the walks' rules (the sums are their first), without a set of ids
      // and a list of each sum's members for every step of every narrowed figure.
      let pick: string | undefined;
      const stamp = ++w.stamp;
      w.seen[k] = stamp;
      let frontier = [k];
      for (let step = 0; step < WIDEN_STEPS && !pick && frontier.length > 0; step++) {
        const candidates: string[] = [];
        const next: number[] = [];
        for (let fi = 0; fi < frontier.length; fi++) {
          const rulesOfFrom = w.rulesOf[frontier[fi]];
          for (let ri = 0; ri < rulesOfFrom.length; ri++) {
            const r = rulesOfFrom[ri];
            if (r >= usable.length) continue;
            const members = w.members[r];
            for (let mi = 0; mi < members.length; mi++) {
              const m = members[mi];
              if (w.seen[m] === stamp) continue;
              w.seen[m] = stamp;
              const cell = cells[m];
              if (m < cells.length) consulted[m] = 1;
              if (hidden.byNumber[m] !== NOT_HIDDEN || w.fixed[m] === 1) next.push(m);
              else if ((cell.cost ?? 0) < RELEASE_WORDS_MIN_COST && cell.linked?.length === 0) candidates.push(cell.id);
            }
          }
        }
        pick = cheapest(candidates);
        frontier = next;
      }
      if (pick) {
        hide(pick, "secondary");
        widened.push(pick);
        changed = true;
        continue;
      }
      narrowStuck.add(id);
      changed = true;
    }
    return changed;
  };
  // What the words printed for withheld figures give alone (wordsAlone), kept from round to
  // round until a small figure's words go (printWithoutRange, withoutWords): a figure withheld
  // to protect others reads as a published one does there (no range but its ceiling), so
  // withholding one more changes nothing of it.
  // `apart`: the same with the rules without derived figures, made when first needed (a count of
  // 0 pinned only by absent sessions is no reason for its words to go: pinnedIn).
  let words: { all: Look; apart?: Look } | undefined;
  // Every figure the rounds withhold is written down (RoundStarts), after those of the start.
  hidden.log = starts.hiddenLog;
  let firstRound = 0;
  if (resume) {
    // The last run's rounds before `resume.round`, as they left it (resumeAt): their withheld
    // figures set again in order, their stuck figures and zeros, the cells whose flag they read.
    // `words` is made again when needed: a function of the figures withheld by the primary
    // rule, which those rounds' sets leave as they left them.
    const { round, last } = resume;
    const before = last.rounds;
    for (let i = 0; i < before.hiddenAt[round]; i++) hidden.set(before.hiddenLog[i][0], before.hiddenLog[i][1]);
    for (let i = 0; i < before.stuckAt[round]; i++) options.stuck!.add(last.stuckAdded[i]);
    for (let i = 0; i < before.zerosAt[round]; i++) zerosByAbsence.add(before.zeros[i]);
    for (let k = 0; k < cells.length; k++) {
      if (before.consultedBy[k] > round) continue;
      consulted[k] = 1;
      starts.consultedBy[k] = before.consultedBy[k];
    }
    starts.hiddenAt.push(...before.hiddenAt.slice(0, round));
    starts.stuckAt.push(...before.stuckAt.slice(0, round));
    starts.zerosAt.push(...before.zerosAt.slice(0, round));
    firstRound = round;
  }
  for (let round = firstRound; round < 10_000; round++) {
    // Where this round begins (RoundStarts).
    for (let k = 0; k < cells.length; k++) if (consulted[k] === 1 && starts.consultedBy[k] === NEVER) starts.consultedBy[k] = round;
    starts.hiddenAt.push(starts.hiddenLog.length);
    starts.stuckAt.push((options.stuck?.size ?? 0) - stuckBefore);
    starts.zerosAt.push(zerosByAbsence.size);
    starts.started = round + 1;
    const table = lookAtTable();
    const { look } = table;
    // Focused: only the figures withheld by the primary rule must stay unknown; a figure
    // withheld to protect them may be worked out (it is no small group, and what it gives away
    // is already in the ranges of the others). In the cells' order.
    const recovered = new Set<string>(pinnedIn(table, options.focused === true, zerosByAbsence).map((k) => cells[k].id));
    if (recovered.size === 0) {
      if (options.focused) {
        releaseRows();
        // Then the counts withheld to protect others that a reader narrows (secondaryWidth):
        // more counts withheld beside them, rows and small figures as they are (withholding
        // more only widens ranges, so no figure is then worked out that was not before).
        for (let pass = 0; pass < cells.length && widen(lookAtTable()); pass++);
        releaseWidened();
      }
      return done();
    }
    // A figure pinned by the words printed for withheld figures alone (the school's "fewer than
    // 5" severely absent beside four year groups' "fewer than 5": each year 1, the school 4)
    // stays pinned whatever else is withheld: withholding published figures for it only spreads
    // (through "severely ≤ persistently ≤ pupils" to whole rows, and on to every row of a large
    // school). Its words go instead (below).
    // Its look is the words' Retraction's own (good until that Retraction's next look): `words`
    // goes before another is taken (words = undefined), and `apart` has a Retraction of its own.
    const wordsLooks = (compiledRules.words ??= { all: wordsLookOf(compiled) });
    words ??= { all: wordsAlone(cells, hidden, wordsLooks.all) };
    const byWords = new Set(
      [...recovered].filter((id) => {
        const k = compiled.index.get(id)!;
        if (words!.all.lo[k] !== words!.all.hi[k]) return false;
        if (!zeroOfRange(words!.all, k)) return true;
        words!.apart ??= wordsAlone(cells, hidden, (wordsLooks.apart ??= wordsLookOf(plainRules())));
        return words!.apart.lo[k] === words!.apart.hi[k];
      }),
    );
    if (byWords.size > 0) {
      printWithoutRange(byWords);
      continue;
    }
    let choice: string | undefined;
    if (options.focused) {
      // One figure for each recovered one (up to a batch) before looking again: a large
      // table needs hundreds, and each look is a propagation over the whole table.
      const batch = new Set<string>();
      // What a rule gives away and whether its members are all pinned are facts of this look
      // at the table, the same for every walk of the batch: worked out once.
      const gives = new Int8Array(ruleMembers.length).fill(-1);
      const givesAway = (r: number) => {
        if (gives[r] < 0) gives[r] = ruleGivesAway(r, look) ? 1 : 0;
        return gives[r] === 1;
      };
      const settled = new Int8Array(ruleMembers.length).fill(-1);
      newLookForWalks(walks!);
      // The strict walk follows a linear rule from a recovered figure only (to the sessions
      // beside it), not from a figure it reached: every withheld count its sessions pin would
      // otherwise lead it on to that group's sums, where it takes the cheapest figure met at
      // any step (at 4,500 pupils, rounds of one rest-of-year row each, to protect the leavers'
      // counts that the rows' sums, not their sessions, pin). The loose walk, nearest first,
      // follows one from a figure it reached where the rule pins that figure (a leaver's count
      // pinned by Year 3's withheld count that Year 3's sessions pin: Year 3's sessions).
      const pinsFrom = (r: number, cell: number) => compiled.linearGivesAway(r, look, cell);
      for (const id of [...recovered].slice(0, FOCUSED_BATCH)) {
        const one = focusedChoice(walks!, compiled.index.get(id)!, look, cells.length, givesAway, settled, pinsFrom, leastCost);
        if (one !== undefined) batch.add(one);
      }
      if (batch.size > 1) {
        for (const id of batch) hide(id, "secondary");
        continue;
      }
      choice = [...batch][0];
    }
    // Otherwise: the cheapest visible figure of any sum that involves a recovered cell: it
    // breaks that subtraction at the least cost (a class before its year, never the school
    // while anything else will do); the loop then checks again.
    if (!choice) {
      const candidates = new Set<string>();
      for (const id of recovered) for (const rule of sumsOf.get(id) ?? []) for (const m of [rule.total, ...rule.parts]) candidates.add(m);
      // And the members of a linear rule that pins one (a persistently absent count at most
      // ⌊absent sessions ÷ k⌋: the sessions beside it, which take the row with them).
      for (const id of recovered) {
        for (const members of rulesOfCell.get(id) ?? []) if (linearOf.has(members) && compiled.linearGivesAway(ruleNumber.get(members)!, look)) for (const m of members) candidates.add(m);
      }
      // A figure derived from others (a group's absent sessions) is never withheld itself: the
      // published figures behind it are, those of its own row and those of the rules it is in
      // (the absent sessions of the groups of a sum: their possible and attended sessions).
      for (const id of [...candidates]) {
        if (!byId.get(id)?.derivedFrom) continue;
        for (const rule of sumsOf.get(id) ?? []) for (const m of [rule.total, ...rule.parts]) for (const behind of byId.get(m)!.derivedFrom ?? [m]) candidates.add(behind);
      }
      choice = cheapest([...candidates]);
    }
    // Only when every member of those sums is withheld: the other side of an at-most rule
    // (a severely absent count of 0 is given away by a published persistently absent 0).
    if (!choice) {
      const partners = atMost
        .filter((r) => (recovered.has(r.a) || recovered.has(r.b)) && atMostGivesAway(compiled.index.get(r.a)!, compiled.index.get(r.b)!, look, cells.length))
        .flatMap((r) => [r.a, r.b]);
      choice = cheapest(partners.filter((id) => byId.has(id)));
    }
    if (!choice) {
      printWithoutRange(recovered);
      continue;
    }
    hide(choice, "secondary");
  }
  throw new Error("suppression did not settle");

  /**
   * Focused: the walks choose a figure for each recovered one as they meet them, and a row
   * chosen early may be needed no more once figures chosen later break the same
   * subtractions. The demo's junior school, one looked-after child (Year 3): its year's other
   * pupils are Year 3 less that child; every other year group's are its whole row (a sum of
   * one part), so withheld they stay pinned, and the walk from the child met Year 3's and
   * Year 5's rows (cost 1 000) before the school's non-looked-after pupils (10 000), which
   * went later all the same: every half term withheld Years 3 and 5 whole, and with them, over
   * the year, every row. So each row withheld to protect others is published again, costliest
   * first, where no figure withheld by the primary rule is then worked out (the rounds' test),
   * if need be with a few small figures beside it printed without their range (withoutWords);
   * failing that, the row without its persistently and severely absent counts (they stay
   * withheld). Changes `hidden` in place.
   */
  function releaseRows(): void {
    // Never a figure the primary rule withholds, though printed as withheld to protect others
    // (printWithoutRange: a small group whose words went), nor one never printed.
    const releasable = (id: string) => hidden.get(id) === "secondary" && !byId.get(id)!.primary && !byId.get(id)!.unpublished && !byId.get(id)!.unprinted && !byId.get(id)!.derivedFrom;
    const rows = new Map<readonly string[], DisclosureCell>();
    // Only rows costing more than a group within a unit (cost above 1: governor-lattice.ts
    // costOfCell, a year group's or class's own row 1 000, the school's groups more): those
    // within units and the rests are many (150 of a half term's 231 cells), cheap, and each
    // try is a look at the whole table.
    for (const cell of cells) if ((cell.cost ?? 0) > 1 && cell.linked?.length && releasable(cell.id) && !rows.has(cell.linked)) rows.set(cell.linked, cell);
    const order = [...rows].sort(([, a], [, b]) => (b.cost ?? 0) - (a.cost ?? 0) || b.value - a.value || a.id.localeCompare(b.id));
    // The figures withheld by the primary rule a reader works out with `hidden` as it is.
    // A figure no withholding protects (stuck) is the caller's to withhold by other means
    // (forcedRows): it is no reason to keep a row back here.
    const workedOut = (): string[] => pinnedIn(lookAtTable(), true).map((k) => cells[k].id);
    for (const [row, cell] of order) {
      const inRow = row.filter((id) => byId.has(id) && releasable(id));
      // Words go only for the whole school's rows: elsewhere a row withheld is the planner's
      // to keep rather than assume less of what a reader knows of a small count.
      const words = (cell.cost ?? 0) >= RELEASE_WORDS_MIN_COST;
      // The whole row, else the row with its PA and SA counts still withheld (as a small count
      // is beside a published row).
      for (const ids of [inRow, inRow.filter((id) => byId.get(id)!.linked?.length)]) {
        if (ids.length === 0) continue;
        for (const id of ids) hidden.delete(id);
        const out = workedOut();
        if (out.length === 0 || (words && withoutWords(out))) break;
        for (const id of ids) hidden.set(id, "secondary");
      }
    }
    // The whole school's own counts withheld to protect others beside its published row — its
    // persistently and severely absent pupils (figures of no row: `linked` empty) — each
    // published again where no figure withheld by the primary rule is then worked out, if need
    // be by withholding instead, round by round, the cheapest figure below the school's of a sum
    // that gives one away (a group's count rather than the school's). A fresh-clone trial:
    // governors never saw 2024/25's 24 of 242 persistently absent pupils — the board's first
    // national question — because the school's count, not SEN support's, had been withheld to
    // keep the rest of the school beside it (3 pupils) from being worked out.
    for (const cell of cells) {
      if ((cell.cost ?? 0) < RELEASE_WORDS_MIN_COST || cell.linked === undefined || cell.linked.length > 0 || !releasable(cell.id)) continue;
      const before = new Map(hidden);
      hidden.delete(cell.id);
      let table = lookAtTable();
      let out = pinnedIn(table, true).map((k) => cells[k].id);
      for (let round = 0; out.length > 0 && round < SCHOOL_RELEASE_ROUNDS; round++) {
        // The sums that pin a worked-out figure are those whose every member the reader has
        // (published, or itself worked out): a published member of one is a way in. A sum with
        // a member still unknown pins nothing, and withholding its published members (a class's
        // count, the cheapest) spent the rounds for nothing: with the school's 24 persistently
        // absent pupils published, the leavers' 0 was pinned by girls' 18 and boys' 6 (one sum
        // per characteristic), not by Year 5's 7 beside Years 4 and 6 withheld.
        const pinned = (id: string) => table.known.has(id) || (table.inferred.get(id)?.lo ?? 0) === (table.inferred.get(id)?.hi ?? 1);
        // One figure for each worked-out one (the cheapest of its own tight sums), as the
        // rounds' batches do: the leavers' 0 is pinned once per characteristic.
        const picks = new Set<string>();
        const loose = new Set<string>();
        for (const id of out.slice(0, FOCUSED_BATCH)) {
          const own = new Set<string>();
          for (const rule of sumsOf.get(id) ?? []) {
            const members = [rule.total, ...rule.parts];
            const tight = members.every(pinned);
            for (const m of members) if ((byId.get(m)!.cost ?? 0) < RELEASE_WORDS_MIN_COST) (tight ? own : loose).add(m);
          }
          const pick = cheapest([...own].filter((m) => !picks.has(m)));
          if (pick && ![...own].some((m) => picks.has(m))) picks.add(pick);
        }
        if (picks.size === 0) {
          const pick = cheapest([...loose]);
          if (!pick) break;
          picks.add(pick);
        }
        for (const pick of picks) hide(pick, "secondary");
        table = lookAtTable();
        out = pinnedIn(table, true).map((k) => cells[k].id);
      }
      if (out.length > 0) {
        hidden.clear();
        for (const [id, why] of before) hidden.set(id, why);
      }
    }

    /**
     * Whether the figures `out` (worked out with a row published again) are protected by
     * printing up to RELEASE_WORD_DROPS small figures beside them as withheld to protect
     * others, words that give no range (as printWithoutRange), and nothing else: then they
     * are, and true; else `hidden` is as it was, and false. Each such figure is one forcedRows
     * reads as words dropped (analytics/governor-lattice.ts wordsDropped), as the rounds' own. The demo's 2024/25: the school's row published,
     * the rest of the school beside its non-looked-after pupils (the one looked-after child
     * and the three leavers, whose pupils every reader knows) less the school's
     * non-looked-after pupils gives the child's count, 1, from "fewer than 5" and the
     * leavers' 3 alone: those words go, and the school's row is published. Every governor's
     * figure reads "withheld" whatever withheld it (WITHHELD_TEXT), so no printed word changes.
     */
    function withoutWords(out: string[]): boolean {
      if (out.length === 0) return true;
      const changed: string[] = [];
      for (let drop = 0; drop < RELEASE_WORD_DROPS && out.length > 0; drop++) {
        const touching = new Set<string>(out);
        for (const id of out) for (const members of rulesOfCell.get(id) ?? []) for (const m of members) touching.add(m);
        // As printWithoutRange: the cheapest small figure near them whose words give a range
        // (not one every reader knows: its words say nothing they lack).
        const opaque = [...touching]
          .filter((id) => hidden.get(id) === "primary" && byId.get(id)!.primary && !byId.get(id)!.unprinted && (read(id), !byId.get(id)!.public))
          .sort((a, b) => (byId.get(a)!.cost ?? 0) - (byId.get(b)!.cost ?? 0) || byId.get(a)!.value - byId.get(b)!.value || a.localeCompare(b))[0];
        if (!opaque) break;
        for (const id of [opaque, ...(byId.get(opaque)!.linked ?? [])]) {
          if (hidden.get(id) !== "primary") continue;
          hidden.set(id, "secondary");
          words = undefined;
          changed.push(id);
        }
        out = workedOut();
      }
      if (out.length === 0) return true;
      for (const id of changed) hidden.set(id, "primary");
      if (changed.length > 0) words = undefined;
      return false;
    }
  }

  /**
   * widen withholds the cheapest published count near a narrowed one without asking whether it
   * widens it (one route of several into the figure's sums), and a figure still as narrow after
   * all its tries is left as it is (narrowStuck) with every count withheld for it. The demo's
   * Autumn 1 2026: the White British pupils' 23…25 persistently absent took Year 5's count,
   * the rest of the school beside its Indian pupils (24…26) Year 3's, and four classes'
   * severely absent 0s went for Years 3 and 6 and their classes (each 0…2) — none of them
   * widened by any, so a governor read every year group's persistently absent count as
   * withheld. So each count widen withheld is published again, the costliest first, where no
   * withheld count eligible for secondaryWidth then reads fewer values than it did (up to the
   * width) and no figure withheld by the primary rule is worked out: what it protects, it
   * protects with others, and those keep it. Changes `hidden` in place.
   */
  function releaseWidened(): void {
    if (widened.length === 0) return;
    const eligible: number[] = [];
    for (let k = 0; k < cells.length; k++) {
      const cell = cells[k];
      if (hidden.byNumber[k] !== HIDDEN_SECONDARY || !widthEligible(cell)) continue;
      eligible.push(k);
    }
    // How many values (up to the width) a reader leaves each eligible count, withheld or not (1).
    const valuesOf = (look: Look): Float64Array => {
      const v = new Float64Array(eligible.length);
      eligible.forEach((k, i) => (v[i] = look.isKnown[k] ? 1 : Math.min(width, look.hi[k] - look.lo[k] + 1)));
      return v;
    };
    let before = valuesOf(lookAtTable().look);
    const order = [...new Set(widened)].sort((a, b) => (byId.get(b)!.cost ?? 0) - (byId.get(a)!.cost ?? 0) || byId.get(b)!.value - byId.get(a)!.value || a.localeCompare(b));
    for (const id of order) {
      if (hidden.get(id) !== "secondary") continue;
      hidden.delete(id);
      const table = lookAtTable();
      const after = valuesOf(table.look);
      const self = compiled.index.get(id);
      const kept = eligible.every((k, i) => k === self || after[i] >= before[i]) && pinnedIn(table, true).length === 0;
      if (kept) before = after;
      else hidden.set(id, "secondary");
    }
  }

  /**
   * Every figure of the sums of `recovered` is withheld, and the words printed in place of the
   * small ones give them away by themselves ("fewer than 3" for a group of 2 and for each of its
   * two parts pins all three). The cheapest such figure is then printed as withheld to protect
   * others, words that give no range; its "fewer than" goes, its figures stay withheld.
   */
  function printWithoutRange(recovered: Set<string>): boolean {
    const touching = new Set<string>(recovered);
    for (const id of recovered) for (const members of rulesOfCell.get(id) ?? []) for (const m of members) touching.add(m);
    const opaque = [...touching]
      .filter((id) => hidden.get(id) === "primary" && byId.get(id)!.primary && !byId.get(id)!.unprinted)
      .sort((a, b) => (byId.get(a)!.cost ?? 0) - (byId.get(b)!.cost ?? 0) || byId.get(a)!.value - byId.get(b)!.value || a.localeCompare(b))[0];
    if (!opaque && options.stuck) {
      for (const id of recovered) options.stuck.add(id);
      return false;
    }
    if (!opaque) throw new Error(`cannot protect ${[...recovered].join(", ")}: every figure of their sums is already withheld`);
    for (const id of [opaque, ...(byId.get(opaque)!.linked ?? [])]) {
      if (hidden.get(id) !== "primary") continue;
      hidden.set(id, "secondary");
      words = undefined;
    }
    return true;
  }
}

/**
 * What a reader pins from the words printed for the withheld figures alone, knowing no
 * published figure but that it is at least 0 (and within its ceiling): a look at the table
 * (the cells are the rules' first numbers, as protect numbers them) whose pinned cells
 * (lo = hi) are the figures so pinned. Depends only on which figures are withheld by the
 * primary rule with their words (readerBounds: a figure withheld to protect others gives the
 * reader what a published one does here).
 */
function wordsAlone(cells: DisclosureCell[], hidden: HiddenFigures, { start, retraction }: WordsLook): Look {
  // `start`: nothing known (CompiledRules.look); the cells' ranges are written each time, any
  // other rule member's stays [0, ∞). The Retraction keeps a copy of it.
  for (let k = 0; k < cells.length; k++) {
    const cell = cells[k];
    const why = hidden.byNumber[k];
    const b = why !== NOT_HIDDEN ? readerBounds(cell, why === HIDDEN_PRIMARY ? "primary" : "secondary") : cell.ceiling === undefined ? UNBOUNDED : { lo: 0, hi: cell.ceiling };
    start.lo[k] = b.lo;
    start.hi[k] = b.hi;
  }
  const look = retraction.propagate(start);
  if (retraction.fromLast) wordLooks.fromLast++;
  return look;
}

/** wordsAlone's looks made from the last on the same rules (SharedRules.words), since the process began. */
const wordLooks = { fromLast: 0 };

/** How many of wordsAlone's looks were made from the last such look on the same rules (not afresh), since the process began: for tests and measurement. */
export function wordLooksFromLast(): number {
  return wordLooks.fromLast;
}

/** The published figures of a look at a table, by id: as a map of their values. */
interface KnownFigures {
  has(id: string): boolean;
  get(id: string): number | undefined;
}

/** The withheld figures' ranges of a look at a table, by id (undefined for a published figure): as inferBounds' map. */
interface InferredRanges {
  get(id: string): Bounds | undefined;
}

/** A look's figures by id (`index`: the rules' cell numbers, the first `cells` of them the table's cells). */
function lookViews(index: ReadonlyMap<string, number>, cells: number, look: Look): { known: KnownFigures; inferred: InferredRanges } {
  const at = (id: string): number => {
    const k = index.get(id);
    return k !== undefined && k < cells ? k : -1;
  };
  return {
    known: {
      has: (id) => {
        const k = at(id);
        return k >= 0 && look.isKnown[k] === 1;
      },
      get: (id) => {
        const k = at(id);
        return k >= 0 && look.isKnown[k] === 1 ? look.lo[k] : undefined;
      },
    },
    inferred: {
      get: (id) => {
        const k = at(id);
        return k >= 0 && look.isKnown[k] === 0 ? { lo: look.lo[k], hi: look.hi[k] } : undefined;
      },
    },
  };
}

/**
 * Whether the at-most pair [a, b] (a ≤ b; cell numbers of `look`, the table's `cells` first)
 * bounds either figure as far as it goes: a's upper bound is b's, or b's lower bound is a's.
 * Otherwise the pair narrows neither (a severely absent count pinned at 1 by its sums beside
 * 491 persistently absent), and withholding one of them to protect the other hides a figure
 * for nothing (then its pupils, by "persistently ≤ pupils", and with them whole rows).
 */
function atMostGivesAway(a: number, b: number, look: Look, cells: number): boolean {
  // A member that is no cell of the table (numbered from `cells` on) is unknown to a reader.
  const aLo = a < cells ? look.lo[a] : UNBOUNDED.lo;
  const aHi = a < cells ? look.hi[a] : UNBOUNDED.hi;
  const bLo = b < cells ? look.lo[b] : UNBOUNDED.lo;
  const bHi = b < cells ? look.hi[b] : UNBOUNDED.hi;
  return aHi === bHi || bLo === aLo;
}

/**
 * Orders two figures met on focusedChoice's walk by their keys, left to right, then by id (a
 * total order): the key is [cost, step, ...rank after cost] when `strict`, else [step, cost,
 * ...rank after cost] (`rank`: [cost, ...]; `step`: the walk's step it was met at).
 */
function compareRanked(strict: boolean, x: readonly number[], xStep: number, a: string, y: readonly number[], yStep: number, b: string): number {
  if (strict) {
    if (x[0] !== y[0]) return x[0] - y[0];
    if (xStep !== yStep) return xStep - yStep;
  } else {
    if (xStep !== yStep) return xStep - yStep;
    if (x[0] !== y[0]) return x[0] - y[0];
  }
  for (let i = 1; i < x.length; i++) if (x[i] !== y[i]) return x[i] - y[i];
  return a.localeCompare(b);
}

/**
 * How many small figures releaseRows may print as withheld to protect others (their words
 * without range) to publish one row again.
 */
const RELEASE_WORD_DROPS = 4;

/**
 * The least cost of a row releaseRows publishes again with small figures beside it printed
 * without range (withoutWords): the whole school's rows (analytics/governor-lattice.ts
 * costOfCell: the school 1 000 000, on the DfE's basis 100 000), a governor's first figure.
 */
const RELEASE_WORDS_MIN_COST = 100_000;

/**
 * The most figures releaseRows withholds, one a round, in place of one of the whole school's
 * own counts it publishes again (each round a look at the whole table).
 */
const SCHOOL_RELEASE_ROUNDS = 8;

/** How many sums away from a narrowed count protect looks for a published count to withhold beside it (secondaryWidth). */
const WIDEN_STEPS = 3;

/** How many figures protect's focused mode withholds between two looks at the table. */
const FOCUSED_BATCH = 16;

/**
 * protect's rules for focusedChoice's walks, by number: each rule's members as cell numbers
 * (CompiledRules' numbers: the table's cells first, in their order), each cell's rules in the
 * order protect lists them (rulesOfCell), which rules are linear, and each cell's rank (cost,
 * row size, value) and whether every reader knows it (DisclosureCell.public). Made once per
 * protect call: the walks looked every member up by id, set by set, tens of thousands a look.
 */
interface WalkingRules {
  members: readonly Int32Array[];
  rulesOf: ReadonlyArray<readonly number[]>;
  linear: Uint8Array;
  ranks: Array<readonly number[]>;
  /** Each cell's cost (its rank's first), as numbers in one array: the walks read it for every published figure they meet. */
  costs: Float64Array;
  ids: string[];
  fixed: Uint8Array;
  /** protectAfresh's: every cell whose `fixed` a walk reads is marked (lastRuns). */
  consulted: Uint8Array;
  /** Per walk: the rules looked at and the cells seen, by the walk's stamp (none 0). */
  looked: Int32Array;
  seen: Int32Array;
  stamp: number;
  /**
   * Per walk, made once (a plan takes tens of thousands of walks, and their maps and arrays
   * were a tenth of its garbage): the published cells met (`found`: by the walk's stamp; the
   * step each was met at; the list of them) and the cells of this step and the next.
   */
  foundIn: Int32Array;
  foundStep: Int32Array;
  foundList: Int32Array;
  /** The figures met that every reader knows, by the walk's stamp, and the list of them (focusedChoice's `consulted`). */
  fixedIn: Int32Array;
  fixedList: Int32Array;
  frontier: Int32Array;
  next: Int32Array;
  /**
   * The strict walks' components on the look at the table under way (strictComponent): by
   * cell, by rule and by figure known to every reader, the serial of the component that last
   * took it in (components numbered across looks, so nothing is cleared between looks); the
   * component explored's queue; the last serial given; and this look's components (Components).
   */
  componentOf: Int32Array;
  ruleComponent: Int32Array;
  fixedComponent: Int32Array;
  componentQueue: Int32Array;
  serial: number;
  components: Components;
}

/**
 * The components of one look at the table that focusedChoice's strict walks have explored
 * (strictComponent), the first numbered `first` (a serial), by their number from it: the least
 * cost of a figure each can choose (a published member, not known to every reader, of one of
 * its rules; ∞ for none), and the figures known to every reader among those members
 * (`fixed`, from `fixedFrom` to `fixedTo` for each).
 */
interface Components {
  first: number;
  least: number[];
  fixedFrom: number[];
  fixedTo: number[];
  fixed: number[];
}

/** A look at the table begins for the strict walks: the components of the last are of no use. */
function newLookForWalks(w: WalkingRules): void {
  w.components = { first: w.serial + 1, least: [], fixedFrom: [], fixedTo: [], fixed: [] };
}

function walkingRules(
  compiled: CompiledRules,
  cells: readonly DisclosureCell[],
  ruleMembers: readonly string[][],
  isLinear: (members: string[]) => boolean,
  rankOf: (cell: DisclosureCell) => readonly number[],
  consulted: Uint8Array,
): WalkingRules {
  const size = compiled.size;
  // The compiled rules' own: rule r of ruleMembers is their rule r, its members as numbers in
  // the same order (a sum's total then its parts, an at-most pair's a then b, a linear rule's
  // cells each once, left then right), and each cell's rules in ascending order — the lists the
  // walks made again from the ids, one Map look-up a member.
  if (compiled.members.length !== ruleMembers.length) throw new Error("protect: the walks' rules are not the compiled rules");
  const members = compiled.members;
  const rulesOf = Array.from({ length: size }, (_, i) => compiled.rulesOfCell(i));
  const ranks = cells.map(rankOf);
  return {
    members,
    rulesOf,
    linear: Uint8Array.from(ruleMembers, (list) => (isLinear(list) ? 1 : 0)),
    ranks,
    costs: Float64Array.from(ranks, (rank) => rank[0]),
    ids: Array.from({ length: size }, (_, i) => compiled.idOf(i)),
    fixed: Uint8Array.from(cells, (c) => (c.public ? 1 : 0)),
    consulted,
    looked: new Int32Array(ruleMembers.length),
    seen: new Int32Array(size),
    stamp: 0,
    foundIn: new Int32Array(size),
    foundStep: new Int32Array(size),
    foundList: new Int32Array(size),
    fixedIn: new Int32Array(size),
    fixedList: new Int32Array(size),
    frontier: new Int32Array(size),
    next: new Int32Array(size),
    componentOf: new Int32Array(size),
    ruleComponent: new Int32Array(ruleMembers.length),
    fixedComponent: new Int32Array(size),
    componentQueue: new Int32Array(size),
    serial: 0,
    components: { first: 1, least: [], fixedFrom: [], fixedTo: [], fixed: [] },
  };
}

/**
 * Whether every member of rule `r` is pinned in `look` (published, or one value; a member that
 * is no cell of the table, numbered from `cells` on, is not), once per rule and look, kept in
 * `settled` (-1 not yet known).
 */
function allPinnedIn(w: WalkingRules, r: number, look: Look, cells: number, settled: Int8Array): boolean {
  if (settled[r] < 0) {
    const { isKnown, lo, hi } = look;
    const members = w.members[r];
    let all = 1;
    for (let mi = 0; mi < members.length && all === 1; mi++) {
      const m = members[mi];
      if (m >= cells || (isKnown[m] !== 1 && lo[m] !== hi[m])) all = 0;
    }
    settled[r] = all;
  }
  return settled[r] === 1;
}

/**
 * The number (in w.components) of the component of the withheld figure `cell` (pinned, not
 * published) on the look at the table under way: the withheld figures a strict walk of
 * focusedChoice reaches from it by rules other than linear ones (a strict walk follows those
 * from where it starts only), each rule narrowing a withheld member as far as it goes
 * (`gives`) with every member pinned (allPinnedIn) — the same steps the walk takes, and it
 * takes them from every figure of the component alike. Explored on first asking in a look,
 * its least cost and its figures known to every reader written down (Components).
 */
function strictComponent(w: WalkingRules, cell: number, look: Look, cells: number, gives: (rule: number) => boolean, settled: Int8Array): number {
  const components = w.components;
  if (w.componentOf[cell] >= components.first) return w.componentOf[cell] - components.first;
  const serial = ++w.serial;
  const { isKnown } = look;
  const queue = w.componentQueue;
  let head = 0;
  let tail = 0;
  queue[tail++] = cell;
  w.componentOf[cell] = serial;
  let least = Number.POSITIVE_INFINITY;
  components.fixedFrom.push(components.fixed.length);
  while (head < tail) {
    const rules = w.rulesOf[queue[head++]];
    for (let ri = 0; ri < rules.length; ri++) {
      const r = rules[ri];
      if (w.linear[r] === 1 || w.ruleComponent[r] === serial) continue;
      w.ruleComponent[r] = serial;
      if (!gives(r) || !allPinnedIn(w, r, look, cells, settled)) continue;
      const members = w.members[r];
      for (let mi = 0; mi < members.length; mi++) {
        const m = members[mi];
        if (m < cells && isKnown[m] === 1) {
          if (w.fixed[m] === 0) {
            if (w.costs[m] < least) least = w.costs[m];
          } else if (w.fixedComponent[m] !== serial) {
            w.fixedComponent[m] = serial;
            components.fixed.push(m);
          }
        } else if (w.componentOf[m] !== serial) {
          // Pinned (allPinnedIn) and of no earlier component: one would have taken in this rule.
          w.componentOf[m] = serial;
          queue[tail++] = m;
        }
      }
    }
  }
  components.least.push(least);
  components.fixedTo.push(components.fixed.length);
  return serial - components.first;
}

/**
 * The least cost of a figure the strict walk of focusedChoice from `start` can choose, were it
 * to walk to the end: over its component and, through the linear rules it follows from
 * `start` (pinning every member), their published members and their withheld members'
 * components (strictComponent). Every figure known to every reader that the walk would meet at
 * a lesser cost is marked consulted: it would come first were it not known, and the walk, which
 * stops once it has met a figure of this cost, may not meet it.
 */
function strictReachLeast(w: WalkingRules, start: number, look: Look, cells: number, gives: (rule: number) => boolean, settled: Int8Array): number {
  const { isKnown } = look;
  const components = w.components;
  const own = strictComponent(w, start, look, cells, gives, settled);
  let least = components.least[own];
  const rules = w.rulesOf[start];
  for (let pass = 0; pass < 2; pass++) {
    // First the least cost, then the figures known to every reader below it.
    if (pass === 1) markFixedBelow(w, own, least);
    for (let ri = 0; ri < rules.length; ri++) {
      const r = rules[ri];
      if (w.linear[r] !== 1 || !gives(r) || !allPinnedIn(w, r, look, cells, settled)) continue;
      const members = w.members[r];
      for (let mi = 0; mi < members.length; mi++) {
        const m = members[mi];
        if (m === start) continue;
        if (m < cells && isKnown[m] === 1) {
          if (w.fixed[m] === 0) least = Math.min(least, w.costs[m]);
          else if (pass === 1 && w.costs[m] < least) w.consulted[m] = 1;
        } else {
          const c = strictComponent(w, m, look, cells, gives, settled);
          if (pass === 0) least = Math.min(least, components.least[c]);
          else markFixedBelow(w, c, least);
        }
      }
    }
  }
  return least;
}

/** focusedChoice's strict walks stopped by strictReachLeast (not by `leastCost`, nor at their end), since the process began. */
const cutShort = { walks: 0 };

/** How many of focusedChoice's strict walks stopped at a figure of the least cost they could reach (strictReachLeast), not walking on to their end: for tests and measurement. */
export function strictWalksCutShort(): number {
  return cutShort.walks;
}

/** Marks consulted the figures known to every reader of component `c` (w.components) that cost less than `least`. */
function markFixedBelow(w: WalkingRules, c: number, least: number): void {
  const { fixed, fixedFrom, fixedTo } = w.components;
  for (let i = fixedFrom[c]; i < fixedTo[c]; i++) if (w.costs[fixed[i]] < least) w.consulted[fixed[i]] = 1;
}

/**
 * The figure to withhold next in protect's focused mode, for one recovered figure (`start`, a
 * cell number): a published member of a rule that pins it by itself (every other member
 * published or pinned); when those members are all withheld but pinned, the rules that pin
 * THEM, and so on outwards. Failing that, the same walk over every rule touching it.
 * Undefined when nothing published is found (protect then throws). `look`: this look at the
 * table (the first `cells` numbers the table's cells); `gives(r)`: whether rule r narrows a
 * withheld member as far as it goes; `settled`: whether each rule's members are all pinned,
 * kept across the walks of one look (-1 not yet known); `pinsFrom(r, m)`: whether linear rule
 * r pins member m; `leastCost`: the least cost (rank's first) of any figure, a strict walk
 * that has met one looks no further (nor one that has met a figure of the least cost it can
 * reach: strictReachLeast, its components kept in `w` for the look, newLookForWalks). Returns
 * the figure's id.
 */
function focusedChoice(
  w: WalkingRules,
  start: number,
  look: Look,
  cells: number,
  gives: (rule: number) => boolean,
  settled: Int8Array,
  pinsFrom: (rule: number, cell: number) => boolean,
  leastCost: number,
): string | undefined {
  const { isKnown, lo, hi } = look;
  // Whether a member is published (known) or pinned (known, or one value), written out in the
  // loops below rather than called (a walk meets thousands of members a look): a member that
  // is no cell of the table (numbered from `cells` on) is neither.
  // Whether every member of a rule is pinned (allPinnedIn, kept in `settled`: the caller's,
  // for walks over the same look at the table). The member the walk comes from is always
  // pinned (recovered, or reached by pinned steps).
  const { looked, seen, foundIn, fixed, linear, consulted } = w;
  for (let pass = 0; pass < 2; pass++) {
    const strict = pass === 0;
    // Every published member met on the walk, with the step it was met at: a costly figure
    // (a unit's total) near the recovered one loses to a cheap one a step further out.
    let found = 0;
    let fixedFound = 0;
    // The least cost met, and (strict walk) the least the whole walk would meet (strictReachLeast), worked out when first needed.
    let foundLeast = Number.POSITIVE_INFINITY;
    let reachLeast = Number.NaN;
    const stamp = ++w.stamp;
    w.seen[start] = stamp;
    // A rule is looked at once per walk: met again from another of its members, at the same
    // step or a later one, it finds nothing new (its published members are found at their
    // first step, the others seen), and a sum of a large school's classes is met from each.
    // Each cell is seen once a walk, so a step's cells fit in the buffers.
    let frontier = w.frontier;
    let next = w.next;
    frontier[0] = start;
    let width = 1;
    for (let level = 0; width > 0; level++) {
      let nextWidth = 0;
      for (let f = 0; f < width; f++) {
        const id = frontier[f];
        // Indexed loops, not for…of: a walk meets thousands of rules and members a look, and
        // each iterator was an object to collect.
        const rulesOfId = w.rulesOf[id];
        for (let ri = 0; ri < rulesOfId.length; ri++) {
          const r = rulesOfId[ri];
          if (looked[r] === stamp) continue;
          // The strict walk follows a linear rule from the recovered figure only; the loose
          // walk from a figure it reached where the rule pins that figure (protect).
          if (level > 0 && linear[r] === 1 && (strict || !pinsFrom(r, id))) continue;
          looked[r] = stamp;
          if (!gives(r)) continue;
          if (strict && !allPinnedIn(w, r, look, cells, settled)) continue;
          const members = w.members[r];
          for (let mi = 0; mi < members.length; mi++) {
            const m = members[mi];
            if (m < cells && isKnown[m] === 1) {
              if (foundIn[m] !== stamp && fixed[m] === 0) {
                foundIn[m] = stamp;
                w.foundStep[m] = level;
                w.foundList[found++] = m;
                if (w.costs[m] < foundLeast) foundLeast = w.costs[m];
              } else if (fixed[m] === 1 && w.fixedIn[m] !== stamp) {
                // Known to every reader, so no choice: kept with its step for `consulted` below.
                w.fixedIn[m] = stamp;
                w.foundStep[m] = level;
                w.fixedList[fixedFound++] = m;
              }
            } else if (seen[m] !== stamp && (!strict || (m < cells && lo[m] === hi[m]))) {
              seen[m] = stamp;
              next[nextWidth++] = m;
            }
          }
        }
      }
      const done = frontier;
      frontier = next;
      next = done;
      width = nextWidth;
      // Nothing met further out can come first once a level has met a figure that no later
      // one can beat: the loose walk's order puts the step first, so any figure met; the
      // strict walk's puts the cost first, so one of the least cost any figure has
      // (`leastCost`), or failing that of the least cost the whole walk would meet
      // (strictReachLeast: at 4,500 pupils some half of the strict walks met no figure of the
      // least cost and went on to the end of what they reach, the other walks of the same look
      // over the same figures again). The figures of this level are all met (found keeps each
      // at its first step), so the choice below is the one the whole walk would make: only the
      // walk is shorter.
      if (found > 0 && !strict) break;
      if (found > 0 && foundLeast <= leastCost) break;
      if (found > 0 && Number.isNaN(reachLeast)) reachLeast = strictReachLeast(w, start, look, cells, gives, settled);
      if (found > 0 && foundLeast <= reachLeast) {
        cutShort.walks++;
        break;
      }
    }
    // Strict walk: the cheapest figure met; loose walk: the nearest (a far figure breaks
    // nothing that pins the recovered one). The order's key: [cost, step, ...the rest of the
    // rank] (strict) or [step, cost, ...] (loose), then the id: the least by one pass (a total
    // order, so the order they were met in is no matter).
    let best = -1;
    for (let i = 0; i < found; i++) {
      const m = w.foundList[i];
      if (best < 0 || compareRanked(strict, w.ranks[m], w.foundStep[m], w.ids[m], w.ranks[best], w.foundStep[best], w.ids[best]) < 0) best = m;
    }
    // The walk read `public` (protectAfresh's lastRuns) of the figure chosen, and of each figure
    // met that every reader knows and that would come first (or as early) were it not: of no
    // other can it change the choice. Such a figure met at a step, chosen, would be chosen (the
    // loose walk's order puts the step first; the strict walk stops early only for a figure of
    // the least cost it could reach, which comes before any met later); the walk's course is the
    // same whatever it finds, so a figure it never met changes nothing, but for one known to
    // every reader of a lesser cost than that, which strictReachLeast marks.
    if (best >= 0) consulted[best] = 1;
    for (let i = 0; i < fixedFound; i++) {
      const m = w.fixedList[i];
      if (best < 0 || compareRanked(strict, w.ranks[m], w.foundStep[m], w.ids[m], w.ranks[best], w.foundStep[best], w.ids[best]) <= 0) consulted[m] = 1;
    }
    if (best >= 0) return w.ids[best];
  }
  return undefined;
}

export interface ProtectOptions {
  /**
   * Linear rules a reader also knows (LinearRule: a group's absent sessions bound its
   * persistently and severely absent pupils), used like the sums: in working out, and in
   * choosing what to withhold (a published member of such a rule that pins a withheld figure:
   * its sessions, which take the row). Rules with a member that is no cell are left out.
   */
  linear?: LinearRule[];
  /**
   * Withhold a member of a sum that pins a recovered cell by itself before any other (and,
   * among equals, a figure that takes fewer others with it): for large tables of many sums
   * (analytics/governor-lattice.ts), where the first figure of any sum near a recovered one
   * would start a cascade. Default false: the figures the packs' tables were planned with.
   */
  focused?: boolean;
  /**
   * Where given, figures no withholding can protect (every figure of their rules withheld,
   * their words without range, and still pinned: by figures every reader knows) are added
   * here and left as they are, instead of throwing, and the others protected; for a planner
   * that withholds elsewhere for them (analytics/governor-lattice.ts forcedRows).
   */
  stuck?: Set<string>;
  /**
   * Where given (focused only), a count of pupils withheld to protect others (a figure with no
   * row: `linked` empty; not withheld as small) must also keep at least this many possible
   * values to a reader, not only two: one narrowed to fewer (the demo's autumn 2025, FSM's 13
   * persistently absent pupils worked out as 13 or 14 from the school's count less not-FSM's,
   * the leavers' one pupil the only doubt) is widened, once the rounds and releaseRows are
   * done, by withholding pass by pass the cheapest of the nearest published counts along its
   * sums, never
   * the whole school's own or its DfE-basis figures (cost at least RELEASE_WORDS_MIN_COST); one
   * that no such figure widens is left as it is. Withholding more only widens
   * ranges, so no figure is then worked out that was not before; a count so withheld that
   * widens nothing is published again (releaseWidened). A figure worked out exactly is
   * published as before (publishWorkedOut). The governors' plans give min − 1.
   */
  secondaryWidth?: number;
}

// ---------------------------------------------------------------------------------------
// Governors' figures: groups of pupils and their counts

/** The additive figures a governor sees for a group (each a count). */
export const SUPPRESSED_FIGURES = ["pupils", "possible_sessions", "attended_sessions", "pa_pupils", "sa_pupils"] as const;
/**
 * Pupils absent at least once in a span (analytics/measures.ts pupilsAbsent): a count of
 * pupils like PA, given where persistent absence is no measure (the Overview over a week, its
 * "what changed"); planned only where a plan is asked for it (PlanOptions.figures), as its
 * counts must then be in every group (GroupCounts.absent_pupils).
 */
export const ABSENT_PUPILS = "absent_pupils" as const;
export type SuppressedFigure = (typeof SUPPRESSED_FIGURES)[number] | typeof ABSENT_PUPILS;
/** The counts of pupils among the figures (the primary rule's "fewer than min"). */
const PUPIL_COUNTS: readonly SuppressedFigure[] = ["pa_pupils", "sa_pupils", ABSENT_PUPILS];

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
  /** Pupils absent at least once: only in groups planned with ABSENT_PUPILS. */
  absent_pupils?: number;
  /**
   * What the group's absent sessions (possible − attended) say of its persistently and
   * severely absent pupils (AbsenceBounds; absenceRules). Groups without it get no such rule:
   * every governor's group has it (analytics/governor-lattice.ts, from the finest groups).
   */
  absence?: AbsenceBounds;
}

export type { AbsenceBounds };

/**
 * The linear rules a reader may know of a group's PA and SA counts from its sessions
 * (AbsenceBounds), with the cell ids of `id(figure)`:
 * - the ceiling "least × count + attended ≤ possible" (absent = possible − attended), when
 *   the least is a positive finite number (0 says nothing; Infinity: no pupil counted, so the
 *   count is 0 by "count ≤ pupils" already);
 * - the floor "possible ≤ attended + (most − other) × count + other × pupils + uncounted",
 *   with most taken as at least other (a looser bound, still true), when most > other (else it
 *   says nothing of the count).
 * The planner's reader then knows at least what any reader can work out from the sessions
 * (a reader's own bound, e.g. a tenth of the fewest sessions a pupil had, is only valid when
 * at most the true least), so a count these pin is protected (protect: the sessions beside it
 * withheld, which takes the row).
 */
export function absenceRules(absence: AbsenceBounds, id: (figure: SuppressedFigure) => string, figures: readonly SuppressedFigure[]): LinearRule[] {
  const rules: LinearRule[] = [];
  if (!figures.includes("possible_sessions") || !figures.includes("attended_sessions")) return rules;
  const counts = [
    ["pa_pupils", absence.pa_least, absence.pa_most, absence.pa_other_most],
    ["sa_pupils", absence.sa_least, absence.sa_most, absence.sa_other_most],
  ] as const;
  for (const [figure, least, most, other] of counts) {
    if (!figures.includes(figure)) continue;
    if (least > 0 && Number.isFinite(least)) {
      rules.push({ left: [{ id: id(figure), times: least }, { id: id("attended_sessions"), times: 1 }], right: [{ id: id("possible_sessions"), times: 1 }] });
    }
    if (most > other) {
      const right: Term[] = [{ id: id("attended_sessions"), times: 1 }, { id: id(figure), times: most - other }];
      if (other > 0) right.push({ id: id("pupils"), times: other });
      rules.push({ left: [{ id: id("possible_sessions"), times: 1 }], right, constant: absence.uncounted_absent });
    }
  }
  return rules;
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
  /** The text printed in place of a withheld figure: WITHHELD_TEXT, whatever withheld it. */
  text(key: string, figure: SuppressedFigure): string;
  /**
   * Why a figure is withheld: "primary" (a small count, or a small group's row, whose range
   * the planner assumes a reader may know) or "secondary"; null when shown. Never printed
   * (every withheld figure reads the same word): for tests that play the reader. Plans built
   * elsewhere may not say.
   */
  reason?(key: string, figure: SuppressedFigure): "primary" | "secondary" | null;
}

/**
 * The one word printed for every figure withheld from governors, whatever withheld it: a
 * group of fewer than the minimum, a count of 1 … min − 1, or a figure withheld so that one of
 * those cannot be worked out (issue 13). Words that differed ("fewer than 5", "withheld (so
 * that a small group elsewhere cannot be worked out)") told a reader which was which: the
 * second is 0 or at least the minimum, and "fewer than 5" is 1 to 4. Why figures are withheld
 * is said once, beside them (the page's footnote, the packs' notes, docs/DEFINITIONS.md).
 * The planner still assumes a reader knows a small count's range (DisclosureCell.primary):
 * safe whatever a reader can infer.
 */
export const WITHHELD_TEXT = "withheld";

const cellId = (key: string, figure: SuppressedFigure) => `${key}|${figure}`;

/** True for a count of pupils the primary rule withholds: 1 … min − 1. */
export function isSmallCount(value: number, min: number | null): boolean {
  return min !== null && value > 0 && value < min;
}

export interface PlanOptions {
  /**
   * The figures published for these groups (default SUPPRESSED_FIGURES; "pupils" always).
   * A week's page gives no persistent-absence count, so planning one would only cost time.
   */
  figures?: readonly SuppressedFigure[];
  /**
   * What withholding a group's figures costs (protect chooses the cheapest): by default the
   * whole school ("school") 1 000 000, and every other group 0.
   */
  costOf?: (key: string) => number;
  /** protect's `focused` choice (large tables). */
  focused?: boolean;
  /** Figures no page publishes for a group (DisclosureCell.unpublished). */
  unpublished?: (key: string, figure: SuppressedFigure) => boolean;
  /** Figures never printed that a reader can work out, protected all the same (DisclosureCell.unprinted). */
  unprinted?: (key: string) => boolean;
  /** Figures every reader knows whatever is printed (DisclosureCell.public). */
  isPublic?: (key: string, figure: SuppressedFigure) => boolean;
  /**
   * Groups whose sessions (possible and attended) must stay unknown here though no rule of this
   * table withholds them: planned like a figure withheld by the primary rule whose words give
   * no range, so their row goes and complementary figures with it (a half term's row withheld
   * so that a longer period's count, which its sessions there would pin, stays unknown:
   * analytics/governor-lattice.ts forcedRows).
   */
  forced?: (key: string) => boolean;
  /** protect's `stuck` (ProtectOptions): collects the figures no withholding protects, instead of throwing. */
  stuck?: Set<string>;
  /** protect's `secondaryWidth` (ProtectOptions): how many values a figure withheld to protect others keeps at least. */
  secondaryWidth?: number;
  /** Linear rules a reader knows besides each group's own (absenceRules), over `${key}|${figure}` cells. */
  linear?: LinearRule[];
}

/**
 * Plans suppression for a set of groups and the sums between them. Groups of fewer than
 * `min` pupils (but at least one) lose their whole row; PA and SA counts of 1 … min − 1 are
 * withheld; then complementary suppression as described above, with each group's sums, its
 * at-most pairs and, for a group with AbsenceBounds, the bounds its absent sessions put on its
 * PA and SA counts (absenceRules: where they pin a withheld count, its sessions go, and the
 * row with them). The whole school ("school") is withheld only if nothing else will do.
 */
export function planSuppression(groups: GroupCounts[], sums: GroupSum[], min: number, options: PlanOptions = {}): SuppressionPlan {
  const figures = options.figures ?? SUPPRESSED_FIGURES;
  if (!figures.includes("pupils")) throw new Error("a plan needs the pupils figure (a group's row goes with it)");
  const has = (figure: SuppressedFigure) => figures.includes(figure);
  const costOf = (key: string) => (options.costOf ? options.costOf(key) : key === "school" ? 1_000_000 : 0);
  const cells: DisclosureCell[] = [];
  for (const g of groups) {
    const smallRow = g.pupils > 0 && g.pupils < min;
    const row = figures.map((f) => cellId(g.key, f));
    for (const figure of figures) {
      const value = g[figure];
      if (value === undefined) throw new Error(`suppression: group ${g.key} has no ${figure} count to plan`);
      const pupilCount = PUPIL_COUNTS.includes(figure);
      let primary: Bounds | undefined;
      if (smallRow) primary = figure === "pupils" ? { lo: 1, hi: min - 1 } : { lo: 0, hi: pupilCount ? min - 1 : Number.POSITIVE_INFINITY };
      else if (pupilCount && isSmallCount(value, min)) primary = { lo: 1, hi: min - 1 };
      // The pupils absent are printed for fewer groups than the rest: a group's key may be
      // unprinted (protected though never printed) while its pupils absent are simply not given.
      const neverAbsent = figure === ABSENT_PUPILS && (options.unpublished?.(g.key, figure) ?? false);
      const unprinted = !neverAbsent && (options.unprinted?.(g.key) ?? false);
      const unpublished = neverAbsent || (!unprinted && (options.unpublished?.(g.key, figure) ?? false));
      if (!primary && (figure === "possible_sessions" || figure === "attended_sessions") && options.forced?.(g.key)) primary = { lo: 0, hi: Number.POSITIVE_INFINITY };
      // A figure never published gives nothing away by its text: no bounds, nothing to protect.
      if (unpublished) primary = undefined;
      cells.push({
        id: cellId(g.key, figure),
        value,
        primary,
        // A group's pupils withheld means its whole row goes (its rates would give it away).
        linked: figure === "pupils" ? row : pupilCount ? [] : row,
        cost: costOf(g.key),
        unpublished: unpublished || undefined,
        unprinted: unprinted || undefined,
        public: options.isPublic?.(g.key, figure) || undefined,
      });
    }
  }
  const sumsOf = (of: readonly SuppressedFigure[]): SumRule[] => sums.flatMap((s) => of.map((f) => ({ total: cellId(s.total, f), parts: s.parts.map((p) => cellId(p, f)) })));
  const pairs: Array<[SuppressedFigure, SuppressedFigure]> = [
    ["sa_pupils", "pa_pupils"],
    ["pa_pupils", "pupils"],
    [ABSENT_PUPILS, "pupils"],
    ["attended_sessions", "possible_sessions"],
  ];
  const atMostOf = (of: readonly SuppressedFigure[]): AtMostRule[] =>
    groups.flatMap((g) => pairs.filter(([a, b]) => of.includes(a) && of.includes(b)).map(([a, b]) => ({ a: cellId(g.key, a), b: cellId(g.key, b) })));
  // The pupils absent are planned after the other figures, whose decisions they leave as they
  // were (the packs' figures do not change with a count they do not print): they touch the
  // others only through "absent ≤ pupils".
  const main = figures.filter((f) => f !== ABSENT_PUPILS);
  const isMain = (cell: DisclosureCell) => !cell.id.endsWith(`|${ABSENT_PUPILS}`);
  const mainCells = cells.filter(isMain);
  // What each group's sessions say of its PA and SA counts (absenceRules).
  const own = [...groups.flatMap((g) => (g.absence ? absenceRules(g.absence, (f) => cellId(g.key, f), main) : [])), ...(options.linear ?? [])];
  // And each group's absent sessions as a figure of their own, with their rules (absentSessions).
  const absent = has("possible_sessions") && has("attended_sessions") ? absentSessions(groups, sums, own, costOf) : { cells: [], sums: [], linear: [] };
  const planned = [...mainCells, ...absent.cells];
  const sumRules = [...sumsOf(main), ...absent.sums];
  const linear = [...own, ...absent.linear];
  const { hidden, rules, complete } = protectWithRules(planned, sumRules, atMostOf(main), { focused: options.focused, linear, stuck: options.stuck, secondaryWidth: options.secondaryWidth });
  if (options.focused) publishWorkedOut(planned, hidden, complete ? rules : CompiledRules.of(planned.map((c) => c.id), sumRules, atMostOf(main), linear), main);
  // Never printed (a group's absent sessions go with its possible or attended sessions).
  for (const cell of absent.cells) hidden.delete(cell.id);
  if (has(ABSENT_PUPILS)) protectAbsent(cells, hidden, sumsOf([ABSENT_PUPILS]), options.focused ?? false);
  const rowReason = (key: string): "small" | "secondary" | null => {
    const why = hidden.get(cellId(key, "pupils"));
    return why === undefined ? null : why === "primary" ? "small" : "secondary";
  };
  return {
    min,
    rowHidden: (key) => hidden.has(cellId(key, "pupils")),
    rowReason,
    hidden: (key, figure) => hidden.has(cellId(key, figure)),
    text: () => WITHHELD_TEXT,
    reason: (key, figure) => hidden.get(cellId(key, figure)) ?? null,
  };
}

/** The id of a group's absent sessions (possible − attended): derived, never printed by itself (DisclosureCell.derivedFrom). */
const absentSessionsId = (key: string) => `${key}|absent_sessions`;

/**
 * Each group's absent sessions (possible − attended) as a figure of their own
 * (DisclosureCell.derivedFrom, never printed by itself), for the groups with AbsenceBounds
 * (those whose PA and SA counts their sessions bound: every governor's group), with the rules
 * a reader has of them: in each group possible = attended + absent; over the groups' sums, a
 * total's absent sessions are its parts'; and every linear rule with a group's attended
 * sessions on one side and its possible on the other (absenceRules; `linear`) once more with
 * their difference in their place ("k × PA + attended ≤ possible": "k × PA ≤ absent").
 * Ranges of possible and attended sessions apart lose what a reader gets by subtracting
 * absent sessions across sums: Year 3 missed 44, 3B 24, so 3A and 3C 20 between them, each at
 * least 0, while neither's possible nor attended sessions is known; a severely absent pupil of
 * 3A missing at least 20, its withheld "1 to 4" is 1 (issue 13; session 16's adversary, the
 * demo's EHC-plan group over Autumn 1 2026). The rules given before all stay: every range
 * the planner worked out is still worked out. `costOf`: a group's cost (PlanOptions.costOf). Pure.
 */
function absentSessions(
  groups: readonly GroupCounts[],
  sums: readonly GroupSum[],
  linear: readonly LinearRule[],
  costOf: (key: string) => number,
): { cells: DisclosureCell[]; sums: SumRule[]; linear: LinearRule[] } {
  const keys = new Set(groups.filter((g) => g.absence).map((g) => g.key));
  const possible = (key: string) => cellId(key, "possible_sessions");
  const attended = (key: string) => cellId(key, "attended_sessions");
  const cells = groups
    .filter((g) => keys.has(g.key))
    .map((g): DisclosureCell => ({
      id: absentSessionsId(g.key),
      value: g.possible_sessions - g.attended_sessions,
      derivedFrom: [possible(g.key), attended(g.key)],
      cost: costOf(g.key),
    }));
  const rules: SumRule[] = cells.map((c) => ({ total: c.derivedFrom![0], parts: [c.derivedFrom![1], c.id] }));
  for (const sum of sums) if (keys.has(sum.total) && sum.parts.every((p) => keys.has(p))) rules.push({ total: absentSessionsId(sum.total), parts: sum.parts.map(absentSessionsId) });
  // A rule with one group's attended sessions (×1) on one side and its possible (×1) on the
  // other, again with the group's absent sessions where its possible were.
  const suffix = "|attended_sessions";
  const onAbsent = (rule: LinearRule): LinearRule | null => {
    for (const [from, to] of [["left", "right"], ["right", "left"]] as const) {
      const a = rule[from].find((t) => t.times === 1 && t.id.endsWith(suffix) && keys.has(t.id.slice(0, -suffix.length)));
      if (!a) continue;
      const key = a.id.slice(0, -suffix.length);
      if (!rule[to].some((t) => t.times === 1 && t.id === possible(key))) continue;
      return { ...rule, [from]: rule[from].filter((t) => t !== a), [to]: rule[to].map((t) => (t.id === possible(key) ? { id: absentSessionsId(key), times: 1 } : t)) };
    }
    return null;
  };
  return { cells, sums: rules, linear: linear.map(onAbsent).filter((r): r is LinearRule => r !== null) };
}

/**
 * The second pass of planSuppression for the pupils absent (ABSENT_PUPILS), planned by
 * `protect` among themselves, by their sums (the first pass's decisions stay as they were).
 * A group's row withheld by the first pass takes its pupils absent with it (as a row);
 * "absent ≤ pupils" bounds each count whose row is published (DisclosureCell.ceiling), so a
 * reader's ranges are the planner's: the pupils themselves stay as the first pass left them
 * (the bound is read, never chosen to be withheld). Changes `hidden`.
 */
function protectAbsent(cells: DisclosureCell[], hidden: Map<string, "primary" | "secondary">, sums: SumRule[], focused: boolean): void {
  const absent = cells.filter((c) => c.id.endsWith(`|${ABSENT_PUPILS}`));
  const rowHidden = (c: DisclosureCell) => hidden.has(c.id.slice(0, -ABSENT_PUPILS.length) + "pupils");
  // A published row's pupils bound its pupils absent (absent ≤ pupils: what a reader knows of
  // the pupils never absent, pupils − absent ≥ 0): a withheld count of all the group's pupils
  // is otherwise pinned by a sum's lower bound and that ceiling (school 10 absent, 3B "fewer
  // than 5", 3A withheld with 6 pupils: 3A ≥ 6, so 3A = 6 and 3B = 4).
  const pupilsOf = new Map(cells.filter((c) => c.id.endsWith("|pupils")).map((c) => [c.id.slice(0, -"pupils".length), c.value]));
  const second = protect(
    absent.map((c) => (rowHidden(c) && !c.primary ? { ...c, unpublished: true } : rowHidden(c) ? c : { ...c, ceiling: pupilsOf.get(c.id.slice(0, -ABSENT_PUPILS.length)) })),
    sums,
    [],
    { focused },
  );
  for (const [id, why] of second) if (!hidden.has(id)) hidden.set(id, why);
  // A withheld row's pupils absent go with it, whatever the second pass made of them.
  for (const c of absent) if (rowHidden(c) && !hidden.has(c.id)) hidden.set(c.id, "secondary");
}

/**
 * Focused protection may leave a figure withheld to protect others that a reader can work out
 * all the same (a group of every pupil, withheld though it is the whole school): withholding it
 * hides nothing, and its words would tell a reader "suppressed" of a figure they know. So every
 * such figure withheld only to protect others (not by the primary rule, not one never printed)
 * is published: a pinned figure published gives a reader exactly what they had, so no range
 * changes and one look suffices. A row goes back only when all of its figures are pinned
 * (its rates need them all). Changes `hidden` in place.
 */
function publishWorkedOut(cells: DisclosureCell[], hidden: Map<string, "primary" | "secondary">, rules: CompiledRules, figures: readonly SuppressedFigure[]): void {
  const byId = new Map(cells.map((c) => [c.id, c]));
  // One look (CompiledRules.propagate: inferBounds' ranges, on cell numbers): published
  // figures known, withheld ones from their words.
  const look = rules.look();
  cells.forEach((cell, k) => {
    const why = hidden.get(cell.id);
    const b = why === undefined ? { lo: cell.value, hi: cell.value } : readerBounds(cell, why);
    look.isKnown[k] = why === undefined ? 1 : 0;
    look.lo[k] = b.lo;
    look.hi[k] = b.hi;
  });
  rules.propagate(look);
  const pinned = (id: string) => {
    const k = rules.index.get(id)!;
    return look.isKnown[k] === 0 && look.lo[k] === look.hi[k];
  };
  const freeable = (id: string) => hidden.get(id) === "secondary" && !byId.get(id)!.unpublished && !byId.get(id)!.unprinted && pinned(id);
  for (const cell of cells) {
    if (!cell.id.endsWith("|pupils") || !hidden.has(cell.id)) continue;
    const key = cell.id.slice(0, -"|pupils".length);
    const row = figures.map((f) => cellId(key, f)).filter((id) => byId.get(id)!.linked?.length);
    if (row.every(freeable)) for (const id of row) hidden.delete(id);
  }
  for (const cell of cells) {
    if (!/\|(pa|sa|absent)_pupils$/.test(cell.id) || hidden.has(cell.id.replace(/\|(pa|sa|absent)_pupils$/, "|pupils"))) continue;
    if (freeable(cell.id)) hidden.delete(cell.id);
  }
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
 * Every figure is read from the measures (summarise, summariseBy), which give no
 * AbsenceBounds: so this plan bounds no PA or SA count by its sessions. No governor's page,
 * pack or report reads it (they read analytics/governor-lattice.ts, whose every cell has
 * them); tests compare separate plans with it (test/helpers/separate-plans.ts).
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
  /**
   * Pupils absent at least once, where a page gives that count (a span shorter than a term);
   * and with it, by the rule that a session count never gives away a withheld count of pupils
   * (issue 13, case 9; docs/DEFINITIONS.md), the group's absence in sessions: its absent,
   * authorised and unauthorised sessions and every rate made from them (pupils absent ≤
   * absent sessions ≤ 2 × school days × pupils absent). Undefined where not planned.
   */
  absent?: string | null;
  /**
   * The group's absence in sessions — present, AEA, authorised and unauthorised sessions and
   * every rate made from them — withheld with its row shown: over a span where the pupils
   * absent at least once are given, where that count is withheld or to protect one that is
   * (analytics/governor-lattice.ts absenceWithheld). The pupils and possible sessions stay.
   * Undefined or null: withheld only with the row.
   */
  absence?: string | null;
  /**
   * The whole row is withheld but its count of pupils is printed: every reader has that count
   * whatever is printed in its place (the leavers' group over a span: the school's pupils over
   * the span less over its last half term, both published; analytics/leavers.ts,
   * DisclosureCell.public), so "withheld" there would only hide nothing and leave the rows
   * not adding up to the school's total. Undefined: the count goes with the row.
   */
  pupilsKnown?: boolean;
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
