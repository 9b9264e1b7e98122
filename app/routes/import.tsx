import { RouteError } from "~/components/RouteError";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { importReach, importReachWords, reachingImports, currentDate, importAuditEntries, schoolSetup } from "~/lib/analytics.server";
import { auditRequest } from "~/lib/audit.server";
import { withDb } from "~/lib/db.server";
import { importUploads, refusalAuditDetail, uploadFingerprint, uploadNames, type ImportOutcome } from "~/lib/import.server";
import { finishProgress, reportProgress, startProgress } from "~/lib/import-progress.server";
import { dropTaken, holdUpload, keepAgain, releaseUpload, takeUpload, type TakenUpload } from "~/lib/held-upload.server";
import { maxUploadMb, readUploadForm } from "~/lib/upload.server";
import { importTitle } from "~/lib/import-title";
import { marksDatesWords } from "../../analytics/import/record-words.ts";
import { HOLD_MINUTES, MARKS_LAYOUTS, UPLOAD_KINDS, uploadTooLargeMessage, type MarksLayout, type UploadKind } from "~/lib/upload-kinds";
import { formatCount, formatDate } from "~/lib/format";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { requireRole } from "~/lib/auth.server";
import { ROLE_LABELS } from "~/lib/permissions";
import { ActionAnswer } from "~/components/ActionAnswer";
import { CsrfInput } from "~/components/CsrfInput";
import { AmendedMarkCells } from "~/components/MarkCode";

export const meta: MetaFunction = () => [{ title: "Import the register — Rollcall" }];

const LABELS: Record<UploadKind, { label: string; hint: string }> = {
  calendar: { label: "Calendar", hint: "kind,name,start_date,end_date — half terms and closures" },
  pupils: {
    label: "Pupils",
    hint: "upn,forename,surname,dob,sex,year_group,reg_group,admission_date,leaving_date,sen,fsm,eal,lac,ethnicity",
  },
  marks: {
    label: "Marks",
    hint: "one row per session (upn,date,session,code), a grid (UPN, one column per session such as “Mon 06/01/2025 AM”), week strings (UPN,WeekStart,WeekMarks) or a Common Transfer File (CTF XML: its pupils come with it)",
  },
};

const LAYOUT_LABELS: Record<MarksLayout, string> = {
  long: "One row per session",
  grid: "Grid: one column per session",
  week: "Week strings",
  ctf: "Common Transfer File (CTF XML)",
};

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The import form is for the roles that may import; the page itself is refused to others. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireRole(request, "import", { context });
  return { setup: await withDb((c) => schoolSetup(c)), maxUploadMb: maxUploadMb() };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireRole(request, "import", { context });
  // The page names the import in its address, so progress can be reported while the upload arrives.
  const progress = new URL(request.url).searchParams.get("progress");
  startProgress(progress, user.id);
  const length = Number(request.headers.get("Content-Length") ?? 0);
  reportProgress(progress, `receiving the files${length > 0 ? ` (${(length / 1024 / 1024).toFixed(1)} MB)` : ""}`);
  // Files stream to a temporary folder with the upload limit (413 beyond it); always removed.
  let form: Awaited<ReturnType<typeof readUploadForm>>;
  try {
    form = await readUploadForm(request, { fileFields: UPLOAD_KINDS });
  } catch (error) {
    finishProgress(progress, "refused");
    throw error;
  }
  let taken: TakenUpload | undefined;
  try {
    const text = (name: string) => (form.fields.get(name) ?? "").trim();
    const asOf = text("asOf");
    const errors: Record<string, string> = {};
    if (asOf && !ISO_DATE.test(asOf)) errors.asOf = "Enter the date as YYYY-MM-DD.";
    const layout = text("layout");
    if (layout && !MARKS_LAYOUTS.includes(layout as MarksLayout)) errors.layout = "Choose a layout from the list.";
    const sheet = text("sheet");
    let uploads: Partial<Record<UploadKind, string>> = {};
    for (const kind of UPLOAD_KINDS) {
      const file = form.files.get(kind);
      if (file) uploads[kind] = file.path;
    }
    // Without JavaScript the preview's page has empty file inputs, so "Import these files"
    // sends none: the previewed files were kept for it under a token (held-upload.server.ts).
    // Files chosen again are what is imported (or previewed, if they are not the previewed ones).
    const heldToken = text("held");
    // Taken for this confirmation alone (a second one sent at once finds nothing); kept again
    // below if only previewed again, else removed (the finally below, whatever happens).
    if (Object.keys(uploads).length === 0 && heldToken && text("intent") === "import") {
      taken = takeUpload(heldToken, user.sessionId);
      if (taken) uploads = taken.files;
      else errors.files = `The previewed files are no longer kept: they have been imported (see the import history), or their ${HOLD_MINUTES} minutes are up. Choose them again and check them.`;
    }
    if (Object.keys(uploads).length === 0) errors.files ??= "Choose at least one file to import.";
    const kept = { asOf, layout, sheet, reason: text("reason") };
    if (Object.keys(errors).length > 0) {
      finishProgress(progress, "not sent: see the form");
      return { errors, outcome: null, stale: false, amended: null, held: null, kept };
    }
    // The amendment trail records the signed-in user, never a name typed into the form.
    const options = {
      by: { name: user.name, role: ROLE_LABELS[user.role] },
      asOf: asOf || undefined,
      reason: text("reason") || undefined,
      layout: (layout || undefined) as MarksLayout | undefined,
      sheet: sheet || undefined,
    };
    // Preview first (issue 10): an import happens only when confirmed, and only of the very
    // files and options that were previewed; anything else is previewed again.
    const confirmed = text("intent") === "import" && text("fingerprint") === (await uploadFingerprint(uploads, options));
    const outcome = await importUploads(uploads, { ...options, dryRun: !confirmed, onProgress: (message) => reportProgress(progress, message) });
    finishProgress(progress, !outcome.ok ? "refused" : outcome.preview ? "preview ready" : "imported");
    // A preview's files are kept for its confirmation; once imported or refused, nothing is left to confirm.
    const held = outcome.ok && outcome.preview ? (taken ? keepAgain(taken) : holdUpload(user.sessionId, uploads)) : null;
    if (!held && heldToken) releaseUpload(heldToken, user.sessionId);
    const fileNames = uploadNames(uploads);
    const who = { actor: { email: user.email, name: user.name }, role: user.role };
    if (outcome.ok && outcome.preview) {
      // The preview names the pupils whose marks or details would change: recorded (issue 9).
      const named = previewNamed(outcome.summaries);
      if (named.marks + named.pupils > 0) {
        await auditRequest(request, context, { ...who, action: "pupil_list_view", target: `/import (preview of ${fileNames})`.slice(0, 500), detail: `Import preview: ${named.marks} amended marks and ${named.pupils} pupils named` });
      }
      return { errors: {} as Record<string, string>, outcome, stale: text("intent") === "import", amended: null, held, kept };
    }
    if (outcome.ok) {
      for (const entry of importAuditEntries(outcome.summaries)) await auditRequest(request, context, { ...who, ...entry });
      // The preview listed the marks it would amend; the confirmation says how many were, from
      // when, and which packs' periods they reach (fresh-clone trial 49: it showed only counts).
      const made = reachingImports(outcome.summaries);
      const amended = made.length > 0 ? importReachWords(await withDb((c) => importReach(c, made, currentDate()))) : null;
      // Imported: the form starts afresh (fresh-clone trial 50b: it kept the reason, and with
      // scripts the files, ready to be sent again), as the intervention form does.
      return { errors: {} as Record<string, string>, outcome, stale: false, amended, held, kept: null };
    }
    await auditRequest(request, context, { ...who, action: "import_refused", target: fileNames, detail: refusalAuditDetail(outcome) });
    return { errors: {} as Record<string, string>, outcome, stale: false, amended: null, held, kept };
  } finally {
    form.dispose();
    // Taken and not kept again (imported, refused, a form error, or the request failed): removed.
    if (taken) dropTaken(taken);
  }
}

type Summaries = Extract<NonNullable<ImportOutcome>, { ok: true }>["summaries"];

/** Per file: rows read, new, amended, unchanged and skipped (the import's own counts). */
function SummaryTable({ summaries }: { summaries: Summaries }) {
  return (
    // A card per file on a phone (data--cards): the notes under each file's name are sentences,
    // squeezed into an 80 px column beside five counts (trial 53b).
    <table className="data data--cards">
      <thead>
        <tr>
          <th>File</th>
          <th className="num">Rows</th>
          <th className="num">New</th>
          <th className="num">Amended</th>
          <th className="num">Unchanged</th>
          <th className="num">Skipped (no mark)</th>
        </tr>
      </thead>
      <tbody>
        {summaries.map((s) => (
          <tr key={s.kind}>
            <td>
              {importTitle(s.kind, s.file)}
              {s.firstDate ? (
                // The days its marks cover, said with its counts (trial 54: which week it was).
                <span className="hint" style={{ display: "block" }} data-testid="marks-dates">
                  Marks {marksDatesWords(s.firstDate, s.lastDate)}
                </span>
              ) : null}
              {s.appliesFromWords ? (
                <span className="hint" style={{ display: "block" }} data-testid="applies-from">
                  {s.appliesFromWords}
                </span>
              ) : null}
              {s.notes?.map((note) => (
                <span key={note} className="hint" style={{ display: "block" }}>
                  {note}
                </span>
              ))}
            </td>
            <td className="num" data-label="Rows">
              {formatCount(s.rowsRead)}
              {s.marksRead !== undefined && s.marksRead !== s.rowsRead ? ` (${formatCount(s.marksRead)} marks)` : null}
            </td>
            <td className="num" data-label="New">{formatCount(s.inserted)}</td>
            <td className="num" data-label="Amended">{formatCount(s.amended)}</td>
            <td className="num" data-label="Unchanged">{formatCount(s.unchanged)}</td>
            <td className="num" data-label="Skipped (no mark)">{formatCount(s.skipped ?? 0)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * The record of each import made, linked (/imports/N lists the marks it amended): "See what
 * this import changed: import 11"; with several files, each import with its file.
 */
function ImportsMade({ summaries }: { summaries: Summaries }) {
  const made = summaries.filter((s) => s.importId !== null);
  if (made.length === 0) return null;
  return (
    <p data-testid="import-records">
      See what {made.length === 1 ? "this import" : "these imports"} changed:{" "}
      {made.map((s, i) => (
        <span key={s.importId}>
          {i > 0 ? (i === made.length - 1 ? " and " : ", ") : null}
          <Link to={`/imports/${s.importId}`}>import {s.importId}</Link>
          {made.length > 1 ? ` (${importTitle(s.kind, s.file)})` : null}
        </span>
      ))}
    </p>
  );
}

/** The rows a preview names pupils in (PreviewDetails' tables): its amended marks and its pupils added or changed. */
function previewNamed(summaries: Summaries): { marks: number; pupils: number } {
  return { marks: summaries.flatMap((s) => s.amendedMarks ?? []).length, pupils: summaries.flatMap((s) => s.changedPupils ?? []).length };
}

/** A preview's detail: the marks it would amend (codes before and after) and the pupils it would add or change. */
function PreviewDetails({ summaries }: { summaries: Summaries }) {
  const amended = summaries.flatMap((s) => s.amendedMarks ?? []);
  const pupils = summaries.flatMap((s) => s.changedPupils ?? []);
  const amendedTotal = summaries.filter((s) => s.kind === "marks").reduce((n, s) => n + s.amended, 0);
  const pupilsTotal = summaries.filter((s) => s.kind === "pupils").reduce((n, s) => n + s.inserted + s.amended, 0);
  return (
    <>
      {amended.length > 0 ? (
        <table className="data" data-testid="preview-amended">
          <caption>
            Marks that would be amended{amendedTotal > amended.length ? ` (the first ${amended.length} of ${amendedTotal})` : ""}
          </caption>
          <thead>
            <tr>
              <th scope="col">Pupil</th>
              <th scope="col">UPN</th>
              <th scope="col">Date</th>
              <th scope="col">Session</th>
              <th scope="col">Now</th>
              <th scope="col">Would become</th>
            </tr>
          </thead>
          <tbody>
            {amended.map((m) => (
              <tr key={`${m.upn}-${m.date}-${m.session}`}>
                <td>{m.name}</td>
                <td>{m.upn}</td>
                <td>{formatDate(m.date, "EEE d MMM yyyy")}</td>
                <td>{m.session}</td>
                <AmendedMarkCells words={m} codes={{ before: m.beforeCode, after: m.afterCode }} />
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {pupils.length > 0 ? (
        <table className="data" data-testid="preview-pupils">
          <caption>
            Pupils who would be added or changed{pupilsTotal > pupils.length ? ` (the first ${pupils.length} of ${pupilsTotal})` : ""}
          </caption>
          <thead>
            <tr>
              <th scope="col">UPN</th>
              <th scope="col">Name</th>
              <th scope="col">What would change</th>
            </tr>
          </thead>
          <tbody>
            {pupils.map((p) => (
              <tr key={p.upn}>
                <td>{p.upn}</td>
                <td>{p.name}</td>
                <td>
                  {p.change === "new" ? (
                    "New pupil"
                  ) : p.changes && p.changes.length > 0 ? (
                    <ul className="pupil-changes" data-testid="pupil-changes">
                      {p.changes.map((c) => (
                        <li key={c.field}>
                          {c.field}: {c.before} → {c.after}
                        </li>
                      ))}
                    </ul>
                  ) : (
                    "Changed"
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </>
  );
}

/**
 * The import's progress while the page waits for it: the form posts to
 * `/import?progress=TOKEN` (a token made in the browser), and the page reads
 * `/import/progress?token=TOKEN` every half second until the answer comes.
 */
function useImportProgress(waiting: boolean): { action: string; message: string | null } {
  // Made after hydration: the server's HTML has no token, so the first render matches it.
  const [token, setToken] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  useEffect(() => setToken(crypto.randomUUID()), []);
  useEffect(() => {
    if (!waiting || !token) {
      setMessage(null);
      return;
    }
    let stopped = false;
    const poll = async () => {
      try {
        const response = await fetch(`/import/progress?token=${encodeURIComponent(token)}`, { headers: { Accept: "application/json" } });
        const body = (await response.json()) as { stages: Array<{ message: string }> };
        if (!stopped && body.stages.length > 0) setMessage(body.stages[body.stages.length - 1].message);
      } catch {
        // The next poll tries again; the import itself is unaffected.
      }
    };
    const timer = setInterval(poll, 500);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [waiting, token]);
  return { action: token ? `/import?progress=${token}` : "/import", message };
}

export default function ImportPage() {
  const result = useActionData<typeof action>();
  const { setup, maxUploadMb: limitMb } = useLoaderData<typeof loader>();
  const navigation = useNavigation();
  const errors = result?.errors ?? {};
  const outcome = result?.outcome;
  // The options as sent, so a page made without JavaScript shows (and confirms) what was previewed.
  const kept = result?.kept;
  // The server refuses an upload over the limit (413); checking first saves sending it.
  const [tooLarge, setTooLarge] = useState<string | null>(null);
  const stage = useImportProgress(navigation.state === "submitting");
  // After an import the form starts afresh (its files and reason had stayed, ready to import
  // again: trial 50b); a refusal or a preview keeps them, to be put right or confirmed.
  const form = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (result?.outcome?.ok && !result.outcome.preview) form.current?.reset();
  }, [result]);
  const checkSize = (event: FormEvent<HTMLFormElement>) => {
    const chosen: { name: string; size: number }[] = [];
    for (const input of event.currentTarget.querySelectorAll<HTMLInputElement>("input[type=file]")) {
      for (const file of input.files ?? []) chosen.push({ name: file.name, size: file.size });
    }
    if (chosen.reduce((sum, file) => sum + file.size, 0) > limitMb * 1024 * 1024) {
      event.preventDefault();
      setTooLarge(uploadTooLargeMessage(limitMb, chosen));
    } else {
      setTooLarge(null);
    }
  };
  return (
    <>
      <h1>Import the register</h1>
      <p className="lede">
        Upload the files exported from your MIS: CSV (comma, semicolon or tab separated, in UTF-8, UTF-16 or
        Windows-1252), Excel workbooks (.xlsx) or a Common Transfer File (CTF XML, which brings pupils, their
        characteristics' history and their marks together). All files are imported together: if any row is refused, nothing changes.{" "}
        <Link to="/imports">Import history</Link>
      </p>
      {setup.halfTerms === 0 ? (
        <div className="notice notice--warning" role="status" data-testid="calendar-first">
          <p>
            <strong>Start with the school calendar.</strong> There is none yet: without it school days, school weeks and register
            gaps cannot be checked, and marks cannot be checked against holidays and closures. Import the calendar first (on its
            own or with the other files), then the pupils, then the marks.
          </p>
        </div>
      ) : null}
      {outcome && !outcome.ok ? (
        <ActionAnswer answer={result} className="notice notice--warning" role="alert" testId="import-refused">
          <h2>The import was refused</h2>
          {outcome.errors && outcome.errors.length > 1 ? (
            <>
              <p>
                {outcome.total} {outcome.total === 1 ? "error" : "errors"} found
                {outcome.total !== undefined && outcome.total > outcome.errors.length ? `; the first ${outcome.errors.length} are listed` : ""}. Correct them
                all and import again. Nothing was imported: the register is unchanged.
              </p>
              <ol className="refusals" data-testid="import-errors">
                {outcome.errors.map((e) => (
                  <li key={`${e.file}:${e.line}:${e.column}:${e.reason}`}>
                    {/* In words, as the single refusal says it below ("file:line:column" is the command line's form). */}
                    <span title={`${e.file}:${e.line}:${e.column}`}>
                      <code>{e.file}</code>, {e.place}:
                    </span>{" "}
                    {e.reason}
                  </li>
                ))}
              </ol>
            </>
          ) : (
            <p data-testid="import-error">
              {outcome.location ? (
                // In words, as the list of several says it (trial18b: a CTF's "ctf-new.xml:12:12: …").
                <>
                  <span title={`${outcome.location.file}:${outcome.location.line}:${outcome.location.column}`}>
                    <code>{outcome.location.file}</code>, {outcome.location.place}:
                  </span>{" "}
                  {outcome.location.reason}
                </>
              ) : (
                <code>{outcome.message}</code>
              )}
            </p>
          )}
          {outcome.errors && outcome.errors.length > 1 ? null : outcome.location && !outcome.location.wrongFile ? (
            <p>
              Correct {outcome.location.place} of {outcome.location.file} and import
              again. Nothing was imported: the register is unchanged.
            </p>
          ) : (
            <p>Nothing was imported: the register is unchanged.</p>
          )}
          {/* How a file was checked when another it depends on was refused (a marks file against the roll as stored). */}
          {outcome.notes?.map((note) => (
            <p key={note} data-testid="import-refused-note">
              {note}
            </p>
          ))}
        </ActionAnswer>
      ) : null}
      {outcome && outcome.ok && !outcome.preview ? (
        <ActionAnswer answer={result} className="notice" role="status" testId="import-done">
          {outcome.nothingChanged ? (
            <>
              <h2>Nothing changed</h2>
              <p data-testid="import-nothing-changed">{outcome.nothingChanged}</p>
            </>
          ) : (
            <h2>Imported</h2>
          )}
          <SummaryTable summaries={outcome.summaries} />
          <ImportsMade summaries={outcome.summaries} />
          {result?.amended ? <p data-testid="import-amended">{result.amended}</p> : null}
        </ActionAnswer>
      ) : null}
      {outcome && outcome.ok && outcome.preview ? (
        <ActionAnswer answer={result} className="notice" role="status" testId="import-preview">
          <h2>Preview: nothing has been imported yet</h2>
          {result?.stale ? (
            <p className="worse" data-testid="preview-stale">
              The files or options changed since the last preview, so nothing was imported: check this preview and import again.
            </p>
          ) : null}
          {outcome.nothingWouldChange ? (
            <p data-testid="preview-nothing-would-change">
              <strong>{outcome.nothingWouldChange}</strong>
            </p>
          ) : (
            <p>
              Every check passed. This is what importing these files will do
              {outcome.summaries.some((s) => (s.notes?.length ?? 0) > 0) ? <strong> (read the notes under each file first)</strong> : null}; press “Import these
              files” below to import them.
            </p>
          )}
          <SummaryTable summaries={outcome.summaries} />
          <PreviewDetails summaries={outcome.summaries} />
        </ActionAnswer>
      ) : null}
      <Form ref={form} method="post" action={stage.action} encType="multipart/form-data" className="panel" onSubmit={checkSize}>
        <CsrfInput />
        <p className="hint" data-testid="upload-limit">
          Up to {limitMb} MB in one import (all files together).
        </p>
        {tooLarge ? (
          <p className="worse" role="alert" data-testid="upload-too-large">
            {tooLarge}
          </p>
        ) : null}
        {errors.files ? <p className="worse">{errors.files}</p> : null}
        {UPLOAD_KINDS.map((kind) => (
          <p key={kind}>
            <label htmlFor={`file-${kind}`}>{LABELS[kind].label} file</label>
            <span className="hint" id={`hint-${kind}`}>
              {LABELS[kind].hint}
            </span>
            <br />
            <input id={`file-${kind}`} type="file" name={kind} accept=".csv,.txt,.tsv,.xlsx,.xml,text/csv,text/plain,text/xml,application/xml,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" aria-describedby={`hint-${kind}`} />
          </p>
        ))}
        <p>
          <label htmlFor="layout">Marks layout</label>
          <span className="hint">Detected from the file; choose one only to insist on it</span>
          <br />
          <select id="layout" name="layout" defaultValue={kept?.layout ?? ""}>
            <option value="">Detect from the file</option>
            {MARKS_LAYOUTS.map((l) => (
              <option key={l} value={l}>
                {LAYOUT_LABELS[l]}
              </option>
            ))}
          </select>
          {errors.layout ? <span className="worse"> {errors.layout}</span> : null}
        </p>
        <p>
          <label htmlFor="sheet">Worksheet (Excel files)</label>
          <span className="hint">The sheet's name as on its tab; leave empty for the first sheet. A workbook with one sheet is read whatever its name</span>
          <br />
          <input id="sheet" name="sheet" defaultValue={kept?.sheet ?? ""} />
        </p>
        <p>
          <label htmlFor="asOf">Characteristics apply from (pupils file)</label>
          <span className="hint">A date, YYYY-MM-DD; left empty, the day of the import</span>
          <br />
          <input id="asOf" name="asOf" placeholder="YYYY-MM-DD" defaultValue={kept?.asOf ?? ""} />
          {errors.asOf ? <span className="worse"> {errors.asOf}</span> : null}
        </p>
        <p>
          <label htmlFor="reason">Reason for changed marks (optional)</label>
          <input id="reason" name="reason" size={60} defaultValue={kept?.reason ?? ""} />
        </p>
        <p className="hint">Files are checked and previewed first; nothing is imported until you confirm the preview.</p>
        <button className="button button--secondary" type="submit" name="intent" value="preview" disabled={navigation.state === "submitting"}>
          {navigation.state === "submitting" ? "Checking…" : "Check and preview"}
        </button>
        {navigation.state === "submitting" ? (
          <p className="hint" role="status" aria-live="polite" data-testid="import-progress">
            {stage.message ? `Now: ${stage.message}…` : "Sending the files…"}
          </p>
        ) : null}
        {outcome && outcome.ok && outcome.preview ? (
          <>
            <input type="hidden" name="fingerprint" value={outcome.fingerprint} />
            {result?.held ? <input type="hidden" name="held" value={result.held} /> : null}{" "}
            <button className="button" type="submit" name="intent" value="import" data-testid="confirm-import" disabled={navigation.state === "submitting"}>
              {outcome.nothingWouldChange ? "Import anyway (nothing will change)" : "Import these files"}
            </button>
            <span className="hint" style={{ display: "block" }} data-testid="confirm-kept">
              This imports the files previewed above, kept for {HOLD_MINUTES} minutes; to import others, choose them and check them again.
            </span>
          </>
        ) : null}
      </Form>
    </>
  );
}

export function ErrorBoundary() {
  return <RouteError title="The import page could not be shown" />;
}
