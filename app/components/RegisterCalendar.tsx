/**
 * One pupil's register as a calendar: a row per week, Monday to Friday, each day split into
 * its AM and PM marks. The code letter is always printed (colour is never the only signal),
 * the cell is shaded by category, and each code's meaning on that date is its title.
 * School days without a mark are register gaps and say so; closures and holidays are marked.
 */
import { sessionDue, type DueSession } from "../../analytics/register-due.ts";
import { addDays, format, parseISO, startOfISOWeek } from "date-fns";
import { CATEGORY_LABELS, lookupCode, type Category } from "../../analytics/codes.ts";
import { formatDate } from "~/lib/format";
import { londonDateTime } from "../../analytics/time.ts";

export interface CalendarMark {
  date: string;
  session: "AM" | "PM";
  code: string;
  category: string;
}

/** A change to a stored mark, as the pupil's Amendments table lists it (analytics/pupil.ts Amendment). */
export interface CalendarAmendment {
  date: string;
  session: string;
  /** The mark before, in words ("O", "L (6 min late)"). */
  before: string;
  /** UTC "YYYY-MM-DD HH:MM". */
  amended_at: string;
}

const WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri"];
const iso = (date: Date) => format(date, "yyyy-MM-dd");

/**
 * One session of the calendar: its mark; else, on a school day the pupil was on roll, a gap once
 * its register has closed ("gap") or nothing yet before ("not-due"); else empty (false).
 */
function Half(props: { date: string; session: "AM" | "PM"; mark: CalendarMark | undefined; expected: "gap" | "not-due" | false; amended: { latest: CalendarAmendment; times: number } | undefined }) {
  const { date, session, mark, expected, amended } = props;
  const when = `${formatDate(date, "EEE d MMM yyyy")} ${session}`;
  if (mark) {
    const definition = lookupCode(mark.code, date);
    const category = CATEGORY_LABELS[mark.category as Category] ?? mark.category;
    // An amended mark is flagged where it stands (trial 49: a C put in place of an O weeks later
    // looked like any other mark; only the Amendments table below said so).
    const change = amended
      ? `; amended${amended.times > 1 ? ` ${amended.times} times, last` : ""} ${londonDateTime(amended.latest.amended_at)} (was ${amended.latest.before})`
      : "";
    return (
      <span
        className={`register-mark register-mark--${mark.category}${amended ? " register-mark--amended" : ""}`}
        title={`${when}: ${mark.code} — ${definition?.meaning ?? "unknown code"} (${category})${change}`}
        data-testid={amended ? "register-amended" : undefined}
      >
        {mark.code}
      </span>
    );
  }
  if (expected === "gap") {
    return (
      <span className="register-mark register-mark--gap" title={`${when}: no mark (register gap)`}>
        ?
      </span>
    );
  }
  if (expected === "not-due") {
    // Drawn, not left blank: a blank cell read as nothing to see (trial 49), and a title is not
    // shown on a phone. The key below says what the dots mean.
    return (
      <span className="register-mark register-mark--not-due" title={`${when}: no mark yet (its register has not closed)`} data-testid="register-not-due">
        …
      </span>
    );
  }
  return <span className="register-mark register-mark--none" aria-hidden="true" />;
}

export function RegisterCalendar(props: {
  from: string;
  to: string;
  marks: CalendarMark[];
  /** School days on which this pupil was on roll: a missing mark on one is a gap once its session is due. */
  expectedDays: string[];
  /** The last session whose register has closed (analytics/register-due.ts lastDueSession): later ones are no gap yet. */
  due: DueSession;
  closures: Array<{ date: string; reason: string }>;
  /** The pupil's amendments, newest first (as the pupil's Amendments table): each session's are flagged on its mark. */
  amendments?: CalendarAmendment[];
}): JSX.Element {
  const marks = new Map(props.marks.map((mark) => [`${mark.date} ${mark.session}`, mark]));
  const amended = new Map<string, { latest: CalendarAmendment; times: number }>();
  for (const amendment of props.amendments ?? []) {
    const key = `${amendment.date} ${amendment.session}`;
    const seen = amended.get(key);
    if (seen) seen.times += 1;
    else amended.set(key, { latest: amendment, times: 1 });
  }
  const expected = new Set(props.expectedDays);
  const closures = new Map(props.closures.map((closure) => [closure.date, closure.reason]));
  const weeks: string[] = [];
  for (let monday = startOfISOWeek(parseISO(props.from)); iso(monday) <= props.to; monday = addDays(monday, 7)) {
    const days = WEEKDAYS.map((_, i) => iso(addDays(monday, i)));
    // Holiday weeks with neither marks nor school days are left out rather than drawn empty.
    if (days.some((day) => expected.has(day) || marks.has(`${day} AM`) || marks.has(`${day} PM`))) weeks.push(iso(monday));
  }
  const categories = Object.keys(CATEGORY_LABELS) as Category[];
  return (
    <div className="register-calendar">
      <ul className="register-legend" aria-label="Key">
        {categories.map((category) => (
          <li key={category}>
            <span className={`register-mark register-mark--${category}`} aria-hidden="true" /> {CATEGORY_LABELS[category]}
          </li>
        ))}
        <li>
          <span className="register-mark register-mark--gap" aria-hidden="true">
            ?
          </span>{" "}
          No mark (register gap)
        </li>
        <li>
          <span className="register-mark register-mark--not-due" aria-hidden="true">
            …
          </span>{" "}
          No mark yet (its register has not closed)
        </li>
        {amended.size > 0 ? (
          <li>
            <span className="register-mark register-mark--present register-mark--amended" aria-hidden="true">
              /
            </span>{" "}
            Amended after it was first recorded (see Amendments below)
          </li>
        ) : null}
      </ul>
      {weeks.length === 0 ? (
        <p className="notice">No school days or marks in this period.</p>
      ) : (
        <table className="data register-table" data-testid="register-calendar">
          <caption className="visually-hidden">Register marks by week, morning and afternoon. Each code's meaning is its title.</caption>
          <thead>
            <tr>
              <th scope="col">Week beginning</th>
              {WEEKDAYS.map((day) => (
                <th scope="col" key={day}>
                  {day}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {weeks.map((monday) => (
              <tr key={monday}>
                <th scope="row">{formatDate(monday)}</th>
                {WEEKDAYS.map((_, i) => {
                  const day = iso(addDays(parseISO(monday), i));
                  const outside = day < props.from || day > props.to;
                  const closure = closures.get(day);
                  const hasMarks = marks.has(`${day} AM`) || marks.has(`${day} PM`);
                  return (
                    <td key={day} className={outside ? "register-day register-day--outside" : "register-day"}>
                      {outside ? null : closure && !hasMarks ? (
                        <span className="register-closure" title={closure}>
                          Closed
                        </span>
                      ) : (
                        <>
                          <Half date={day} session="AM" mark={marks.get(`${day} AM`)} amended={amended.get(`${day} AM`)} expected={expected.has(day) && (sessionDue(props.due, day, false) ? "gap" : "not-due")} />
                          <Half date={day} session="PM" mark={marks.get(`${day} PM`)} amended={amended.get(`${day} PM`)} expected={expected.has(day) && (sessionDue(props.due, day, true) ? "gap" : "not-due")} />
                        </>
                      )}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
