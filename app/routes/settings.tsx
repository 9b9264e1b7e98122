/**
 * Settings: the school's name, its LA and establishment numbers (the DfE number a CTF must be
 * addressed to), the small-group minimum, when the morning and afternoon registers close, and the attendance policy (preset and
 * every number of it: target, N-code limit, casework thresholds, penalty-notice window, the
 * ladder's periods). Each value is checked by saveSettings (analytics/settings.ts), the one
 * place that knows what is valid; a rejected value is shown beside its field and nothing is
 * changed. Choosing a preset fills in the numbers its policy states and keeps the rest.
 */
import { londonDateTime } from "../../analytics/time.ts";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { RouteError } from "~/components/RouteError";
import { choosePreset, decimalCommaValue, getSettings, saveSettingsBeforeAfter, type SettingKey, type Settings } from "~/lib/analytics.server";
import { POLICY_NUMBER_KEYS, POLICY_NUMBER_RULES, PRESETS, PRESET_IDS, type PolicyNumberKey } from "../../analytics/casework/policy.ts";
import { formalMeetingWords, triggerWords } from "../../analytics/interventions/ladder-policies.ts";
import { policyTitle } from "../../analytics/casework/policy-title.ts";
import { auditOn } from "~/lib/audit.server";
import { oneWriteAtATime, withDb } from "~/lib/db.server";
import { requireRole } from "~/lib/auth.server";
import { ActionAnswer } from "~/components/ActionAnswer";
import { CsrfInput } from "~/components/CsrfInput";
import { formatDate } from "~/lib/format";
import { roleLabel } from "~/lib/permissions";
import { settingsSavedWords, type SettingChange } from "~/lib/settings-saved";

export const meta: MetaFunction = () => [{ title: "Settings — Rollcall" }];

interface Field {
  key: Exclude<SettingKey, "policy_preset">;
  label: string;
  hint: string;
  /** What to say when saveSettings refuses the value. */
  problem: string;
  input: "text" | "number";
  width: string;
}

const HINTS: Partial<Record<PolicyNumberKey, string>> = {
  target_attendance_pct: "The whole-school target pages compare against, e.g. 96.1.",
  n_code_limit_school_days: "An N code (no reason yet) older than this is flagged on Register checks and Casework.",
  letter_threshold_pct: "Casework lists pupils below this (and the ladder's first letter).",
  monitoring_threshold_pct: "Below this, the monitoring letter and two weeks' monitoring.",
  formal_meeting_threshold_pct: "Below this, a formal meeting with the parents.",
  penalty_sessions: "The national framework's threshold: 10 sessions of unauthorised absence…",
  penalty_window_school_weeks: "…within a rolling 10 school weeks, which may span terms. Shown on Register checks and Casework.",
  retention_years: "Register entries older than this may be removed with the command rollcall retention, which removes nothing younger. At least 3.",
};

const numberProblem = (key: PolicyNumberKey): string => {
  const rule = POLICY_NUMBER_RULES[key];
  if (key === "target_attendance_pct") return "Enter a percentage between 50 and 100, e.g. 96.1.";
  return `Enter ${rule.integer ? "a whole number" : "a number"} between ${rule.min} and ${rule.max}.`;
};

const FIELDS: Field[] = [
  { key: "school_name", label: "School name", hint: "Shown in the header and on every report pack.", problem: "Enter the school's name (up to 120 characters).", input: "text", width: "30em" },
  {
    key: "la_number",
    label: "LA number",
    hint: "The first three digits of the school's DfE number (LA number × 10000 + establishment number, e.g. 820 for 8202000). A Common Transfer File addressed to another school is refused.",
    problem: "Enter the three-digit LA number, e.g. 820, or leave both numbers blank.",
    input: "number",
    width: "5em",
  },
  {
    key: "estab_number",
    label: "Establishment number",
    hint: "The last four digits of the DfE number, e.g. 2000 for 8202000.",
    problem: "Enter the four-digit establishment number, e.g. 2000, or leave both numbers blank.",
    input: "number",
    width: "5em",
  },
  {
    key: "small_group_min",
    label: "Smallest group to report (pupils)",
    hint: "Groups with fewer pupils are flagged on screen, and their figures withheld from governors. At least 3: a group of 1 or 2 would show a governor a single pupil's figures.",
    problem: "Enter a number of pupils from 3 to 50 (a group of 1 or 2 would show a governor a single pupil's figures).",
    input: "number",
    width: "6em",
  },
  {
    key: "am_register_closes",
    label: "Morning register closes",
    hint: "24-hour time, e.g. 09:30. Until then an empty morning register is not a gap: Register checks and a pupil's calendar and chart count it from this time. Default 09:30 (Ludlow's policy closes it at 9:30am, Littledean's at 9:10am).",
    problem: "Enter a time of day as HH:MM, e.g. 09:30, before the afternoon's.",
    input: "text",
    width: "5em",
  },
  {
    key: "pm_register_closes",
    label: "Afternoon register closes",
    hint: "24-hour time, e.g. 13:35, after the morning's. Until then an empty afternoon register is not a gap. Default 13:35 (the last afternoon register Ludlow's policy names).",
    problem: "Enter a time of day as HH:MM, e.g. 13:35, after the morning's.",
    input: "text",
    width: "5em",
  },
  ...POLICY_NUMBER_KEYS.map((key) => ({
    key,
    label: POLICY_NUMBER_RULES[key].label,
    hint: HINTS[key] ?? "",
    problem: numberProblem(key),
    input: "number" as const,
    width: "6em",
  })),
];

/** A field's stored value: the policy's numbers live in settings.policy, the DfE number's parts in school_number (blank when not set), the rest at the top. */
function fieldValue(settings: Settings, key: Field["key"]): string {
  if (key === "la_number") return settings.school_number?.la ?? "";
  if (key === "estab_number") return settings.school_number?.estab ?? "";
  if (key === "am_register_closes") return settings.register_closes.AM;
  if (key === "pm_register_closes") return settings.register_closes.PM;
  return String(key in settings.policy ? settings.policy[key as PolicyNumberKey] : settings[key as "school_name" | "small_group_min"]);
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireRole(request, "change_settings", { context });
  const settings = await withDb((connection) => getSettings(connection));
  const values = Object.fromEntries(FIELDS.map((field) => [field.key, fieldValue(settings, field.key)])) as Record<Field["key"], string>;
  return {
    values,
    preset: settings.policy.preset,
    // "Ludlow Junior School", or while no policy has been chosen, "… (the default preset — not yet chosen in Settings)".
    presetTitle: policyTitle(settings.policy, { the: false, noun: "" }),
    policyNamed: policyTitle(settings.policy),
    presets: PRESET_IDS.map((id) => ({ id, name: PRESETS[id].name, summary: PRESETS[id].summary, sources: PRESETS[id].sources })),
    // The ladder in force (the one the pupil page and casework lists work), the school's numbers filled in.
    ladder: settings.policy.ladder.steps.map((step) => ({
      id: step.id,
      label: step.label,
      intervention: step.types.map((type) => settings.policy.ladder.typeLabels[type]).join("”, “"),
      source: step.source,
      trigger: triggerWords(step, settings.policy, settings.policy.ladder.improvedLine),
    })),
    // Ludlow §4's formal meeting below the formal-meeting threshold, due beside the ladder's steps.
    formalMeeting: formalMeetingWords(settings.policy.ladder),
    lastChange: settings.last_change,
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireRole(request, "change_settings", { context });
  // Settings history records the signed-in user, never a name typed into the form.
  const actor = { name: user.name, role: user.role };
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "save");
  return withDb(async (connection) => {
    if (intent === "preset") {
      const preset = String(form.get("policy_preset") ?? "");
      // What it replaces read in the save's own write turn, so two saves at once each say their own change.
      const { before, after, problems } = await oneWriteAtATime(connection, async () => {
        const before = await getSettings(connection);
        const { problems } = await choosePreset(connection, preset, actor);
        return { before, after: await getSettings(connection), problems };
      });
      if (Object.keys(problems).length > 0) {
        return { ok: false as const, intent, errors: {} as Partial<Record<Field["key"], string>>, presetError: Object.values(problems).join("; "), values: null, said: null };
      }
      // Choosing the default preset is a choice too: the school had not made one.
      if (before.policy.preset !== preset || !before.policy.preset_chosen) {
        const was = before.policy.preset_chosen ? before.policy.preset : `${before.policy.preset} (default, not chosen)`;
        await auditOn(connection, request, context, { action: "settings_change", target: "policy_preset", detail: `policy_preset: ${was} → ${preset}` });
      }
      const said = settingsSavedWords(fieldChanges(before, after), { name: PRESETS[after.policy.preset].name, was: before.policy.preset_chosen ? PRESETS[before.policy.preset].name : null });
      return { ok: true as const, intent, errors: {} as Partial<Record<Field["key"], string>>, presetError: null, values: null, said };
    }
    const submitted = Object.fromEntries(FIELDS.map((field) => [field.key, String(form.get(field.key) ?? "")])) as Record<Field["key"], string>;
    // Before and after read in the save's own write turn: two saves at once had each recorded
    // "83 → …" in the audit trail from the same old value.
    const { before, after, problems } = await saveSettingsBeforeAfter(connection, submitted, actor);
    const errors: Partial<Record<Field["key"], string>> = {};
    for (const field of FIELDS) {
      const problem = problems[field.key];
      if (!problem) continue;
      // A problem of the combination (thresholds must descend) is shown as the analytics says it.
      errors[field.key] = settingProblemIsCombination(problem) ? capitalise(problem) + "." : (decimalCommaProblem(field, submitted[field.key]) ?? field.problem);
    }
    if (Object.keys(errors).length > 0) return { ok: false as const, intent, errors, presetError: null, values: submitted, said: null };
    const changed = fieldChanges(before, after);
    const changes = changed.map((c) => `${c.key}: ${c.was || "not set"} → ${c.now || "not set"}`);
    if (changes.length > 0) {
      await auditOn(connection, request, context, { action: "settings_change", target: changed.map((c) => c.key).join(", "), detail: changes.join("; ") });
    }
    return { ok: true as const, intent, errors: {} as Partial<Record<Field["key"], string>>, presetError: null, values: null, said: settingsSavedWords(changed) };
  });
}

/** The page's settings whose values differ between `before` and `after`, in the page's order. */
function fieldChanges(before: Settings, after: Settings): SettingChange[] {
  return FIELDS.filter((f) => fieldValue(before, f.key) !== fieldValue(after, f.key)).map((f) => ({ key: f.key, label: f.label, was: fieldValue(before, f.key), now: fieldValue(after, f.key) }));
}

const settingProblemIsCombination = (problem: string) => problem.startsWith("the ");

/**
 * A number written with a decimal comma ("96,5"), as many keyboards and spreadsheets write it:
 * said as such, with the value as it would be read with a point (trial 54: it was told only
 * "Enter a percentage between 50 and 100, e.g. 96.1."). Null for any other value.
 */
function decimalCommaProblem(field: Field, value: string): string | null {
  const point = decimalCommaValue(field.key, value);
  return point ? `Write the decimal with a point, not a comma: ${point}, not ${value.trim()}. ${field.problem}` : null;
}
const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

export default function SettingsPage() {
  const { values, preset, presetTitle, policyNamed, presets, ladder, formalMeeting, lastChange } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const errors = result?.errors ?? {};
  const shown = result && !result.ok && result.values ? result.values : values;
  const problems = FIELDS.filter((field) => errors[field.key]);
  const current = presets.find((p) => p.id === preset);
  return (
    <>
      <h1>Settings</h1>
      <p className="lede">The school's attendance policy in numbers. Every page, pack, export and the casework lists use these.</p>
      <p className="hint" data-testid="settings-last-change">
        {lastChange ? `Last changed by ${lastChange.by} (${roleLabel(lastChange.role)}) on ${londonDateTime(lastChange.at)}.` : `Not changed since the database was created: the numbers of ${policyNamed}.`}
      </p>
      {result?.ok ? (
        <ActionAnswer answer={result} className="notice" role="status" testId="settings-saved">
          <p>
            <strong>{result.said}</strong>
          </p>
        </ActionAnswer>
      ) : null}
      {result?.presetError ? (
        <ActionAnswer answer={result} className="error-summary" role="alert" testId="preset-error">
          <h2>Nothing was saved</h2>
          <p>{result.presetError}</p>
        </ActionAnswer>
      ) : null}
      {problems.length > 0 ? (
        <ActionAnswer answer={result} className="error-summary" role="alert" testId="settings-errors">
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
        </ActionAnswer>
      ) : null}

      <h2>Policy</h2>
      <Form method="post" className="settings-form" data-testid="preset-form">
        <CsrfInput />
        <input type="hidden" name="intent" value="preset" />
        <div className="settings-field">
          <label htmlFor="policy-preset">Attendance policy</label>
          <p className="hint" id="policy-preset-hint">
            Choosing a policy fills in every number it states; numbers it does not state keep their current value. Now: <strong data-testid="current-preset">{presetTitle}</strong>.
          </p>
          <select id="policy-preset" name="policy_preset" defaultValue={preset} aria-describedby="policy-preset-hint">
            {presets.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>{" "}
          <button type="submit" className="button button--secondary" data-testid="choose-preset" disabled={navigation.state === "submitting"}>
            Use this policy
          </button>
        </div>
        {current ? <p className="hint">{current.summary}</p> : null}
      </Form>

      <h3>The escalation ladder ({presetTitle})</h3>
      <ol data-testid="ladder-steps">
        {ladder.map((step) => (
          <li key={step.id}>
            <strong>{step.label}</strong> — due {step.trigger}; recorded as “{step.intervention}”. <span className="hint">({step.source})</span>
          </li>
        ))}
      </ol>
      {formalMeeting ? (
        <p data-testid="ladder-formal-meeting">
          Beside the ladder: {formalMeeting}.
        </p>
      ) : null}

      <h2>Numbers</h2>
      {/* A key per submission resets the inputs to what was submitted or stored. */}
      <Form method="post" className="settings-form" key={JSON.stringify(shown)} noValidate data-testid="settings-form">
        <CsrfInput />
        <input type="hidden" name="intent" value="save" />
        {FIELDS.map((field) => {
          const error = errors[field.key];
          const source = current?.sources[field.key as PolicyNumberKey];
          return (
            <div key={field.key} className={error ? "settings-field settings-field--error" : "settings-field"}>
              <label htmlFor={`setting-${field.key}`}>{field.label}</label>
              <p className="hint" id={`setting-${field.key}-hint`}>
                {field.hint}
                {source ? (
                  <>
                    {field.hint ? " " : ""}
                    <em>{source}</em>
                  </>
                ) : null}
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
        <button type="submit" className="button" data-testid="save-settings" disabled={navigation.state === "submitting"}>
          {navigation.state === "submitting" ? "Saving…" : "Save settings"}
        </button>
      </Form>
    </>
  );
}

export function ErrorBoundary() {
  return <RouteError title="The settings could not be shown" />;
}
