/**
 * "Show by: Week · Month · …" — links that change one URL parameter and keep the rest of the
 * view, so the choice is bookmarkable and works without JavaScript.
 */
import { Link, useLocation } from "@remix-run/react";
import { firstOfEach } from "../../analytics/list-paging.ts";

export function GrainLinks<T extends string>(props: { param: string; current: T; choices: ReadonlyArray<{ value: T; label: string }>; label: string }): JSX.Element {
  const location = useLocation();
  const hrefFor = (value: T) => {
    const search = firstOfEach(location.search);
    search.set(props.param, value);
    return `${location.pathname}?${search.toString()}`;
  };
  return (
    <nav className="grain-links" aria-label={props.label}>
      <span className="grain-links__label">{props.label}:</span>
      <ul>
        {props.choices.map((choice) => (
          <li key={choice.value}>
            {choice.value === props.current ? (
              <span aria-current="true" className="grain-links__current">
                {choice.label}
              </span>
            ) : (
              <Link to={hrefFor(choice.value)} preventScrollReset>
                {choice.label}
              </Link>
            )}
          </li>
        ))}
      </ul>
    </nav>
  );
}
