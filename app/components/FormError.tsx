import { ActionAnswer } from "./ActionAnswer";

/**
 * A form's refusal, said once above the form and announced to screen readers; nothing when there
 * is none. Brought into view and focused when the action answers (`answer`: the action's data,
 * new each time), so a refusal of a press lower down the page is not said off screen.
 */
export function FormError({ error, answer }: { error?: string | null; answer?: unknown }) {
  return error ? (
    <ActionAnswer answer={answer ?? error} className="error-summary" role="alert">
      <p>{error}</p>
    </ActionAnswer>
  ) : null;
}
