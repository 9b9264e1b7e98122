/**
 * Paging and column sorting for the lists paged on the server (Pupils, Casework, Register
 * checks, Interventions): plain links that keep every other search parameter (the filters), so they work
 * without JavaScript and a page can be bookmarked.
 */
import { Link } from "@remix-run/react";
import type { ReactNode } from "react";
import { pageSpan, pagingSearch, type SortDirection } from "../../analytics/list-paging.ts";
import { formatCount } from "~/lib/format";

export interface PagingState {
  page: number;
  pages: number;
  pageSize: number;
  total: number;
  sort: string;
  dir: SortDirection;
}

/** "Previous · Showing 51–100 of 370 · Next"; nothing when one page holds the list. */
export function ListPager(props: { search: string; paging: PagingState; prefix?: string; noun?: string; testId?: string; anchor?: string }) {
  const { paging, search, prefix = "", anchor = "" } = props;
  if (paging.pages <= 1) return null;
  const { first, last } = pageSpan(paging);
  const href = (page: number) => `?${pagingSearch(search, { page }, paging, prefix)}${anchor}`;
  return (
    <nav className="pager no-print" aria-label={`Pages of the ${props.noun ?? "list"}`} data-testid={props.testId ?? "pager"}>
      {paging.page > 1 ? (
        <Link to={href(paging.page - 1)} rel="prev" data-testid="pager-prev" preventScrollReset>
          ← Previous
        </Link>
      ) : (
        <span className="hint">← Previous</span>
      )}{" "}
      <span data-testid="pager-position">
        Page {formatCount(paging.page)} of {formatCount(paging.pages)} ({formatCount(first)}–{formatCount(last)} of {formatCount(paging.total)})
      </span>{" "}
      {paging.page < paging.pages ? (
        <Link to={href(paging.page + 1)} rel="next" data-testid="pager-next" preventScrollReset>
          Next →
        </Link>
      ) : (
        <span className="hint">Next →</span>
      )}
    </nav>
  );
}

/** A column heading that sorts the list by its column (again: the other way round). */
export function SortHeader(props: {
  search: string;
  paging: { sort: string; dir: SortDirection };
  column: string;
  defaultDir: SortDirection;
  numeric?: boolean;
  prefix?: string;
  anchor?: string;
  children: ReactNode;
}) {
  const { paging, column } = props;
  const sorted = paging.sort === column ? paging.dir : null;
  const href = `?${pagingSearch(props.search, { sort: column, defaultDir: props.defaultDir }, paging, props.prefix ?? "")}${props.anchor ?? ""}`;
  return (
    <th scope="col" className={props.numeric ? "num" : undefined} aria-sort={sorted === "asc" ? "ascending" : sorted === "desc" ? "descending" : "none"} data-sort={column}>
      <Link to={href} className="sort" preventScrollReset>
        {props.children}
        <span aria-hidden="true">{sorted === "asc" ? " ▲" : sorted === "desc" ? " ▼" : ""}</span>
      </Link>
    </th>
  );
}

/**
 * Beside a list whose URL asked for a sort it does not have (analytics/list-paging.ts
 * unsortableNote): the list is in its usual order, and this says so.
 */
export function SortNotice(props: { notice: string | null | undefined }) {
  if (!props.notice) return null;
  return (
    <p className="notice notice--warning" role="status" data-testid="sort-notice">
      {props.notice}
    </p>
  );
}
