/**
 * Whether an element is on screen or within 300 px of it. Cards fetch their data only then, and
 * live updates refetch only the cards on screen, so a dashboard of hundreds of cards costs what
 * its visible few cost. With `once`, the answer stays true after the first sighting (a card that
 * has loaded keeps its data when scrolled away).
 */
import { useEffect, useState } from "preact/hooks";

export function useOnScreen(ref: { current: HTMLElement | null }, { once = false } = {}): boolean {
  const [visible, setVisible] = useState(false);
  useEffect(() => {
    const el = ref.current;
    if (!el) return undefined;
    const observer = new IntersectionObserver(
      (entries) => {
        const seen = entries.some((e) => e.isIntersecting);
        if (seen || !once) setVisible(seen);
      },
      { rootMargin: "300px 0px" },
    );
    observer.observe(el);
    return () => observer.disconnect();
  }, [ref, once]);
  return visible;
}
