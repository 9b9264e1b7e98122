/**
 * The casework lists the attendance lead works from: one list per rule (compute.ts), each
 * pupil with their name, year group, class and the rule's figure and since-date, narrowed by
 * year group, class and pupil groups as of the as-of date. The Casework page, its CSV and the
 * Overview's counts all come from here.
 */
import type { Connection, Row } from "../db.ts";
import { cachedRows } from "../db.ts";
import type { PupilCharacteristics, PupilDimension, PupilFilter } from "../measures.ts";
import { ladderFor, type LadderPolicy, type LadderStanding } from "../interventions/ladder.ts";
import { computeCasework, type CaseworkEntry } from "./compute.ts";
import type { Policy } from "./policy.ts";
import { RULES, type RuleId, type RuleUnit } from "./rules.ts";

export interface CaseworkPupil {
  upn: string;
  forename: string;
  surname: string;
  year_group: string;
  reg_group: string;
  /** The rule's figure: percent 0–100, days, sessions or marks; unrounded. */
  value: number;
  /** ISO date or null. */
  since: string | null;
  /**
   * The pupil's standing on the escalation ladder (analytics/interventions/ladder.ts,
   * `ladderFor`, the pupil page's): the furthest step recorded this academic year and the
   * next step with its due date. Present only when `caseworkLists` was given a ladder.
   */
  ladder?: CaseworkLadder;
}

/** What the casework list shows of a pupil's ladder standing. */
export interface CaseworkLadder {
  /** The furthest step recorded this year, its label; null when none. */
  stage: string | null;
  /** ISO date the stage's intervention was recorded, or null. */
  stage_date: string | null;
  /** The next step's label, or null when nothing is due or pending. */
  next: string | null;
  /** ISO date the next step is due by (a conditional step: the monitoring period's end), or null. */
  due_by: string | null;
  /** "late" (due by has passed, not recorded), "due", "if no improvement" (conditional), or null. */
  status: "late" | "due" | "if no improvement" | null;
}

/** The list's view of a ladder standing (one shape for the page and its CSV). */
export function caseworkLadderOf(standing: LadderStanding | undefined): CaseworkLadder {
  const next = standing?.next ?? null;
  return {
    stage: standing?.stage?.label ?? null,
    stage_date: standing?.stage?.date ?? null,
    next: next?.label ?? null,
    due_by: next ? (next.conditional ? next.due_from : next.due_by) : null,
    status: next ? (next.conditional ? "if no improvement" : next.late ? "late" : "due") : null,
  };
}

export interface CaseworkList {
  rule: RuleId;
  title: string;
  /** What puts a pupil on the list, with the school's numbers. */
  description: string;
  unit: RuleUnit;
  valueLabel: string;
  sinceLabel: string | null;
  source: string;
  count: number;
  pupils: CaseworkPupil[];
}

type PupilOnRoll = Row & PupilCharacteristics;

const FILTER_KEYS: readonly (PupilDimension | "upn")[] = ["year_group", "reg_group", "sen", "fsm", "eal", "lac", "sex", "ethnicity", "upn"];

/** Pupils on roll on the date, with the characteristics in force that day (or their latest before it). */
async function pupilsOnRoll(connection: Connection, asOf: string): Promise<Map<string, PupilOnRoll>> {
  const rows = await cachedRows<PupilOnRoll>(
    connection,
    `SELECT p.upn, p.forename, p.surname, p.sex, p.ethnicity,
            arg_max(ch.year_group, ch.valid_from) AS year_group, arg_max(ch.reg_group, ch.valid_from) AS reg_group,
            arg_max(ch.sen, ch.valid_from) AS sen, arg_max(ch.fsm, ch.valid_from) AS fsm,
            arg_max(ch.eal, ch.valid_from) AS eal, arg_max(ch.lac, ch.valid_from) AS lac
     FROM pupils p
     JOIN pupil_characteristics ch ON ch.upn = p.upn AND ch.valid_from <= $as_of::DATE
     WHERE p.admission_date <= $as_of::DATE AND (p.leaving_date IS NULL OR p.leaving_date >= $as_of::DATE)
     GROUP BY p.upn, p.forename, p.surname, p.sex, p.ethnicity`,
    { as_of: asOf },
  );
  return new Map(rows.map((row) => [row.upn, row]));
}

/** Worst first: lowest attendance, else the largest figure; then by name. */
function order(unit: RuleUnit, rule: RuleId) {
  const ascending = unit === "percent" && rule.startsWith("attendance_");
  return (a: CaseworkPupil, b: CaseworkPupil) =>
    (ascending ? a.value - b.value : b.value - a.value) || a.surname.localeCompare(b.surname) || a.forename.localeCompare(b.forename) || a.upn.localeCompare(b.upn);
}

/**
 * Every rule's list as of a date under the school's policy, in the rules' order, narrowed by
 * the filter (pupil characteristics as of the as-of date). Lists with no pupils are included
 * with count 0, so a page can say "none".
 *
 * @param options.rules limit to these rules (default: all, in the contract's order).
 * @param options.ladder when given, each pupil carries their ladder standing under it as of
 *   the as-of date (`ladderFor`, one set-based computation for the pupils listed).
 * @throws Error when the date is not YYYY-MM-DD.
 */
export async function caseworkLists(
  connection: Connection,
  options: { asOf: string; policy: Policy; filter?: PupilFilter; rules?: readonly RuleId[]; ladder?: LadderPolicy },
): Promise<CaseworkList[]> {
  const entries = await computeCasework(connection, { asOf: options.asOf, numbers: options.policy, rules: options.rules });
  const roll = await pupilsOnRoll(connection, options.asOf);
  const filter = Object.entries(options.filter ?? {}).filter(([key, value]) => value && FILTER_KEYS.includes(key as PupilDimension));
  const matches = (pupil: PupilOnRoll) => filter.every(([key, value]) => pupil[key as keyof PupilOnRoll] === value);
  // The ladder only for the pupils listed after the filter (one set-based computation for all of them).
  const shown = (upn: string) => {
    const pupil = roll.get(upn);
    return pupil !== undefined && matches(pupil);
  };
  const listed = [...new Set(entries.map((entry) => entry.upn))].filter(shown);
  const standings =
    options.ladder && listed.length > 0 ? new Map((await ladderFor(connection, options.asOf, options.ladder, { upns: listed })).map((s) => [s.upn, s])) : null;
  const byRule = new Map<RuleId, CaseworkEntry[]>();
  for (const entry of entries) {
    const list = byRule.get(entry.rule);
    if (list) list.push(entry);
    else byRule.set(entry.rule, [entry]);
  }
  const wanted = options.rules ? RULES.filter((rule) => options.rules?.includes(rule.id)) : RULES;
  return wanted.map((rule) => {
    const pupils: CaseworkPupil[] = [];
    for (const entry of byRule.get(rule.id) ?? []) {
      const pupil = roll.get(entry.upn);
      if (!pupil || !matches(pupil)) continue;
      pupils.push({
        upn: entry.upn,
        forename: pupil.forename,
        surname: pupil.surname,
        year_group: pupil.year_group,
        reg_group: pupil.reg_group,
        value: entry.value,
        since: entry.since,
        ...(standings ? { ladder: caseworkLadderOf(standings.get(entry.upn)) } : {}),
      });
    }
    pupils.sort(order(rule.unit, rule.id));
    return {
      rule: rule.id,
      title: rule.title,
      description: rule.describe(options.policy),
      unit: rule.unit,
      valueLabel: rule.valueLabel,
      sinceLabel: rule.sinceLabel,
      source: rule.source,
      count: pupils.length,
      pupils,
    };
  });
}

/** How many pupils each rule lists (the Overview's counts), under the same definition. */
export async function caseworkCounts(
  connection: Connection,
  options: { asOf: string; policy: Policy; filter?: PupilFilter },
): Promise<Array<{ rule: RuleId; title: string; count: number }>> {
  const lists = await caseworkLists(connection, options);
  return lists.map(({ rule, title, count }) => ({ rule, title, count }));
}
