/** A form's refusal, said once above the form and announced to screen readers; nothing when there is none. */
export function FormError({ error }: { error?: string | null }) {
  return error ? (
    <div className="error-summary" role="alert">
      <p>{error}</p>
    </div>
  ) : null;
}
