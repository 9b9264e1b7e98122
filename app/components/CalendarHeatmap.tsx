/**
 * Daily attendance as a calendar: one row per month, one cell per day of the month. School
 * days are coloured by attendance band AND show the figure; each is a link to that day's
 * pupils. Closures (INSET days, bank holidays) are marked with their reason; weekends,
 * holidays and days outside the period are left blank.
 */
import { addMonths, format, getDaysInMonth, parseISO } from "date-fns";
import { formatDate, formatPct } from "../lib/format";
import { PupilsLink, useMayDrill } from "~/components/PupilsLink";
import { formatThreshold } from "../../analytics/thresholds.ts";

export interface CalendarDay {
  date: string;
  attendance_pct: number | null;
}

export interface AttendanceBand {
  min: number;
  label: string;
  className: string;
}

/**
 * Bands from the school's target and escalation thresholds (settings), highest first.
 * Thresholds within half a point of the target would make a sliver of a band; they are merged.
 */
export function attendanceBands(target: number, thresholds: number[]): AttendanceBand[] {
  // Settings as the school typed them (analytics/thresholds.ts): "90%", "96.1%", "95.25%" (never rounded to 95.3%).
  const words = (value: number) => formatThreshold(value, 0);
  const below = [...thresholds].sort((a, b) => b - a).filter((value) => value < target - 0.5);
  const classes = ["heat--1", "heat--2", "heat--3", "heat--4", "heat--5"];
  const bands: AttendanceBand[] = [{ min: target, label: `${words(target)} or more (at or above target)`, className: "heat--0" }];
  let upper = target;
  below.slice(0, classes.length - 1).forEach((min, index) => {
    bands.push({ min, label: `${words(min)} to under ${words(upper)}`, className: classes[index] });
    upper = min;
  });
  bands.push({ min: -Infinity, label: `Under ${words(upper)}`, className: classes[Math.min(below.length, classes.length - 1)] });
  return bands;
}

function bandOf(value: number, bands: AttendanceBand[]): AttendanceBand {
  return bands.find((band) => value >= band.min) ?? bands[bands.length - 1];
}

export function CalendarHeatmap(props: {
  from: string;
  to: string;
  days: CalendarDay[];
  closures: Array<{ date: string; reason: string }>;
  bands: AttendanceBand[];
  hrefFor: (date: string) => string;
}): JSX.Element {
  const mayDrill = useMayDrill();
  const byDate = new Map(props.days.map((day) => [day.date, day]));
  const closures = new Map(props.closures.map((closure) => [closure.date, closure.reason]));
  const months: string[] = [];
  for (let month = parseISO(`${props.from.slice(0, 7)}-01`); format(month, "yyyy-MM") <= props.to.slice(0, 7); month = addMonths(month, 1)) {
    months.push(format(month, "yyyy-MM"));
  }
  const dayNumbers = Array.from({ length: 31 }, (_, index) => index + 1);

  return (
    <div className="heatmap">
      <table className="heatmap__table" data-testid="calendar-heatmap">
        <caption className="visually-hidden">Daily attendance, one row per month</caption>
        <thead>
          <tr>
            <th scope="col">Month</th>
            {dayNumbers.map((day) => (
              <th scope="col" key={day} className="heatmap__day-number">
                {day}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {months.map((month) => {
            const length = getDaysInMonth(parseISO(`${month}-01`));
            return (
              <tr key={month}>
                <th scope="row" className="heatmap__month">
                  {formatDate(`${month}-01`, "MMM yyyy")}
                </th>
                {dayNumbers.map((dayNumber) => {
                  if (dayNumber > length) return <td key={dayNumber} className="heatmap__cell heatmap__cell--none" />;
                  const date = `${month}-${String(dayNumber).padStart(2, "0")}`;
                  const weekday = parseISO(date).getDay();
                  const inPeriod = date >= props.from && date <= props.to;
                  const day = byDate.get(date);
                  const closure = closures.get(date);
                  if (!inPeriod || weekday === 0 || weekday === 6) {
                    return <td key={dayNumber} className={`heatmap__cell ${weekday === 0 || weekday === 6 ? "heatmap__cell--weekend" : "heatmap__cell--none"}`} />;
                  }
                  const longDate = formatDate(date, "EEEE d MMMM yyyy");
                  if (closure) {
                    const words = `${longDate}: closed (${closure})`;
                    return (
                      <td key={dayNumber} className="heatmap__cell heatmap__cell--closed" title={words} aria-label={words}>
                        {/* Screen readers do not reliably read a cell's label: the words are in the cell too. */}
                        <span aria-hidden="true">{/^inset/i.test(closure) ? "IN" : "CL"}</span>
                        <span className="visually-hidden">{words}</span>
                      </td>
                    );
                  }
                  if (!day || day.attendance_pct === null) return <td key={dayNumber} className="heatmap__cell heatmap__cell--none" />;
                  const band = bandOf(day.attendance_pct, props.bands);
                  const words = `${longDate}: ${formatPct(day.attendance_pct)} attendance`;
                  return (
                    <td key={dayNumber} className={`heatmap__cell ${band.className}`} data-date={date}>
                      <PupilsLink to={props.hrefFor(date)} title={words} aria-label={words}>
                        {day.attendance_pct.toFixed(1)}
                      </PupilsLink>
                    </td>
                  );
                })}
              </tr>
            );
          })}
        </tbody>
      </table>
      <ul className="heatmap__legend" aria-label="Key">
        {props.bands.map((band) => (
          <li key={band.className}>
            <span className={`heatmap__swatch ${band.className}`} aria-hidden="true" />
            {band.label}
          </li>
        ))}
        <li>
          <span className="heatmap__swatch heatmap__cell--closed" aria-hidden="true">
            IN
          </span>
          INSET day (CL: other closure)
        </li>
        <li>
          <span className="heatmap__swatch heatmap__cell--weekend" aria-hidden="true" />
          Weekend; blank weekdays are holidays or days without marks
        </li>
      </ul>
      <p className="hint">Each day shows its attendance in percent, to one decimal place{mayDrill ? "; choose a day to see its pupils" : ""}.</p>
    </div>
  );
}
