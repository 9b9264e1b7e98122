/**
 * The termly pack for the full governing board (Ludlow policy, "Formal reporting": data,
 * patterns, analysis, groups, interventions, successes, barriers and next steps).
 * Anonymous by construction: it is built only from group measures — no pupil-level rows
 * ever enter the model — and groups smaller than settings.small_group_min are suppressed.
 */
import { marksImportedNotes } from "../unmarked-days.ts";
import { wholeSchoolWithheldAdvice, wholeSchoolWithheldBecause, withheldRuleWords } from "../withheld-rule.ts";
import { sectionsSayWhyWithheld, tableSaysWhyWithheld } from "./withheld-notes.ts";
import { isLeaversGroup } from "../leavers.ts";
import { governorReasons } from "../governor-reasons.ts";
import { summariseSessionsByEach } from "../half-term-spans.ts";
import { fgbInterventionCounts } from "./interventions.ts";
import { withOneThread, withSharedReads, type Connection } from "../db.ts";
import { governorQuery, pupilMeasures, summarise, summariseByEach, type Measures } from "../measures.ts";
import { TERM_KEY, academicYearBounds, academicYearOf, formatTermKey, termBounds, termKeyFault } from "../periods.ts";
import { endedHalfTerms, governorLastYear, halfTermShort, halfTermsOf, lastTwoEndedHalfTerms, type HalfTerm } from "../governor-periods.ts";
import { packPeriodFacts, packPeriodRefusal, refuseEmptyPackPeriod, termPackSpan } from "./periods.ts";
import { changePopulationWords } from "../population-words.ts";
import { addDays, format, parseISO } from "date-fns";
import { governorSlices } from "../governor-view.ts";
import { pendingNCodes } from "../quality.ts";
import { getSettings } from "../settings.ts";
import { ladderPolicyOf } from "../interventions/policy.ts";
import type { Block, PackModel, PackSection } from "./model.ts";
import { capitalise, text, ukDate } from "./format.ts";
import { COMMENTARY_HEADINGS, COMMENTARY_LABELS, getCommentary, type CommentaryHeading } from "./commentary.ts";
import { NOT_YET_JUDGED_WHY, bandRange, ladderPosition } from "./ladder.ts";
import { pupilJudged } from "../judged-span.ts";
import { writeNarrative, type Narrative, type NarrativeGroup } from "./narrative.ts";
import { groupKey } from "../suppression.ts";
import { ladderCountCells } from "./ladder-suppression.ts";
import {
  codeBlocks,
  codeRegimeNotes,
  compareGroups,
  groupComparisons,
  groupsSection,
  headlineMeasures,
  headlineSection,
  governorSpanPlan,
  packSuppression,
  termlyTrendChart,
  toDateTabs,
  weekdayBlocks,
  weeklyTrendBlocks,
  yearGroupLabel,
  yearGroupsAndClassesSection,
  type PackPeriods,
} from "./sections.ts";

export interface FgbPackRequest {
  /** 'autumn-2026', 'spring-2027' … */
  term: string;
  today: string;
  generatedAt?: string;
  /**
   * false: the model's toDateTabs not made (null). Only the workbook has those tabs (the PDF and the
   * page print none of them), and they are the pack's costliest figures (every year group and
   * class, week by week and term by term, each under the governors' plans): a PDF or the page
   * does not make them. Default true.
   */
  toDateTabs?: boolean;
}

/** The term before: summer-2026 before autumn-2026, autumn-2026 before spring-2027. */
export function previousTermKey(term: string): string {
  const match = TERM_KEY.exec(term);
  if (!match) throw new Error(termKeyFault(term) ?? term);
  const year = Number(match[2]);
  switch (match[1]) {
    case "autumn":
      return `summer-${year}`;
    case "spring":
      return `autumn-${year - 1}`;
    default:
      return `spring-${year}`;
  }
}

/**
 * The widest span a term can have, by its key ("autumn-2026": 1 September to 31 December 2026;
 * spring: 1 January to 30 April; summer: 1 April to 31 July), ISO; null for a key not of that
 * form. For a term no calendar holds.
 */
function termNominalSpan(term: string): { from: string; to: string } | null {
  const match = /^(autumn|spring|summer)-(\d{4})$/.exec(term);
  if (!match) return null;
  const [from, to] = { autumn: ["09-01", "12-31"], spring: ["01-01", "04-30"], summer: ["04-01", "07-31"] }[match[1] as "autumn" | "spring" | "summer"];
  return { from: `${match[2]}-${from}`, to: `${match[2]}-${to}` };
}

/**
 * The pack's spans: the term and the year to date, each to the end of the term's last half
 * term that has ended by `today` — the governors' pack, like every governor's figure, covers
 * whole half terms that have ended (analytics/governor-periods.ts) — and the same half terms
 * of the year before. Throws, in words, for a term not in the calendar, not started, before
 * the register starts (refuseEmptyPackPeriod), or with no half term ended yet.
 */
export async function fgbPeriods(connection: Connection, term: string, today: string): Promise<PackPeriods> {
  const bounds = await termBounds(connection, term);
  if (!bounds) {
    // A term to come (no calendar holds it yet) has not started, in the SLT pack's words for a
    // month to come; only one already begun or past is the calendar's to import (trial 29:
    // autumn-2099 was told to import its calendar).
    const nominal = termNominalSpan(term);
    if (nominal !== null && nominal.from > today) throw new Error(`${formatTermKey(term)} has not started yet (today is ${ukDate(today)}).`);
    // A term before the register's first marks is said so, as the SLT pack says of a month
    // (trial 29b: autumn-2020 was told to import its calendar): only a term the register
    // covers is the calendar's to import.
    const facts = await packPeriodFacts(connection);
    if (nominal !== null && (facts.first === null || nominal.to < facts.first)) throw new Error(packPeriodRefusal(facts, nominal, formatTermKey(term))!);
    throw new Error(`There are no school days for ${formatTermKey(term)}: import the school calendar for that term.`);
  }
  if (bounds.from > today) throw new Error(`${formatTermKey(term)} has not started yet (it starts ${ukDate(bounds.from)}).`);
  await refuseEmptyPackPeriod(connection, termPackSpan(bounds, today), formatTermKey(term));
  const halfTerms = await halfTermsOf(connection);
  const ofTerm = halfTerms.filter((h) => h.term === term);
  const ended = endedHalfTerms(ofTerm, today);
  if (ended.length === 0) {
    throw new Error(`No half term of ${formatTermKey(term)} has ended yet (the first ends ${ukDate(ofTerm[0]?.to ?? bounds.to)}): the governors' pack covers whole half terms that have ended.`);
  }
  const to = ended.at(-1)!.to;
  // A term not over covers only its ended half terms: its title and file name say so, not
  // only a note ("Autumn 2026" of 3 Sep to 23 Oct reads as the whole term).
  const over = to >= bounds.to;
  const coverWords = over ? "" : ` to the end of ${halfTermShort(ended.at(-1)!.key)}`;
  // Every span read with half-term membership, as every figure a governor reads (governorQuery).
  const period = governorQuery({ from: bounds.from, to });
  const yearToDate = governorQuery({ from: academicYearBounds(academicYearOf(bounds.from)).from, to });
  const lastPeriod = governorLastYear(halfTerms, period);
  const lastYearToDate = governorLastYear(halfTerms, yearToDate);
  return {
    period,
    label: `${formatTermKey(term)}${coverWords}`,
    noun: "This term",
    fileKey: over ? term : `${term}-to-${ended.at(-1)!.key.split("-").slice(0, 2).join("-")}`,
    yearToDate,
    // Without last year's calendar, the same dates a year earlier (said in the headline's
    // note). The pack reads only the whole school's figures for last year, withheld as the
    // plans of last year's spans withhold them (PackSuppression.lastYear).
    ...(lastPeriod && lastYearToDate ? { lastYear: { period: governorQuery(lastPeriod), yearToDate: governorQuery(lastYearToDate) } } : {}),
  };
}


/**
 * The four headings the policy asks for, run on one after another (each is short): each with
 * the blocks and intro `make` gives it, then the head's commentary under it.
 */
function commentarySections(make: (heading: CommentaryHeading) => { intro?: string; blocks: Block[] }, commentary: Awaited<ReturnType<typeof getCommentary>>): PackSection[] {
  return COMMENTARY_HEADINGS.map((heading, i) => {
    const { intro, blocks } = make(heading);
    return {
      id: heading,
      title: COMMENTARY_LABELS[heading],
      sheet: COMMENTARY_LABELS[heading],
      runOn: i > 0,
      intro,
      blocks: [...blocks, { kind: "commentary", heading: "Headteacher's commentary", entry: commentary[heading] }],
    };
  });
}

/** The note of a pack whose term is not over. */
const termNotOverNote = (periods: PackPeriods) =>
  `The term is not over: figures run to ${ukDate(periods.period.to)}, the end of its last half term that has ended (governors' figures cover whole half terms).`;

/**
 * Why a pack gives no figure, naming the span whose plan withholds the whole school's row
 * (the term, or the year to date the pack's to-date figures cover), as the Overview says for
 * that same span: the rule that withheld it, and what can be done — no filter is broader than
 * the whole school, the minimum is the administrator's in Settings (trial 50: the pack named
 * neither). `min`: the school's small-group minimum (Settings).
 */
export function schoolWithheldText(span: "term" | "year to date", min: number): string {
  const which = span === "term" ? "this term" : "the year to date";
  return (
    `The school's figures for ${which} are withheld from governors: ${wholeSchoolWithheldBecause(min)}. The Overview withholds them for ${which} too. ` +
    `${wholeSchoolWithheldAdvice(min)} Rollcall's page "How the figures are calculated" (/definitions, "Withheld figures (governors)") says which figures are withheld and why. ` +
    `The headteacher's commentary follows.`
  );
}

/**
 * The FGB pack where the governors' plan withholds the whole school's row over the term or the
 * year to date (a small school whose absence is one pupil's): no figure, the reason in words,
 * and the head's commentary under each heading the policy asks for (no data paragraphs, no
 * ladder or intervention counts: each is a figure of the whole school or adds up to one).
 */
async function schoolWithheldPack(connection: Connection, request: FgbPackRequest, periods: PackPeriods, schoolName: string, min: number, notes: string[], span: "term" | "year to date"): Promise<PackModel> {
  const reason = schoolWithheldText(span, min);
  const commentary = await getCommentary(connection, "fgb", request.term);
  const sections: PackSection[] = [
    { id: "headline", title: "Attendance against target, last year and national", sheet: "Headline", blocks: [{ kind: "paragraphs", items: [reason] }] },
    ...commentarySections(() => ({ blocks: [] }), commentary),
  ];
  return fgbModel(request, periods, { schoolName, min, notes: [...notes, reason], sections, toDateTabs: request.toDateTabs === false ? null : [] });
}

/** The FGB pack's model around its sections: title, periods, file name, audience and notes. */
function fgbModel(
  request: FgbPackRequest,
  periods: PackPeriods,
  parts: { schoolName: string; min: number; notes: string[]; sections: PackSection[]; toDateTabs: PackModel["toDateTabs"] },
): PackModel {
  return {
    kind: "fgb",
    title: "Termly attendance report to the governing board",
    schoolName: parts.schoolName,
    periodLabel: periods.label,
    period: periods.period,
    yearToDate: periods.yearToDate,
    periodKey: request.term,
    fileKey: periods.fileKey ?? request.term,
    today: request.today,
    generatedAt: request.generatedAt ?? new Date().toISOString(),
    audience: `For governors. No pupil is named. ${capitalise(withheldRuleWords(parts.min))}.`,
    notes: parts.notes,
    // Each table with a withheld figure says why under itself, on its own tab and PDF section.
    sections: sectionsSayWhyWithheld(parts.sections, parts.min),
    toDateTabs: parts.toDateTabs?.map((tab) => ({ ...tab, table: tableSaysWhyWithheld(tab.table, parts.min) })) ?? null,
  };
}

/** Pupils in each ladder band, year to date: counts only, never rows. */
async function ladderCounts(connection: Connection, periods: PackPeriods, thresholds: number[]) {
  // The whole school's pupils, one row each (no group, so no half-term membership to read).
  const pupils = await pupilMeasures(connection, { from: periods.yearToDate.from, to: periods.yearToDate.to });
  const positions = pupils.map((p) => ladderPosition(p, thresholds));
  const bands = thresholds.map((threshold, i) => ({ threshold, pupils: positions.filter((p) => p?.index === i).length }));
  // Pupils not yet judged are in no band (ladderPosition) but in the headline PA and SA, as the
  // DfE counts them: the planner's parts of those sums (ladder-suppression.ts ladderSums).
  const waiting = pupils.filter((p) => p.possible_sessions > 0 && !pupilJudged(p.possible_sessions));
  const unjudged = { pa: waiting.filter((p) => p.is_pa).length, sa: waiting.filter((p) => p.is_sa).length, pupils: waiting.length };
  // Each pupil's sessions and band: what the school's absent sessions say of the bands
  // (ladder-suppression.ts LadderSessions), never printed.
  const perPupil = pupils.map((p, i) => ({
    possible: p.possible_sessions,
    missed: p.possible_sessions - p.present_sessions - p.aea_sessions,
    band: positions[i]?.index ?? null,
  }));
  return { bands, perPupil, unjudged };
}

/**
 * The FGB pack's model. Its figures read the register once each: a read asked again by
 * another section (the year to date's measures, the pupils' rows) is shared (withSharedReads).
 * The reads run with DuckDB at one thread (db.ts withOneThread; the count given back after):
 * most of the pack's statements are a span's groups or a half term's days, a row group or so
 * each, where a second thread only spins waiting for work (duckdb/duckdb#22178), and the
 * governors' plans are made on Node's thread while the spans' reads run beside them
 * (governor-lattice.ts prefetchSpanAtoms), so two DuckDB threads and the planner asked three
 * cores of a machine's two. Session 36, loaded two-core machine, CPU of the figures (process,
 * all threads), alternated in one process, two threads → one: 4,500 pupils, summer 2026 again
 * 9.5–14.6 → 8.5–11.5 s, first build (warm) 33.3 / 25.0 → 31.2 / 27.4 / 19.5 s; demo, autumn
 * 2026 first build median 4.9 → 4.2 s, again 2.7 → 2.3 s. The time end to end at 4,500 pupils
 * moved within the noise (a year's read is faster on two threads where a core is free). The
 * figures are the same (the same statements; only DuckDB's thread count differs).
 */
export async function buildFgbPack(connection: Connection, request: FgbPackRequest): Promise<PackModel> {
  return withOneThread(connection, () => withSharedReads(connection, () => fgbPackModel(connection, request)));
}

async function fgbPackModel(connection: Connection, request: FgbPackRequest): Promise<PackModel> {
  const settings = await getSettings(connection);
  const min = settings.small_group_min;
  const periods = await fgbPeriods(connection, request.term, request.today);
  const termNotOver = periods.period.to < (await termBounds(connection, request.term))!.to;

  const headline = await headlineMeasures(connection, periods);
  // One plan per span for every group figure in the pack (primary and complementary).
  const plans = await packSuppression(connection, periods, min);
  // The whole school's row withheld (its own sessions pin a small count, a small school's one
  // absent pupil: analytics/suppression.ts absenceRules): every section of the pack prints
  // figures of the whole school or of groups that add up to it, so none is given.
  if (plans.period.rowHidden(groupKey.school) || plans.yearToDate.rowHidden(groupKey.school)) {
    const span = plans.period.rowHidden(groupKey.school) ? "term" : "year to date";
    return schoolWithheldPack(connection, request, periods, settings.school_name, min, [...(termNotOver ? [termNotOverNote(periods)] : []), ...(await marksImportedNotes(connection, periods.period, request.today))], span);
  }
  const comparisons = await groupComparisons(connection, periods, min, plans);
  // What changed (the narrative): the last half term ended by the pack's end against the one
  // before, the spans the governors' Overview compares (lastTwoEndedHalfTerms; it compared
  // Autumn 1 with the whole summer term). Each half term's school and groups under that half
  // term's own plan, as its Groups page withholds them: a group withheld there, or to protect
  // another, is not compared (with the next half term's figures it would give the withheld one).
  const halves = lastTwoEndedHalfTerms(await halfTermsOf(connection), format(addDays(parseISO(periods.period.to), 1), "yyyy-MM-dd"));
  const halfFigures = async (half: HalfTerm) => {
    const span = governorQuery({ from: half.from, to: half.to });
    const plan = await governorSpanPlan(connection, span, min);
    const summary = await summarise(connection, span);
    const schoolOut = plan.rowHidden(groupKey.school) || plan.hidden(groupKey.school, "possible_sessions") || plan.hidden(groupKey.school, "attended_sessions");
    return { half, school: schoolOut ? { ...summary, attendance_pct: null } : summary, groups: await compareGroups(connection, span, min, plan) };
  };
  const [previousHalf, latestHalf] = halves.previous && halves.latest ? [await halfFigures(halves.previous), await halfFigures(halves.latest)] : [null, null];
  const groupIn = (figures: typeof latestHalf, key: string) => {
    const group = figures?.groups.find((g) => g.key === key);
    return group && !group.hidden && group.group.pupils > 0 ? group.group : null;
  };
  // The school's weekdays are slices of the span: none where its days are withheld in a half
  // term of it (analytics/governor-view.ts governorSlices), as on the Patterns page.
  const schoolSlices = await governorSlices(connection, { ...periods.yearToDate, filter: {} }, min);
  // The term's and the year to date's in one read where both are shown (summariseSessionsByEach).
  const weekdaysShown = [periods.period, periods.yearToDate].filter((span) => !schoolSlices.withheld(span.from, span.to));
  const weekdaysRead = await summariseSessionsByEach(connection, weekdaysShown, "weekday");
  const weekdaysOver = (span: PackPeriods["period"]) => (weekdaysShown.includes(span) ? weekdaysRead[weekdaysShown.indexOf(span)] : []);
  const weekdaysTerm = weekdaysOver(periods.period);
  const weekdaysYear = weekdaysOver(periods.yearToDate);
  // The reasons the pack prints (withheld ones left out of the commentary: analytics/governor-reasons.ts).
  const reasons = ((await governorReasons(connection, periods.period, min)).get("") ?? []).flatMap((r) => (r.sessions === null ? [] : [{ label: r.label, sessions: r.sessions }]));
  const { bands: ladderBands, perPupil, unjudged } = await ladderCounts(connection, periods, settings.attendance_thresholds);
  // Withheld together with the headline PA and SA counts they add up to, and against the
  // school's sessions over the year to date, which the pack and the Overview print
  // (ladder-suppression.ts).
  const ytd = headline.yearToDate;
  const ladderCells = ladderCountCells(
    ladderBands.map((band) => band.pupils),
    settings.attendance_thresholds,
    { pa: ytd.pa_pupils, sa: ytd.sa_pupils },
    min,
    { pa: plans.yearToDate.hidden(groupKey.school, "pa_pupils"), sa: plans.yearToDate.hidden(groupKey.school, "sa_pupils") },
    { pupils: ytd.pupils, possible: ytd.possible_sessions, attended: ytd.present_sessions + ytd.aea_sessions, perPupil },
    // With none not yet judged the bands add up to the headline exactly, as a reader then reads them.
    unjudged.pupils > 0 ? { pa: unjudged.pa, sa: unjudged.sa } : undefined,
  );
  const ladder = ladderBands.map((band, i) => ({ ...band, withheld: ladderCells[i].kind === "suppressed" }));
  const pending = await pendingNCodes(connection, periods.period.to);
  const trend = await termlyTrendChart(connection, periods.period.to, settings);

  const yearRows = (await summariseByEach(connection, periods.period)).get("year_group") ?? [];
  const yearHidden = (g: string) => plans.period.rowHidden(groupKey.year(g)) || plans.yearToDate.rowHidden(groupKey.year(g));
  const yearGroups: NarrativeGroup[] = yearRows
    // The leavers (analytics/leavers.ts) are no year group to comment on: no sessions of their own.
    .filter((y) => !yearHidden(y.group) && !isLeaversGroup(y.group))
    // No comparison with last term: pupils move up a year in September, so "Year 5 last
    // term" is a different set of children.
    .map((y) => ({ name: yearGroupLabel(y.group), current: y, previous: null, latest: null, rest: null }));

  const narrative = writeNarrative({
    termLabel: periods.label,
    change:
      previousHalf && latestHalf && previousHalf.school.possible_sessions > 0
        ? {
            previousLabel: formatTermKey(previousHalf.half.key),
            latestLabel: formatTermKey(latestHalf.half.key),
            previous: previousHalf.school,
            latest: latestHalf.school,
            pupilsDiffer: academicYearOf(previousHalf.half.to) === academicYearOf(latestHalf.half.from) ? null : changePopulationWords(
              { ...previousHalf.half, label: formatTermKey(previousHalf.half.key) },
              { ...latestHalf.half, label: formatTermKey(latestHalf.half.key) },
              {},
            ).words,
          }
        : null,
    target: settings.target_attendance_pct,
    policy: ladderPolicyOf(settings).ladder.id,
    min,
    term: headline.period,
    // Last year's figures as its spans' plans give them (PackSuppression.lastYear): none where withheld.
    termLastYear: plans.lastYear?.period.rowHidden(groupKey.school) ? { ...headline.periodLastYear, attendance_pct: null, unauthorised_pct: null } : headline.periodLastYear,
    yearToDate: headline.yearToDate,
    yearToDateLastYear: plans.lastYear?.yearToDate.hidden(groupKey.school, "pa_pupils") ? { ...headline.yearToDateLastYear, pa_pct: null } : headline.yearToDateLastYear,
    yearToDateWithheld: { pa: plans.yearToDate.hidden(groupKey.school, "pa_pupils"), sa: plans.yearToDate.hidden(groupKey.school, "sa_pupils") },
    groups: comparisons
      .filter((c) => !c.period.hidden && c.period.group.pupils > 0)
      .map((c) => ({
        name: c.short,
        current: c.period.group,
        previous: groupIn(previousHalf, c.key),
        latest: groupIn(latestHalf, c.key),
        rest: c.period.rest,
      })),
    yearGroups,
    weekdays: weekdaysTerm.map((d) => ({ day: d.group, attendance: d.attendance_pct })),
    reasons,
    ladder,
    pendingN: {
      sessions: pending.length,
      overdue: pending.filter((n) => n.school_days_open > settings.n_code_limit_school_days).length,
      limit: settings.n_code_limit_school_days,
    },
  });

  const commentary = await getCommentary(connection, "fgb", request.term);
  const narrativeFor: Record<CommentaryHeading, keyof Narrative> = {
    interventions: "interventions",
    successes: "successes",
    barriers: "barriers",
    "next-steps": "nextSteps",
  };

  const ladderTable: Block = {
    kind: "table",
    table: {
      caption: "Pupils on the attendance policy's ladder, year to date (each pupil counted once, in their lowest band)",
      columns: [{ label: "Band" }, { label: "Pupils", numeric: true }],
      rows: ladder.map((_band, i) => [text(bandRange(settings.attendance_thresholds, i)), ladderCells[i]]),
    },
  };

  // No count of them: with the headline PA less the bands it could bound a small count the
  // planner withholds (ladder-suppression.ts, "unjudged:pa"); the rule in words is enough.
  const ladderWaitingNote: Block = {
    kind: "paragraphs",
    items: [`Some pupils are in no band yet: ${NOT_YET_JUDGED_WHY}, so the bands below 90% may add up to fewer than the persistently absent pupils above.`],
  };

  const interventionCounts = await fgbInterventionCounts(connection, periods, min);
  const sections: PackSection[] = [
    headlineSection(headline, periods, settings, min, plans),
    {
      id: "trends",
      title: "Trends",
      sheet: "Trends",
      intro: "How attendance has moved week by week this year, and term by term over the years on record.",
      // Both charts first (they share a page), then the week-by-week table.
      // (Every week withheld: one sentence in place of the weekly chart and table.)
      blocks: await weeklyTrendBlocks(connection, periods, settings, min).then(([weekly, ...rest]) => [weekly, { kind: "chart", chart: trend.chart }, ...rest]),
    },
    await yearGroupsAndClassesSection(connection, periods, settings, plans),
    groupsSection(comparisons, periods, settings, min, plans),
    {
      id: "patterns",
      title: "Patterns: days of the week and reasons for absence",
      sheet: "Patterns",
      intro: "Rarely used and sensitive codes (exclusions, part-time timetables, leave for performances and the like) are combined so no pupil can be identified.",
      blocks: [...weekdayBlocks(weekdaysTerm, weekdaysYear, periods, settings, min, schoolSlices.withheld(periods.yearToDate.from, periods.yearToDate.to)), ...(await codeBlocks(connection, periods, "families", min))],
    },
    ...commentarySections(
      (heading) => ({
        intro: heading === "interventions" ? `Counts of fewer than ${min} interventions in any half term, and counts from which one could be worked out, read "withheld".` : undefined,
        blocks: [
          { kind: "paragraphs", heading: "From the data", items: narrative[narrativeFor[heading]] },
          ...(heading === "interventions" ? [ladderTable, ...(unjudged.pupils > 0 ? [ladderWaitingNote] : []), interventionCounts] : []),
        ],
      }),
      commentary,
    ),
  ];

  const notes = [
    ...(termNotOver ? [termNotOverNote(periods)] : []),
    ...(await marksImportedNotes(connection, periods.period, request.today)),
    ...(headline.period.possible_sessions === 0 ? ["There are no register marks for this term yet."] : []),
    ...codeRegimeNotes(headline),
  ];
  return fgbModel(request, periods, { schoolName: settings.school_name, min, notes, sections, toDateTabs: request.toDateTabs === false ? null : await toDateTabs(connection, periods, plans) });
}
