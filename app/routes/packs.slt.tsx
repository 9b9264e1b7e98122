/** The monthly SLT pack on screen: /packs/slt?month=2026-10. Named pupils: staff only. */
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { withDb } from "~/lib/db.server";
import { buildSltPack, currentDate, packPeriodOptions } from "~/lib/analytics.server";
import { RouteError } from "~/components/RouteError";
import { PackDownloads, PackFrame, PackNotice, PackPeriodForm } from "~/components/PackViewer";
import { requireRole } from "~/lib/auth.server";
import { MONTH_KEY } from "~/lib/filters";
import { packForPeriod } from "~/lib/pack-period.server";
import { packStateKey } from "~/lib/pack-files.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `SLT pack${data ? `, ${data.label}` : ""} — Rollcall` }];

/**
 * The page names no pupil: the pack's document, in its frame, does, and each time it is sent
 * it is recorded as a view of pupils by name (app/routes/packs.$kind.$format.tsx).
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireRole(request, "view_slt_pack", { context });
  const today = currentDate();
  const search = new URL(request.url).searchParams;
  return withDb(async (c) => {
    const options = await packPeriodOptions(c, today);
    // A month it cannot read or build is named, and the default month's pack shown.
    const { key: month, model, notice } = await packForPeriod({
      name: "month",
      pattern: MONTH_KEY,
      fallback: options.defaultMonth,
      build: (key) => buildSltPack(c, { month: key, today, toDateTabs: false }),
      failure: (message) => `${message.charAt(0).toUpperCase()}${message.slice(1)}${message.endsWith(".") ? "" : "."}`,
      search,
    });
    if (!month || !model) return { empty: true as const, months: options.months, month: "", label: "", version: "", notice, why: options.noMonths };
    return { empty: false as const, months: options.months, month, label: model.periodLabel, version: packStateKey(c), notice, why: null };
  });
}

export default function SltPack() {
  const data = useLoaderData<typeof loader>();
  if (data.empty) {
    return (
      <>
        <h1>Monthly SLT pack</h1>
        <PackNotice notice={data.notice} />
        <div className="notice notice--warning">
          <p>{data.why ?? "There is no month to report on."}</p>
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
      <PackNotice notice={data.notice} />
      <PackPeriodForm name="month" label="Month" options={data.months} value={data.month} />
      <PackDownloads
        downloads={[
          { href: `/packs/slt/pdf${query}`, label: "Download PDF" },
          { href: `/packs/slt/xlsx${query}`, label: "Download Excel workbook" },
        ]}
      />
      <PackFrame src={`/packs/slt/html${query}`} version={data.version} title={`SLT pack, ${data.label}`} />
    </>
  );
}

export function ErrorBoundary() {
  return <RouteError title="The SLT pack could not be made" />;
}
