/**
 * A report pack on screen: the pack's own print-ready HTML document in a frame (so its
 * print styles and charts are exactly what the PDF shows), with the downloads beside it.
 */
import { Form } from "@remix-run/react";
import type { PackPeriodOption } from "../../analytics/packs/periods.ts";

export interface PackDownload {
  href: string;
  label: string;
}

/** GET form choosing the month or term; works without JavaScript. */
export function PackPeriodForm(props: { name: "month" | "term"; label: string; options: PackPeriodOption[]; value: string }): JSX.Element {
  return (
    <Form method="get" className="filters" aria-label={`Choose the ${props.name}`}>
      <div className="field">
        <label htmlFor={`pack-${props.name}`}>{props.label}</label>
        <select id={`pack-${props.name}`} name={props.name} defaultValue={props.value}>
          {props.options.map((option) => (
            <option key={option.key} value={option.key}>
              {option.label}
            </option>
          ))}
        </select>
      </div>
      <button type="submit" className="button button--secondary">
        Show pack
      </button>
    </Form>
  );
}

export function PackDownloads(props: { downloads: PackDownload[] }): JSX.Element {
  return (
    <p className="pack-downloads">
      {props.downloads.map((download) => (
        <a key={download.href} className="button" href={download.href} download>
          {download.label}
        </a>
      ))}
    </p>
  );
}

export function PackFrame(props: { html: string; title: string }): JSX.Element {
  return <iframe className="pack-frame" title={props.title} srcDoc={props.html} data-testid="pack-frame" />;
}
