// Notices URL changes without a reload: history.pushState/replaceState, popstate and hashchange.

/** Calls `changed` after every possible change of location; returns what stops it. */
export function watchNavigation(win: Window, changed: () => void): () => void {
  const history = win.history;
  const originals = { pushState: history.pushState, replaceState: history.replaceState };
  const wrapped = {} as typeof originals;
  for (const name of ['pushState', 'replaceState'] as const) {
    const original = originals[name];
    history[name] = wrapped[name] = function (this: History, ...args: Parameters<History['pushState']>) {
      const result = original.apply(this, args);
      changed();
      return result;
    };
  }
  win.addEventListener('popstate', changed);
  win.addEventListener('hashchange', changed);
  return () => {
    // Another script may have wrapped ours since: unwrapping it would remove its wrapper too.
    for (const name of ['pushState', 'replaceState'] as const) if (history[name] === wrapped[name]) history[name] = originals[name];
    win.removeEventListener('popstate', changed);
    win.removeEventListener('hashchange', changed);
  };
}

/** Navigation Timing's loadEventStart - fetchStart, or -1 before the page has loaded (protocol §4.3). */
export function pageLoadTime(): number {
  const timing = performance.getEntriesByType?.('navigation')[0] as PerformanceNavigationTiming | undefined;
  if (timing && timing.loadEventStart > 0) return Math.round(timing.loadEventStart - timing.fetchStart);
  return -1;
}
