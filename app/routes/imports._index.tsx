/** Import history: every import that changed the register — file, who, when, counts. */
import type { PageNameHandle } from "~/lib/page-name";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { londonDateTime } from "../../analytics/time.ts";
import { Link, useLoaderData } from "@remix-run/react";
import { importHistory } from "~/lib/import-history.server";
import { requireRole } from "~/lib/auth.server";
import { withDb } from "~/lib/db.server";
import { formatCount } from "~/lib/format";
import { RouteError } from "~/components/RouteError";
import { importTitle } from "~/lib/import-title";
import { marksDatesWords } from "../../analytics/import/record-words.ts";
import { roleLabel, rolesWithWords } from "~/lib/permissions";

export const meta: MetaFunction = () => [{ title: "Import history — Rollcall" }];

/** The page's name in the phone's menu (app/lib/page-name.ts). */
export const handle: PageNameHandle = { pageName: "Import history" };

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireRole(request, "view_pupils", { context, doing: "see the import history (the marks each import changed)", also: `Importing files is for ${rolesWithWords("import")}.` });
  return { imports: await withDb((c) => importHistory(c)) };
}

export default function ImportHistory() {
  const { imports } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Import history</h1>
      <p className="lede">
        Every import that changed the register, latest first, by its number (1, 2, 3 … as each was made). An import that changed nothing is not recorded, nor a preview or a refused file. Open one to
        see the marks it amended, with the codes before and after. Dates are the first and last day of the marks a marks file gave. New, amended and unchanged count marks for a marks file
        and pupils for a pupils file, not rows: a CTF's or a grid's row holds many marks, and a blank cell none.
      </p>
      <p>
        <Link to="/import">Import files</Link>
      </p>
      {imports.length === 0 ? (
        <div className="notice" data-testid="no-imports">
          <p>Nothing has been imported yet.</p>
        </div>
      ) : (
        // A card per import on a phone (app.css data--cards), each cell after its heading.
        <table className="data data--cards" data-testid="import-history">
          <thead>
            <tr>
              <th className="num">Import</th>
              <th>When</th>
              <th>File</th>
              <th>Dates</th>
              <th>Who</th>
              <th className="num">Rows read</th>
              <th className="num">New</th>
              <th className="num">Amended</th>
              <th className="num">Unchanged</th>
            </tr>
          </thead>
          <tbody>
            {imports.map((i) => (
              <tr key={i.import_id}>
                <td className="num" data-label="Import">{i.import_id}</td>
                <td data-label="When">{londonDateTime(i.imported_at)}</td>
                <td data-label="File">
                  <Link to={`/imports/${i.import_id}`}>
                    {importTitle(i.kind, i.file_name)}
                  </Link>
                </td>
                {/* The days its marks cover (a marks file): which week it was, at a glance (trial 54). */}
                <td data-label="Dates" data-testid="import-dates">{marksDatesWords(i.first_date, i.last_date, false) ?? "—"}</td>
                <td data-label="Who">
                  {i.imported_by} ({roleLabel(i.imported_by_role)})
                </td>
                <td className="num" data-label="Rows read">{formatCount(i.rows_read)}</td>
                <td className="num" data-label="New">{formatCount(i.rows_inserted)}</td>
                <td className="num" data-label="Amended">{formatCount(i.rows_amended)}</td>
                <td className="num" data-label="Unchanged">{formatCount(i.rows_unchanged)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

export function ErrorBoundary() {
  return <RouteError title="The import history could not be shown" />;
}
