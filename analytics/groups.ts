/**
 * Pupil groups beside their complement: "FSM pupils against everyone else", the
 * comparison the policies ask for by SEND, FSM, EAL, LAC, sex and ethnicity.
 *
 * The figures come from the measures (summarise / summariseBy), never from new SQL. The
 * complement of a group is the rest of the pupils in the same query (the whole school, or
 * the filtered part of it). Its counts are the whole's counts minus the group's: in a
 * pupil-level breakdown each pupil sits in exactly one group (characteristics at the end of
 * the period, see measures.ts), so session sums, pupil counts and PA/SA counts all add up.
 * Rates are then derived with withRates, the one definition of each rate.
 *
 * Words for the group codes ("K" -> "SEN support") live with the view filters in
 * app/lib/filters.ts, the one place pages and captions take them from.
 */
import type { Connection } from "./db.ts";
import { summarise, summariseBy, withRates, type Counts, type MeasureQuery, type Measures, type PupilDimension } from "./measures.ts";
import { printedDifference } from "./printed-difference.ts";
import { isLeaversGroup } from "./leavers.ts";

/** The characteristics compared on the groups page, in the order the policies list them. */
export const COMPARED_DIMENSIONS = ["sen", "fsm", "eal", "lac", "sex", "ethnicity"] as const satisfies readonly PupilDimension[];
export type ComparedDimension = (typeof COMPARED_DIMENSIONS)[number];

/** Group minus complement, in percentage points; null where either rate is missing. */
export interface Gaps {
  attendance_pts: number | null;
  absence_pts: number | null;
  authorised_pts: number | null;
  unauthorised_pts: number | null;
  pa_pts: number | null;
  sa_pts: number | null;
}

export interface GroupComparison {
  dimension: PupilDimension;
  group: string;
  measures: Measures;
  complement: Measures;
  gaps: Gaps;
  /** Fewer pupils than the school's small-group minimum: figures are fragile, flag them. */
  small: boolean;
  complement_small: boolean;
}


const COUNT_KEYS: Array<keyof Counts> = [
  "pupils",
  "possible_sessions",
  "present_sessions",
  "aea_sessions",
  "authorised_sessions",
  "unauthorised_sessions",
  "pa_pupils",
  "sa_pupils",
];

function subtractCounts(whole: Counts, part: Counts): Counts {
  const rest = {} as Counts;
  for (const key of COUNT_KEYS) {
    const value = whole[key] - part[key];
    // Negative counts would mean a pupil in two groups: the additivity this module relies on.
    if (value < 0) throw new Error(`group counts exceed the whole for ${key}: pupils must sit in exactly one group`);
    rest[key] = value;
  }
  return rest;
}

// Gaps are the difference of the printed rates (analytics/printed-difference.ts).
const difference = printedDifference;

export function gapsBetween(group: Measures, complement: Measures): Gaps {
  return {
    attendance_pts: difference(group.attendance_pct, complement.attendance_pct),
    absence_pts: difference(group.absence_pct, complement.absence_pct),
    authorised_pts: difference(group.authorised_pct, complement.authorised_pct),
    unauthorised_pts: difference(group.unauthorised_pct, complement.unauthorised_pct),
    pa_pts: difference(group.pa_pct, complement.pa_pct),
    sa_pts: difference(group.sa_pct, complement.sa_pct),
  };
}

/**
 * Each value of a pupil characteristic with its measures, the measures of everyone else
 * in the query, and the gaps between them. Groups come in the dimension's natural order.
 */
export async function compareGroups(
  connection: Connection,
  query: MeasureQuery,
  dimension: PupilDimension,
  options: {
    smallGroupMin?: number;
    /** summarise(connection, query) when the caller already has it (a page comparing several characteristics). */
    whole?: Measures;
  } = {},
): Promise<GroupComparison[]> {
  const smallGroupMin = options.smallGroupMin ?? 0;
  // One connection runs one query at a time: await in turn rather than in parallel.
  const whole = options.whole ?? (await summarise(connection, query));
  const groups = await summariseBy(connection, query, dimension);
  return groups.map(({ group, ...measures }) => {
    const complement = withRates(subtractCounts(whole, measures));
    return {
      dimension,
      group,
      measures,
      complement,
      gaps: gapsBetween(measures, complement),
      small: measures.pupils < smallGroupMin,
      complement_small: complement.pupils < smallGroupMin,
    };
  });
}

/**
 * A governor's groups of one characteristic under a filter (a year group, a class, one sex):
 * every group the whole school has over the period, in the school's order, those with no
 * pupils under the filter included and marked `none` (figures zero, to be printed as withheld),
 * so which rows a unit has never says where a small group's pupils are. A trial read the two
 * looked-after children's year groups off the Groups page: "withheld" under Years 4 and 5, no
 * row under Years 3 and 6. Rows the filter has keep their place and figures; the leavers' row
 * (its count is public: analytics/leavers.ts) is never added where there is none. `groups`:
 * compareGroups(connection, query, dimension); `query`: the filtered query (its filter is
 * dropped for the school's groups). Throws what the measures throw.
 */
export async function everySchoolGroup(
  connection: Connection,
  query: MeasureQuery,
  dimension: PupilDimension,
  groups: GroupComparison[],
  whole: Measures,
  /**
   * Values of the characteristic the school has ever recorded (the filter picker's), added
   * after the period's as rows with no pupils: a governor shown "withheld" for a group of 1–4
   * and no row for one with none could tell them apart (trial21b: Chinese "withheld", no
   * Bangladeshi row, over Autumn 2 2025). Undefined: the period's values only.
   */
  recorded?: readonly string[],
): Promise<Array<GroupComparison & { none: boolean }>> {
  const period = (await summariseBy(connection, { ...query, filter: {} }, dimension)).map((row) => row.group).filter((group) => !isLeaversGroup(group));
  // In the recorded order (the breakdowns' own), any value of the period's not recorded after them.
  const school = recorded ? [...recorded, ...period.filter((value) => !recorded.includes(value))] : period;
  const here = new Map(groups.map((row) => [row.group, row]));
  // Every count 0, every rate null: the figures of a group with no pupils here.
  const nothing = withRates(subtractCounts(whole, whole));
  const none = (group: string): GroupComparison & { none: boolean } => ({
    dimension, group, measures: nothing, complement: whole, gaps: gapsBetween(nothing, whole), small: false, complement_small: false, none: true,
  });
  const ordered = school.map((group) => (here.has(group) ? { ...here.get(group)!, none: false } : none(group)));
  // Groups the filter has that the school's list does not (the leavers' row): after them, as before.
  const rest = groups.filter((row) => !school.includes(row.group)).map((row) => ({ ...row, none: false }));
  return [...ordered, ...rest];
}

/**
 * Whether a governor's breakdown of a characteristic under a filter is withheld as a whole:
 * when any group the school has holds 0 to `min` − 1 pupils there (the leavers' row aside).
 * Which of a unit's groups are withheld, and which others the plan withholds to protect them
 * (the "Not looked after" row beside one looked-after child), would otherwise say where a
 * small group's pupils are: a year group where every row is shown holds none of them. So the
 * whole characteristic reads "withheld" in every such unit, and a unit where all its groups
 * have `min` or more pupils is shown as the plan decides. `rows`: everySchoolGroup's.
 */
export function unitBreakdownWithheld(rows: Array<GroupComparison & { none: boolean }>, min: number): boolean {
  return rows.some((row) => !isLeaversGroup(row.group) && (row.none || row.measures.pupils < min));
}
