/**
 * The dashboard's empty state: a school's first import, step by step. Calendar first (school
 * days and weeks come from it, and marks are checked against it), then pupils (marks are
 * checked against the roll), then marks.
 */
import { Link } from "@remix-run/react";

export interface FirstImportProps {
  setup: { halfTerms: number; pupils: number; marks: number; nextStep: "calendar" | "pupils" | "marks" | null };
  schoolName: string;
}

const STEPS = [
  {
    key: "calendar",
    title: "The school calendar",
    what: "Half terms and closures (INSET days, bank holidays) for each academic year: kind,name,start_date,end_date.",
    why: "School days, school weeks and register gaps all come from it, and every mark is checked against it.",
  },
  {
    key: "pupils",
    title: "The pupils",
    what: "One row per pupil from your MIS: UPN, names, date of birth, year group, class, admission and leaving dates, SEN, FSM, EAL, LAC, ethnicity.",
    why: "Marks are checked against each pupil's time on roll, and every breakdown uses their characteristics.",
  },
  {
    key: "marks",
    title: "The register marks",
    what: "One DfE code per pupil per AM/PM session, exported from your MIS.",
    why: "Every figure on every page is computed from them.",
  },
] as const;

export function FirstImport(props: FirstImportProps): JSX.Element {
  const { setup } = props;
  const done = (key: string) =>
    key === "calendar" ? setup.halfTerms > 0 : key === "pupils" ? setup.pupils > 0 : setup.marks > 0;
  return (
    <section className="panel first-import" data-testid="first-import" aria-labelledby="first-import-heading">
      <h2 id="first-import-heading">Set up {props.schoolName}: your first import</h2>
      <p>
        There is nothing to show yet. Import three files from your MIS, in this order; each is checked before anything is
        stored, and you see what an import would change before you confirm it.
      </p>
      <ol className="steps">
        {STEPS.map((step) => {
          const isDone = done(step.key);
          const isNext = setup.nextStep === step.key;
          return (
            <li key={step.key} data-step={step.key} data-state={isDone ? "done" : isNext ? "next" : "later"}>
              <strong>{step.title}</strong> {isDone ? <span className="tag">Done</span> : null}
              <br />
              {step.what} <span className="hint">{step.why}</span>
              {isNext ? (
                <p>
                  <Link className="button" to={`/import?step=${step.key}`}>
                    Import the {step.key === "marks" ? "register marks" : step.key}
                  </Link>
                </p>
              ) : null}
            </li>
          );
        })}
      </ol>
      <p className="hint">
        Or from the command line: <code>npx rollcall import --calendar FILE</code>, then <code>--pupils FILE</code>, then{" "}
        <code>--marks FILE</code> (add <code>--dry-run</code> to see what would change first).
      </p>
    </section>
  );
}
