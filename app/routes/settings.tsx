/**
 * Settings: the school's name and the policy's numbers (target, N-code limit, small-group
 * minimum, escalation thresholds). Each value is checked by saveSettings (analytics/settings.ts), the one place that
 * knows what is valid; a rejected value is shown beside its field and nothing is changed.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { RouteError } from "~/components/RouteError";
import { getSettings, saveSettings, type SettingKey, type Settings } from "~/lib/analytics.server";
import { auditOn } from "~/lib/audit.server";
import { withDb } from "~/lib/db.server";

export const meta: MetaFunction = () => [{ title: "Settings — Rollcall" }];

interface Field {
  key: SettingKey;
  label: string;
  hint: string;
  /** What to say when saveSettings refuses the value. */
  problem: string;
  input: "text" | "number";
  width: string;
}

const FIELDS: Field[] = [
  { key: "school_name", label: "School name", hint: "Shown in the header and on every report pack.", problem: "Enter the school's name (up to 120 characters).", input: "text", width: "30em" },
  {
    key: "target_attendance_pct",
    label: "Attendance target (%)",
    hint: "The whole-school target pages compare against, e.g. 96.1.",
    problem: "Enter a percentage between 50 and 100, e.g. 96.1.",
    input: "number",
    width: "6em",
  },
  {
    key: "n_code_limit_school_days",
    label: "N codes must be resolved within (school days)",
    hint: "An N code (no reason yet) older than this is flagged on Register checks.",
    problem: "Enter a whole number of school days from 1 to 60.",
    input: "number",
    width: "6em",
  },
  {
    key: "small_group_min",
    label: "Smallest group to report (pupils)",
    hint: "Groups with fewer pupils are flagged on screen and suppressed in governors' packs.",
    problem: "Enter a number of pupils from 1 to 50.",
    input: "number",
    width: "6em",
  },
  {
    key: "penalty_sessions",
    label: "Penalty notice considered at (sessions of G, N, O, U)",
    hint: "The national framework's threshold: 10 sessions of unauthorised absence…",
    problem: "Enter a whole number of sessions from 1 to 100.",
    input: "number",
    width: "6em",
  },
  {
    key: "penalty_window_school_weeks",
    label: "…within (school weeks)",
    hint: "…within a rolling 10 school weeks, which may span terms. Shown on Register checks.",
    problem: "Enter a whole number of school weeks from 1 to 39.",
    input: "number",
    width: "6em",
  },
  {
    key: "retention_years",
    label: "Keep register entries for (years)",
    hint: "Both policies keep every register entry three years from the date it was made. `rollcall retention` removes nothing younger.",
    problem: "Enter a whole number of years, at least 3.",
    input: "number",
    width: "6em",
  },
  {
    key: "attendance_thresholds",
    label: "Attendance thresholds (%)",
    hint: "The escalation ladder's bands, separated by commas, e.g. 96, 90, 85, 50.",
    problem: "Enter percentages above 0 and up to 100, separated by commas, e.g. 96, 90, 85, 50.",
    input: "text",
    width: "14em",
  },
];

/** A setting as the form shows it (and as it is stored). */
function asText(settings: Settings, key: SettingKey): string {
  const value = settings[key];
  return Array.isArray(value) ? value.join(", ") : String(value);
}

export async function loader(_args: LoaderFunctionArgs) {
  const settings = await withDb((connection) => getSettings(connection));
  return { values: Object.fromEntries(FIELDS.map((field) => [field.key, asText(settings, field.key)])) as Record<SettingKey, string> };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData();
  const submitted = Object.fromEntries(FIELDS.map((field) => [field.key, String(form.get(field.key) ?? "")])) as Record<SettingKey, string>;
  return withDb(async (connection) => {
    const before = await getSettings(connection);
    const { problems } = await saveSettings(connection, submitted);
    const errors: Partial<Record<SettingKey, string>> = {};
    for (const field of FIELDS) if (problems[field.key]) errors[field.key] = field.problem;
    if (Object.keys(errors).length > 0) return { ok: false as const, errors, values: submitted };
    const after = await getSettings(connection);
    const changes = FIELDS.filter((f) => String(before[f.key]) !== String(after[f.key])).map((f) => `${f.key}: ${String(before[f.key])} → ${String(after[f.key])}`);
    if (changes.length > 0) await auditOn(connection, request, context, { action: "settings_change", target: changes.map((c) => c.split(":")[0]).join(", "), detail: changes.join("; ") });
    return { ok: true as const, errors: {} as Partial<Record<SettingKey, string>>, values: submitted };
  });
}

export default function SettingsPage() {
  const { values } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const errors = result?.errors ?? {};
  const shown = result && !result.ok ? result.values : values;
  const problems = FIELDS.filter((field) => errors[field.key]);
  return (
    <>
      <h1>Settings</h1>
      <p className="lede">The school's policy in numbers. Every page, pack and export uses these.</p>
      {result?.ok ? (
        <div className="notice" role="status" data-testid="settings-saved">
          <p>
            <strong>Settings saved.</strong>
          </p>
        </div>
      ) : null}
      {problems.length > 0 ? (
        <div className="error-summary" role="alert" tabIndex={-1} data-testid="settings-errors">
          <h2>Nothing was saved: there {problems.length === 1 ? "is a problem" : "are problems"}</h2>
          <ul>
            {problems.map((field) => (
              <li key={field.key}>
                <a href={`#setting-${field.key}`}>
                  {field.label}: {errors[field.key]}
                </a>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {/* A key per submission resets the inputs to what was submitted or stored. */}
      <Form method="post" className="settings-form" key={JSON.stringify(shown)} noValidate>
        {FIELDS.map((field) => {
          const error = errors[field.key];
          return (
            <div key={field.key} className={error ? "settings-field settings-field--error" : "settings-field"}>
              <label htmlFor={`setting-${field.key}`}>{field.label}</label>
              <p className="hint" id={`setting-${field.key}-hint`}>
                {field.hint}
              </p>
              {error ? (
                <p className="settings-field__error" id={`setting-${field.key}-error`} data-testid={`error-${field.key}`}>
                  <span className="visually-hidden">Error: </span>
                  {error}
                </p>
              ) : null}
              <input
                id={`setting-${field.key}`}
                name={field.key}
                // Plain text so the browser never silently drops a bad number: the server says what is wrong.
                type="text"
                inputMode={field.input === "number" ? "decimal" : undefined}
                defaultValue={shown[field.key]}
                style={{ width: field.width }}
                aria-describedby={`setting-${field.key}-hint${error ? ` setting-${field.key}-error` : ""}`}
                aria-invalid={error ? true : undefined}
              />
            </div>
          );
        })}
        <button type="submit" className="button" disabled={navigation.state === "submitting"}>
          {navigation.state === "submitting" ? "Saving…" : "Save settings"}
        </button>
      </Form>
    </>
  );
}

export function ErrorBoundary() {
  return <RouteError title="The settings could not be shown" />;
}
