/**
 * The casework lists the attendance lead works from: one list per rule (compute.ts), each
 * pupil with their name, year group, class and the rule's figure and since-date, narrowed by
 * year group, class and pupil groups as of the as-of date. The Casework page, its CSV and the
 * Overview's counts all come from here.
 */
import type { Connection, Row, SqlParams } from "../db.ts";
import { cachedRows } from "../db.ts";
import type { PupilDimension, PupilFilter } from "../measures.ts";
import { ladderFor, nextStepOf, type LadderPolicy, type LadderStanding, type ShownLate } from "../interventions/ladder.ts";
import { PAGE_SIZE, pageCount, type SortDirection } from "../list-paging.ts";
import { caseworkSql } from "./compute.ts";
import { CASEWORK_SORT_COLUMNS, type CaseworkSort } from "./list-columns.ts";
import { ruleSource, type Policy } from "./policy.ts";
import { isRuleId, RULES, ruleWords, type RuleId, type RuleUnit } from "./rules.ts";

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
  /**
   * For the percentage rules: the year-to-date session counts the figure is made of (the
   * measures' own fields, so a CSV gives each rate's numerator and denominator).
   */
  counts?: { possible_sessions: number; present_sessions: number; aea_sessions: number; authorised_sessions: number; unauthorised_sessions: number };
}

/** What the casework list shows of a pupil's ladder standing. */
export interface CaseworkLadder {
  /** The furthest step recorded this year, its label; null when none. */
  stage: string | null;
  /** ISO date the stage's intervention was recorded, or null. */
  stage_date: string | null;
  /**
   * The next step's label; for a pupil at a stage with nothing due or pending, the next
   * action the policy gives in words (LadderStanding.next_action: the last step reached and what
   * follows, attendance improved, or the next step and what makes it due); else null.
   */
  next: string | null;
  /**
   * ISO date the next step is due by, or null. A conditional step keeps the same date before
   * and after its monitoring period ends, so the date an attendance lead notes does not move.
   */
  due_by: string | null;
  /** A conditional step: the ISO date its monitoring period ends (due only if attendance has not improved by then); else null. */
  improvement_by: string | null;
  /**
   * "late" (due by has passed, not recorded), "due", "if no improvement" (conditional), "not yet
   * due" (the register first showed its rule met only after the as-of date, by an amendment made
   * since: a view of a past date; ladder.ts DueStep.not_yet_due), or null.
   */
  status: "late" | "due" | "if no improvement" | "not yet due" | null;
  /**
   * Set, with `due_from`, when the next step (or dated action) is due from the day the register
   * first showed its rule met (`due_from`, ISO), later than the rule's date (ladder.ts ShownLate):
   * said with due-words.ts shownLateWords, as on the pupil's page.
   */
  shown_late?: ShownLate;
  due_from?: string;
  /**
   * After a monitoring period that improved, with nothing due: the ISO date the ladder next
   * reviews (LadderStanding.review_by, the end of the monitoring period running); else null.
   */
  review_by: string | null;
}

/**
 * The list's view of a ladder standing (one shape for the page, its CSV and the SLT pack).
 * The next step is the pupil page's (nextStepOf): a due or pending step or the policy's dated
 * action, the more pressing, else the policy's next action
 * in words (LadderStanding.next_action — for a pupil who meets the penalty-notice threshold
 * with nothing pending, to consider a penalty notice, on every list they are on).
 */
export function caseworkLadderOf(standing: LadderStanding | undefined): CaseworkLadder {
  const { step: next, action, words } = nextStepOf(standing);
  const dated = next ?? action;
  const status = (item: { late: boolean; not_yet_due?: true }) => (item.late ? "late" : item.not_yet_due ? "not yet due" : "due");
  return {
    stage: standing?.stage?.label ?? null,
    stage_date: standing?.stage?.date ?? null,
    next: next?.label ?? action?.label ?? words ?? null,
    due_by: next ? next.due_by : (action?.due_by ?? null),
    improvement_by: next?.conditional ? next.due_from : null,
    status: next ? (next.conditional ? "if no improvement" : status(next)) : action ? status(action) : null,
    review_by: standing?.review_by ?? null,
    ...(dated?.shown_late ? { shown_late: dated.shown_late, due_from: dated.due_from } : {}),
  };
}

export interface CaseworkList {
  rule: RuleId;
  title: string;
  /** What puts a pupil on the list, with the school's numbers, and the span rule where it applies (ruleWords). */
  description: string;
  /** The criterion alone (RuleDescription.describe): the table of lists says it beside each. */
  criterion: string;
  /**
   * The pupils on any of the lists asked for (the same on each list of one call), each counted
   * once: the lists' counts add up to entries, a pupil on two lists counted twice.
   */
  pupilsListed: number;
  unit: RuleUnit;
  valueLabel: string;
  sinceLabel: string | null;
  source: string;
  /**
   * When the list's own action is due, in words (rules.ts `due`), where it is not a ladder
   * step: "No due date is set: …" for informing the local authority of illness; else null.
   */
  due: string | null;
  /**
   * For a list whose figure is attendance: the school's attendance lines (Policy
   * attendance_thresholds, percent 0–100), so the page and the CSV print each pupil's figure as
   * every page does beside them (thresholds.ts decimalsBesideLines: 95.97 %, not "96.0%", on the
   * list below 96 %); null for the other lists.
   */
  lines: readonly number[] | null;
  /** Pupils on the whole list (after the filter). */
  count: number;
  /** The page of the list asked for. */
  pupils: CaseworkPupil[];
  page: number;
  pages: number;
  pageSize: number;
  /** The sort asked for, or null: worst first. */
  sort: CaseworkSort | null;
  dir: SortDirection;
}

/** The pupil filters a list may be narrowed by, and their columns in `chars` (characteristics as of the as-of date). */
const FILTER_COLUMNS: Readonly<Record<PupilDimension | "upn", string>> = {
  year_group: "year_group",
  reg_group: "reg_group",
  sen: "sen",
  fsm: "fsm",
  eal: "eal",
  lac: "lac",
  sex: "sex",
  ethnicity: "ethnicity",
  upn: "upn",
};

/** The SQL of each sort column (the allow-list: a name from a URL is looked up here, never interpolated). */
const SORT_SQL: Record<CaseworkSort, string> = {
  name: "surname, forename",
  upn: "upn",
  year_group: "try_cast(year_group AS INTEGER), year_group",
  reg_group: "reg_group",
  value: "value",
  since: "since",
};

/** Worst first: lowest attendance for the attendance rules, else the largest figure. */
const WORST_FIRST = `CASE WHEN rule IN ('attendance_below_96', 'attendance_below_90', 'attendance_below_85') THEN value ELSE -value END ASC`;

function orderBy(sort: CaseworkSort | undefined, dir: SortDirection): string {
  const keys = sort
    ? SORT_SQL[sort]
        .split(", ")
        .map((key) => `${key} ${dir === "desc" ? "DESC" : "ASC"} NULLS LAST`)
        .join(", ")
    : WORST_FIRST;
  return `${keys}, surname ASC, forename ASC, upn ASC`;
}

export interface CaseworkPaging {
  /** A column of CASEWORK_SORT_COLUMNS; omitted: worst first. */
  sort?: CaseworkSort;
  dir?: SortDirection;
  /** 1-based; past the end shows the last page. */
  page?: number;
}

/**
 * Every rule's list as of a date under the school's policy, in the rules' order, narrowed by
 * the filter (pupil characteristics as of the as-of date), sorted and cut into pages in SQL
 * over the rules' own query (compute.ts, `caseworkSql`). Each list's `count` is the whole
 * list's; `pupils` the page asked for (the same page, sort and direction for every list
 * asked for). Lists with no pupils are included with count 0, so a page can say "none".
 *
 * @param options.rules limit to these rules (default: all, in the contract's order).
 * @param options.paging sort, direction and page; default worst first, page 1.
 * @param options.pageSize rows per list (default PAGE_SIZE); null: every pupil (the CSV).
 * @param options.ladder when given, each pupil shown carries their ladder standing under it
 *   as of the as-of date (`ladderFor`, one set-based computation for the pupils shown).
 * @throws Error when the date is not YYYY-MM-DD, or on an unknown rule, filter, sort column
 *   or direction, or a page size below 1.
 */
export async function caseworkLists(
  connection: Connection,
  options: {
    asOf: string;
    policy: Policy;
    filter?: PupilFilter;
    rules?: readonly RuleId[];
    ladder?: LadderPolicy;
    paging?: CaseworkPaging;
    pageSize?: number | null;
  },
): Promise<CaseworkList[]> {
  const cw = caseworkSql(options.asOf, options.policy);
  const params: SqlParams = { ...cw.params };
  const wanted = options.rules ? RULES.filter((rule) => options.rules?.includes(rule.id)) : RULES;
  for (const id of options.rules ?? []) if (!isRuleId(id)) throw new Error(`unknown rule "${String(id)}"`);
  const conditions = [`rule IN (${wanted.map((rule, i) => ((params[`rule_${i}`] = rule.id), `$rule_${i}`)).join(", ") || "NULL"})`];
  for (const [key, value] of Object.entries(options.filter ?? {})) {
    if (value === undefined || value === "") continue;
    if (!Object.prototype.hasOwnProperty.call(FILTER_COLUMNS, key)) throw new Error(`unknown filter "${key}"`);
    params[`f_${key}`] = value;
    conditions.push(`${FILTER_COLUMNS[key as PupilDimension | "upn"]} = $f_${key}`);
  }
  const sort = options.paging?.sort;
  if (sort !== undefined && !Object.prototype.hasOwnProperty.call(SORT_SQL, sort)) throw new Error(`unknown sort column "${String(sort)}"`);
  const dir: SortDirection = options.paging?.dir ?? (sort ? CASEWORK_SORT_COLUMNS[sort].defaultDir : "asc");
  if (dir !== "asc" && dir !== "desc") throw new Error(`unknown sort direction "${String(dir)}"`);
  const pageSize = options.pageSize === undefined ? PAGE_SIZE : options.pageSize;
  if (pageSize !== null && !(Number.isInteger(pageSize) && pageSize >= 1)) throw new Error(`the page size must be a whole number from 1 (got ${pageSize})`);
  const requestedPage = Math.max(1, Math.floor(options.paging?.page ?? 1));
  let pageFilter = "";
  if (pageSize !== null) {
    params.page = requestedPage;
    params.page_size = pageSize;
    // The page asked for, or each list's last page when it is past the end.
    const shownPage = `least($page::BIGINT, greatest(1, ceil(list_total / $page_size::DOUBLE))::BIGINT)`;
    pageFilter = `WHERE rn > (${shownPage} - 1) * $page_size::BIGINT AND rn <= ${shownPage} * $page_size::BIGINT`;
  }
  const rows = await cachedRows<Row>(
    connection,
    `WITH ${cw.sql},
     -- The pupils on roll with their characteristics in force on the as-of date (or their latest before it).
     chars AS (
       SELECT p.upn, p.forename, p.surname, p.sex, p.ethnicity,
              arg_max(ch.year_group, ch.valid_from) AS year_group, arg_max(ch.reg_group, ch.valid_from) AS reg_group,
              arg_max(ch.sen, ch.valid_from) AS sen, arg_max(ch.fsm, ch.valid_from) AS fsm,
              arg_max(ch.eal, ch.valid_from) AS eal, arg_max(ch.lac, ch.valid_from) AS lac
       FROM pupils p
       JOIN pupil_characteristics ch ON ch.upn = p.upn AND ch.valid_from <= $as_of::DATE
       WHERE p.upn IN (SELECT upn FROM roll)
       GROUP BY p.upn, p.forename, p.surname, p.sex, p.ethnicity),
     entries AS (
       SELECT l.rule, l.value, l.since, l.possible, l.present, l.aea, l.authorised, l.unauthorised, c.*
       FROM listed l JOIN roll USING (pupil_id) JOIN chars c USING (upn)
       WHERE ${conditions.join(" AND ")}),
     -- The pupils on any of the lists chosen, each once: a pupil is on several lists (below
     -- 85% and persistently absent), so the lists' counts add up to more (trial 52).
     listed_pupils AS (SELECT count(DISTINCT upn) AS pupils_listed FROM entries),
     ranked AS (
       SELECT *, count(*) OVER (PARTITION BY rule) AS list_total,
              row_number() OVER (PARTITION BY rule ORDER BY ${orderBy(sort, dir)}) AS rn
       FROM entries)
     SELECT * FROM ranked CROSS JOIN listed_pupils ${pageFilter} ORDER BY rule, rn`,
    params,
  );
  const shownUpns = [...new Set(rows.map((row) => String(row.upn)))];
  const standings =
    options.ladder && shownUpns.length > 0
      ? new Map((await ladderFor(connection, options.asOf, options.ladder, { upns: shownUpns })).map((s) => [s.upn, s]))
      : null;
  const byRule = new Map<string, Row[]>();
  for (const row of rows) {
    const list = byRule.get(String(row.rule));
    if (list) list.push(row);
    else byRule.set(String(row.rule), [row]);
  }
  return wanted.map((rule) => {
    const listRows = byRule.get(rule.id) ?? [];
    const count = listRows.length ? Number(listRows[0].list_total) : 0;
    const pages = pageSize === null ? 1 : pageCount(count, pageSize);
    const pupils: CaseworkPupil[] = listRows.map((row) => ({
      upn: String(row.upn),
      forename: String(row.forename),
      surname: String(row.surname),
      year_group: String(row.year_group),
      reg_group: String(row.reg_group),
      value: Number(row.value),
      since: row.since === null ? null : String(row.since),
      ...(row.possible === null
        ? {}
        : {
            counts: {
              possible_sessions: Number(row.possible),
              present_sessions: Number(row.present),
              aea_sessions: Number(row.aea),
              authorised_sessions: Number(row.authorised),
              unauthorised_sessions: Number(row.unauthorised),
            },
          }),
      ...(standings ? { ladder: caseworkLadderOf(standings.get(String(row.upn))) } : {}),
    }));
    return {
      rule: rule.id,
      title: rule.title,
      description: ruleWords(rule, options.policy),
      criterion: rule.describe(options.policy),
      pupilsListed: rows.length > 0 ? Number(rows[0].pupils_listed) : 0,
      unit: rule.unit,
      valueLabel: rule.valueLabel,
      sinceLabel: rule.sinceLabel,
      source: ruleSource(rule, options.policy),
      due: rule.due ? rule.due(options.policy) : null,
      lines: linesOf(rule, options.policy),
      count,
      pupils,
      page: pageSize === null ? 1 : Math.min(requestedPage, pages),
      pages,
      pageSize: pageSize ?? count,
      sort: sort ?? null,
      dir,
    };
  });
}

/** The school's attendance lines beside a list's figures (CaseworkList.lines): for the rules on attendance; else null (an absence is not set beside them). */
function linesOf(rule: (typeof RULES)[number], policy: Policy): readonly number[] | null {
  return rule.unit === "percent" && rule.valueLabel === "Attendance" ? policy.attendance_thresholds : null;
}

/**
 * How many pupils each rule lists (the Overview's counts), under the same definition: per list
 * its id, title, criterion (RuleDescription.describe, the school's numbers filled in), count
 * of pupils, and the pupils on any list (CaseworkList.pupilsListed).
 */
export async function caseworkCounts(
  connection: Connection,
  options: { asOf: string; policy: Policy; filter?: PupilFilter },
): Promise<Array<{ rule: RuleId; title: string; criterion: string; count: number; pupilsListed: number }>> {
  // One row per list is enough: each list's count is the whole list's.
  const lists = await caseworkLists(connection, { ...options, pageSize: 1 });
  return lists.map(({ rule, title, criterion, count, pupilsListed }) => ({ rule, title, criterion, count, pupilsListed }));
}
