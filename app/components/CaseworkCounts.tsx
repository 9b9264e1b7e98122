/**
 * How many pupils are on each casework list: the Overview's summary and the head of the
 * Casework page, one table. Each list's name links where `hrefFor` says (the list on the
 * Casework page, or an anchor on it), with what puts a pupil on it beside it: the three
 * attendance lists are bands, each pupil on one ("below 96% and at least 90%"), which their
 * titles alone ("below the letter threshold", "below the monitoring threshold") read as nested
 * (trial 51: 43, 11 and 14 read as 43 pupils, 14 of them the worst).
 */
import { Link } from "@remix-run/react";
import { formatCount } from "~/lib/format";
import { plural } from "../../analytics/plural.ts";

export function CaseworkCounts(props: {
  lists: Array<{ rule: string; title: string; criterion: string; count: number; pupilsListed: number }>;
  caption: string;
  hrefFor: (rule: string) => string;
  testId?: string;
}): JSX.Element {
  // The lists' counts add up to entries, not pupils: one pupil below 85% is persistently absent
  // too (trial 52: a head adding up the column got 131 where 74 pupils are listed).
  const entries = props.lists.reduce((sum, list) => sum + list.count, 0);
  const pupils = props.lists[0]?.pupilsListed ?? 0;
  return (
    <table className="data" data-testid={props.testId}>
      <caption>
        {props.caption}
        {entries > pupils ? " " : null}
        {entries > pupils ? (
          <span className="caption-note" data-testid="casework-pupils-listed">
            ({formatCount(pupils)} {plural(pupils, "pupil")} in all, {formatCount(entries)} entries: a pupil can be on several lists)
          </span>
        ) : null}
      </caption>
      <thead>
        <tr>
          <th scope="col">List</th>
          <th scope="col" className="num">
            Pupils
          </th>
          <th scope="col">Who is on it</th>
        </tr>
      </thead>
      <tbody>
        {props.lists.map((list) => {
          const href = props.hrefFor(list.rule);
          return (
            <tr key={list.rule} data-rule={list.rule}>
              <td>{href.startsWith("#") ? <a href={href}>{list.title}</a> : <Link to={href}>{list.title}</Link>}</td>
              <td className="num">{formatCount(list.count)}</td>
              <td>{list.criterion}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
