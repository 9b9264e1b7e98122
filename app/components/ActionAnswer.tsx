import { useEffect, useRef, type ReactNode } from "react";

/**
 * An action's answer ("Saved: …", "Nothing was saved: …", "Imported") where a form's page says
 * it: brought into view and given focus when it appears or the action answers again, so the
 * answer to a press at the bottom of a long page is not said off screen at its top (trial 50b:
 * a refused setting looked saved). Focus also has a screen reader read it. `answer` is the
 * action's data (a new object each time it answers); `role` is "status" for a success, "alert"
 * for a refusal. Without JavaScript the page the action returns starts at its top.
 */
export function ActionAnswer({
  answer,
  role,
  className,
  testId,
  as: Tag = "div",
  children,
}: {
  answer: unknown;
  role: "status" | "alert";
  className: string;
  testId?: string;
  as?: "div" | "p";
  children: ReactNode;
}) {
  const ref = useRef<HTMLDivElement & HTMLParagraphElement>(null);
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    element.focus({ preventScroll: true });
    element.scrollIntoView({ block: "nearest" });
  }, [answer]);
  return (
    <Tag ref={ref} className={className} role={role} tabIndex={-1} data-testid={testId}>
      {children}
    </Tag>
  );
}
