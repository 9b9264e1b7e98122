/** The monthly SLT pack on screen: /packs/slt?month=2026-10. Named pupils: staff only. */
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { withDb } from "~/lib/db.server";
import { buildSltPack, currentDate, packPeriodOptions, renderPackHtml } from "~/lib/analytics.server";
import { RouteError } from "~/components/RouteError";
import { PackDownloads, PackFrame, PackPeriodForm } from "~/components/PackViewer";
import { requireRole } from "~/lib/auth.server";
import { EXPECTED_VALUES, unreadWords } from "~/lib/filters";

const MONTH_KEY = /^\d{4}-(0[1-9]|1[0-2])$/;

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `SLT pack${data ? `, ${data.label}` : ""} — Rollcall` }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "view_slt_pack");
  const today = currentDate();
  const requested = new URL(request.url).searchParams.get("month")?.trim() ?? "";
  return withDb(async (c) => {
    const options = await packPeriodOptions(c, today);
    // A month typed into the address that cannot be read, or outside the register, is named on
    // the page and the default month's pack shown: never a bare 400 (app/lib/filters.ts
    // unreadWords, as every page).
    let said: string | null = null;
    let month = options.defaultMonth;
    if (requested && MONTH_KEY.test(requested)) month = requested;
    else if (requested) said = `Not understood in the address: ${unreadWords([{ name: "month", value: requested, expected: EXPECTED_VALUES.month }])}.`;
    let model = month ? await buildSltPack(c, { month, today, toDateTabs: false }).catch((error: Error) => error) : null;
    if (model instanceof Error) {
      said = `${model.message.charAt(0).toUpperCase()}${model.message.slice(1)}.`;
      month = options.defaultMonth;
      model = month && month !== requested ? await buildSltPack(c, { month, today, toDateTabs: false }) : null;
    }
    if (!month || !model) return { empty: true as const, months: options.months, month: "", label: "", html: "", notice: said };
    const notice = said ? `${said} Showing ${model.periodLabel} instead.` : null;
    return { empty: false as const, months: options.months, month, label: model.periodLabel, html: renderPackHtml(model), notice };
  });
}

export default function SltPack() {
  const data = useLoaderData<typeof loader>();
  if (data.empty) {
    return (
      <>
        <h1>Monthly SLT pack</h1>
        {data.notice ? (
          <p className="notice" role="status" data-testid="pack-notice">
            {data.notice}
          </p>
        ) : null}
        <div className="notice notice--warning">
          <p>No register marks have been imported yet, so there is no month to report on.</p>
        </div>
      </>
    );
  }
  const query = `?month=${encodeURIComponent(data.month)}`;
  return (
    <>
      <p>
        <Link to="/packs">Report packs</Link>
      </p>
      <h1>Monthly SLT pack: {data.label}</h1>
      <p className="lede">
        <strong className="tag tag--orange">Staff only</strong> This pack names pupils. Share it only within the senior leadership team.
      </p>
      {data.notice ? (
        <p className="notice" role="status" data-testid="pack-notice">
          {data.notice}
        </p>
      ) : null}
      <PackPeriodForm name="month" label="Month" options={data.months} value={data.month} />
      <PackDownloads
        downloads={[
          { href: `/packs/slt/pdf${query}`, label: "Download PDF" },
          { href: `/packs/slt/xlsx${query}`, label: "Download Excel workbook" },
        ]}
      />
      <PackFrame html={data.html} title={`SLT pack, ${data.label}`} />
    </>
  );
}

export function ErrorBoundary() {
  return <RouteError title="The SLT pack could not be made" />;
}
