import { type RefObject, useEffect, useRef } from 'react';

interface Options {
  root?: RefObject<Element | null>;
  rootMargin?: string;
  enabled?: boolean;
  /**
   * Changing this re-observes the target. An observer only reports changes, so a sentinel that is
   * still on screen after a page loaded would otherwise never fire again.
   */
  resetKey?: unknown;
}

/** Calls `onVisible` whenever `target` scrolls into view (within `rootMargin`). */
export function useIntersection(
  target: RefObject<Element | null>,
  onVisible: () => void,
  { root, rootMargin = '0px', enabled = true, resetKey }: Options = {},
): void {
  const callback = useRef(onVisible);
  useEffect(() => {
    callback.current = onVisible;
  });

  useEffect(() => {
    const element = target.current;
    if (!enabled || !element || typeof IntersectionObserver === 'undefined') return;
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((entry) => entry.isIntersecting)) callback.current();
      },
      { root: root?.current ?? null, rootMargin },
    );
    observer.observe(element);
    return () => observer.disconnect();
  }, [target, root, rootMargin, enabled, resetKey]);
}
