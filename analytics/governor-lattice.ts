/**
 * One suppression plan for every filtered view a governor can open (issue 13, cases 8–9).
 *
 * Planning each view on its own is not enough: a reader can subtract ACROSS views. On Groups,
 * the FSM group with the year-group filter set to each year in turn, beside the unfiltered FSM
 * figure: if FSM-in-Year-3 is withheld but every other year's FSM figure and the whole-school
 * FSM figure are published, FSM-in-Year-3 = whole − the sum of the others.
 *
 * So the figures of every reachable view are cells of one table, planned together:
 * - units: the whole school, each year group, each class (and, for a class that mixes year
 *   groups, each year group's part of it);
 * - groups: all pupils ("all") in every unit; and in the whole school and each year group
 *   (never within a class: see below) each value of each compared characteristic (SEN, FSM,
 *   EAL, LAC, sex, ethnicity: analytics/groups.ts), and — over a whole span, where the
 *   Groups page shows it — the rest of the unit beside a value ("rest:sen:E"; for a
 *   characteristic with two values the rest is the other value's cell);
 * - sums: in every group, the school is the sum of its year groups; of all pupils, also the
 *   school the sum of its classes and a year group the sum of its classes (or their parts in
 *   it); in every unit with groups, "all" is the sum of a characteristic's values, and a value
 *   plus its rest.
 *
 * A characteristic within a class is no cell (a governor is not given it: WITHIN_CLASS_TEXT).
 * A class is some 30 pupils, so its SEN, FSM or ethnic groups are nearly all below the
 * minimum, and each one withheld makes the planner withhold others across every sum it is
 * in; on a 4,500-pupil register those cells made a table of 28,575 figures, 14,384 withheld
 * by the primary rule, that the planner had not settled after four minutes of the server's
 * one thread. Without them the same register plans in about 2 seconds and the demo school's
 * whole-school and year-group figures are withheld as before (18 of 34 school groups, 60 of
 * 114 year-group groups, against 62 with them).
 * The cells' counts (pupils, possible and attended sessions, and over a term or longer the
 * persistently and severely absent pupils) come from one grouped query (summariseAtoms), and
 * `planSuppression` (analytics/suppression.ts: primary, then complementary suppression with the
 * generic `protect`) decides them all at once; every page reads its figures' decisions from the
 * plan, so a figure withheld in one view is withheld wherever it appears.
 *
 * What a governor can reach is restricted so the table stays one unit by one group: at most
 * one year group or class, and at most one characteristic, at a time (`restrictGovernorFilter`);
 * on Groups, which itself splits by every characteristic, no characteristic filter. Two
 * characteristics together (FSM pupils with SEN support) would be cells of a table of every
 * combination of characteristics, too many and too small to publish.
 */
import type { Connection } from "./db.ts";
import { keepsWork, keptAlready, keptWork } from "./db.ts";
import { halfTermsInside, halfTermsOf, isWholeHalfTerms, type HalfTerm } from "./governor-periods.ts";
import { persistentAbsenceMeasured, schoolDaysOf } from "./pa-span.ts";
import { forgetYearRows, spanAtomsFromYear } from "./span-atoms.ts";
import { COMPARED_DIMENSIONS, type ComparedDimension } from "./groups.ts";
import { isLeaversGroup } from "./leavers.ts";
import {
  ATOM_COUNT_FIELDS,
  combineAbsence,
  combineAbsenceInto,
  fewestPupilsOnADay,
  fewestPupilsOnADays,
  governorQuery,
  summariseAtoms,
  wholeSpanAbsence,
  type AbsenceBounds,
  type AtomCounts,
  type FewestOnADay,
  type MeasureQuery,
  type PupilDimension,
  type PupilFilter,
  type SessionDimension,
} from "./measures.ts";
import {
  ABSENT_PUPILS,
  inferBounds,
  isSmallCount,
  NOTHING_WITHHELD,
  forgetProtectRuns,
  planSuppression,
  protect,
  SUPPRESSED_FIGURES,
  WITHHELD_TEXT,
  type AtMostRule,
  type Bounds,
  type GroupCounts,
  type LinearRule,
  type GroupFigures,
  type GroupSum,
  type SuppressedFigure,
  type SumRule,
  type SuppressionPlan,
  type Withheld,
} from "./suppression.ts";

// ---------------------------------------------------------------------------------------
// What a governor may filter by

/** Filters a governor may combine: one of these … */
export const GOVERNOR_UNIT_FILTERS = ["year_group", "reg_group"] as const;
/** … with one of these (none on the Groups page). */
export const GOVERNOR_CHARACTERISTIC_FILTERS: readonly ComparedDimension[] = COMPARED_DIMENSIONS;

export interface RestrictedFilter {
  /** The filter a governor's page is computed for. */
  filter: PupilFilter;
  /** The filters asked for and not applied, in the order asked (empty when none). */
  dropped: Array<keyof PupilFilter>;
}

/**
 * The pages' kinds, by the filters a governor may combine on them:
 * - "classes" (Year groups & classes): one year group and one characteristic, or one class;
 * - "groups" (Groups, which splits by every characteristic itself): one year group (a
 *   characteristic within a class is never given: WITHIN_CLASS_TEXT);
 * - "periods" (Overview, Trends, Codes, Patterns: figures week by week, day by day …): one
 *   filter, a year group, a class or a characteristic.
 */
export type GovernorPage = "classes" | "groups" | "periods";

/**
 * The part of `filter` a governor may see on a page of this kind (GovernorPage). A class is
 * kept before a year group (it is the narrower) except on Groups, which takes no class; a
 * year group or class before a characteristic, except a year group with one on "classes";
 * and of several characteristics the first in the Groups page's order. A single pupil (upn)
 * is never a governor's filter. Pure.
 */
export function restrictGovernorFilter(filter: PupilFilter, page: GovernorPage): RestrictedFilter {
  const kept: PupilFilter = {};
  const dropped: Array<keyof PupilFilter> = [];
  const unit: keyof PupilFilter | undefined = filter.reg_group && page !== "groups" ? "reg_group" : filter.year_group ? "year_group" : undefined;
  const first = GOVERNOR_CHARACTERISTIC_FILTERS.find((d) => Boolean(filter[d]));
  const characteristic = (page === "classes" && unit !== "reg_group") || (page === "periods" && !unit) ? first : undefined;
  for (const [key, value] of Object.entries(filter) as Array<[keyof PupilFilter, string | undefined]>) {
    if (!value) continue;
    if (key === unit || key === characteristic) kept[key] = value;
    else dropped.push(key);
  }
  return { filter: kept, dropped };
}

// ---------------------------------------------------------------------------------------
// The table's keys

export const SCHOOL = "school";
export const ALL = "all";
/** The DfE's population, and the pupils outside it (units of a whole span's table). */
export const DFE = "dfe";
export const OUTSIDE = "outside";
const yearUnit = (y: string) => `year:${y}`;
const classUnit = (c: string) => `class:${c}`;
const partUnit = (y: string, c: string) => `year:${y}&class:${c}`;
/**
 * A year group's pupils in one population, for a year group with pupils in both (Reception
 * with a child aged 5 on 31 August; the leavers' group, analytics/leavers.ts, always): each
 * population is the sum of its year groups' parts (a year group wholly in one population is
 * its own part), and such a year group the sum of its two parts. Never printed, but a reader
 * works a part out (the school's DfE-basis figure less the year groups wholly in it, whose
 * whole-roll rows the Groups page says are "the same population"), so protected like a
 * printed cell (isUnprinted). The leavers' parts' pupils are known as the leavers' are (the
 * school's DfE population over the span less over its last half term: isLeaversPublic),
 * their absence counts protected.
 */
const yearPopulationUnit = (y: string, pop: AtomPopulation) => `year:${y}&population:${pop}`;
const valueGroup = (d: ComparedDimension, v: string) => `${d}:${v}`;
const restGroup = (d: ComparedDimension, v: string) => `rest:${d}:${v}`;
/** A cell of the table: the plan's group key. */
export const cellKey = (unit: string, group: string) => `${unit}|${group}`;

/**
 * The cells that hold every session of every pupil they count: the whole school, and each
 * population (a pupil's age on 31 August, so their population, is the same all year). A
 * class, a year group or a characteristic's group does not (a pupil who changed class or
 * characteristic, or left, is counted in one and has sessions in another).
 */
const CLOSED_CELLS: ReadonlySet<string> = new Set([cellKey(SCHOOL, ALL), cellKey(DFE, ALL), cellKey(OUTSIDE, ALL)]);

// ---------------------------------------------------------------------------------------
// One period's table

/**
 * "full": every unit by every group, with the rest-of-unit cells (a whole span: Year groups &
 * classes and Groups open any unit with any characteristic). "cross": the units' own figures
 * and the whole school's groups, no rests (a breakdown by week, month, date or term: one
 * filter at a time, and a table small enough to plan for every period).
 */
export type LatticeShape = "full" | "cross";

/**
 * The DfE's population (pupils aged 5–15 on 31 August: measures.ts dfePopulation) and the
 * pupils outside it (Reception and nursery, by age): over a whole span, the figures a
 * governor reads compared with published ones (Benchmarks, the head's report, the FGB pack's
 * "DfE basis" column) are cells of the same table, so the whole roll less the DfE population
 * cannot be used to work out a withheld figure either.
 */
export type AtomPopulation = "dfe" | "outside";

/** An atom, over a whole span, with the population its pupils are in. */
export interface LatticeAtom extends AtomCounts {
  population?: AtomPopulation;
}

/** The pupils counted in a period, by their units and groups. */
interface Structure {
  years: string[];
  classes: string[];
  /** The year groups of each class's pupils. */
  classYears: Map<string, Set<string>>;
  /** Each characteristic's values in the period, in a stable order. */
  values: Map<ComparedDimension, string[]>;
  /** The populations of each year group's pupils (empty without population atoms). */
  yearPopulations: Map<string, Set<AtomPopulation>>;
}

function structureOf(atoms: LatticeAtom[]): Structure {
  const yearPopulations = new Map<string, Set<AtomPopulation>>();
  const years = new Set<string>();
  const classYears = new Map<string, Set<string>>();
  const values = new Map<ComparedDimension, Set<string>>(COMPARED_DIMENSIONS.map((d) => [d, new Set<string>()]));
  for (const atom of atoms) {
    years.add(atom.year_group);
    const set = classYears.get(atom.reg_group) ?? new Set<string>();
    set.add(atom.year_group);
    classYears.set(atom.reg_group, set);
    for (const d of COMPARED_DIMENSIONS) values.get(d)!.add(atom[d]);
    if (atom.population) {
      const pops = yearPopulations.get(atom.year_group) ?? new Set<AtomPopulation>();
      pops.add(atom.population);
      yearPopulations.set(atom.year_group, pops);
    }
  }
  return {
    yearPopulations,
    years: [...years].sort(),
    classes: [...classYears.keys()].sort(),
    classYears,
    values: new Map([...values].map(([d, set]) => [d, [...set].sort()])),
  };
}

/** A year group whose cells are split by population (yearPopulationUnit): the leavers', and one with pupils in both. */
const splitByPopulation = (s: Structure, year: string): boolean => isLeaversGroup(year) || (s.yearPopulations.get(year)?.size ?? 0) > 1;

const unitsOfAtom = (s: Structure, atom: LatticeAtom): string[] => {
  const units = [SCHOOL, yearUnit(atom.year_group), classUnit(atom.reg_group)];
  if (s.classYears.get(atom.reg_group)!.size > 1) units.push(partUnit(atom.year_group, atom.reg_group));
  if (atom.population) units.push(atom.population === "dfe" ? DFE : OUTSIDE);
  if (atom.population && splitByPopulation(s, atom.year_group)) units.push(yearPopulationUnit(atom.year_group, atom.population));
  return units;
};

/**
 * The rest of a unit beside a characteristic's value: its own cell only with 3+ values; the
 * whole unit beside a value no pupil of the table has (the FGB pack's and the Groups page's
 * fixed list of groups: "EHC plan" in a school with none). That rest is the unit's every
 * pupil, so it is withheld as the unit is: read as a cell of its own, which no table has, it
 * was withheld nowhere, and printed the school's withheld persistent absence as a percentage.
 */
function restOf(s: Structure, d: ComparedDimension, v: string): string | null {
  const values = s.values.get(d)!;
  if (!values.includes(v)) return ALL;
  const others = values.filter((x) => x !== v);
  if (others.length === 0) return null;
  if (others.length === 1 && values.includes(v)) return valueGroup(d, others[0]);
  return restGroup(d, v);
}

/** Whether a unit has characteristic groups: the school (and the DfE's population and the rest), a year group; never a class or a part of one. */
const hasGroups = (unit: string, shape: LatticeShape): boolean =>
  shape === "cross" ? unit === SCHOOL : !unit.startsWith("class:") && !unit.includes("&class:");

const groupsOfAtom = (s: Structure, atom: AtomCounts, unit: string, shape: LatticeShape): string[] => {
  const groups = [ALL];
  if (!hasGroups(unit, shape)) return groups;
  const rests = shape === "full";
  for (const d of COMPARED_DIMENSIONS) {
    groups.push(valueGroup(d, atom[d]));
    if (rests && s.values.get(d)!.length > 2) for (const v of s.values.get(d)!) if (v !== atom[d]) groups.push(restGroup(d, v));
  }
  return groups;
};

/**
 * The cells of a table's atoms, by unit, with each name made once per table (cellKey, the
 * groups' names, an atom's groups): a large school's table meets each cell hundreds of
 * thousands of times, once per atom, unit and group, and made them afresh each time. The
 * function returned gives an atom's cells: those of unitsOfAtom × groupsOfAtom by cellKey, in
 * that order, each the one `make` made of its key when first met (makeTable's sums), so that a
 * cell met again is one look-up by its group in its unit's map, not a key looked up twice.
 */
function cellsOfAtoms<T>(s: Structure, shape: LatticeShape, make: (key: string) => T): (atom: LatticeAtom) => T[] {
  const byUnit = new Map<string, Map<string, T>>();
  const names = new Map<string, string[]>();
  // An atom's groups in a unit with groups (groupsOfAtom: the same list in every such unit),
  // by its characteristics.
  const groupsOf = (atom: LatticeAtom): string[] => {
    const signature = COMPARED_DIMENSIONS.map((d) => atom[d]).join("\u0000");
    let groups = names.get(signature);
    if (!groups) names.set(signature, (groups = groupsOfAtom(s, atom, SCHOOL, shape)));
    return groups;
  };
  const only = [ALL];
  return (atom) => {
    const cells: T[] = [];
    const groups = groupsOf(atom);
    for (const unit of unitsOfAtom(s, atom)) {
      let byGroup = byUnit.get(unit);
      if (!byGroup) byUnit.set(unit, (byGroup = new Map()));
      const list = hasGroups(unit, shape) ? groups : only;
      for (let i = 0; i < list.length; i++) {
        let cell = byGroup.get(list[i]);
        if (cell === undefined) byGroup.set(list[i], (cell = make(cellKey(unit, list[i]))));
        cells.push(cell);
      }
    }
    return cells;
  };
}

type CellFigures = Required<Omit<GroupFigures, "absence">>;
const ZERO: CellFigures = { pupils: 0, possible_sessions: 0, attended_sessions: 0, pa_pupils: 0, sa_pupils: 0, absent_pupils: 0 };
/** Every count a cell carries (what a plan publishes is a choice among them: planLattice's figures). */
const CELL_FIGURES: readonly SuppressedFigure[] = [...SUPPRESSED_FIGURES, ABSENT_PUPILS];

/** A cell of a table being made (makeTable): its counts in CELL_FIGURES' order, its AbsenceBounds, and whether those are its own (combined from two atoms or more). */
interface CellSum {
  sum: Float64Array;
  absence: AbsenceBounds | undefined;
  owned: boolean;
}

/** Each figure's place in CELL_FIGURES. */
const AT = Object.fromEntries(CELL_FIGURES.map((f, i) => [f, i])) as Record<SuppressedFigure, number>;

/**
 * An atom's counts in CELL_FIGURES' order (figuresOf's, and its pupils absent), written into
 * `out`: makeTable reads them for every atom of every table, and made two objects an atom.
 */
function atomFigures(atom: LatticeAtom, out: Float64Array): void {
  out[AT.pupils] = atom.pupils;
  out[AT.possible_sessions] = atom.possible_sessions;
  out[AT.attended_sessions] = atom.present_sessions + atom.aea_sessions;
  out[AT.pa_pupils] = atom.pa_pupils;
  out[AT.sa_pupils] = atom.sa_pupils;
  out[AT.absent_pupils] = atom.absent_pupils;
}

/**
 * The cells and sums of one period's table. Cells without pupils are left out (every figure
 * of a group without pupils is 0, and a 0 part adds nothing to a sum).
 */
function tableOf(atoms: LatticeAtom[], shape: LatticeShape): Table {
  // The same atoms (a span's, kept: spanAtoms) are tabled once per shape: forcedRows plans a
  // span again round after round, and the table (its cells, sums and bounds) is read, never changed.
  let byShape = tables.get(atoms);
  if (!byShape) tables.set(atoms, (byShape = new Map()));
  let table = byShape.get(shape);
  if (!table) byShape.set(shape, (table = tableOfCounts(atoms, shape)));
  return table;
}

/**
 * The table of atoms with these counts (atomsKey: a table is a function of the atoms' counts
 * and the shape alone, never of their period), made once while kept: a span's atoms are read
 * afresh by each request or pack (spanAtoms is kept per piece of work without the result
 * cache), and their table made again each time (at 4,500 pupils a tenth of a second a span,
 * fifteen spans a governors' pack) though the plans on it were kept (planOnce). A changed
 * register gives other counts, so a stale table is never read. Bounded: the oldest go first.
 */
function tableOfCounts(atoms: LatticeAtom[], shape: LatticeShape): Table {
  const key = `${shape}\u0000${atomsKey(atoms)}`;
  let table = tablesByCounts.get(key);
  if (table) tablesByCounts.delete(key);
  else {
    table = makeTable(atoms, shape);
    if (tablesByCounts.size >= TABLES_KEPT_MAX) tablesByCounts.delete(tablesByCounts.keys().next().value!);
  }
  tablesByCounts.set(key, table);
  return table;
}

const tablesByCounts = new Map<string, Table>();
const TABLES_KEPT_MAX = 200;

/** A period's table: its structure, cells and sums (tableOf). */
interface Table {
  /**
   * This table's number, never another's (made in order): the plans on it are kept by it
   * (planOnce). A table is kept by its atoms' counts (tableOfCounts), so two tables of different
   * counts, shapes or populations never share a number; one made again for the same counts
   * after the first was forgotten has a new one (its plans are made again, the same).
   */
  id: number;
  structure: Structure;
  groups: GroupCounts[];
  sums: GroupSum[];
}

const tables = new WeakMap<LatticeAtom[], Map<LatticeShape, Table>>();

function makeTable(atoms: LatticeAtom[], shape: LatticeShape): Table {
  const rests = shape === "full";
  const s = structureOf(atoms);
  // Each cell's counts in CELL_FIGURES' order, summed in place (made objects at the end), by its key
  // in the order first met. With them each cell's AbsenceBounds, combined from its atoms' (the least
  // of leasts, the most of mosts, the sum of the sessions missed by pupils counted elsewhere:
  // combineAbsence). Every cell of the table is a union of atoms (the school, a year group, a class
  // or its part in a year group, a population or a year group's part in one, each with all pupils, a
  // characteristic's value or the rest beside one, the leavers' included), so every cell has them,
  // each a rule true of the true figures (AbsenceBounds). A pupil counted in one atom with earlier
  // half terms' sessions in another of the same cell (a pupil who changed class, or characteristic,
  // or left: their row has no sessions) adds those sessions to the other atom's uncounted ones, and
  // their least in the cell is read as their least in their own atom: the cell's coefficients are
  // looser than its pupils' own in the cell would give (never wrong), so a reader who knew exactly
  // how each such pupil's sessions fell across the cell's atoms could bound a count more tightly
  // than the planner assumes; a reader is told no pupil's sessions by half term, only the groups'
  // sums.
  const counts = new Map<string, CellSum>();
  const cellsOf = cellsOfAtoms(s, shape, (key): CellSum => {
    const cell: CellSum = { sum: new Float64Array(CELL_FIGURES.length), absence: undefined, owned: false };
    counts.set(key, cell);
    return cell;
  });
  // One atom's counts in CELL_FIGURES' order, written for each atom in turn (no object made for it).
  const values = new Float64Array(CELL_FIGURES.length);
  for (const atom of atoms) {
    atomFigures(atom, values);
    const cells = cellsOf(atom);
    for (let c = 0; c < cells.length; c++) {
      const cell = cells[c];
      const sum = cell.sum;
      for (let i = 0; i < sum.length; i++) sum[i] += values[i];
      // A cell's first atom's bounds as they are (read, never changed); its second makes the
      // cell's own (combineAbsence), into which the rest are folded (combineAbsenceInto).
      if (cell.absence === undefined) cell.absence = atom.absence;
      else if (cell.owned) combineAbsenceInto(cell.absence, atom.absence);
      else {
        cell.absence = combineAbsence(cell.absence, atom.absence);
        cell.owned = true;
      }
    }
  }
  const PUPILS = CELL_FIGURES.indexOf("pupils");
  const POSSIBLE = CELL_FIGURES.indexOf("possible_sessions");
  // Under half-term membership a cell can have sessions and no pupils (a class every pupil of
  // which moved out in an earlier half term: they are counted where they ended): still a cell.
  const present = (key: string) => (counts.get(key)?.sum[PUPILS] ?? 0) > 0 || (counts.get(key)?.sum[POSSIBLE] ?? 0) > 0;
  const sums: GroupSum[] = [];
  // A part without pupils adds nothing and is left out; a total with pupils has parts with
  // pupils (every pupil is in one part), or the sum was wrongly made: a sum of nothing would
  // tell a reader the total is 0 and upset every range worked out from it.
  const addSum = (total: string, parts: string[]) => {
    if (!present(total)) return;
    const kept = parts.filter(present);
    if (kept.length === 0) throw new Error(`suppression table: ${total} has pupils but none of its parts do`);
    sums.push({ total, parts: kept });
  };
  // The cross shape has no group within a year group or class, the full shape none within a
  // class: no sums through them.
  const inShape = (unit: string, group: string) => group === ALL || hasGroups(unit, shape);
  const unitsOfClassIn = (c: string, y: string) => (s.classYears.get(c)!.size > 1 ? partUnit(y, c) : classUnit(c));
  const columns = new Set<string>();
  for (const key of counts.keys()) columns.add(key.slice(key.indexOf("|") + 1));
  for (const group of columns) {
    if (!inShape(yearUnit(""), group)) continue;
    addSum(cellKey(SCHOOL, group), s.years.map((y) => cellKey(yearUnit(y), group)));
    if (inShape(classUnit(""), group)) {
      addSum(cellKey(SCHOOL, group), s.classes.map((c) => cellKey(classUnit(c), group)));
      for (const y of s.years) {
        addSum(cellKey(yearUnit(y), group), s.classes.filter((c) => s.classYears.get(c)!.has(y)).map((c) => cellKey(unitsOfClassIn(c, y), group)));
      }
      for (const c of s.classes) {
        if (s.classYears.get(c)!.size > 1) addSum(cellKey(classUnit(c), group), [...s.classYears.get(c)!].map((y) => cellKey(partUnit(y, c), group)));
      }
    }
    if (s.yearPopulations.size > 0) {
      // The whole roll is the DfE's population and the rest, and each population the sum of
      // its year groups' parts in it (a year group wholly in one population is its own part: a
      // sum a reader knows, Reception outside and Years 1–6 inside), a split year group the sum
      // of its parts. Before, with any year group in both populations (a Reception child aged
      // 5) these sums were left out, and the school's DfE-basis FSM figure less Year 1's
      // whole-roll FSM row gave Reception's (test/governor-break-units.test.ts).
      addSum(cellKey(SCHOOL, group), [cellKey(DFE, group), cellKey(OUTSIDE, group)]);
      for (const pop of ["dfe", "outside"] as const) {
        const parts = s.years.filter((y) => s.yearPopulations.get(y)?.has(pop)).map((y) => cellKey(splitByPopulation(s, y) ? yearPopulationUnit(y, pop) : yearUnit(y), group));
        addSum(cellKey(pop === "dfe" ? DFE : OUTSIDE, group), parts);
      }
      for (const y of s.years.filter((y) => splitByPopulation(s, y))) addSum(cellKey(yearUnit(y), group), (["dfe", "outside"] as const).map((pop) => cellKey(yearPopulationUnit(y, pop), group)));
    }
  }
  const units = new Set<string>();
  for (const key of counts.keys()) units.add(key.slice(0, key.indexOf("|")));
  for (const unit of units) {
    if (!inShape(unit, valueGroup("sen", ""))) continue;
    for (const d of COMPARED_DIMENSIONS) {
      const values = s.values.get(d)!;
      addSum(cellKey(unit, ALL), values.map((v) => cellKey(unit, valueGroup(d, v))));
      if (rests && values.length > 2) for (const v of values) addSum(cellKey(unit, ALL), [cellKey(unit, valueGroup(d, v)), cellKey(unit, restGroup(d, v))]);
    }
  }
  const groups: GroupCounts[] = [...counts].filter(([key]) => present(key)).map(([key, { sum, absence }]) => {
    const figures = { ...ZERO };
    CELL_FIGURES.forEach((f, i) => (figures[f] = sum[i]));
    // A cell holding every session of every pupil it counts (the school, each population)
    // takes its bounds from its pupils' whole spans (AbsenceBounds.whole): tighter there than
    // its atoms' own, which miss a mover's or a leaver's sessions in another atom.
    const own = absence!;
    const closed = CLOSED_CELLS.has(key);
    return { key, ...figures, absence: closed ? wholeSpanAbsence(own, figures.possible_sessions - figures.attended_sessions) : own };
  });
  return { id: ++tablesMade, structure: s, groups, sums };
}

/** Tables made in this process (Table.id). */
let tablesMade = 0;

/**
 * How many governors' tables this copy of the module has worked out since the process started
 * (each a Table.id). A CLI command relayed to the dashboard's server reports the ones it cost
 * (analytics/cli/remote.ts runForCaller): none, when the dashboard had already made the plans it
 * needed and the command ran on the dashboard's own copy of this module.
 */
export function governorTablesMade(): number {
  return tablesMade;
}

// ---------------------------------------------------------------------------------------
// The plan, and what it withholds of a view

/** What a governor may see of every view of one period (or of a whole span). */
export interface LatticePlan {
  min: number;
  shape: LatticeShape;
  /**
   * What is withheld of the pupils a governor's filter chooses (restrictGovernorFilter with
   * characteristics allowed): the whole row, or the PA / SA counts. A characteristic's value
   * with no pupils and no sessions in the period reads as a small group's (every figure
   * withheld, WITHHELD_TEXT), so that 0 and 1 to min − 1 pupils cannot be told apart; so does a
   * year group or class with none. Throws for a filter a governor may not use.
   */
  withheld(filter: PupilFilter): Withheld;
  /**
   * The same for the rest of the filter's pupils beside one value of a characteristic (the
   * Groups page's "everyone else"): the filter may hold no characteristic.
   */
  restWithheld(filter: PupilFilter, dimension: ComparedDimension, value: string): Withheld;
  /** The plan itself, keyed by cellKey(unit, group): for tests that try to recover cells. */
  suppression: SuppressionPlan;
  /** Every cell with its counts (pupils ≥ 1). */
  cells: GroupCounts[];
  sums: GroupSum[];
  /**
   * The same plan read by the keys of analytics/suppression.ts `groupKey` (the FGB pack's
   * tables, the head's benchmark report), so that every artefact a governor reaches for this
   * span takes its decisions from one plan (issue 13, cases 8–9). `basis` "whole-roll":
   * "school", "year:Y", "class:C", "sen:E" (the whole school's group), "rest:sen:E" (the rest
   * of the school beside it), and "dfe" (the school on the DfE's population). `basis` "dfe" (the
   * report): "school" (the whole roll), "dfe", "rest:population" (the pupils outside it), and
   * "sen:E" / "rest:sen:E" on the DfE's population. A key with no pupils and no sessions withholds nothing.
   * Throws for a key that is no cell of the table.
   */
  asGroupPlan(basis: "whole-roll" | "dfe"): SuppressionPlan;
}

/** The unit a filter's year group and class choose, or null when they choose no one. */
function unitOf(s: Structure, filter: PupilFilter): string | null {
  const y = filter.year_group;
  const c = filter.reg_group;
  if (!c) return y ? yearUnit(y) : SCHOOL;
  if (!y) return classUnit(c);
  const years = s.classYears.get(c);
  if (!years || !years.has(y)) return null;
  return years.size > 1 ? partUnit(y, c) : classUnit(c);
}

function characteristicOf(filter: PupilFilter): [ComparedDimension, string] | null {
  const set = GOVERNOR_CHARACTERISTIC_FILTERS.filter((d) => Boolean(filter[d]));
  if (set.length > 1) throw new Error(`governors see one characteristic at a time (got ${set.join(", ")})`);
  return set.length === 1 ? [set[0], filter[set[0]]!] : null;
}

function assertGovernorFilter(filter: PupilFilter): void {
  for (const [key, value] of Object.entries(filter)) {
    if (!value) continue;
    if (!(GOVERNOR_UNIT_FILTERS as readonly string[]).includes(key) && !(GOVERNOR_CHARACTERISTIC_FILTERS as readonly string[]).includes(key)) {
      throw new Error(`governors may not filter by "${key}"`);
    }
  }
}

function withheldOf(plan: SuppressionPlan, key: string, inTable: boolean, figures: readonly SuppressedFigure[]): Withheld {
  const absentPlanned = figures.includes(ABSENT_PUPILS);
  if (!inTable) return absentPlanned ? { ...NOTHING_WITHHELD, absent: null } : NOTHING_WITHHELD;
  if (plan.rowHidden(key)) {
    const text = plan.text(key, "pupils");
    // The leavers' pupils are every reader's (isLeaversPublic): printed, the rest of the row withheld.
    const known = isLeaversPublic(key, "pupils") ? { pupilsKnown: true } : {};
    return { row: text, pa: text, sa: text, ...(absentPlanned ? { absent: text, absence: text } : {}), ...known };
  }
  const text = (figure: SuppressedFigure) => (!plan.hidden(key, figure) ? null : printedText(plan, key, figure));
  // The absence in sessions withheld with the row shown: over a span where the pupils absent at
  // least once are given (absenceWithheld); else attended sessions go only with the row.
  return { row: null, pa: text("pa_pupils"), sa: text("sa_pupils"), ...(absentPlanned ? { absent: text(ABSENT_PUPILS), absence: text("attended_sessions") } : {}) };
}

/**
 * The words printed in place of a cell's withheld figure, one source for the pages
 * (withheldOf), the FGB pack and the head's report (LatticePlan.asGroupPlan): a figure a
 * governor is never given (isUnpublished) says so — a pupil group's severe absence "not given
 * for a pupil group" (BY_GROUP_TEXT), any other such count WITHIN_UNIT_TEXT — and a figure
 * withheld the plan's text ("withheld"). `key`: a cell of the plan's table.
 */
function printedText(plan: SuppressionPlan, key: string, figure: SuppressedFigure): string {
  if (!isUnpublished(key, figure)) return plan.text(key, figure);
  return figure === "sa_pupils" && (key.startsWith(`${SCHOOL}|`) || key.startsWith(`${DFE}|`)) ? BY_GROUP_TEXT : WITHIN_UNIT_TEXT;
}

/**
 * Plans one period's table from its atoms (summariseAtoms rows of one period). `rests`: the
 * Groups page's rest-of-unit cells are in the table (a whole span). `figures`: the counts
 * published per view (persistent and severe absence only over a term or longer).
 */
export function planLattice(atoms: LatticeAtom[], min: number, options: TableOptions): LatticePlan {
  return latticeView(planTable(atoms, min, options), min, options);
}

/**
 * How a period's table is planned: its shape and the figures published per view. Every PA and
 * SA count is bounded by the sessions beside it (the cells' AbsenceBounds: analytics/
 * suppression.ts absenceRules) over every span, whatever its length: the Overview gives no PA
 * over a span shorter than PA_MIN_SCHOOL_DAYS school days, but Year groups & classes, Groups,
 * the FGB pack and the head's report give it over any period a governor can choose, beside
 * the sessions (issue 13, cases 8–9; docs/DEFINITIONS.md "Session counts beside a withheld
 * count of pupils").
 */
export interface TableOptions {
  shape: LatticeShape;
  figures: readonly SuppressedFigure[];
  /**
   * The span is short enough for a governor to be given the pupils absent at least once
   * instead of PA and SA (the Overview: analytics/governor-view.ts governorSpanIsShort): the
   * absence in sessions of a cell whose count is withheld goes with it, and complementary
   * cells' with theirs (absenceWithheld). Default false.
   */
  absentGiven?: boolean;
  /**
   * Figures (`cellKey|figure`) a reader has whatever this table prints: a period's sessions
   * that its half terms' published figures add up to (knownFromHalfTerms). Read as known,
   * never withheld to protect another (DisclosureCell.public).
   */
  known?: ReadonlySet<string>;
  /** Cells whose sessions this half term's plan withholds for a longer period's sake (forcedRows). */
  forced?: ReadonlySet<string>;
}

/** One period's table and the planner's decisions on it (the costly part, kept by planOnce). */
interface PlannedTable {
  structure: Structure;
  groups: GroupCounts[];
  sums: GroupSum[];
  plan: SuppressionPlan;
  /**
   * The figures (`cellKey|figure`) no withholding in this table protects: every figure of their
   * rules withheld or known to every reader, their words without range, and still pinned —
   * by what a reader has whatever this table prints (a period's sessions from its half terms).
   * forcedRows withholds their rows in a half term where it can; what is left (a leavers'
   * group's severely absent count of 0 beside the school's own 0, worked out from its
   * published sessions) stays withheld, and nothing else is withheld for it.
   */
  stuck: ReadonlySet<string>;
}

function planTable(atoms: LatticeAtom[], min: number, options: TableOptions): PlannedTable {
  const { structure, groups, sums } = tableOf(atoms, options.shape);
  const known = options.known;
  const forced = options.forced;
  // Figures no withholding protects are collected, not thrown (PlannedTable.stuck).
  const stuck = new Set<string>();
  const plan = planSuppression(groups, sums, min, {
    figures: options.figures,
    costOf: costOfCell,
    focused: true,
    unpublished: isUnpublished,
    unprinted: isUnprinted,
    isPublic: (key, figure) => isLeaversPublic(key, figure) || (known?.has(`${key}|${figure}`) ?? false),
    forced: forced && forced.size > 0 ? (key) => forced.has(key) : undefined,
    stuck,
    linear: closedSumRules(groups, sums, options.figures),
    // A count withheld to protect others keeps as many values as "fewer than min" leaves a
    // small one (1 to min − 1): docs/DEFINITIONS.md "Withheld figures (governors)".
    secondaryWidth: min - 1,
  });
  const absentGiven = options.absentGiven === true && options.figures.includes(ABSENT_PUPILS);
  return { structure, groups, sums, plan: absentGiven ? withAbsenceWithheld(plan, absenceWithheld(groups, sums, plan, known)) : plan, stuck };
}

/**
 * Over a span where a governor is given the pupils absent at least once (TableOptions
 * absentGiven), the cells whose absence in sessions is withheld though their row is shown
 * (docs/DEFINITIONS.md "Session counts beside a withheld count of pupils"). Each pupil absent
 * at least once misses 1 or 2 sessions a day, so beside a withheld count its absent sessions
 * bound it (1 session missed is 1 pupil): every cell whose count is printed and withheld has
 * its absence withheld. A cell's absent sessions add up over the table's sums like its
 * pupils (3A's are Year 3's less 3B's; Year 3's are its FSM pupils' plus the rest's, whose
 * counts are never printed), so complementary cells' absence is withheld too, chosen by
 * protect over those sums as for any figure without printed bounds: none is then a total
 * less others shown. Cells whose row is withheld hide their sessions already; cells never
 * printed (the pupils outside the DfE's population) are hidden from the start; the leavers'
 * sessions (0) are known to every reader.
 */
function absenceWithheld(groups: GroupCounts[], sums: GroupSum[], plan: SuppressionPlan, known?: ReadonlySet<string>): Set<string> {
  const unknown = { lo: 0, hi: Number.POSITIVE_INFINITY };
  const cells = groups.map((g) => {
    const row = plan.rowHidden(g.key);
    const primary = !row && plan.hidden(g.key, ABSENT_PUPILS) && !isUnpublished(g.key, ABSENT_PUPILS);
    return {
      id: g.key,
      value: g.possible_sessions - g.attended_sessions,
      cost: costOfCell(g.key),
      ...(primary ? { primary: unknown } : {}),
      ...(row ? { unpublished: true } : isUnprinted(g.key) ? { unprinted: true } : {}),
      // Sessions every reader has (the leavers'; a period's that its half terms add up to:
      // TableOptions.known) are never withheld to protect another.
      ...(isLeaversPublic(g.key, "attended_sessions") || (!primary && known?.has(`${g.key}|attended_sessions`)) ? { public: true } : {}),
    };
  });
  const hidden = protect(cells, sums, [], { focused: true });
  return new Set([...hidden.keys()].filter((key) => !plan.rowHidden(key)));
}

/**
 * A plan with the absence in sessions of more cells withheld (absenceWithheld): their
 * attended sessions hidden (and with them every absence count and rate), their row shown.
 */
function withAbsenceWithheld(plan: SuppressionPlan, cells: ReadonlySet<string>): SuppressionPlan {
  if (cells.size === 0) return plan;
  const more = (key: string, figure: SuppressedFigure) => figure === "attended_sessions" && cells.has(key);
  return {
    ...plan,
    hidden: (key, figure) => plan.hidden(key, figure) || more(key, figure),
    reason: (key, figure) => plan.reason?.(key, figure) ?? (more(key, figure) ? "secondary" : null),
  };
}

/**
 * What a closed cell's sessions (the school, a population: every session of every pupil it
 * counts) say of its own PA and SA counts through its parts: each pupil is counted in one part
 * of a sum, and every session they missed over the span, wherever it fell, is among the
 * closed total's; a PA pupil of a part missed at least that part's least (over their whole
 * span). So for any part's least L, L × the total's count + attended ≤ possible + Σ over the
 * parts with a smaller least of (L − theirs) × their pupils (each such pupil needs at most
 * that much less). A reader does this with the leavers' group (at least 4 of their 40
 * sessions each) beside the pupils who stayed (8 of 80): 8 missed in all allow one
 * persistently absent pupil, where the school's own least (4) allows two
 * (test/governor-break12-leaver-school.test.ts). A part without whole-span bounds counts as
 * needing none (0). The rule on the parts' counts themselves (Σ least ×
 * count + attended ≤ possible), as true, is not given: with it the planner withheld whole
 * rows of the school over a term for counts no reader pins (test/governor-view.test.ts).
 */
function closedSumRules(groups: readonly GroupCounts[], sums: readonly GroupSum[], figures: readonly SuppressedFigure[]): LinearRule[] {
  if (!figures.includes("possible_sessions") || !figures.includes("attended_sessions")) return [];
  const byKey = new Map(groups.map((g) => [g.key, g]));
  const rules: LinearRule[] = [];
  for (const sum of sums) {
    if (!CLOSED_CELLS.has(sum.total) || !byKey.has(sum.total)) continue;
    for (const [figure, least] of [["pa_pupils", "pa_least"], ["sa_pupils", "sa_least"]] as const) {
      if (!figures.includes(figure)) continue;
      // Each part's least; a part without whole-span bounds needs none (0), one counting no
      // pupil has no count (left out).
      const parts = sum.parts.flatMap((part) => {
        const times = byKey.get(part)?.absence?.whole?.[least] ?? 0;
        return Number.isFinite(times) ? [{ part, times: Math.max(0, times) }] : [];
      });
      const attended = { id: `${sum.total}|attended_sessions`, times: 1 };
      const possible = { id: `${sum.total}|possible_sessions`, times: 1 };
      for (const times of new Set(parts.map((p) => p.times).filter((t) => t > 0))) {
        const cheaper = parts.filter((p) => p.times < times).map((p) => ({ id: `${p.part}|pupils`, times: times - p.times }));
        if (cheaper.length > 0) rules.push({ left: [{ id: `${sum.total}|${figure}`, times }, attended], right: [possible, ...cheaper] });
      }
    }
  }
  return rules;
}

/**
 * The plan as pages read it. `rowsWithheld`: cells whose whole row is withheld besides those
 * the planner withheld (a span's cells withheld in one of its half terms: governorLattice),
 * printed as withheld to protect others.
 */
function latticeView(
  table: PlannedTable,
  min: number,
  options: { shape: LatticeShape; figures: readonly SuppressedFigure[] },
  rowsWithheld: ReadonlySet<string> = new Set(),
): LatticePlan {
  if (rowsWithheld.size > 0) return makeLatticeView(table, min, options, rowsWithheld);
  // Without more rows withheld, one view per kept plan (planOnce): a half term's plan is read by
  // every longer period's (knownFromHalfTerms, sessionsKnownIn: kept by the view), and the same
  // view on an unchanged register finds what they worked out in an earlier piece of work.
  const key = `${min}\u0000${options.shape}\u0000${options.figures.join(",")}`;
  let views = viewsOfTable.get(table);
  if (!views) viewsOfTable.set(table, (views = new Map()));
  let view = views.get(key);
  if (!view) views.set(key, (view = makeLatticeView(table, min, options, rowsWithheld)));
  return view;
}

/** latticeView's views without more rows withheld, by plan, minimum, shape and figures. */
const viewsOfTable = new WeakMap<PlannedTable, Map<string, LatticePlan>>();

function makeLatticeView(
  table: PlannedTable,
  min: number,
  options: { shape: LatticeShape; figures: readonly SuppressedFigure[] },
  rowsWithheld: ReadonlySet<string>,
): LatticePlan {
  const { structure, groups, sums } = table;
  const plan = rowsWithheld.size > 0 ? withRowsWithheld(table.plan, rowsWithheld) : table.plan;
  // The table's cells: those with pupils, and (half-term membership, over several half terms)
  // those with sessions and no pupils — a class of Autumn 1 only whose pupils all moved, the
  // FSM group when its one pupil stopped being eligible: over the term their sessions are
  // Autumn 1's, and withheld as Autumn 1 withheld them (withheldInHalfTerms). Read as "no
  // pupils, nothing withheld", those sessions (one pupil's half term) were published
  // (test/governor-break.test.ts). A key with neither withholds nothing (every figure 0).
  const inTable = new Set(groups.map((g) => g.key));
  const lookup = (unit: string | null, group: string | null): Withheld => {
    if (unit === null || group === null) return NOTHING_WITHHELD;
    const key = cellKey(unit, group);
    if (group !== ALL && !hasGroups(unit, options.shape)) {
      // A group within a class is no cell of the table: never given, whatever its size.
      if (options.shape === "full") return withinClass(options.figures);
      throw new Error("a breakdown by period gives governors one filter at a time: a year group or class, or a characteristic");
    }
    return withheldOf(plan, key, inTable.has(key), options.figures);
  };
  return {
    min,
    shape: options.shape,
    withheld(filter) {
      assertGovernorFilter(filter);
      const characteristic = characteristicOf(filter);
      const unit = unitOf(structure, filter);
      const group = characteristic ? valueGroup(...characteristic) : ALL;
      // A pupil characteristic's value with no one in the period (no cell: no pupils, no
      // sessions) reads as a small group's does, withheld with the same words: "no register
      // marks" there beside "withheld" for 1 to 4 pupils told a governor whether a group had a
      // pupil in the period (trial18b). So does a year group or class with no one in the period
      // (a class "Not assigned" read "There are no register marks … for these pupils" beside
      // "withheld" for a class of one: trial, session 21), and a year group and class that
      // together choose no one.
      if (characteristic && unit !== null && !inTable.has(cellKey(unit, group)) && hasGroups(unit, options.shape)) return emptyWithheld(options.figures);
      if (!characteristic && (unit === null || (unit !== SCHOOL && !inTable.has(cellKey(unit, ALL))))) return emptyWithheld(options.figures);
      return lookup(unit, group);
    },
    restWithheld(filter, dimension, value) {
      assertGovernorFilter(filter);
      if (options.shape !== "full") throw new Error("the rest of a unit beside a characteristic is planned over a whole span only");
      if (characteristicOf(filter)) throw new Error("the rest of a characteristic's value is read without a characteristic filter");
      return lookup(unitOf(structure, filter), restOf(structure, dimension, value));
    },
    suppression: plan,
    cells: groups,
    sums,
    asGroupPlan(basis) {
      const cellOf = (key: string) => groupKeyCell(structure, key, basis);
      const shown = (key: string) => inTable.has(key);
      return {
        min,
        rowHidden: (key) => shown(cellOf(key)) && plan.rowHidden(cellOf(key)),
        rowReason: (key) => (shown(cellOf(key)) ? plan.rowReason(cellOf(key)) : null),
        hidden: (key, figure) => shown(cellOf(key)) && plan.hidden(cellOf(key), figure),
        // The pages' words (printedText): a pupil group's severe absence read "withheld" here,
        // as a small count would, where the pages say "not given for a pupil group".
        text: (key, figure) => printedText(plan, cellOf(key), figure),
      };
    },
  };
}

/**
 * What a governor reads of a filter that chooses no pupils in the period: every figure withheld
 * with WITHHELD_TEXT, as a group of 1 to min − 1 pupils' (LatticePlan.withheld), so that 0 and a
 * few read alike. Its figures are all 0: withholding them hides nothing else.
 */
function emptyWithheld(figures: readonly SuppressedFigure[]): Withheld {
  const text = WITHHELD_TEXT;
  return { row: text, pa: text, sa: text, ...(figures.includes(ABSENT_PUPILS) ? { absent: text, absence: text } : {}) };
}

/** A plan with more rows withheld (each figure of them), printed as withheld to protect others. */
function withRowsWithheld(plan: SuppressionPlan, rows: ReadonlySet<string>): SuppressionPlan {
  return {
    min: plan.min,
    rowHidden: (key) => plan.rowHidden(key) || rows.has(key),
    rowReason: (key) => plan.rowReason(key) ?? (rows.has(key) ? "secondary" : null),
    hidden: (key, figure) => plan.hidden(key, figure) || rows.has(key),
    text: (key, figure) => (rows.has(key) && !plan.rowHidden(key) ? WITHHELD_TEXT : plan.text(key, figure)),
    reason: (key, figure) => plan.reason?.(key, figure) ?? (rows.has(key) ? "secondary" : null),
  };
}

/** The table's cell for a groupKey-style key (LatticePlan.asGroupPlan). */
function groupKeyCell(s: Structure, key: string, basis: "whole-roll" | "dfe"): string {
  if (key === SCHOOL) return cellKey(SCHOOL, ALL);
  if (key === DFE) return cellKey(DFE, ALL);
  if (key === "rest:population") return cellKey(OUTSIDE, ALL);
  const unit = basis === "dfe" ? DFE : SCHOOL;
  const dimension = (name: string) => (COMPARED_DIMENSIONS as readonly string[]).includes(name) ? (name as ComparedDimension) : null;
  let match = /^(year|class):(.+)$/.exec(key);
  if (match && basis === "whole-roll") return cellKey(match[1] === "year" ? yearUnit(match[2]) : classUnit(match[2]), ALL);
  match = /^rest:([a-z_]+):(.*)$/.exec(key);
  if (match && dimension(match[1])) return cellKey(unit, restOf(s, dimension(match[1])!, match[2]) ?? `${ALL}:none`);
  match = /^([a-z_]+):(.*)$/.exec(key);
  if (match && dimension(match[1])) return cellKey(unit, valueGroup(dimension(match[1])!, match[2]));
  throw new Error(`no cell of the governors' table for "${key}" (${basis})`);
}

/**
 * What withholding a cell costs: the whole school never while anything else will do; then the
 * whole school's characteristic groups; a year group's or class's own figures (the Year groups
 * & classes table, every page's filtered headline) before any group within it.
 */
function costOfCell(key: string): number {
  if (key === cellKey(SCHOOL, ALL)) return 1_000_000;
  // The school on the DfE's basis: every comparison with a published figure.
  if (key === cellKey(DFE, ALL)) return 100_000;
  // Its groups (the report's) before the whole school's on the Groups page.
  if (key.startsWith(`${DFE}|`)) return 5_000;
  // The whole school's groups: the Groups page as governors mostly read it (the FSM gap).
  if (key.startsWith(`${SCHOOL}|`) && !key.includes("|rest:")) return 10_000;
  if (key.endsWith(`|${ALL}`)) return 1_000;
  return key.includes("|rest:") ? 0 : 1;
}

/** A cell of a characteristic's group, or the rest beside one (not a unit's own row). */
const isCharacteristicCell = (key: string): boolean => !key.endsWith(`|${ALL}`);

/**
 * Persistent absence is given for the whole school by characteristic and for each year group
 * and class, but not for a characteristic within a year group or class: a handful of pupils
 * at most, whose "fewer than 5" cells, counted, would pin one another. Severe absence is given
 * for the whole school and each year group and class, never for a characteristic's group (or
 * the rest beside one): a pupil severely absent misses half their sessions, so a group's
 * published sessions cap its count — the demo's 8 pupils with an EHC plan missed 50 of their
 * 592 sessions in Autumn 1 2026, room for one severely absent pupil — and "withheld" (1 to 4)
 * beside that cap is the one pupil. Planned as printed, that took the group's sessions, so
 * its whole row, and SEN support's beside it (trial19: no SEND figure for governors in any
 * period); a school has a handful of severely absent pupils, so a group's count is nearly
 * always 1 to 4 and withheld in any case. Not given, it needs no protection: no published
 * figure is the sum of such counts (the school's is the units').
 */
function isUnpublished(key: string, figure: SuppressedFigure): boolean {
  // The pupils absent: the Overview's figure, for one filter at a time (a year group, a class,
  // or one characteristic of the whole school), never on the DfE's population or as a rest.
  if (figure === ABSENT_PUPILS) {
    if (key.startsWith(`${DFE}|`) || key.startsWith(`${OUTSIDE}|`) || key.includes("|rest:")) return true;
    return !key.startsWith(`${SCHOOL}|`) && !key.endsWith(`|${ALL}`);
  }
  if (figure !== "pa_pupils" && figure !== "sa_pupils") return false;
  if (figure === "sa_pupils" && isCharacteristicCell(key)) return true;
  return !key.startsWith(`${SCHOOL}|`) && !key.startsWith(`${DFE}|`) && !key.endsWith(`|${ALL}`);
}

/**
 * The characteristics the head's benchmark report compares on the DfE's population (its
 * pupil groups: analytics/benchmarks/report-suppression.ts REPORT_DIMENSIONS).
 */
export const DFE_PRINTED_DIMENSIONS: readonly ComparedDimension[] = ["fsm", "sen", "eal", "sex"];

/**
 * Cells no page prints that a reader can still work out (the whole roll less the DfE's
 * population; a DfE-basis group's rest, or one the report does not compare): protected by the
 * primary rule all the same (DisclosureCell.unprinted).
 */
function isUnprinted(key: string): boolean {
  if (key.startsWith(`${OUTSIDE}|`)) return true;
  // A year group's part in a population (yearPopulationUnit): the DfE's part of a real year
  // group's pupil group is printed (the Groups page's DfE-basis column with the year group
  // chosen: nationalFiguresFor), every other part only worked out.
  const part = /^year:([^|&]*)&population:(dfe|outside)\|(.*)$/.exec(key);
  if (part) return isLeaversGroup(part[1]) || part[2] !== "dfe" || !DFE_PRINTED_DIMENSIONS.some((d) => part[3].startsWith(`${d}:`));
  if (!key.startsWith(`${DFE}|`)) return false;
  const group = key.slice(DFE.length + 1);
  if (group === ALL) return false;
  return group.startsWith("rest:") || !DFE_PRINTED_DIMENSIONS.some((d) => group.startsWith(`${d}:`));
}

/**
 * The leavers' cells' pupils and sessions (analytics/leavers.ts): every reader has them
 * whatever is printed — their pupils are the school's over the span less over its last half
 * term (both published, and on the DfE's population likewise), their sessions 0 (each half
 * term's are in that half term's group) — so the plan protects only their counts of
 * persistently and severely absent pupils and pupils absent at least once
 * (DisclosureCell.public). A cell is the leavers' when its unit is theirs (their year group or
 * class, or its part in a population) or its group is their value of a characteristic.
 */
function isLeaversPublic(key: string, figure: SuppressedFigure): boolean {
  if (figure !== "pupils" && figure !== "possible_sessions" && figure !== "attended_sessions") return false;
  const bar = key.indexOf("|");
  const unit = key.slice(0, bar);
  const group = key.slice(bar + 1);
  const unitIsLeavers = unit.split("&").some((part) => (part.startsWith("year:") || part.startsWith("class:")) && isLeaversGroup(part.slice(part.indexOf(":") + 1)));
  const groupIsLeavers = group !== ALL && !group.startsWith("rest:") && isLeaversGroup(group.slice(group.indexOf(":") + 1));
  return unitIsLeavers || groupIsLeavers;
}

/**
 * Whether a group's figures within a year group on the DfE's population (the Groups page's
 * DfE-basis column with a year group chosen) are withheld by the span's plan: its own cell
 * where the year group has pupils in both populations (yearPopulationUnit), which the
 * school's DfE-basis figure less the year groups wholly in it gives a reader. False where
 * the year group is wholly in one population (its DfE-basis figure is then its row's, or
 * nothing) or the cell has no pupils.
 */
export function yearDfePartWithheld(plan: LatticePlan, year: string, dimension: ComparedDimension, value: string): boolean {
  const key = cellKey(yearPopulationUnit(year, "dfe"), valueGroup(dimension, value));
  if (!plan.cells.some((c) => c.key === key)) return false;
  return plan.suppression.rowHidden(key) || plan.suppression.hidden(key, "attended_sessions") || plan.suppression.hidden(key, "possible_sessions");
}

/** Printed for a count a governor is not given within a year group or class. */
export const WITHIN_UNIT_TEXT = "not given for a group within a year group or class";

/** Printed for the severely absent pupils of a characteristic's group (isUnpublished). */
export const BY_GROUP_TEXT = "not given for a pupil group";

/** Printed for every figure of a pupil characteristic within a class (no cell of the table). */
export const WITHIN_CLASS_TEXT = "not given for a pupil group within a class";

/** A characteristic's group within a class: every figure withheld with WITHIN_CLASS_TEXT. */
function withinClass(figures: readonly SuppressedFigure[]): Withheld {
  const text = WITHIN_CLASS_TEXT;
  return { row: text, pa: text, sa: text, ...(figures.includes(ABSENT_PUPILS) ? { absent: text } : {}) };
}

/**
 * The figures a governor's page gives per period: PA and SA only over a term or longer; over
 * a whole span (any length: the Overview over a week, its "what changed") also the pupils
 * absent at least once, so that count is planned with the others (issue 13, case 9).
 */
export function publishedFigures(by: SessionDimension | null): readonly SuppressedFigure[] {
  if (by === null) return CELL_FIGURES;
  return by === "term" || by === "academic_year" ? SUPPRESSED_FIGURES : ["pupils", "possible_sessions", "attended_sessions"];
}

/**
 * Plans already made, by what they are a function of (the period's table, Table.id: its cells'
 * counts and shape; the minimum, figures, sessions known and rows forced): a page opened again,
 * or another page of the same period, is answered without planning again, and a changed
 * register (an import) makes different cells, so another table, and a stale plan is never
 * read. Bounded: the oldest go first.
 */
const planned = new Map<string, PlannedTable>();
const PLANNED_MAX = 500;

/**
 * Forgets every plan and table kept in this process (planOnce, tableOfCounts, protect's last
 * runs: analytics/suppression.ts forgetProtectRuns; the years' rows their spans' groups are
 * derived from, and with them what is kept by those groups: analytics/span-atoms.ts
 * forgetYearRows), as a changed register would make them unusable: for the benchmark's first
 * build of a pack after an import (scripts/bench-packs.ts), which must plan afresh. Nothing
 * else calls it.
 */
export function forgetKeptPlans(): void {
  planned.clear();
  tablesByCounts.clear();
  forgetProtectRuns();
  forgetYearRows();
}

function planOnce(atoms: LatticeAtom[], min: number, options: TableOptions): PlannedTable {
  // The table's number (Table.id: its atoms' counts and shape, found by the atoms' array where
  // it is the same, else by their counts: tableOf) and JSON.stringify([min, …, known, forced]),
  // the known sessions' part made once per set (knownKey). The atoms' counts themselves were
  // part of the key (hundreds of kilobytes of JSON a span, joined afresh for every lookup).
  const table = tableOf(atoms, options.shape);
  const forced = options.forced && options.forced.size > 0 ? JSON.stringify([...options.forced].sort()) : "[]";
  const key = `${table.id}\u0000${JSON.stringify([min, options.shape, options.figures, options.absentGiven ?? false])}\u0000${knownKey(options.known)}\u0000${forced}`;
  let plan = planned.get(key);
  if (plan) {
    planned.delete(key);
  } else {
    plan = planTable(atoms, min, options);
    if (planned.size >= PLANNED_MAX) planned.delete(planned.keys().next().value!);
  }
  planned.set(key, plan);
  return plan;
}

/**
 * The sessions known (TableOptions.known) as JSON of their sorted ids, made once per set: such a
 * set is never changed once made (knownFromHalfTerms), and the same set is planned with round
 * after round (forcedRows). None and an empty set are alike ("[]"), as the planner reads them.
 */
function knownKey(known: ReadonlySet<string> | undefined): string {
  if (!known || known.size === 0) return "[]";
  let key = knownKeys.get(known);
  if (key === undefined) knownKeys.set(known, (key = JSON.stringify([...known].sort())));
  return key;
}

const knownKeys = new WeakMap<ReadonlySet<string>, string>();

/**
 * The atoms' part of tableOfCounts' key (their counts, without the period) as JSON, made once per
 * array of atoms (a span's are kept: spanAtoms).
 */
function atomsKey(atoms: LatticeAtom[]): string {
  let key = atomKeys.get(atoms);
  if (key === undefined) atomKeys.set(atoms, (key = JSON.stringify(atoms.map(({ period: _period, ...rest }) => Object.values(rest)))));
  return key;
}

const atomKeys = new WeakMap<LatticeAtom[], string>();

/**
 * Each whole-roll atom split into its pupils in the DfE's population (the atom of the same
 * characteristics from `dfe`, the same query on population "dfe") and the rest (the
 * difference: each pupil is in one atom, so every count subtracts). Parts with neither
 * pupils nor sessions are left out. Throws if a DfE atom has no whole-roll atom or exceeds it (not the same query).
 */
export function byPopulation(whole: AtomCounts[], dfe: AtomCounts[]): LatticeAtom[] {
  const keyOf = (a: AtomCounts) => JSON.stringify([a.period, a.year_group, a.reg_group, ...COMPARED_DIMENSIONS.map((d) => a[d])]);
  const inside = new Map(dfe.map((a) => [keyOf(a), a]));
  const result: LatticeAtom[] = [];
  for (const atom of whole) {
    // Its key made once (some 1,600 atoms a span, a dozen spans a governors' pack).
    const key = keyOf(atom);
    const part = inside.get(key);
    inside.delete(key);
    // A part with sessions and no pupils (half-term membership: a group's earlier half terms,
    // none of its pupils counted in it at the end) is kept: its sessions are in every figure
    // read, so they are cells of the table, withheld as their half terms withheld them.
    const kept = (a: AtomCounts) => a.pupils > 0 || a.possible_sessions > 0;
    if (part && kept(part)) result.push({ ...part, population: "dfe" });
    const rest: LatticeAtom = { ...atom, population: "outside" };
    for (const f of ATOM_COUNT_FIELDS) {
      rest[f] = atom[f] - (part ? part[f] : 0);
      if (rest[f] < 0) throw new Error("DfE population atoms exceed the whole roll's: not the same query");
    }
    // The rest's AbsenceBounds: its counted pupils are some of the whole atom's, so the whole's
    // leasts and mosts hold for them (a least over more pupils is no more, a most no less); the
    // sessions missed by pupils counted elsewhere are the whole's less the DfE part's (each
    // pupil is in one part, counted in the same atom in both reads), or — should that come out
    // below 0, reads that disagree — all the rest's missed sessions (always true).
    if (part) {
      const restAbsent = rest.authorised_sessions + rest.unauthorised_sessions;
      const uncounted = atom.absence.uncounted_absent - part.absence.uncounted_absent;
      // The whole spans likewise: the rest's counted pupils missed the whole's less the DfE
      // part's (each pupil in one part); reads that disagree leave the rest no whole bounds.
      const wholeCounted = atom.absence.whole && part.absence.whole ? atom.absence.whole.counted_absent - part.absence.whole.counted_absent : -1;
      rest.absence = {
        ...atom.absence,
        uncounted_absent: uncounted >= 0 && uncounted <= restAbsent ? uncounted : restAbsent,
        whole: wholeCounted >= 0 ? { ...atom.absence.whole!, counted_absent: wholeCounted } : undefined,
      };
    }
    if (kept(rest)) result.push(rest);
  }
  if (inside.size > 0) throw new Error("a DfE population atom has no whole-roll atom: not the same query");
  return result;
}

/**
 * The cells withheld in any half term wholly inside a span of several (their rows, or over a
 * half term short enough for the pupils absent at least once to be given, those pupils: see
 * below), each read from that half term's own plan (governorLattice over it, "full": every
 * cell a governor can open); empty for a span of one half term or none.
 *
 * The rule (issue 13, case 9): a cell withheld in a half term is withheld in every period
 * containing it. Why it is enough. A governor's periods are unions of whole half terms
 * (analytics/governor-periods.ts), and every figure planned here adds up over days: sessions
 * possible, attended and missed (the pupils and persistent-absence counts do not add up over
 * time and are planned per period). So a published figure of a cell over a period P is the
 * sum of that cell's figures over P's half terms; and since a cell withheld in any of them is
 * withheld in P, each of those half-term figures is itself published (the half term is a
 * period a governor can open). Every linear combination of published figures — periods less
 * periods, across cells and across time — is therefore a combination of published half-term
 * figures. Half terms share no days, so no combination of other half terms' figures carries
 * weight on one half term's; and within a half term its own plan (primary and complementary
 * suppression over every sum between cells) leaves no withheld figure to be worked out. So
 * no combination of published figures has weight on a withheld half-term figure, nor on a
 * withheld period figure (a sum of half-term figures one of which is withheld, or withheld
 * by the period's own plan, whose sums between cells that plan protects). It needs a cell's
 * sessions over a period to be exactly the sum of its half terms', with each half term's
 * own pupils — which reading the groups at the end of the period would break for a pupil
 * who changes class or characteristic inside it (the term's 3A less its half terms' 3A
 * would be a pupil's sessions in their old class). So every figure a governor reads, and
 * every cell planned here, is read with half-term membership (measures.ts
 * MeasureQuery.membership, governorQuery): each half term's sessions in the group of that
 * half term's end. The counts of pupils count each pupil once, over the whole period, in
 * their group at its end (the last half term in which they have marks): not sums over half
 * terms, so planned per period as above (docs/DEFINITIONS.md, "A pupil who changes group").
 *
 * The pupils absent at least once are given (the Overview) only over a span shorter than
 * PA_MIN_SCHOOL_DAYS school days (analytics/pa-span.ts), and with them, where withheld, the
 * group's absence in sessions (analytics/governor-view.ts applyAbsentWithheld): over such a
 * half term a cell whose count is withheld has its absence withheld, so in a longer period
 * containing it the whole row goes (its sessions less the other half terms' would give that
 * half term's back).
 *
 * The converse (session 12's adversary: test/governor-break12-term-sessions.test.ts): a row
 * the period's own plan withholds hides none of its sessions where its half terms publish
 * them, since they are its half terms' sums. So a period's plan reads those sessions as known
 * (knownFromHalfTerms), and a count they would pin is protected in the period's last half
 * term instead (forcedRows). `halves`: the plans of the half terms inside the period.
 */
function withheldInHalfTerms(halves: readonly HalfPlan[]): Set<string> {
  return withheldRows(halves);
}

/**
 * A half term's own plan (governorLattice over it, "full"). Over a short half term the plan
 * withholds a cell's absence with its withheld count of pupils absent as its attended sessions
 * (absenceWithheld), so `plan.suppression.hidden(key, "attended_sessions")` says it.
 */
interface HalfPlan {
  half: HalfTerm;
  plan: LatticePlan;
}

/** The plans of the half terms wholly inside a span of several (none for one half term or none). */
async function halfTermPlans(connection: Connection, span: { from: string; to: string }, min: number): Promise<HalfPlan[]> {
  const all = await halfTermsOf(connection);
  const inside = halfTermsInside(all, span);
  if (inside.length === 0 || (inside.length === 1 && isWholeHalfTerms(all, span))) return [];
  const result: HalfPlan[] = [];
  for (const half of inside) {
    const plan = (await governorLattice(connection, { from: half.from, to: half.to }, null, min, "full")).get("");
    if (plan) result.push({ half, plan });
  }
  return result;
}

/** A half term's cells whose rows a longer period withholds (withheldInHalfTerms' rule). */
function withheldRows(halves: readonly HalfPlan[]): Set<string> {
  const rows = new Set<string>();
  for (const { plan } of halves) {
    // Its row, or over a short half term its absence (absenceWithheld): attended sessions hidden.
    for (const cell of plan.cells) if (plan.suppression.hidden(cell.key, "attended_sessions")) rows.add(cell.key);
  }
  return rows;
}


const SESSION_FIGURES = ["possible_sessions", "attended_sessions"] as const;

/**
 * The sessions (possible, attended) of a half term's cells that a reader has from its page:
 * those published, and those its sums pin all the same (a withheld row that is the unit's less
 * its published others); as `cellKey|figure`. A reader's ranges short of one value are not
 * counted (only a figure worked out exactly is).
 */
function sessionsKnownIn({ plan }: HalfPlan): ReadonlySet<string> {
  // A plan is read, never changed: forcedRows' rounds and both its periods read the same
  // earlier half terms' plans again and again (at 4,500 pupils a fifth of a second each).
  let result = knownOfPlan.get(plan);
  if (!result) knownOfPlan.set(plan, (result = workSessionsKnownIn(plan)));
  return result;
}

/** sessionsKnownIn's answers by plan. */
const knownOfPlan = new WeakMap<LatticePlan, ReadonlySet<string>>();

/** A plan's cells' keys, made once per plan (knownFromHalfTerms reads them for every period and round). */
function cellKeysOf(plan: LatticePlan): ReadonlySet<string> {
  let keys = cellKeysOfPlan.get(plan);
  if (!keys) cellKeysOfPlan.set(plan, (keys = new Set(plan.cells.map((c) => c.key))));
  return keys;
}

const cellKeysOfPlan = new WeakMap<LatticePlan, ReadonlySet<string>>();

/** sessionsKnownIn, worked out. */
function workSessionsKnownIn(plan: LatticePlan): Set<string> {
  const known = new Map<string, number>();
  const withheld = new Map<string, Bounds>();
  const atMost: AtMostRule[] = [];
  for (const cell of plan.cells) {
    const rowOut = plan.suppression.rowHidden(cell.key);
    for (const f of SESSION_FIGURES) {
      const id = `${cell.key}|${f}`;
      // Over a short half term a withheld count of pupils absent takes the absence (so the
      // attended sessions) with it, in the plan itself (HalfPlan); the possible sessions stay.
      const out = rowOut || plan.suppression.hidden(cell.key, f);
      if (out) withheld.set(id, { lo: 0, hi: Number.POSITIVE_INFINITY });
      else known.set(id, cell[f]);
    }
    atMost.push({ a: `${cell.key}|attended_sessions`, b: `${cell.key}|possible_sessions` });
  }
  const sums: SumRule[] = plan.sums.flatMap((sum) => SESSION_FIGURES.map((f) => ({ total: `${sum.total}|${f}`, parts: sum.parts.map((part) => `${part}|${f}`) })));
  const result = new Set(known.keys());
  if (withheld.size > 0) for (const [id, b] of inferBounds(known, withheld, sums, atMost)) if (b.lo === b.hi) result.add(id);
  return result;
}

/**
 * The sessions of a period's cells (`cells`: its table's) that its half terms give a reader whatever the
 * period's own page prints (issue 13, case 9; session 12's adversary): a cell's sessions over
 * a period are the sum of its half terms' (half-term membership), so where every half term's
 * are known (published, or pinned by the half term's sums), so are the period's — even where
 * the period's own plan withholds the row. A cell with no pupils and no sessions in a half
 * term has 0 there; the rest of a unit beside a value that is no cell of the half term
 * (its characteristic has two values there, or the value none) is the unit's less the value's.
 * Returned as `cellKey|figure` for the possible and attended sessions: a set kept and shared
 * (never to be changed by a caller).
 */
function knownFromHalfTerms(halves: readonly HalfPlan[], cells: readonly GroupCounts[]): ReadonlySet<string> {
  // Once per table's cells and half terms' plans (both kept: tableOf, planOnce and latticeView):
  // forcedRows asks it for each period twice a round, round after round, in every piece of work.
  let byHalves = knownOfCells.get(cells);
  if (!byHalves) knownOfCells.set(cells, (byHalves = new Map()));
  const key = halves.map((h) => planNumber(h.plan)).join(",");
  let known = byHalves.get(key);
  if (!known) byHalves.set(key, (known = workKnownFromHalfTerms(halves, cells.map((c) => c.key))));
  return known;
}

/** knownFromHalfTerms' answers by the period's cells, then by its half terms' plans (planNumber). */
const knownOfCells = new WeakMap<readonly GroupCounts[], Map<string, ReadonlySet<string>>>();

/** A number for each plan, never another's (knownFromHalfTerms' key). */
function planNumber(plan: LatticePlan): number {
  let n = planNumbers.get(plan);
  if (n === undefined) planNumbers.set(plan, (n = ++plansNumbered));
  return n;
}

const planNumbers = new WeakMap<LatticePlan, number>();
let plansNumbered = 0;

/** knownFromHalfTerms, worked out. */
function workKnownFromHalfTerms(halves: readonly HalfPlan[], keys: readonly string[]): Set<string> {
  const inHalf = halves.map((h) => ({ cells: cellKeysOf(h.plan), known: sessionsKnownIn(h) }));
  const knownIn = (h: (typeof inHalf)[number], key: string, f: string): boolean => {
    if (h.cells.has(key)) return h.known.has(`${key}|${f}`);
    const bar = key.indexOf("|");
    const rest = /^rest:(.+)$/.exec(key.slice(bar + 1));
    if (!rest) return true;
    const unit = key.slice(0, bar);
    return knownIn(h, cellKey(unit, ALL), f) && knownIn(h, cellKey(unit, rest[1]), f);
  };
  const result = new Set<string>();
  for (const key of keys) for (const f of SESSION_FIGURES) if (inHalf.every((h) => knownIn(h, key, f))) result.add(`${key}|${f}`);
  return result;
}

/**
 * One whole span's plan ("" of governorLattice with `by` null): its table planned with the
 * sessions its half terms give a reader as known (knownFromHalfTerms), and every cell
 * withheld in one of its half terms withheld (withheldInHalfTerms). `halves`: the plans of
 * the half terms inside it (none for a single half term); `forced`: over a single half term,
 * the cells whose sessions it withholds for a longer period's sake (forcedRows). Undefined
 * without marks.
 */
async function planWholeSpan(
  connection: Connection,
  query: { from: string; to: string },
  min: number,
  shape: LatticeShape,
  halves: readonly HalfPlan[],
  forced: ReadonlySet<string>,
  /** Given: the cells with a figure no withholding protects are added here (PlannedTable.stuck). */
  stuck?: Set<string>,
): Promise<LatticePlan | undefined> {
  // Half-term membership, as every figure a governor reads (governorQuery): each cell's
  // sessions are the sum of its half terms' (see withheldInHalfTerms).
  const atoms = await spanAtoms(connection, query, shape);
  if (atoms.length === 0) return undefined;
  // Over a whole span too short for PA and SA the Overview gives the pupils absent at least
  // once instead, and their absence in sessions goes with a withheld count (absenceWithheld).
  const measured = persistentAbsenceMeasured((await schoolDaysOf(connection, { from: query.from, to: query.to })).length);
  const known = halves.length > 0 ? knownFromHalfTerms(halves, tableOf(atoms, shape).groups) : undefined;
  // The "cross" table of a half term (one filter at a time) takes the forced rows as withheld.
  const options: TableOptions = { shape, figures: publishedFigures(null), absentGiven: !measured, known, forced: shape === "full" ? forced : undefined };
  const rows = withheldInHalfTerms(halves);
  if (shape !== "full") for (const key of forced) rows.add(key);
  const table = planOnce(atoms, min, options);
  for (const id of table.stuck) stuck?.add(id.slice(0, id.lastIndexOf("|")));
  return latticeView(table, min, options, rows);
}

/**
 * A whole span's atoms for its table of `shape` (planWholeSpan), under half-term membership as
 * every figure a governor reads (governorQuery). Over a whole span the DfE's population is in
 * the table too ("full": Benchmarks, the head's report and the FGB pack compare it with
 * published figures). Worked out from one read of the span's academic year where that gives
 * them exactly (analytics/span-atoms.ts: whole half terms of one year, as every span forcedRows
 * plans), else read with the span's own statements. Kept until the register changes
 * (analytics/db.ts keptWork; without the result cache, once per piece of work): forcedRows
 * plans the same spans round after round, and the same array lets their table be made once
 * (tableOf). Never changed by a reader.
 */
function spanAtoms(connection: Connection, query: { from: string; to: string }, shape: LatticeShape): Promise<LatticeAtom[]> {
  return keptWork(connection, spanAtomsKept, SPAN_ATOMS_KEPT_MAX, `spanAtoms\u0000${query.from}|${query.to}|${shape}`, async () => {
    // Most spans (whole half terms of one year) from one read of the year's pupils' half
    // terms, shared by every span of the piece of work (analytics/span-atoms.ts); else their own.
    const derived = await spanAtomsFromYear(connection, query);
    if (derived) return shape === "full" ? populationsOf(derived) : derived.whole;
    const span = governorQuery({ from: query.from, to: query.to });
    const whole = await summariseAtoms(connection, span);
    return shape === "full" ? byPopulation(whole, await summariseAtoms(connection, { ...span, population: "dfe" })) : whole;
  });
}

const spanAtomsKept = new Map<string, Promise<LatticeAtom[]>>();
const SPAN_ATOMS_KEPT_MAX = 64;

/**
 * byPopulation of a span's groups derived from its year (analytics/span-atoms.ts), once per
 * derivation: the year's rows, and so their spans' groups, are the same objects on an
 * unchanged register from one piece of work to the next, and so then is this array, the key
 * its table and plans are kept by (tableOf, planOnce).
 */
function populationsOf(derived: { whole: AtomCounts[]; dfe: AtomCounts[] }): LatticeAtom[] {
  let atoms = populationsOfDerived.get(derived);
  if (!atoms) populationsOfDerived.set(derived, (atoms = byPopulation(derived.whole, derived.dfe)));
  return atoms;
}

const populationsOfDerived = new WeakMap<{ whole: AtomCounts[]; dfe: AtomCounts[] }, LatticeAtom[]>();

/**
 * Asks, all at once, for the atoms of every span forcedRows will plan for `half` (each half
 * term of its academic year up to it, and the term and the year to the end of each), where
 * they are kept (keepsWork): the register's reads (most often the one read of the year the
 * spans are worked out from: analytics/span-atoms.ts) then run while earlier spans are planned,
 * not one by one between plans (at 4,500 pupils a read takes a third of a second). Each is
 * planned whatever the order they arrive in; nothing is asked where it would not be kept.
 */
function prefetchSpanAtoms(connection: Connection, all: readonly HalfTerm[], half: HalfTerm): void {
  if (!keepsWork(connection)) return;
  const before = all.filter((h) => h.academicYear === half.academicYear && h.from <= half.from);
  for (const h of before) {
    void spanAtoms(connection, { from: h.from, to: h.to }, "full").catch(() => undefined);
    for (const same of [(x: HalfTerm) => x.term === h.term, () => true]) {
      const upTo = before.filter((x) => same(x) && x.from <= h.from);
      if (upTo.length >= 2) void spanAtoms(connection, { from: upTo[0].from, to: h.to }, "full").catch(() => undefined);
    }
  }
}

/**
 * The cells a half term's plan withholds so that the longer periods ending with it keep their
 * counts unknown (issue 13, case 9; test/governor-break12-term-sessions.test.ts). A period's
 * sessions are its half terms' sums (knownFromHalfTerms), so where a period's count of pupils
 * (persistently absent, say) is pinned by sessions its half terms publish — its plan can
 * protect it only by printing its "withheld" without the range a small count's has
 * (analytics/suppression.ts protect: printWithoutRange) — the cell's row is withheld in the
 * period's last half term instead (its sessions there planned like a small figure, so
 * complementary rows go with it), and so in every period containing that half term.
 *
 * Which periods: those a governor can open that end with this half term — its term and its
 * academic year to its end (analytics/governor-periods.ts) — so a half term's plan depends on
 * it and the half terms before it alone, the same whichever page asks. Planned again until no
 * such period needs more (at most FORCE_ROUNDS times). The whole school's row only when
 * nothing else will do (a small school's one count pinned by the school's own sessions: the
 * school's row for the half term, as its own plan withholds it where its own sessions pin a
 * count), and never a group's that holds every session of the half term in its place.
 */
function forcedRows(connection: Connection, half: HalfTerm, min: number): Promise<Set<string>> {
  // Kept until the register changes (analytics/db.ts keptWork): a half term's forced rows are
  // read by every page of every period containing it, and each look plans the periods ending
  // with it.
  return keptWork(connection, forcedKept, FORCED_KEPT_MAX, `forced\u0000${half.key}|${half.from}|${half.to}|${min}`, () => findForcedRows(connection, half, min));
}

const forcedKept = new Map<string, Promise<Set<string>>>();
const FORCED_KEPT_MAX = 200;

async function findForcedRows(connection: Connection, half: HalfTerm, min: number): Promise<Set<string>> {
  const all = await halfTermsOf(connection);
  prefetchSpanAtoms(connection, all, half);
  const upTo = (same: (h: HalfTerm) => boolean) => all.filter((h) => same(h) && h.from <= half.from);
  const periods = [upTo((h) => h.term === half.term), upTo((h) => h.academicYear === half.academicYear)]
    .filter((hs) => hs.length >= 2)
    .filter((hs, i, list) => list.findIndex((other) => other[0].key === hs[0].key && other.length === hs.length) === i);
  const forced = new Set<string>();
  if (periods.length === 0) return forced;
  const earlier = new Map<string, HalfPlan>();
  for (const hs of periods) {
    for (const h of hs) {
      if (h.key === half.key || earlier.has(h.key)) continue;
      const plan = (await governorLattice(connection, { from: h.from, to: h.to }, null, min, "full")).get("");
      if (plan) earlier.set(h.key, { half: h, plan });
    }
  }
  // Whether each period gives the pupils absent at least once (a span too short for PA and SA:
  // analytics/pa-span.ts), so whether their words can give a count away there.
  const absentGiven = new Map<HalfTerm[], boolean>();
  for (const hs of periods) absentGiven.set(hs, !persistentAbsenceMeasured((await schoolDaysOf(connection, { from: hs[0].from, to: half.to })).length));
  for (let round = 0; round < FORCE_ROUNDS; round++) {
    const own = await planWholeSpan(connection, { from: half.from, to: half.to }, min, "full", [], forced);
    if (!own) return forced;
    const ownHalf: HalfPlan = { half, plan: own };
    let added = false;
    for (const hs of periods) {
      const halves = hs.flatMap((h) => (h.key === half.key ? [ownHalf] : earlier.has(h.key) ? [earlier.get(h.key)!] : []));
      const stuck = new Set<string>();
      const period = await planWholeSpan(connection, { from: hs[0].from, to: half.to }, min, "full", halves, new Set(), stuck);
      if (!period) continue;
      const known = knownFromHalfTerms(halves, period.cells);
      const schoolKey = cellKey(SCHOOL, ALL);
      const school = own.cells.find((c) => c.key === schoolKey);
      // The cheapest such cell first (a class before its year group), one a round: withheld,
      // it often frees the others (the year group's count, bounded by its own sessions, is no
      // longer pinned once its class's are unknown). One holding every session of the half
      // term (a year group that is the whole school) only as the whole school, and that last.
      const dropped = [...new Set([...wordsDropped(period, min, absentGiven.get(hs)!), ...stuck])]
        .filter((key) => !forced.has(key) && SESSION_FIGURES.every((f) => known.has(`${key}|${f}`)))
        .map((key) => own.cells.find((c) => c.key === key))
        .filter((c): c is GroupCounts => c !== undefined && !own.suppression.rowHidden(c.key));
      const wholeSchool = (c: GroupCounts) => c.key === schoolKey || c.possible_sessions === school?.possible_sessions;
      const candidates = dropped.filter((c) => !wholeSchool(c)).sort((a, b) => costOfCell(a.key) - costOfCell(b.key) || a.pupils - b.pupils || a.key.localeCompare(b.key));
      const choice = candidates[0]?.key ?? (dropped.some(wholeSchool) && school && !forced.has(schoolKey) && !own.suppression.rowHidden(schoolKey) ? schoolKey : undefined);
      if (choice) {
        forced.add(choice);
        added = true;
      }
    }
    if (!added) break;
  }
  return forced;
}

/** How many times forcedRows plans a half term again. */
const FORCE_ROUNDS = 8;

/**
 * The cells of a plan with a small figure (a row of 1 … min − 1 pupils, or such a count) that
 * its planner printed as withheld to protect others: withheld, but whose words no longer give
 * the small figure's range, because nothing it could withhold kept the figure unknown.
 * `absentGiven`: whether the plan's span gives the pupils absent at least once (shorter than
 * PA_MIN_SCHOOL_DAYS school days: analytics/pa-span.ts). Over a longer span no page prints
 * that count, so words it lost give nothing away: the autumn term's one absent pupil of a
 * class, "pinned" by words no page prints, had a class of 10 withheld in Autumn 2.
 */
function wordsDropped(plan: LatticePlan, min: number, absentGiven: boolean): string[] {
  const keys: string[] = [];
  const counts = absentGiven ? (["pupils", "pa_pupils", "sa_pupils", ABSENT_PUPILS] as const) : (["pupils", "pa_pupils", "sa_pupils"] as const);
  for (const cell of plan.cells) {
    if (isUnprinted(cell.key)) continue;
    const small = counts.some(
      (f) => isSmallCount(cell[f] ?? 0, min) && !isUnpublished(cell.key, f) && plan.suppression.reason?.(cell.key, f) === "secondary",
    );
    if (small) keys.push(cell.key);
  }
  return keys;
}

/** Per connection (one request): the plans of each span, breakdown, minimum and shape asked for. */
const cache = new WeakMap<Connection, Map<string, Promise<Map<string, LatticePlan>>>>();

/**
 * The plans of every period of `by` (or of the whole span, key "", when `by` is null) of the
 * query's dates, over the whole school (the query's filter is not used: a plan covers every
 * filter a governor may use). `shape`: "full" by default for a whole span, "cross" for a
 * breakdown (see LatticeShape). One grouped query (summariseAtoms) whatever the number of
 * periods, once per connection (a page's request) for the same arguments; plans themselves
 * are kept across requests by their cells. Periods without marks are not in the map. `min`:
 * settings' small_group_min. Throws what the measures throw.
 */
export function governorLattice(
  connection: Connection,
  query: MeasureQuery,
  by: SessionDimension | null,
  min: number,
  shape: LatticeShape = by === null ? "full" : "cross",
): Promise<Map<string, LatticePlan>> {
  let plans = cache.get(connection);
  if (!plans) {
    plans = new Map();
    cache.set(connection, plans);
  }
  const key = `${query.from}|${query.to}|${by ?? ""}|${min}|${shape}`;
  let made = plans.get(key);
  if (!made) {
    made = (async () => {
      if (by === null) {
        // A whole span: over one half term, with the rows it withholds for the longer periods
        // ending with it (forcedRows); over several, with its half terms' plans.
        const all = await halfTermsOf(connection);
        const inside = halfTermsInside(all, query);
        const single = inside.length === 1 && isWholeHalfTerms(all, query);
        const forced = single ? await forcedRows(connection, inside[0], min) : new Set<string>();
        const halves = single ? [] : await halfTermPlans(connection, query, min);
        const plan = await planWholeSpan(connection, query, min, shape, halves, forced);
        return new Map(plan ? [["", plan]] : []);
      }
      // Half-term membership, as every figure a governor reads (governorQuery).
      const span = governorQuery({ from: query.from, to: query.to });
      const atoms = await summariseAtoms(connection, span, by);
      const byPeriod = new Map<string, LatticeAtom[]>();
      for (const atom of atoms) {
        const list = byPeriod.get(atom.period) ?? [];
        list.push(atom);
        byPeriod.set(atom.period, list);
      }
      const options: TableOptions = { shape, figures: publishedFigures(by) };
      return new Map([...byPeriod].map(([period, list]) => [period, latticeView(planOnce(list, min, options), min, options)]));
    })();
    made.catch(() => plans!.delete(key));
    plans.set(key, made);
  }
  return made;
}

// ---------------------------------------------------------------------------------------
// Slices of a period: weeks, months, days, weekdays

/**
 * What a governor may see of a period's slices — its weeks (Trends, Codes, the Overview's
 * chart, the FGB pack's weekly tab), months, days (Patterns' calendar), weekdays and sessions
 * (Patterns) — decided once per half term for every cell a breakdown can be filtered to (the
 * "cross" shape: the school, each year group and class, the whole school's characteristic
 * groups), and the same for every breakdown and every period containing the half term.
 *
 * Planned slice by slice, a slice withheld (a group of fewer than the minimum that week, or
 * one withheld to protect it) beside the period's published total and its other slices is
 * the total less the others; and a week withheld beside its published days (each day planned
 * apart, with other choices) is their sum. So a cell's slices are all withheld within a half
 * term where any of them would be: where the cell is withheld over the half term itself (its
 * row, or its absence with its pupils absent: as over the half term's page), or has fewer than
 * the minimum pupils (but some) on any day of it (its day, week and month slices hold fewer),
 * and, so that these cannot be worked out from the others, complementary cells chosen over the
 * half term's sums (analytics/suppression.ts protect, every withheld figure without bounds).
 * Why that is enough: a cell is shown slice by slice in a half term only where it is shown in
 * every slice, so the figures published of the half term are the days of the cells shown
 * (weeks, months and weekdays are sums of them) and the half-term totals of the rest; a figure
 * withheld in a slice, or over the half term, moves with an opposite change on another day of
 * the same half term among withheld cells alone — the sums between cells hold, no published
 * day, slice or half-term total changes — so no combination of published figures fixes it.
 *
 * Returns, for each half term overlapping the span, a plan of the cross cells (LatticePlan:
 * withheld(filter).row is the printed text for a cell whose slices are withheld, else null).
 * Cached per half term until the register changes (analytics/db.ts keptWork). `min`:
 * settings' small_group_min. Throws what the measures throw.
 */
export async function governorSlicePlans(connection: Connection, span: { from: string; to: string }, min: number): Promise<Array<{ half: HalfTerm; plan: LatticePlan }>> {
  const halves = (await halfTermsOf(connection)).filter((h) => h.from <= span.to && h.to >= span.from);
  prefetchFewest(connection, halves, min);
  const result: Array<{ half: HalfTerm; plan: LatticePlan }> = [];
  for (const half of halves) result.push({ half, plan: await slicePlanOf(connection, half, min) });
  return result;
}

const slicePlans = new Map<string, Promise<LatticePlan>>();
const SLICE_PLANS_MAX = 200;
const SLICE_FIGURES: readonly SuppressedFigure[] = ["pupils", "possible_sessions", "attended_sessions"];
const slicePlanKey = (half: HalfTerm, min: number) => `slicePlan\u0000${half.key}|${half.from}|${half.to}|${min}`;

function slicePlanOf(connection: Connection, half: HalfTerm, min: number): Promise<LatticePlan> {
  // Without the result cache (the CLI, the benchmark: a pack from a fresh connection), once per
  // piece of work: a pack asks each half term's plan from several sections (its weeks, its
  // weekdays, its to-date tabs), and each was made afresh (at 4,500 pupils 15 times a half
  // term, some 2.5 s each: the pack took minutes).
  return keptWork(connection, slicePlans, SLICE_PLANS_MAX, slicePlanKey(half, min), () => planSlices(connection, half, min));
}

/**
 * The groups of pupils planSlices reads the fewest of (fewestPupilsOnADay): the cross table's
 * cells are the school, each year group, class and year group's part of a mixed class, and
 * the school's characteristic groups.
 */
const SLICE_SETS: PupilDimension[][] = [[], ["year_group"], ["reg_group"], ["year_group", "reg_group"], ...COMPARED_DIMENSIONS.map((d) => [d])];
const fewestKept = new Map<string, Promise<FewestOnADay[]>>();
const FEWEST_KEPT_MAX = 200;
const fewestKey = (half: HalfTerm) => `fewestOnADay\u0000${half.key}|${half.from}|${half.to}`;

/** A half term's fewest pupils on a day (SLICE_SETS), kept as its slice plan is (or read with others: prefetchFewest). */
function fewestOf(connection: Connection, half: HalfTerm): Promise<FewestOnADay[]> {
  return keptWork(connection, fewestKept, FEWEST_KEPT_MAX, fewestKey(half), () => fewestPupilsOnADay(connection, governorQuery({ from: half.from, to: half.to }), SLICE_SETS));
}

/**
 * Reads, in one statement (measures.ts fewestPupilsOnADays), the fewest pupils on a day of each
 * of `halves` whose slice plan is neither kept nor being made and whose fewest are not either,
 * and keeps each half term's part for its plan (fewestOf), where it would be kept (keepsWork).
 * Each half term's own read was a statement of its own, building the pupils' scope and their
 * grouping sets afresh: a pack's year to date asks the slices of every half term of it.
 * Session 38, 4,500 pupils, 2025/26's six half terms, six reads and one alternated in one
 * process (load 5-9), medians of CPU: 590 -> 494 ms (5 runs) and 524 -> 468 ms (7) at one
 * DuckDB thread as a pack reads, 825 -> 620 ms (5) at two; the figures the same. Most of the
 * read is its grouping of every pupil's every day, which one read does no less of.
 */
function prefetchFewest(connection: Connection, halves: readonly HalfTerm[], min: number): void {
  if (!keepsWork(connection)) return;
  const missing = halves.filter((h) => keptAlready(connection, slicePlans, slicePlanKey(h, min)) === undefined && keptAlready(connection, fewestKept, fewestKey(h)) === undefined);
  if (missing.length < 2) return;
  const all = fewestPupilsOnADays(connection, missing.map((h) => governorQuery({ from: h.from, to: h.to })), SLICE_SETS);
  // Each half term's part is kept as its own read would be; a failure is its own read's to give.
  all.catch(() => undefined);
  missing.forEach((h, i) => void keptWork(connection, fewestKept, FEWEST_KEPT_MAX, fewestKey(h), () => all.then((each) => each[i])).catch(() => undefined));
}

async function planSlices(connection: Connection, half: HalfTerm, min: number): Promise<LatticePlan> {
  const span = governorQuery({ from: half.from, to: half.to });
  // The half term's atoms as its whole span's plan reads them (the same read: spanAtoms).
  const whole = await spanAtoms(connection, { from: half.from, to: half.to }, "cross");
  const { structure, groups, sums } = tableOf(whole, "cross");
  // The fewest pupils each cell has on a day of the half term (pupils' groups are read at its
  // end, for the days as for the whole: measures.ts scope): the cross table's cells are the
  // school, each year group, class and year group's part of a mixed class, and the school's
  // characteristic groups.
  // A cell is small on a day with fewer than the minimum pupils, or with 1 to (minimum − 1)
  // pupils absent: a day's absent sessions are 1 or 2 a pupil absent, so "1 session of
  // absence" in a class of 30 on a Tuesday is one pupil, whom a parent who knows who was off
  // that day can name (issue 13, a trial of Patterns and Codes filtered to one class). Every
  // day, week, month, weekday and session of its half term then goes with it, as for a small
  // day. Absence by kind (authorised, unauthorised) and by reason is never given in a slice
  // (governor-view.ts governorSliceFigures), so a day with one pupil's unauthorised absence
  // among five or more absent leaves the cell's slices shown: only their totals are given.
  const fewest = new Map<string, number>();
  const sets = SLICE_SETS;
  for (const { set, values, fewest: present, fewestAbsent } of await fewestOf(connection, half)) {
    const pupils = fewestAbsent > 0 ? Math.min(present, fewestAbsent) : present;
    const by = sets[set];
    let key: string | null;
    if (by.length === 0) key = cellKey(SCHOOL, ALL);
    else if (by.length === 2) key = (structure.classYears.get(values[1])?.size ?? 0) > 1 ? cellKey(partUnit(values[0], values[1]), ALL) : null;
    else if (by[0] === "year_group") key = cellKey(yearUnit(values[0]), ALL);
    else if (by[0] === "reg_group") key = cellKey(classUnit(values[0]), ALL);
    else key = cellKey(SCHOOL, valueGroup(by[0] as ComparedDimension, values[0]));
    if (key !== null) fewest.set(key, pupils);
  }
  // Withheld over the half term as its own page withholds it.
  const own = (await governorLattice(connection, span, null, min, "full")).get("");
  // Its row, or over a short half term its absence (absenceWithheld): attended sessions hidden.
  const withheldOver = (key: string) => own !== undefined && own.suppression.hidden(key, "attended_sessions");
  const unknown = { lo: 0, hi: Number.POSITIVE_INFINITY };
  const hidden = protect(
    groups.map((g) => {
      const small = (fewest.get(g.key) ?? 0) > 0 && fewest.get(g.key)! < min;
      return { id: g.key, value: g.pupils, cost: costOfCell(g.key), ...(small || withheldOver(g.key) ? { primary: unknown } : {}) };
    }),
    sums,
    [],
    { focused: true },
  );
  const plan: SuppressionPlan = {
    min,
    rowHidden: (key) => hidden.has(key),
    rowReason: (key) => (hidden.has(key) ? "secondary" : null),
    hidden: (key) => hidden.has(key),
    text: () => WITHHELD_TEXT,
    reason: (key) => hidden.get(key) ?? null,
  };
  return latticeView({ structure, groups, sums, plan, stuck: new Set() }, min, { shape: "cross", figures: SLICE_FIGURES });
}
