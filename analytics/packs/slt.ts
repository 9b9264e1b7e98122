/**
 * The monthly pack for the senior leadership team (Ludlow policy, "Formal reporting": the
 * first strategy meeting of each month, by group and characteristic, down to individual
 * casework). Staff only: pupils are named.
 */
import { pupilListName } from "../pupil-name.ts";
import { plural } from "../plural.ts";
import { marksImportedNotes, unmarkedDaysByPupil } from "../unmarked-days.ts";
import { policyTitle } from "../casework/policy-title.ts";
import { PA_NOT_GIVEN_TEXT, persistentAbsenceSpan, type PaSpan } from "../pa-span.ts";
import { addDays, format, parseISO } from "date-fns";
import { enGB } from "date-fns/locale";
import { withOneThread, withSharedReads, type Connection } from "../db.ts";
import { firstRun, inLanes } from "../lanes.ts";
import { ensureInterventionsTable } from "../interventions/store.ts";
import { lateness, pupilMeasures, summariseSessionsBy, type PupilMeasures } from "../measures.ts";
import { academicYearBounds, academicYearOf, monthKeyFault } from "../periods.ts";
import { pendingNCodes } from "../quality.ts";
import { sessionAttendance } from "../session-attendance.ts";
import { getSettings, type Settings } from "../settings.ts";
import type { Block, Cell, PackModel, PackSection, PackTable } from "./model.ts";
import { day, num, pct, rate, rateBesideLines, text, ukDate } from "./format.ts";
import { NOT_YET_JUDGED_WHY, bandRange, ladderPosition, notYetJudgedOnLadder, stepWording } from "./ladder.ts";
import { caseworkLadderOf, type CaseworkLadder } from "../casework/lists.ts";
import { ladderFor, nextStepOf } from "../interventions/ladder.ts";
import { ladderPolicyOf } from "../interventions/policy.ts";
import { sltEarlyWarningSection, sltInterventionsSection } from "./interventions.ts";
import { monthPackName, monthPackSpan, refuseEmptyPackPeriod } from "./periods.ts";
import { dueThrough } from "../register-due.ts";
import {
  codeBlocks,
  codeRegimeNotes,
  groupComparisons,
  groupsSection,
  headlineMeasures,
  headlineSection,
  toDateTabs,
  weekdayBlocks,
  weekdayMeasures,
  weeklyTrendBlocks,
  yearGroupsAndClassesSection,
  type PackPeriods,
} from "./sections.ts";
import { formatThreshold } from "../thresholds.ts";
import { PUPIL_JUDGED_MIN_SESSIONS } from "../judged-span.ts";
import { shownLateWords, unknownDueBy } from "../due-words.ts";
import { SESSION_RUNS_LABEL } from "../absence-run-words.ts";

export interface SltPackRequest {
  /** 'YYYY-MM'. */
  month: string;
  today: string;
  /** When the pack was made (ISO); defaults to now. */
  generatedAt?: string;
  /**
   * false: the model's toDateTabs not made (null). Only the workbook has those tabs (the PDF and the
   * page print none of them), and they are the pack's costliest figures (every year group and
   * class, week by week): a PDF or the page does not make them. Default true.
   */
  toDateTabs?: boolean;
}

const iso = (date: Date) => format(date, "yyyy-MM-dd");

/** The month up to today, and the academic year to date at its end. */
export function sltPeriods(month: string, today: string): PackPeriods {
  const fault = monthKeyFault(month);
  if (fault) throw new Error(fault);
  const first = `${month}-01`;
  if (first > today) throw new Error(`${monthPackName(month)} has not started yet (today is ${ukDate(today)})`);
  // A month not over says where its figures stop, in the title and the file name.
  const { to, over } = monthPackSpan(month, today);
  return {
    period: { from: first, to },
    label: `${monthPackName(month)}${over ? "" : ` to ${ukDate(to)}`}`,
    ...(over ? {} : { fileKey: `${month}-to-${to}` }),
    noun: "This month",
    yearToDate: { from: academicYearBounds(academicYearOf(first)).from, to },
  };
}


/** Pupils who became, or stopped being, persistently absent this month (year to date at each month end). */
async function paMovementSection(connection: Connection, periods: PackPeriods, current: PupilMeasures[], paGiven: PaSpan, lines: readonly number[]): Promise<PackSection> {
  // Over a year to date of fewer than 20 school days no pupil is judged persistently absent
  // (analytics/pa-span.ts, as on the Overview and in the headline): the section says why.
  if (!paGiven.given) return { id: "pa-movement", title: "Persistent absence: who came in and who left", sheet: "PA movement", intro: paGiven.why ?? "", blocks: [] };
  const previousEnd = iso(addDays(parseISO(periods.period.from), -1));
  // The end of last month is compared only where persistent absence was measured by then.
  const hasPrevious = previousEnd >= periods.yearToDate.from && (await persistentAbsenceSpan(connection, { from: periods.yearToDate.from, to: previousEnd })).given;
  const previous = hasPrevious ? await pupilMeasures(connection, { from: periods.yearToDate.from, to: previousEnd }) : [];
  const before = new Map(previous.map((p) => [p.upn, p]));
  const entered = current.filter((p) => p.is_pa && !before.get(p.upn)?.is_pa);
  const left = current.filter((p) => !p.is_pa && before.get(p.upn)?.is_pa);
  const columns = [
    { label: "Pupil" },
    { label: "Class" },
    { label: "Attendance, year to date", numeric: true },
    { label: `At ${hasPrevious ? ukDate(previousEnd) : "the start of the year"}`, numeric: true },
    { label: "Sessions missed", numeric: true },
    { label: SESSION_RUNS_LABEL, numeric: true },
  ];
  const row = (p: PupilMeasures): Cell[] => [
    text(pupilListName(p)),
    text(p.reg_group),
    // Beside the 90 % line of persistent absence (and the school's): 90.03 %, not "90.0%", for a pupil who left it.
    rateBesideLines(p.attendance_pct, lines),
    rateBesideLines(before.get(p.upn)?.attendance_pct ?? null, lines),
    num(p.authorised_sessions + p.unauthorised_sessions),
    num(p.absence_spells),
  ];
  const pa = current.filter((p) => p.is_pa).length;
  return {
    id: "pa-movement",
    title: "Persistent absence: who came in and who left",
    sheet: "PA movement",
    intro: hasPrevious
      ? `Persistent absence year to date at ${ukDate(periods.period.to)} compared with ${ukDate(previousEnd)}. ${pa} ${pa === 1 ? "pupil is" : "pupils are"} persistently absent now.`
      : `Persistent absence is measured from this month (the year to date before it had fewer than 20 school days), so every persistently absent pupil is new to the list. ${pa} ${pa === 1 ? "pupil is" : "pupils are"} persistently absent.`,
    blocks: [
      { kind: "table", table: { caption: `Entered persistent absence (${entered.length})`, columns, rows: entered.map(row), empty: "No pupil entered persistent absence this month." } },
      { kind: "table", table: { caption: `Left persistent absence (${left.length})`, columns, rows: left.map(row), empty: "No pupil left persistent absence this month." } },
    ],
  };
}

/**
 * The ladder (Appendix A): a band table and, below it, the pupils grouped by step, so each
 * step's wording is printed once over its pupils rather than on every row. Band counts and
 * the lists hold the same pupils by construction (both come from ladderPosition).
 */
function thresholdsSection(current: PupilMeasures[], settings: Settings, periods: PackPeriods, standings: Map<string, PackStanding>): PackSection {
  const thresholds = settings.attendance_thresholds;
  // The school's own ladder (the preset chosen in Settings), never another school's.
  const { ladder } = ladderPolicyOf(settings);
  const placed = current
    .map((p) => ({ pupil: p, position: ladderPosition(p, thresholds) }))
    .filter((entry): entry is { pupil: PupilMeasures; position: NonNullable<ReturnType<typeof ladderPosition>> } => entry.position !== null)
    .sort((a, b) => (a.pupil.attendance_pct ?? 0) - (b.pupil.attendance_pct ?? 0));
  const columns = [
    { label: "Pupil" },
    { label: "Class" },
    { label: "Attendance", numeric: true },
    // The year to date's, as the attendance beside it (a penalty notice's window is the step's own, in "The pupil's figures").
    { label: "Unauthorised sessions this year", numeric: true },
    // The pupil's own standing, as on the Casework page and the pupil's page (ladderFor):
    // what the school has recorded and what is due next, with its date (or, after an
    // improvement with nothing due, the next review: the end of the monitoring period running).
    { label: "Stage recorded" },
    { label: "Due by", nowrap: true },
    { label: "Status" },
  ];
  // A step that cites the pupil's own figures (a penalty notice not open) is printed once in
  // general words over its pupils, each row giving the figures (PackStanding).
  const figuresColumn = { label: "The pupil's figures" };
  // Each pupil's next step (the most pressing of step and dated action, caseworkLadderOf) is
  // printed once, over the pupils it is the next step of (issue 13 case 15: a 76-name list
  // repeated the same multi-line step on every row); each row keeps what is the pupil's own —
  // the stage recorded, the date, and whether it is late or due only if there is no improvement.
  const standingOf = (upn: string): PackStanding => standings.get(upn) ?? { ...caseworkLadderOf(undefined), next_general: null, next_figures: null };
  const standingCells = (upn: string): Cell[] => {
    const standing = standingOf(upn);
    const status =
      standing.status === "late"
        ? "Late"
        : standing.status === "if no improvement" && standing.improvement_by
          ? `If no improvement by ${ukDate(standing.improvement_by)}`
          : standing.status === "due"
            ? "Due"
            : // Last month's pack made this month: a step the register showed only after the month's end
              // (an amendment made since) was not due in the month; it is now, from that day.
              standing.status === "not yet due"
              ? `Not yet due. ${shownLateWords(standing, ukDate) ?? ""}`.trim()
              : "";
    return [
      text(standing.stage ? `${standing.stage} (${ukDate(standing.stage_date!)})` : "None recorded"),
      standing.due_by ? day(standing.due_by) : unknownDueBy(standing) ? text(unknownDueBy(standing)!) : standing.review_by ? text(`Next review ${ukDate(standing.review_by)}`) : text(""),
      text(status),
    ];
  };
  const bands = thresholds.map((threshold, index) => ({ threshold, index, pupils: placed.filter((e) => e.position.index === index) }));
  // Pupils with too few sessions to judge: in no band (ladderPosition), said beside the table.
  const waiting = notYetJudgedOnLadder(current, thresholds);
  const stepTables: Block[] = bands
    .filter((band) => band.pupils.length > 0)
    .flatMap((band) => {
      // The band's pupils by next step, in the order their first pupil comes (lowest attendance first).
      const groups = new Map<string, typeof band.pupils>();
      for (const entry of band.pupils) {
        const standing = standingOf(entry.pupil.upn);
        const next = standing.next_general ?? standing.next ?? "None due";
        groups.set(next, [...(groups.get(next) ?? []), entry]);
      }
      return [
        {
          kind: "paragraphs",
          heading: `${bandRange(thresholds, band.index)} (${band.pupils.length}) — the policy's step for the band: ${stepWording(band.index, thresholds, ladder.id)}`,
          items: [`${band.pupils.length} ${band.pupils.length === 1 ? "pupil" : "pupils"}, listed under ${groups.size === 1 ? "their next step" : `${groups.size} next steps`}.`],
        } as Block,
        ...[...groups].map(([next, pupils]): Block => {
          const cited = pupils.some(({ pupil }) => standingOf(pupil.upn).next_figures !== null);
          return {
            kind: "table",
            table: {
              caption: `${bandRange(thresholds, band.index)} (${pupils.length} of ${band.pupils.length}) — next step: ${next}`,
              columns: cited ? [...columns, figuresColumn] : columns,
              rows: pupils.map(({ pupil }) => [
                text(pupilListName(pupil)),
                text(pupil.reg_group),
                // Under the band's top: 95.97 %, not "96.0%", in "90% to under 96%" (trial 31).
                rateBesideLines(pupil.attendance_pct, thresholds),
                num(pupil.unauthorised_sessions),
                ...standingCells(pupil.upn),
                ...(cited ? [text(standingOf(pupil.upn).next_figures ?? "")] : []),
              ]),
            },
          };
        }),
      ];
    });
  return {
    id: "thresholds",
    title: "Pupils below the policy's thresholds",
    sheet: "Thresholds",
    intro: `The attendance bands of the school's settings, with each pupil's stage and next step on the ladder of ${policyTitle(settings.policy, { noun: "attendance policy", source: ladder.source })}, at ${thresholds.map((t) => formatThreshold(t, 0)).join(", ")}, applied to each pupil's attendance from ${ukDate(periods.yearToDate.from)} to ${ukDate(periods.yearToDate.to)}. A pupil is below a threshold when their attendance is under it (a pupil at exactly ${formatThreshold(thresholds[0], 1)} is not listed). Each pupil appears once, in their lowest band; within it, under their own next step on the ladder (from what the school has recorded), said once over the pupils it is the next step of. ${placed.length} ${plural(placed.length, "pupil")} in all.`,
    blocks: [
      {
        kind: "table",
        table: {
          caption: `Pupils in each band (${placed.length})`,
          columns: [{ label: "Band" }, { label: "Pupils", numeric: true }],
          rows: bands.map((band) => [text(bandRange(thresholds, band.index)), num(band.pupils.length)]),
        },
      },
      ...(waiting.pupils > 0
        ? [
            {
              kind: "paragraphs",
              items: [
                `Not yet judged: ${waiting.pupils} ${waiting.pupils === 1 ? "pupil has" : "pupils have"} fewer than ${PUPIL_JUDGED_MIN_SESSIONS} possible sessions this year (${waiting.below} of them below ${formatThreshold(thresholds[0], 0)}) and ${waiting.pupils === 1 ? "is" : "are"} in no band: ${NOT_YET_JUDGED_WHY}.`,
              ],
            } as Block,
          ]
        : []),
      ...(stepTables.length > 0
        ? stepTables
        : [{ kind: "paragraphs", items: [`Every pupil's attendance is at or above ${formatThreshold(thresholds[0], 0)} this year.`] } as Block]),
    ],
  };
}

async function nCodesSection(connection: Connection, periods: PackPeriods, settings: Settings): Promise<PackSection> {
  const pending = await pendingNCodes(connection, periods.period.to);
  const limit = settings.n_code_limit_school_days;
  const overdue = pending.filter((n) => n.school_days_open > limit).length;
  return {
    id: "n-codes",
    title: "N codes awaiting a reason",
    sheet: "N codes",
    intro: `Absences marked N (no reason yet) still unresolved on ${ukDate(periods.period.to)}. The policy allows ${limit} school days before an N code is recorded as unauthorised: ${overdue} of ${pending.length} are past that limit.`,
    blocks: [
      {
        kind: "table",
        table: {
          caption: `N codes awaiting a reason (${pending.length})`,
          columns: [{ label: "Date" }, { label: "Session" }, { label: "Pupil" }, { label: "School days open", numeric: true }, { label: "Status" }],
          rows: pending.map((n) => [
            day(n.date),
            text(n.session),
            text(pupilListName(n)),
            num(n.school_days_open),
            n.school_days_open > limit ? { kind: "tag", text: "Overdue", tone: "bad" } : { kind: "tag", text: "Within limit", tone: "neutral" },
          ]),
          empty: "No N codes are awaiting a reason.",
        },
      },
    ],
  };
}

async function latenessSection(connection: Connection, periods: PackPeriods): Promise<PackSection> {
  const month = await lateness(connection, periods.period);
  const year = await lateness(connection, periods.yearToDate);
  const monthPupils = await pupilMeasures(connection, periods.period);
  const mostLate = monthPupils
    .filter((p) => p.late_sessions > 0)
    .sort((a, b) => b.late_sessions - a.late_sessions || a.surname.localeCompare(b.surname))
    .slice(0, 10);
  return {
    id: "lateness",
    title: "Lateness",
    sheet: "Lateness",
    runOn: true,
    intro: "L: arrived late before the register closed (counts as present). U: arrived after the register closed (unauthorised absence).",
    blocks: [
      {
        kind: "table",
        table: {
          caption: "Late arrivals",
          columns: [{ label: "Measure" }, { label: "This month", numeric: true }, { label: "Year to date", numeric: true }],
          rows: [
            [text("Late before registers closed (L), sessions"), num(month.late_before_close), num(year.late_before_close)],
            [text("Late after registers closed (U), sessions"), num(month.late_after_close), num(year.late_after_close)],
            [text("Pupils late at least once"), num(month.pupils_late), num(year.pupils_late)],
            [text("Minutes late recorded"), num(month.minutes_late), num(year.minutes_late)],
          ],
        },
      },
      {
        kind: "table",
        table: {
          caption: "Pupils most often late this month",
          columns: [{ label: "Pupil" }, { label: "Class" }, { label: "Late sessions (L or U)", numeric: true }, { label: "Attendance this month", numeric: true }],
          rows: mostLate.map((p) => [text(pupilListName(p)), text(p.reg_group), num(p.late_sessions), rate(p.attendance_pct)]),
          empty: "No pupil was late this month.",
        },
      },
    ],
  };
}

async function sessionBlocks(connection: Connection, periods: PackPeriods): Promise<PackTable> {
  // The month is the year to date's last part (sltPeriods: both end on the same day): one read of the year's marks.
  if (periods.period.to !== periods.yearToDate.to) throw new Error("the month and the year to date end on different days");
  const sessions = await sessionAttendance(connection, periods.yearToDate, periods.period.from);
  return {
    caption: "Morning and afternoon",
    columns: [{ label: "Session" }, { label: "This month", numeric: true }, { label: "Year to date", numeric: true }],
    rows: sessions.map((s) => [text(s.group), rate(s.part), rate(s.yearToDate)]),
    empty: "No sessions in this period.",
  };
}

/** Every pupil's year to date, for casework: the workbook's named tab (staff only). */
function pupilsTab(current: PupilMeasures[], settings: Settings, periods: PackPeriods, paGiven: boolean, unmarked: Map<string, number>): { sheet: string; table: PackTable } {
  const rows = [...current]
    .filter((p) => p.possible_sessions > 0)
    .sort((a, b) => (a.attendance_pct ?? 0) - (b.attendance_pct ?? 0) || a.surname.localeCompare(b.surname));
  return {
    sheet: "Pupils year to date",
    table: {
      caption: `Pupils' attendance, ${ukDate(periods.yearToDate.from)} to ${ukDate(periods.yearToDate.to)} (lowest first)`,
      columns: [
        { label: "Pupil" },
        { label: "UPN" },
        { label: "Year" },
        { label: "Class" },
        { label: "SEN" },
        { label: "FSM" },
        { label: "EAL" },
        { label: "LAC" },
        { label: "Possible sessions", numeric: true },
        { label: "Sessions attended", numeric: true },
        { label: "Attendance %", numeric: true },
        { label: "Authorised sessions", numeric: true },
        { label: "Unauthorised sessions", numeric: true },
        { label: SESSION_RUNS_LABEL, numeric: true },
        { label: "Late sessions", numeric: true },
        { label: "Persistent absence" },
        { label: "Band" },
        // Added last (the other columns keep their places): the rates are of marked sessions only (analytics/unmarked-days.ts).
        { label: "Unmarked school days", numeric: true },
      ],
      rows: rows.map((p) => [
        text(pupilListName(p)),
        text(p.upn),
        text(p.year_group),
        text(p.reg_group),
        text(p.sen),
        text(p.fsm),
        text(p.eal),
        text(p.lac),
        num(p.possible_sessions),
        num(p.present_sessions + p.aea_sessions),
        rateBesideLines(p.attendance_pct, settings.attendance_thresholds),
        num(p.authorised_sessions),
        num(p.unauthorised_sessions),
        num(p.absence_spells),
        num(p.late_sessions),
        // Not judged over a year to date of fewer than 20 school days (analytics/pa-span.ts).
        text(!paGiven ? PA_NOT_GIVEN_TEXT : p.is_sa ? "Severe" : p.is_pa ? "Yes" : "No"),
        text(ladderPosition(p, settings.attendance_thresholds)?.band ?? ""),
        num(unmarked.get(p.upn) ?? 0),
      ]),
      empty: "No pupil had a possible session this year.",
    },
  };
}

/**
 * A pupil's standing as the ladder's lists show it (caseworkLadderOf), and, where the next step
 * is the policy's words citing the pupil's own figures (LadderStanding.next_action_general),
 * those words without them (`next_general`) and the figures (`next_figures`); else both null.
 */
type PackStanding = CaseworkLadder & { next_general: string | null; next_figures: string | null };

/** The ladder standing (ladderFor) at the pack's date of each pupil below the policy's first threshold. */
async function ladderStandings(connection: Connection, current: PupilMeasures[], settings: Settings, periods: PackPeriods): Promise<Map<string, PackStanding>> {
  const upns = current.filter((p) => ladderPosition(p, settings.attendance_thresholds) !== null).map((p) => p.upn);
  if (upns.length === 0) return new Map();
  const standings = await ladderFor(connection, periods.yearToDate.to, ladderPolicyOf(settings), { upns });
  return new Map(
    standings.map((standing) => {
      const shown = caseworkLadderOf(standing);
      // Only where the words are what the list shows as the next step (no step or dated action).
      const { step, action } = nextStepOf(standing);
      const words = step === null && action === null;
      return [standing.upn, { ...shown, next_general: words ? standing.next_action_general : null, next_figures: words ? standing.next_action_figures : null }];
    }),
  );
}

/**
 * The SLT pack's model. Its figures read the register once each: a read asked again by
 * another section (the year to date's measures, the pupils' rows) is shared (withSharedReads).
 * The sections run on two connections at once (sltPackModel, analytics/lanes.ts), each with
 * DuckDB at one thread (db.ts withOneThread, as the governors' pack: buildFgbPack): most of
 * their statements are a row group or so, where a second thread per statement only spins
 * waiting for work (duckdb/duckdb#22178), and two lanes of one thread each keep the machine's
 * two cores busy. Session 36, 4,500 pupils, June 2026, the PDF's figures, runs alternated in
 * one process (load 6–10), two threads → one: CPU median 4.52 → 3.99 s, wall 10.1 → 8.2 s;
 * the model the same.
 */
export async function buildSltPack(connection: Connection, request: SltPackRequest): Promise<PackModel> {
  return withOneThread(connection, () => withSharedReads(connection, () => sltPackModel(connection, request)));
}

async function sltPackModel(connection: Connection, request: SltPackRequest): Promise<PackModel> {
  const settings = await getSettings(connection);
  const periods = sltPeriods(request.month, request.today);
  await refuseEmptyPackPeriod(connection, periods.period, monthPackName(request.month));
  // The tables the sections read exist before they run at once: two connections making a missing
  // one at the same moment would conflict (a file made before interventions were kept).
  await ensureInterventionsTable(connection);
  // The sections' reads run at once on two connections (analytics/lanes.ts), the longest first;
  // a read two of them need (the year to date's measures, each pupil's) is run once, by the first.
  const withTabs = request.toDateTabs !== false;
  const headlineOf = firstRun((c: Connection) => headlineMeasures(c, periods, request.today));
  const currentOf = firstRun((c: Connection) => pupilMeasures(c, periods.yearToDate));
  const [standings, tabs, interventionsSection, earlyWarningSection, unmarked, trendBlocks, sessions, paMovement, headline, current, yearGroups, lateness, months, weekdaysPeriod, weekdaysYear, codes, nCodes, comparisons, importedNotes] =
    await inLanes(connection, [
      async (c: Connection) => ladderStandings(c, await currentOf(c), settings, periods),
      (c: Connection) => (withTabs ? toDateTabs(c, periods, null) : Promise.resolve(null)),
      (c: Connection) => sltInterventionsSection(c, periods, settings),
      (c: Connection) => sltEarlyWarningSection(c, periods, settings),
      (c: Connection) => (withTabs ? unmarkedDaysByPupil(c, periods.yearToDate, dueThrough(periods.yearToDate.to)) : Promise.resolve(null)),
      (c: Connection) => weeklyTrendBlocks(c, periods, settings),
      (c: Connection) => sessionBlocks(c, periods),
      async (c: Connection) => paMovementSection(c, periods, await currentOf(c), (await headlineOf(c)).paGiven.yearToDate, settings.attendance_thresholds),
      headlineOf,
      currentOf,
      (c: Connection) => yearGroupsAndClassesSection(c, periods, settings, null),
      (c: Connection) => latenessSection(c, periods),
      // The month chart prints attendance alone: the months' sessions, not their pupils (summariseSessionsBy).
      (c: Connection) => summariseSessionsBy(c, periods.yearToDate, "month"),
      (c: Connection) => weekdayMeasures(c, periods.period),
      (c: Connection) => weekdayMeasures(c, periods.yearToDate),
      (c: Connection) => codeBlocks(c, periods, "codes"),
      (c: Connection) => nCodesSection(c, periods, settings),
      (c: Connection) => groupComparisons(c, periods, null),
      (c: Connection) => marksImportedNotes(c, periods.period, request.today),
    ] as const);

  const sections: PackSection[] = [
    headlineSection(headline, periods, settings, null),
    {
      id: "trends",
      title: "Trends",
      sheet: "Trends",
      blocks: [
        ...trendBlocks,
        {
          kind: "chart",
          chart: {
            type: "bar",
            title: "Attendance month by month this academic year",
            yLabel: "Attendance (%)",
            categories: months.map((m) => format(parseISO(`${m.group}-01`), "MMM yyyy", { locale: enGB })),
            dates: { first: months.map((m) => `${m.group}-01`), unit: "month" },
            series: [{ name: "Attendance", values: months.map((m) => m.attendance_pct) }],
            target: { value: settings.target_attendance_pct, label: `Target ${formatThreshold(settings.target_attendance_pct, 1)}` },
          },
        },
      ],
    },
    yearGroups,
    groupsSection(comparisons, periods, settings, null),
    {
      id: "patterns",
      title: "Patterns: days, sessions and codes",
      sheet: "Patterns",
      blocks: [
        ...weekdayBlocks(weekdaysPeriod, weekdaysYear, periods, settings),
        { kind: "table", table: sessions },
        ...codes,
      ],
    },
    paMovement,
    thresholdsSection(current, settings, periods, standings),
    nCodes,
    lateness,
    interventionsSection,
    earlyWarningSection,
  ];

  return {
    kind: "slt",
    title: "Monthly attendance pack for the senior leadership team",
    schoolName: settings.school_name,
    periodLabel: periods.label,
    period: periods.period,
    yearToDate: periods.yearToDate,
    periodKey: request.month,
    fileKey: periods.fileKey ?? request.month,
    today: request.today,
    generatedAt: request.generatedAt ?? new Date().toISOString(),
    audience: "Staff only: contains named pupils. Do not share outside the senior leadership team.",
    notes: [
      ...(!monthPackSpan(request.month, request.today).over
        ? [`The month is not over: figures run to ${ukDate(periods.period.to)}.`]
        : []),
      ...importedNotes,
      ...(headline.period.possible_sessions === 0 ? ["There were no school days with register marks in this month."] : []),
      ...codeRegimeNotes(headline),
    ],
    sections,
    toDateTabs: tabs === null || unmarked === null ? null : [...tabs, pupilsTab(current, settings, periods, headline.paGiven.yearToDate.given, unmarked)],
  };
}
