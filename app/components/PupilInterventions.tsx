/**
 * The pupil page's interventions: where the pupil stands on the school's ladder, every
 * intervention recorded (corrections kept beside what they correct), the attendance in the
 * 4 school weeks before and after each, and the form to record one.
 */
import { londonDateTime } from "../../analytics/time.ts";
import { Form, useNavigation } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { MAX_NOTE_LENGTH, type InterventionType } from "../../analytics/interventions/types.ts";
// A type only (erased from the browser bundle): the store itself is server-only.
import type { InterventionEntry } from "../../analytics/interventions/store.ts";
import { interventionStatus } from "../../analytics/interventions/status-words.ts";
import { EFFECT_WINDOWS_NOTE } from "../../analytics/interventions/effect-columns.ts";
import { formatDate, formatPct, formatPoints } from "~/lib/format";
import { dueByWords, shownLateWords } from "../../analytics/due-words.ts";
import { ActionAnswer } from "./ActionAnswer";
import { CsrfInput } from "~/components/CsrfInput";
import { roleLabel } from "~/lib/permissions";
// A type only (erased from the browser bundle).
import type { ShownLate } from "../../analytics/interventions/ladder.ts";

/** An entry as the pupil page's loader sends it: the store's entry (one definition) without the UPN, its type as sent. */
export type InterventionRow = Omit<InterventionEntry, "upn" | "type"> & { type: string };

export interface EffectRow {
  id: number;
  before_pct: number | null;
  after_pct: number | null;
  change_points: number | null;
  pending: string | null;
  /** The windows' dates in words (analytics/interventions/effect.ts effectWindowWords), for the figures' hover. */
  windows: string;
  /** An earlier action in the before window, in words (analytics/interventions/effect.ts earlierActionWords), or null. */
  earlier: string | null;
}

export interface StandingView {
  policy: string;
  stage: { label: string; date: string } | null;
  improved_after: string | null;
  /** `shown_late`: due from the day the register first showed its rule met, after a mark amended later (ladder.ts ShownLate). */
  /** `type`: the intervention type that records the step (its first: RecordAs). */
  next: { type: InterventionType; label: string; due_from: string; due_by: string | null; late: boolean; conditional: boolean; shown_late?: ShownLate } | null;
  /** Every other step or action due, after the next (nextStepOf's `also`). */
  also: Array<{ type: InterventionType; label: string; due_by: string | null; late: boolean }>;
  /** With a stage and nothing due or pending: the next action the policy gives (analytics/interventions/ladder.ts). */
  next_action: string | null;
  /** The policy's dated action when it is the next step (nextStepOf: a penalty notice to consider, the congratulations letter). */
  action_due: { type: InterventionType; label: string; due_from: string; due_by: string | null; late: boolean; shown_late?: ShownLate } | null;
  /** After a monitoring period that improved: when the ladder next reviews (the running period's end). */
  review_by: string | null;
  /** Why due dates fall when they do, in words: the ladder's grace and where it comes from. */
  dueRule: string;
}

export interface InterventionFormResult {
  ok: boolean;
  message: string;
  field?: string;
}


export function PupilInterventions(props: {
  name: string;
  today: string;
  /**
   * The pupil's time on roll (admission, leaving date or null): the date field offers only
   * those days, as the server checks (analytics/interventions/store.ts enrolmentProblem).
   */
  admitted: string;
  left: string | null;
  entries: InterventionRow[];
  effects: EffectRow[];
  standing: StandingView | null;
  result: InterventionFormResult | undefined;
  canRecord: boolean;
  /** Each type's words with the school's thresholds (interventionLabels, from the loader). */
  labels: Record<InterventionType, string>;
  /** The types offered to record, in the closed list's order (ladder-policies typesOffered). */
  types: InterventionType[];
  /** The types that record each step, by the type a due step is named by (ladder-policies typesRecording). */
  recordedBy: Partial<Record<InterventionType, InterventionType[]>>;
}) {
  // From the click until the page has its new figures: the action saves ("submitting"), then
  // the page's loader runs again ("loading", the form's data still set) — the ladder and this
  // list change only then, so the form says it is still working the whole time.
  const navigation = useNavigation();
  const recording = navigation.state !== "idle" && navigation.formData?.get("intent") === "record-intervention";
  const pending = recording ? (navigation.state === "submitting" ? "Saving the intervention…" : "Saved; updating the ladder and the list…") : null;
  // After "Recorded as entry 223." the form starts afresh (the confirmation stays): left holding
  // the type, date and note, one more press recorded the same intervention again (fresh-clone
  // trial 49). A refusal keeps what was typed, to be put right. Without scripts the page the
  // action returns is already a fresh form.
  const form = useRef<HTMLFormElement>(null);
  const result = props.result;
  useEffect(() => {
    if (result?.ok) form.current?.reset();
  }, [result]);
  const effectOf = new Map(props.effects.map((e) => [e.id, e]));
  const inForce = props.entries.filter((e) => e.in_force);
  const standing = props.standing;
  const alsoDue = standing ? standing.also : [];
  // The form's words for each type that records a step (a step several answer names them all).
  const recordLabels = (type: InterventionType) => (props.recordedBy[type] ?? [type]).map((t) => props.labels[t]);
  return (
    <section aria-labelledby="interventions-heading" data-testid="pupil-interventions">
      <h2 id="interventions-heading">Interventions and the escalation ladder</h2>
      {props.standing ? (
        <div className="panel" data-testid="ladder-standing">
          <p>
            <strong>Stage:</strong>{" "}
            {props.standing.stage ? `${props.standing.stage.label}, ${formatDate(props.standing.stage.date)}` : "No step of the ladder recorded this academic year"}
            {props.standing.improved_after ? ` — attendance improved over the monitoring period to ${formatDate(props.standing.improved_after)}` : ""}
          </p>
          <p data-testid="ladder-next">
            <strong>Next step:</strong>{" "}
            {props.standing.next ? (
              props.standing.next.conditional ? (
                <>
                  {props.standing.next.label} if attendance has not improved by {formatDate(props.standing.next.due_from)}: due by{" "}
                  {dueByWords(props.standing.next.due_by, formatDate)}
                  {props.canRecord ? "." : ""}
                  <RecordAs shown={props.canRecord} labels={recordLabels(props.standing.next.type)} />
                </>
              ) : (
                <>
                  {props.standing.next.label}, due by {dueByWords(props.standing.next.due_by, formatDate)}{" "}
                  {props.standing.next.late ? (
                    <span className="tag tag--red">Late as of {formatDate(props.today)}</span>
                  ) : (
                    <span className="tag tag--orange">Due as of {formatDate(props.today)}</span>
                  )}
                  {props.standing.next.shown_late ? <span className="hint" data-testid="ladder-shown-late"> {shownLateWords(props.standing.next, formatDate, props.today)}</span> : null}
                  <RecordAs shown={props.canRecord} labels={recordLabels(props.standing.next.type)} />
                </>
              )
            ) : props.standing.action_due ? (
              <>
                {props.standing.action_due.label}, due by {dueByWords(props.standing.action_due.due_by, formatDate)}{" "}
                {props.standing.action_due.late ? (
                  <span className="tag tag--red">Late as of {formatDate(props.today)}</span>
                ) : (
                  <span className="tag tag--orange">Due as of {formatDate(props.today)}</span>
                )}
                {props.standing.action_due.shown_late ? <span className="hint" data-testid="ladder-shown-late"> {shownLateWords(props.standing.action_due, formatDate, props.today)}</span> : null}
                <RecordAs shown={props.canRecord} labels={recordLabels(props.standing.action_due.type)} />
                {props.standing.next_action && props.standing.next_action !== props.standing.action_due.label ? <span className="hint"> {props.standing.next_action}.</span> : null}
              </>
            ) : (
              (props.standing.next_action ?? "None due")
            )}
          </p>
          {props.standing.improved_after ? (
            <p data-testid="ladder-review">
              <strong>Next review:</strong>{" "}
              {props.standing.review_by
                ? `${formatDate(props.standing.review_by)}, the end of the monitoring period now running: the ladder judges then whether attendance improved again`
                : "no date — the school calendar does not reach the end of the monitoring period now running"}
            </p>
          ) : null}
          {/* Every other step due, and the dated action beside a pending step (a penalty notice is due whatever the ladder has pending). */}
          {alsoDue.length > 0 ? (
            <p className="hint" data-testid="ladder-also-due">
              Also due: {alsoDue.map((d) => `${d.label} (by ${dueByWords(d.due_by, formatDate)}${d.late ? ", late" : ""}${props.canRecord ? `; record it as ${quotedOr(recordLabels(d.type))}` : ""})`).join("; ")}.
            </p>
          ) : null}
          <p className="hint">
            Ladder: {props.standing.policy}. {props.standing.dueRule}
          </p>
        </div>
      ) : null}
      {props.entries.length === 0 ? (
        <p data-testid="no-interventions">No intervention has been recorded for {props.name}.</p>
      ) : (
        // A card per entry on a phone (app.css data--cards), each cell after its heading.
        <table className="data data--cards" data-testid="intervention-list">
          <caption className="visually-hidden">Interventions recorded, newest first, with attendance in the 4 school weeks before and after</caption>
          <thead>
            <tr>
              <th scope="col">Entry</th>
              <th scope="col">Date</th>
              <th scope="col">Intervention</th>
              <th scope="col">Note</th>
              <th scope="col">Recorded by</th>
              <th scope="col">Status</th>
              <th scope="col" className="num">4 weeks before</th>
              <th scope="col" className="num">4 weeks after</th>
              <th scope="col" className="num">Change</th>
            </tr>
          </thead>
          <tbody>
            {props.entries.map((entry) => {
              const effect = effectOf.get(entry.id);
              return (
                <tr key={entry.id} className={entry.in_force ? undefined : "superseded"}>
                  <td data-label="Entry">{entry.id}</td>
                  <td data-label="Date">{formatDate(entry.date)}</td>
                  <td data-label="Intervention">{entry.withdrawn ? "—" : entry.label}</td>
                  <td data-label="Note">{entry.note}</td>
                  <td data-label="Recorded by">
                    {entry.recorded_by} ({roleLabel(entry.recorded_by_role)}), {londonDateTime(entry.recorded_at)}
                  </td>
                  <td data-label="Status">{interventionStatus(entry)}</td>
                  <td className="num" title={effect?.windows} data-label="4 weeks before">
                    {effect ? formatPct(effect.before_pct) : ""}
                    {effect?.earlier ? <span className="hint"> ({effect.earlier})</span> : null}
                  </td>
                  <td className="num" title={effect?.windows} data-label="4 weeks after">{effect ? (effect.pending && effect.after_pct === null ? <span className="hint">{effect.pending}</span> : formatPct(effect.after_pct)) : ""}</td>
                  <td className="num" data-label="Change">{effect ? formatPoints(effect.change_points) : ""}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {props.entries.length > 0 ? (
        <p className="hint" data-testid="intervention-windows">
          {EFFECT_WINDOWS_NOTE} Hover a figure for its dates.
        </p>
      ) : null}
      {props.canRecord ? (
        <Form ref={form} method="post" className="commentary-form no-print" data-testid="intervention-form">
          <CsrfInput />
          <fieldset>
            <legend>Record an intervention</legend>
            {pending ? (
              <p className="notice" role="status" data-testid="intervention-pending">
                {pending}
              </p>
            ) : props.result ? (
              <ActionAnswer as="p" answer={props.result} className={props.result.ok ? "notice" : "notice notice--warning"} role={props.result.ok ? "status" : "alert"} testId="intervention-result">
                {props.result.message}
              </ActionAnswer>
            ) : null}
            <div className="who">
              <div className="field">
                <label htmlFor="intervention-type">Intervention</label>
                {/* No type chosen until one is: a fresh form sent by a stray press recorded a
                    "Conversation" with no note (trial 49b); the browser now asks for a choice,
                    with or without JavaScript. */}
                <select id="intervention-type" name="type" defaultValue="" required>
                  <option value="" disabled>
                    Choose what was done
                  </option>
                  {props.types.map((type) => (
                    <option key={type} value={type}>
                      {props.labels[type]}
                    </option>
                  ))}
                </select>
              </div>
              <div className="field">
                <label htmlFor="intervention-date">Date</label>
                <input
                  id="intervention-date"
                  name="date"
                  type="date"
                  defaultValue={props.left && props.left < props.today ? props.left : props.today}
                  min={props.admitted}
                  max={props.left && props.left < props.today ? props.left : props.today}
                  required
                />
                <div className="hint">On roll from {formatDate(props.admitted)}{props.left ? ` to ${formatDate(props.left)}` : ""}.</div>
              </div>
              <div className="field">
                <label htmlFor="intervention-corrects">Corrects</label>
                <select id="intervention-corrects" name="corrects" defaultValue="">
                  <option value="">Nothing: a new entry</option>
                  {inForce.map((entry) => (
                    <option key={entry.id} value={entry.id}>
                      Entry {entry.id}: {entry.label}, {formatDate(entry.date)}
                    </option>
                  ))}
                </select>
              </div>
            </div>
            <div className="field">
              <label htmlFor="intervention-note">Note</label>
              <textarea id="intervention-note" name="note" rows={3} maxLength={MAX_NOTE_LENGTH} />
            </div>
            <div className="field">
              <label>
                <input type="checkbox" name="withdraw" value="yes" /> The corrected entry was recorded in error (withdraw it; say why in the note)
              </label>
            </div>
            <button type="submit" className="button" name="intent" value="record-intervention" disabled={recording}>
              {navigation.state === "submitting" && recording ? "Saving…" : recording ? "Updating…" : "Record intervention"}
            </button>
          </fieldset>
        </Form>
      ) : null}
    </section>
  );
}

/**
 * Which of the form's intervention types records the step as done: the ladder names a step in
 * its policy's words ("Monitoring letter and contact: below 90%") and the form lists types in
 * its own ("Letter: attendance below 90%"), and a trial's attendance lead had to guess which
 * moves the ladder (trial 53). `labels`: the words of every type that records the step
 * (typesRecording). Not shown to a reader without the form.
 */
function RecordAs(props: { labels: string[]; /** Whether the reader has the form to record it with (canRecord). */ shown: boolean }) {
  if (props.labels.length === 0 || !props.shown) return null;
  return <span className="hint" data-testid="ladder-record-as"> Record it below as {quotedOr(props.labels)}.</span>;
}

/** “A”, “A” or “B”, “A”, “B” or “C”. */
function quotedOr(labels: string[]): string {
  const quoted = labels.map((l) => `“${l}”`);
  return quoted.length < 2 ? quoted.join("") : `${quoted.slice(0, -1).join(", ")} or ${quoted[quoted.length - 1]}`;
}
