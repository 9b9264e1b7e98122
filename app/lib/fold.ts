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
 * A fold's behaviour beyond the native <details>, for `ref`'s element (nothing of it without
 * JavaScript, where the fold still opens and closes by its summary):
 *
 * - On a screen wider than a phone in a browser that cannot show a closed one's content (no
 *   `::details-content`, which app.css uses for that), it is opened, so the links and filters
 *   are not hidden behind a summary there.
 * - On a phone, Escape pressed within the open fold closes it and returns the focus to its
 *   summary, as a menu closes (fresh-clone trial 50: only the summary closed it, so a keyboard
 *   user tabbed back through every link). An Escape something inside already answered (a
 *   select's list) is left alone; wider, where the fold shows as a row, Escape does nothing.
 */
export function useFold(ref: RefObject<HTMLDetailsElement>): void {
  useEffect(() => {
    const fold = ref.current;
    if (!fold) return;
    const wide = () => window.matchMedia(`(min-width: ${FOLD_MAX_WIDTH + 1}px)`).matches;
    if (!(typeof CSS !== "undefined" && CSS.supports("selector(::details-content)")) && wide()) fold.open = true;
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== "Escape" || event.defaultPrevented || !fold.open || wide()) return;
      fold.open = false;
      fold.querySelector<HTMLElement>(":scope > summary")?.focus();
      event.preventDefault();
    };
    fold.addEventListener("keydown", onKeyDown);
    return () => fold.removeEventListener("keydown", onKeyDown);
  }, [ref]);
}
