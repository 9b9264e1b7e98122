/**
 * A report pack on screen: the pack's own print-ready HTML document in a frame (so its
 * print styles and charts are exactly what the PDF shows), with the downloads beside it.
 */
import { Form } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
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

/**
 * The pack's document in a frame as tall as the document, so the page scrolls once (a
 * fixed-height frame gave a scrollbar inside the page's own). The height follows the
 * document as it lays out (its charts, the fonts arriving: a ResizeObserver on its body).
 * Without JavaScript the frame keeps its stylesheet height and scrolls within it.
 *
 * `src`: the document's own address (/packs/slt/html?month=…: app/routes/packs.$kind.$format.tsx),
 * loaded by the frame, so the page itself stays small (it carried the document twice before:
 * in the frame and in the page's data). `version`: the state of the register the page was made
 * at (packStateKey); a new one (a commentary saved, an import) makes a new frame, which loads
 * the document again — the address alone does not change.
 *
 * A pack not made yet takes a moment (about 2 s for a month's), so "Preparing the pack…" is
 * shown until the frame has loaded: behind the frame, which is see-through until the document
 * paints its white page over the words — so it shows and goes without JavaScript too — and
 * taken away once the frame's load event has come (the document runs no script of its own).
 */
export function PackFrame(props: { src: string; version: string; title: string }): JSX.Element {
  const ref = useRef<HTMLIFrameElement>(null);
  const [loaded, setLoaded] = useState(false);
  useEffect(() => {
    const frame = ref.current;
    if (!frame) return;
    setLoaded(false);
    let observer: ResizeObserver | undefined;
    const fit = () => {
      const root = frame.contentDocument?.documentElement;
      if (root) frame.style.height = `${Math.ceil(root.scrollHeight)}px`;
    };
    const watch = () => {
      setLoaded(true);
      fit();
      observer?.disconnect();
      const body = frame.contentDocument?.body;
      if (body && typeof ResizeObserver !== "undefined") {
        observer = new ResizeObserver(fit);
        observer.observe(body);
      }
    };
    frame.addEventListener("load", watch);
    // Loaded before the page's script ran (a kept pack, a slow hydration): its load event has gone.
    if (frame.contentDocument?.readyState === "complete" && frame.contentDocument.URL !== "about:blank") watch();
    return () => {
      frame.removeEventListener("load", watch);
      observer?.disconnect();
    };
  }, [props.src, props.version]);
  return (
    <div className="pack-frame-wrap">
      <p className="pack-preparing" role="status" data-testid="pack-preparing" hidden={loaded}>
        Preparing the pack…
      </p>
      <iframe key={`${props.src}#${props.version}`} ref={ref} className="pack-frame" title={props.title} src={props.src} data-testid="pack-frame" aria-busy={!loaded} />
    </div>
  );
}

/** What the pack page could not read in its address, and which pack it shows instead (app/lib/pack-period.server.ts). */
export function PackNotice(props: { notice: string | null | undefined }): JSX.Element | null {
  return props.notice ? (
    <p className="notice" role="status" data-testid="pack-notice">
      {props.notice}
    </p>
  ) : null;
}
