// window.pendo's methods, compatible with Pendo's. Calls that need a running agent and come before initialize
// are kept and replayed after it, as the snippet's queue is.
import type { GuideObject } from '../contract';
import { isAnonymousVisitor } from '../identity/visitor-ids';
import { VERSION } from '../version';
import { startAgent, type AgentRuntime } from './agent-runtime';
import type { AgentDeps, PendoOptions } from './options';

export type PendoObject = Record<string, unknown> & { _q?: unknown[] };

const DEFERRED = ['identify', 'updateOptions', 'pageLoad', 'track', 'clearSession'] as const;
type Deferred = (typeof DEFERRED)[number];

/** Puts the API on `pendo` (the snippet's object, so that references the page kept stay valid). */
export function installApi(pendo: PendoObject, deps: AgentDeps): void {
  let runtime: AgentRuntime | null = null;
  let waitingForLoad: (() => void) | null = null;
  let pending: [Deferred, unknown[]][] = [];

  const start = (options: PendoOptions) => {
    waitingForLoad = null;
    const apiKey = options.apiKey ?? deps.settings.apiKey;
    if (!apiKey) {
      console.warn('pendo: no apiKey, the agent does not start');
      return;
    }
    pendo.apiKey = apiKey;
    runtime = startAgent(apiKey, options, deps, doNotProcess);
    const replay = pending;
    pending = [];
    for (const [method, args] of replay) (api[method] as (...a: unknown[]) => void)(...args);
    try {
      options.events?.ready?.();
    } catch (error) {
      console.error('pendo: events.ready threw', error);
    }
  };
  const stop = () => {
    if (waitingForLoad) window.removeEventListener('load', waitingForLoad);
    waitingForLoad = null;
    runtime?.teardown();
    runtime = null;
    pending = [];
  };
  const doNotProcess = () => {
    stop();
    pendo.doNotProcess = true;
  };
  const whenRunning = <A extends unknown[]>(method: Deferred, run: (agent: AgentRuntime, ...args: A) => void) =>
    (...args: A) => {
      if (runtime) run(runtime, ...args);
      else if (!pendo.doNotProcess) pending.push([method, args]);
    };

  const api = {
    VERSION,
    initialize(options?: PendoOptions) {
      const opts = options ?? {};
      if (runtime) return runtime.updateOptions(opts);
      if (waitingForLoad || pendo.doNotProcess) return;
      if (opts.initializeImmediately || document.readyState === 'complete') return start(opts);
      waitingForLoad = () => start(opts);
      window.addEventListener('load', waitingForLoad, { once: true });
    },
    identify: whenRunning('identify', (agent, visitor: unknown, account?: unknown) => agent.identify(visitor, account)),
    updateOptions: whenRunning('updateOptions', (agent, options: PendoOptions) => agent.updateOptions(options ?? {})),
    pageLoad: whenRunning('pageLoad', (agent, url?: string) => agent.pageLoad(url)),
    track: whenRunning('track', (agent, name: unknown, props?: unknown) => agent.track(name, props)),
    clearSession: whenRunning('clearSession', (agent) => agent.clearSession()),
    flushNow: (): Promise<void> => runtime?.flushNow() ?? Promise.resolve(),
    getVisitorId: (): string | null => runtime?.visitorId() ?? null,
    getAccountId: (): string | null => runtime?.accountId() ?? null,
    isReady: (): boolean => runtime !== null,
    isAnonymousVisitor: (...visitorId: unknown[]): boolean =>
      isAnonymousVisitor(visitorId.length ? visitorId[0] : runtime?.visitorId()),
    showGuideById: (guideId: string): boolean => runtime?.engine.showGuideById(String(guideId)) ?? false,
    onGuideAdvanced: (): void => runtime?.engine.advance(),
    onGuideDismissed: (): void => runtime?.engine.dismiss(),
    teardown: stop,
  };
  Object.assign(pendo, api);
  Object.defineProperty(pendo, 'guides', {
    get: (): GuideObject[] => runtime?.engine.guides() ?? [],
    configurable: true,
    enumerable: true,
  });
}
