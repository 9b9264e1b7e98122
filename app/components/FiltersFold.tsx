/**
 * A page's filters, folded on a phone to one line of the view in force (`summary`: "Showing
 * 2026/27 to date · all pupils"), unfolded wider (app/lib/fold.ts, app.css `.fold`). The period
 * picker's and the Casework page's, so both fold alike.
 */
import { useRef, type ReactNode } from "react";
import { useFold } from "~/lib/fold";

export function FiltersFold({ summary, summaryTestId, children }: { summary: ReactNode; summaryTestId: string; children: ReactNode }): JSX.Element {
  const fold = useRef<HTMLDetailsElement>(null);
  useFold(fold);
  return (
    <details className="fold period-picker-fold" ref={fold}>
      <summary className="fold__summary" data-testid={summaryTestId}>
        {summary}
      </summary>
      {children}
    </details>
  );
}
