/**
 * How the figures are calculated: docs/DEFINITIONS.md (the repository's own definitions of
 * codes, measures, population and suppression) and the code catalogue the figures use,
 * generated from analytics/codes.ts so the list can never differ from the calculation.
 */
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import type { PageNameHandle } from "~/lib/page-name";
import { useLoaderData } from "@remix-run/react";
import { CATEGORY_LABELS, CODE_CATALOGUE } from "../../analytics/codes.ts";
import { RouteError } from "~/components/RouteError";
import { requireUser } from "~/lib/auth.server";
import { readDoc } from "~/lib/docs.server";
import { markdownToHtml } from "~/lib/markdown";

export const meta: MetaFunction = () => [{ title: "How the figures are calculated — Rollcall" }];

/** The page's name in the phone's menu (app/lib/page-name.ts). */
export const handle: PageNameHandle = { pageName: "How the figures are calculated" };

export async function loader({ request }: LoaderFunctionArgs) {
  // Any signed-in user, governors included: definitions name no pupil.
  await requireUser(request);
  return {
    html: markdownToHtml(readDoc("DEFINITIONS.md")),
    codes: CODE_CATALOGUE.map((code) => ({ code: code.code, regime: code.regime, category: CATEGORY_LABELS[code.category], meaning: code.meaning })),
  };
}

export default function Definitions() {
  const { html, codes } = useLoaderData<typeof loader>();
  return (
    <article className="definitions" data-testid="definitions">
      {/* The HTML is made by markdownToHtml from a file in the repository, every character escaped. */}
      <div dangerouslySetInnerHTML={{ __html: html }} />
      <h2 id="codes">Attendance codes</h2>
      <table className="data">
        <caption>Every code Rollcall reads, its category and meaning, under the 2024 and the 2006 regulations</caption>
        <thead>
          <tr>
            <th scope="col">Code</th>
            <th scope="col">Regulations</th>
            <th scope="col">Category</th>
            <th scope="col">Meaning</th>
          </tr>
        </thead>
        <tbody>
          {codes.map((code) => (
            <tr key={`${code.code}-${code.regime}`}>
              <td>
                <code>{code.code}</code>
              </td>
              <td>{code.regime === "2024" ? "2024 (from 19 Aug 2024)" : "2006 (to 18 Aug 2024)"}</td>
              <td>{code.category}</td>
              <td>{code.meaning}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </article>
  );
}

export function ErrorBoundary() {
  return <RouteError title="The definitions could not be shown" />;
}
