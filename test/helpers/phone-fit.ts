/**
 * Run in a page (or a frame) by `evaluate`, so self-contained: the elements past the viewport's
 * right edge and not inside a box that scrolls sideways or is visually hidden (a 1 px box that
 * clips them: a table head a card layout keeps for screen readers shows nothing), and the
 * captions past either edge (a pack's frame, a pupil's page on a phone).
 */
export function offenders(): { viewport: number; document: number; wide: string[]; captions: string[] } {
  const viewport = document.documentElement.clientWidth;
  const inScrollingBox = (el: Element) => {
    for (let p = el.parentElement; p; p = p.parentElement) {
      const overflow = getComputedStyle(p).overflowX;
      if ((overflow === "auto" || overflow === "scroll") && p.getBoundingClientRect().right <= viewport + 0.5) return true;
      // Visually hidden (a box of 1 px that clips what is in it), not a box cutting text off.
      if ((overflow === "hidden" || overflow === "clip") && p.getBoundingClientRect().width <= 1) return true;
    }
    return false;
  };
  const wide = [...document.body.querySelectorAll("*")].filter((el) => el.getBoundingClientRect().right > viewport + 0.5 && !inScrollingBox(el));
  const captions = [...document.querySelectorAll("caption")].filter((el) => el.getBoundingClientRect().right > viewport + 0.5 || el.getBoundingClientRect().left < -0.5);
  const name = (el: Element) => `${el.tagName.toLowerCase()} "${(el.textContent ?? "").slice(0, 60)}"`;
  return { viewport, document: document.documentElement.scrollWidth, wide: wide.map(name), captions: captions.map(name) };
}
