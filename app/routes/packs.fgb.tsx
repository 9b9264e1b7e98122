/**
 * The termly governors' pack on screen, /packs/fgb?term=autumn-2026, with the form where
 * the head writes the commentary for Interventions, Successes, Barriers and Next steps.
 * Each save is stored with who and when and printed in the pack (screen, PDF and Excel).
 */
import { londonDateTime } from "../../analytics/time.ts";
import { plural } from "../../analytics/plural.ts";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { auditOn } from "~/lib/audit.server";
import { withDb } from "~/lib/db.server";
import { formatDate } from "~/lib/format";
import { TERM_KEY } from "~/lib/filters";
import { packForPeriod } from "~/lib/pack-period.server";
import { packStateKey } from "~/lib/pack-files.server";
import { COMMENTARY_HEADINGS, COMMENTARY_LABELS, MAX_COMMENTARY_LENGTH, STAFF_NAMING_RULE } from "../../analytics/packs/headings.ts";
import {
  buildFgbPack,
  COMMENTARY_TABLES,
  currentDate,
  getCommentary,
  inTransaction,
  packPeriodOptions,
  saveCommentary,
} from "~/lib/analytics.server";
import { RouteError } from "~/components/RouteError";
import { PackDownloads, PackFrame, PackNotice, PackPeriodForm } from "~/components/PackViewer";
import { requireRole } from "~/lib/auth.server";
import { ROLE_LABELS, roleLabel } from "~/lib/permissions";
import { CsrfInput } from "~/components/CsrfInput";
import { useCan } from "~/lib/use-user";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Governors' pack${data && !data.empty ? `, ${data.label}` : ""} — Rollcall` }];

/** The term a commentary is saved for (the form posts the term the page shows). */
function termFrom(url: URL): string | null {
  const term = url.searchParams.get("term");
  if (term !== null && !TERM_KEY.test(term)) throw new Response(`A term looks like autumn-2026 (got "${term}")`, { status: 400, statusText: "Bad request" });
  return term;
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireRole(request, "view_fgb_pack", { context });
  const today = currentDate();
  const url = new URL(request.url);
  return withDb(async (c) => {
    const options = await packPeriodOptions(c, today);
    // A term it cannot read or build is named, and the latest term's pack shown.
    const { key: term, model, notice } = await packForPeriod({
      name: "term",
      pattern: TERM_KEY,
      fallback: options.defaultTerm,
      build: (key) => buildFgbPack(c, { term: key, today, toDateTabs: false }),
      failure: (message) => message,
      search: url.searchParams,
    });
    if (!term || !model) return { empty: true as const, terms: options.terms, notice, why: options.noTerms };
    const commentary = await getCommentary(c, "fgb", term);
    return {
      empty: false as const,
      terms: options.terms,
      term,
      notice,
      label: model.periodLabel,
      version: packStateKey(c),
      commentary,
      saved: url.searchParams.get("saved") === "1",
    };
  });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireRole(request, "write_commentary", { context });
  const url = new URL(request.url);
  const term = termFrom(url);
  if (!term) throw new Response("Say which term the commentary is for: ?term=autumn-2026", { status: 400, statusText: "Bad request" });
  const form = await request.formData();
  // The commentary is signed by the signed-in user, never by a name typed into the form.
  const author = user.name;
  const role = ROLE_LABELS[user.role];
  try {
    const changed = await withDb(async (c) => {
      const current = await getCommentary(c, "fgb", term);
      // All headings or none: a heading refused (e.g. naming a pupil) saves nothing.
      return inTransaction(c, async () => {
        let count = 0;
        for (const heading of COMMENTARY_HEADINGS) {
          const body = String(form.get(`body-${heading}`) ?? "").trim();
          if (body === (current[heading]?.body ?? "")) continue;
          await saveCommentary(c, { kind: "fgb", periodKey: term, heading, body, author, role });
          count++;
        }
        if (count > 0) await auditOn(c, request, context, { actor: { email: user.email, name: user.name }, role: user.role, action: "commentary_save", target: `FGB pack ${term}`, detail: `${count} ${plural(count, "heading")} changed` });
        return count;
        // Only the commentary and the audit trail change: the register's cached figures stay.
      }, { changes: COMMENTARY_TABLES });
    });
    if (changed === 0) return { error: null, message: "Nothing had changed, so nothing was saved." };
  } catch (error) {
    return { error: (error as Error).message, message: null };
  }
  return redirect(`/packs/fgb?term=${encodeURIComponent(term)}&saved=1#commentary`);
}

export default function FgbPack() {
  const data = useLoaderData<typeof loader>();
  // Governors read the pack; only the head (and admin) write its commentary.
  const mayWrite = useCan("write_commentary");
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  if (data.empty) {
    return (
      <>
        <h1>Governors' pack</h1>
        <PackNotice notice={data.notice} />
        <div className="notice notice--warning">
          <p>{data.why ?? "There is no term to report on."}</p>
        </div>
      </>
    );
  }
  const query = `?term=${encodeURIComponent(data.term)}`;
  return (
    <>
      <p>
        <Link to="/packs">Report packs</Link>
      </p>
      <h1>Governors' pack: {data.label}</h1>
      <p className="lede">
        <strong className="tag tag--green">Anonymised</strong> No pupil is named and small groups' figures are withheld: this pack can go to the full governing board.
      </p>
      <PackNotice notice={data.notice} />
      <PackPeriodForm name="term" label="Term" options={data.terms} value={data.term} />
      <PackDownloads
        downloads={[
          { href: `/packs/fgb/pdf${query}`, label: "Download PDF" },
          { href: `/packs/fgb/xlsx${query}`, label: "Download Excel workbook" },
        ]}
      />
      {mayWrite ? (
        <p>
          <a href="#commentary">Write or edit the headteacher's commentary</a> for this term (below the pack).
        </p>
      ) : null}
      <PackFrame src={`/packs/fgb/html${query}`} version={data.version} title={`Governors' pack, ${data.label}`} />

      {mayWrite ? (
        <>
        <h2 id="commentary">Headteacher's commentary for {data.label}</h2>
        <p className="hint">
          Printed in the pack under each heading, after the sentences written from the data. Write for governors: no pupil's name or details that could identify a child. {STAFF_NAMING_RULE}
        </p>
        {data.saved && !result ? (
          <div className="notice" role="status">
            <p>Commentary saved. The pack above and its downloads now include it.</p>
          </div>
        ) : null}
        {result?.message ? (
          <div className="notice" role="status">
            <p>{result.message}</p>
          </div>
        ) : null}
        {result?.error ? (
          <div className="error-summary" role="alert" tabIndex={-1}>
            <h2>The commentary was not saved</h2>
            <p>{result.error}</p>
          </div>
        ) : null}
        <Form method="post" action={`/packs/fgb${query}`} className="commentary-form" key={data.term}>
          <CsrfInput />
          {COMMENTARY_HEADINGS.map((heading) => {
            const entry = data.commentary[heading];
            return (
              <div className="field" key={heading}>
                <label htmlFor={`body-${heading}`}>{COMMENTARY_LABELS[heading]}</label>
                <textarea id={`body-${heading}`} name={`body-${heading}`} defaultValue={entry?.body ?? ""} maxLength={MAX_COMMENTARY_LENGTH} rows={4} />
                <p className="saved-by">
                  {entry ? `Last saved by ${entry.author} (${roleLabel(entry.role)}) on ${londonDateTime(entry.updatedAt)}` : "Not written yet."}
                </p>
              </div>
            );
          })}
          <button type="submit" className="button" disabled={navigation.state === "submitting"}>
            {navigation.state === "submitting" ? "Saving…" : "Save commentary"}
          </button>
        </Form>
        </>
      ) : null}
    </>
  );
}

export function ErrorBoundary() {
  return <RouteError title="The governors' pack could not be made" />;
}
