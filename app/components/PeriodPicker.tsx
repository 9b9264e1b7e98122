/**
 * The reporting period and pupil filters of a page, as a GET form: the view lives entirely
 * in the URL, so it can be bookmarked, shared and carried from page to page.
 *
 * Works without JavaScript (a plain GET submit); with it, empty fields are left out of the
 * URL and the choice of period reveals only the fields it needs.
 */
import { Form, useLoaderData, useLocation, useNavigate } from "@remix-run/react";
import { useState, type FormEvent } from "react";
import { FiltersFold } from "~/components/FiltersFold";
import type { FilterOptions } from "../../analytics/options.ts";
import { firstOfEach } from "../../analytics/list-paging.ts";
import { GOVERNOR_PERIOD_LABELS, GOVERNOR_PERIOD_NAMES, PERIOD_LABELS, PERIOD_NAMES, isGovernorPeriodName, type GovernorPeriodName, type PeriodName } from "../../analytics/period-names.ts";
import type { GovernorChoice, GovernorChoices } from "../../analytics/governor-periods.ts";
import { periodWords } from "~/lib/format";
import {
  FILTER_LABELS,
  FILTER_VALUE_LABELS,
  PUPIL_FILTER_KEYS,
  describeFilterValue,
  describePupilFilters,
  filterValueTitle,
  filtersToSearch,
  governorOffer,
  isGovernorRule,
  readFilters,
  type GovernorRule,
  type PupilFilterKey,
  type ViewFilters,
} from "~/lib/filters";

/** What the picker says about the period in force. */
export interface PeriodInWords {
  label: string;
  from: string;
  to: string;
}

function isPeriodInWords(value: unknown): value is PeriodInWords {
  const candidate = value as Partial<PeriodInWords> | null;
  return Boolean(candidate && typeof candidate.label === "string" && typeof candidate.from === "string" && typeof candidate.to === "string");
}

const FILTER_KEYS = new Set<string>(["period", "from", "to", "year", "half", "term", ...PUPIL_FILTER_KEYS]);

/** The URL parameter naming a governor's period of each kind (app/lib/filters.ts). */
const GOVERNOR_KEY_PARAM: Record<GovernorPeriodName, "half" | "term" | "year"> = { "half-term": "half", ytd: "half", term: "term", "academic-year": "year" };

function isGovernorChoices(value: unknown): value is GovernorChoices {
  const candidate = value as Partial<GovernorChoices> | null;
  return Boolean(candidate && Array.isArray(candidate["half-term"]) && Array.isArray(candidate.term) && Array.isArray(candidate.ytd) && Array.isArray(candidate["academic-year"]));
}

/**
 * `periodOnly`: only the period (one pupil's page, where the pupil filters do not apply); the
 * filters chosen elsewhere still travel with Apply, so the way back to the list keeps them.
 */
export function PeriodPicker(props: { filters: ViewFilters; options: FilterOptions; period?: PeriodInWords; periodOnly?: boolean }): JSX.Element {
  // Remount when the view changes (back button, links): the fields' defaults must follow the URL.
  return <PeriodPickerForm key={filtersToSearch(props.filters).toString()} {...props} />;
}

function PeriodPickerForm(props: { filters: ViewFilters; options: FilterOptions; period?: PeriodInWords; periodOnly?: boolean }): JSX.Element {
  const { filters, options } = props;
  // Loaders built on resolveView return `period`; use it when the page does not pass one.
  const loaderData = useLoaderData() as { period?: unknown; notice?: unknown } | null;
  const period = props.period ?? (isPeriodInWords(loaderData?.period) ? loaderData.period : undefined);
  // resolveView's notice (e.g. a half-filled custom range fell back to the year to date) is
  // about the period, so it is shown with the picker on every page.
  const notice = typeof loaderData?.notice === "string" && loaderData.notice ? loaderData.notice : null;
  // The register stops before the period does (app/lib/view.server.ts registerNotice): said once, with the period.
  const registerNotice = (loaderData as { registerNotice?: unknown } | null)?.registerNotice;
  // For a governor: which filters this page combines (app/lib/view.server.ts), said where they are chosen.
  const governorRule = isGovernorRule((loaderData as { governorRule?: unknown } | null)?.governorRule) ? (loaderData as { governorRule: GovernorRule }).governorRule : null;
  // For a governor: the only periods offered, whole half terms that have ended and the terms,
  // years and years to date made of them (the server enforces the same: app/lib/view.server.ts).
  const governorPeriods = isGovernorChoices((loaderData as { governorPeriods?: unknown } | null)?.governorPeriods)
    ? (loaderData as { governorPeriods: GovernorChoices }).governorPeriods
    : null;
  const location = useLocation();
  const navigate = useNavigate();
  const [periodName, setPeriodName] = useState<PeriodName>(filters.period);
  // The class chosen (not yet applied): on a governor's Year groups & classes page it rules out the characteristics.
  const [classChosen, setClassChosen] = useState(Boolean(filters.reg_group));

  // Parameters other than the view's (a page's own, such as the trends grain) survive Apply.
  const otherParams = [...firstOfEach(location.search).entries()].filter(([key]) => !FILTER_KEYS.has(key));

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const submitted = new URLSearchParams();
    for (const [key, value] of data.entries()) if (typeof value === "string" && value !== "") submitted.set(key, value);
    const next = readFilters(submitted);
    // Only the fields of the chosen period travel: a stale custom range must not linger.
    if (next.period !== "custom") {
      delete next.from;
      delete next.to;
    }
    if (next.period !== "academic-year") delete next.year;
    if (!governorPeriods || (next.period !== "half-term" && next.period !== "ytd")) delete next.half;
    if (!governorPeriods || next.period !== "term") delete next.term;
    const search = filtersToSearch(next);
    for (const [key, value] of otherParams) search.set(key, value);
    navigate({ pathname: location.pathname, search: `?${search.toString()}` });
  }

  const selectFor = (key: PupilFilterKey, values: string[]) => {
    const offer = governorRule ? governorOffer(governorRule, key, classChosen) : "offered";
    if (offer === "hidden") return null;
    return (
    <div className="field" key={key}>
      <label htmlFor={`filter-${key}`}>{FILTER_LABELS[key]}</label>
      <select
        id={`filter-${key}`}
        name={key}
        defaultValue={filters[key] ?? ""}
        // A disabled select is not submitted: nothing the page would not apply is asked for.
        disabled={offer === "disabled"}
        title={offer === "disabled" ? "Governors see a class's figures for all its pupils: choose All classes to filter by a characteristic" : undefined}
        onChange={key === "reg_group" ? (event) => setClassChosen(event.currentTarget.value !== "") : undefined}
      >
        <option value="">All</option>
        {values.map((value) => (
          <option key={value} value={value} title={filterValueTitle(key, value)}>
            {describeFilterValue(key, value)}
          </option>
        ))}
      </select>
    </div>
    );
  };

  const closedValues = (key: PupilFilterKey) => Object.keys(FILTER_VALUE_LABELS[key] ?? {});
  const filteredBy = describePupilFilters(filters);

  // The view in force in one line: what a phone shows of the folded filters (app/lib/fold.ts).
  const periodLabel = period?.label ?? (governorPeriods && isGovernorPeriodName(filters.period) ? GOVERNOR_PERIOD_LABELS[filters.period] : PERIOD_LABELS[filters.period]);
  return (
    <>
    <FiltersFold
      summaryTestId="filters-summary"
      summary={
        <>
          Showing <strong>{periodLabel}</strong>
          {props.periodOnly ? null : filteredBy ? (
            <>
              {" "}
              · <strong>{filteredBy}</strong>
            </>
          ) : (
            " · all pupils"
          )}
        </>
      }
    >
    <Form method="get" action={location.pathname} className="filters period-picker" onSubmit={onSubmit} aria-label="Period and pupils">
      {otherParams.map(([key, value]) => (
        <input key={key} type="hidden" name={key} value={value} />
      ))}
      <div className="field">
        <label htmlFor="filter-period">Period</label>
        <select
          id="filter-period"
          name="period"
          value={periodName}
          onChange={(event) => setPeriodName(event.currentTarget.value as PeriodName)}
        >
          {(governorPeriods ? GOVERNOR_PERIOD_NAMES : PERIOD_NAMES).map((name) => (
            <option key={name} value={name}>
              {governorPeriods && isGovernorPeriodName(name) ? GOVERNOR_PERIOD_LABELS[name] : PERIOD_LABELS[name]}
            </option>
          ))}
        </select>
      </div>
      {governorPeriods && isGovernorPeriodName(periodName) ? (
        <GovernorPeriodField name={periodName} choices={governorPeriods[periodName]} filters={filters} />
      ) : periodName === "academic-year" ? (
        <div className="field">
          <label htmlFor="filter-year">Academic year</label>
          <select id="filter-year" name="year" defaultValue={filters.year ?? options.academicYears[0] ?? ""}>
            {options.academicYears.length === 0 ? <option value="">No years with marks</option> : null}
            {options.academicYears.map((year) => (
              <option key={year} value={year}>
                {year}
              </option>
            ))}
          </select>
        </div>
      ) : null}
      {periodName === "custom" ? (
        <>
          <div className="field">
            <label htmlFor="filter-from">From</label>
            <input id="filter-from" type="date" name="from" defaultValue={filters.from ?? period?.from ?? ""} required />
          </div>
          <div className="field">
            <label htmlFor="filter-to">To</label>
            <input id="filter-to" type="date" name="to" defaultValue={filters.to ?? period?.to ?? ""} required />
          </div>
        </>
      ) : null}
      {props.periodOnly ? (
        PUPIL_FILTER_KEYS.filter((key) => filters[key]).map((key) => <input key={key} type="hidden" name={key} value={filters[key]} />)
      ) : (
        <>
          {selectFor("year_group", options.yearGroups)}
          {selectFor("reg_group", options.regGroups)}
          {selectFor("sen", closedValues("sen"))}
          {selectFor("fsm", closedValues("fsm"))}
          {selectFor("eal", closedValues("eal"))}
          {selectFor("lac", closedValues("lac"))}
          {selectFor("sex", closedValues("sex"))}
          {selectFor("ethnicity", options.ethnicities)}
        </>
      )}
      <div className="field">
        <button type="submit" className="button">
          Apply
        </button>
      </div>
      {period ? (
        <p className="period-picker__summary" data-testid="resolved-period" aria-live="polite">
          Showing <strong>{period.label}</strong>
          {periodWords(period).dates ? `: ${periodWords(period).dates}` : ""}
          {props.periodOnly ? null : filteredBy ? (
            <>
              {" "}
              · pupils: <strong>{filteredBy}</strong>
            </>
          ) : (
            " · all pupils"
          )}
        </p>
      ) : null}
    </Form>
    {/* What a governor may choose, and why: folded with the choices on a phone. */}
    {governorPeriods && !notice ? (
      <p className="hint" data-testid="governor-period-rule">
        Governors see whole half terms that have ended, and the terms and years made of them, so that a figure withheld for a small group cannot be worked out by taking one period's figures from another's.
      </p>
    ) : null}
    {governorRule && !props.periodOnly && !notice ? (
      <p className="hint" data-testid="governor-filter-rule">
        {governorRule.text}
      </p>
    ) : null}
    </FiltersFold>
    {typeof registerNotice === "string" && registerNotice ? (
      <div className="notice notice--warning" role="status" data-testid="register-notice">
        <p>{registerNotice}</p>
      </div>
    ) : null}
    {notice ? (
      <div className="notice notice--warning" role="status" data-testid="view-notice">
        <p>{notice}</p>
      </div>
    ) : null}
  </>
  );
}

/** A governor's choice of one period of the kind chosen: which half term, term, year or year to date. */
function GovernorPeriodField(props: { name: GovernorPeriodName; choices: GovernorChoice[]; filters: ViewFilters }): JSX.Element {
  const param = GOVERNOR_KEY_PARAM[props.name];
  const label = props.name === "half-term" ? "Half term" : props.name === "term" ? "Term" : props.name === "ytd" ? "To the end of" : "Academic year";
  const current = props.filters.period === props.name ? props.filters[param] : undefined;
  return (
    <div className="field">
      <label htmlFor="filter-governor-period">{label}</label>
      <select id="filter-governor-period" name={param} defaultValue={current ?? props.choices[0]?.key ?? ""} key={props.name}>
        {props.choices.length === 0 ? <option value="">No half term has ended yet</option> : null}
        {props.choices.map((choice) => (
          <option key={choice.key} value={choice.key}>
            {choice.label}
          </option>
        ))}
      </select>
    </div>
  );
}
