// Fakes for the transport and the guide engine, and a fresh window.pendo per test.
import type { AgentEvent, GuideAnswer, GuideEngine, GuideHost, GuideObject, GuidePayload, GuideRequest, QueueName, Transport } from '../src/contract';
import { installPendo } from '../src/api/install';
import type { PendoOptions } from '../src/api/options';
import type { PendoObject } from '../src/api/public-api';
import type { AgentSettings } from '../src/settings';

export const API_KEY = 'key-1';

export class FakeTransport implements Transport {
  readonly queued: { queue: QueueName; event: AgentEvent }[] = [];
  readonly requests: GuideRequest[] = [];
  flushes = 0;
  tornDown = false;
  answer: GuideAnswer = { kind: 'guides', payload: { guides: [] } };
  constructor(readonly options: { apiKey: string; dataHost: string; version: string }) {}
  enqueue(queue: QueueName, event: AgentEvent): void { this.queued.push({ queue, event }); }
  flush(): Promise<void> { this.flushes++; return Promise.resolve(); }
  requestGuides(request: GuideRequest): Promise<GuideAnswer> { this.requests.push(request); return Promise.resolve(this.answer); }
  teardown(): void { this.tornDown = true; }
  events(queue: QueueName = 'ptm'): AgentEvent[] { return this.queued.filter((q) => q.queue === queue).map((q) => q.event); }
  types(queue: QueueName = 'ptm'): string[] { return this.events(queue).map((e) => e.type); }
}

export class FakeEngine implements GuideEngine {
  payloads: GuidePayload[] = [];
  urlChanges = 0;
  calls: string[] = [];
  constructor(readonly host: GuideHost) {}
  setPayload(payload: GuidePayload): void { this.payloads.push(payload); }
  urlChanged(): void { this.urlChanges++; }
  guides(): GuideObject[] { return this.payloads.at(-1)?.guides ?? []; }
  showGuideById(guideId: string): boolean { this.calls.push(`show ${guideId}`); return true; }
  advance(): void { this.calls.push('advance'); }
  dismiss(): void { this.calls.push('dismiss'); }
  teardown(): void { this.calls.push('teardown'); }
}

export interface Agent {
  pendo: PendoObject & Record<string, any>;
  transports: FakeTransport[];
  engines: FakeEngine[];
  /** The latest transport (one per initialize). */
  transport: FakeTransport;
  engine: FakeEngine;
  clock: { now: number };
}

/** window.pendo installed afresh (over `stub` when given), with fakes; call `pendo.teardown()` after. */
export function install(options: { settings?: AgentSettings; stub?: unknown; now?: number; scriptUrl?: string } = {}): Agent {
  const agent = { transports: [], engines: [], clock: { now: options.now ?? Date.UTC(2025, 10, 22, 12) } } as unknown as Agent;
  const win = window as unknown as Window & { pendo?: unknown };
  win.pendo = options.stub;
  agent.pendo = installPendo(win, {
    settings: { apiKey: API_KEY, ...options.settings },
    createTransport: (o) => { const t = new FakeTransport(o); agent.transports.push(t); return t; },
    createGuideEngine: (host) => { const e = new FakeEngine(host); agent.engines.push(e); return e; },
    now: () => agent.clock.now,
    scriptUrl: options.scriptUrl ?? 'http://127.0.0.1:5000/assets/agent.js',
  }) as Agent['pendo'];
  Object.defineProperty(agent, 'transport', { get: () => agent.transports.at(-1) });
  Object.defineProperty(agent, 'engine', { get: () => agent.engines.at(-1) });
  return agent;
}

export const VISITOR_1: PendoOptions = {
  visitor: { id: 'visitor-1', email: 'v1@example.test', full_name: 'Visitor One' },
  account: { id: 'account-1', name: 'Acme' },
  initializeImmediately: true,
};

/** Lets timers of 0 ms (the flush and guide reload ticks) and resolved promises run. */
export const nextTick = () => new Promise((resolve) => setTimeout(resolve, 5));

export function resetPage(path = '/shop'): void {
  localStorage.clear();
  sessionStorage.clear();
  history.replaceState(null, '', path);
}
