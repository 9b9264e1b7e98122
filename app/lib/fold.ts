/**
 * The navigation and a page's filters fold away on a phone (a fresh-clone trial at 390 px: the
 * 16 section links wrapped to six rows and the Overview's filters took most of another screen,
 * so every page began a screen down). Each is a native <details> with a <summary> saying what is
 * inside, so it opens and closes with the keyboard, tells a screen reader whether it is
 * expanded, and works without JavaScript. Wider than a phone its summary is hidden and its
 * content always shown (app.css, `.fold` with `::details-content`), so a desktop reads as
 * before. Client-safe.
 */
import { useEffect, type RefObject } from "react";

/** The widest screen that folds (app.css's phone rules: max-width 700px). */
export const FOLD_MAX_WIDTH = 700;

/**
 * Opens `ref`'s <details> on a screen wider than a phone in a browser that cannot show a closed
 * one's content (no `::details-content`, which app.css uses for that), so the links and filters
 * are not hidden behind a summary there. Does nothing where the CSS does it, or without JavaScript.
 */
export function useUnfoldedWhenWide(ref: RefObject<HTMLDetailsElement>): void {
  useEffect(() => {
    if (typeof CSS !== "undefined" && CSS.supports("selector(::details-content)")) return;
    if (ref.current && window.matchMedia(`(min-width: ${FOLD_MAX_WIDTH + 1}px)`).matches) ref.current.open = true;
  }, [ref]);
}
