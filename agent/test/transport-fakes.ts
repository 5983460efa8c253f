// A fake server for transport tests: records each request as it is made, and decodes it with Node's zlib, an
// implementation independent of the agent's, so tests see what Guidepost's server would read.
import { inflateSync } from 'node:zlib';
import { afterEach, beforeEach, expect, vi } from 'vitest';
import type { AgentEvent } from '../src/contract';

export const API_KEY = 'key-1';
export const HOST = 'https://data.example';
export const VERSION = 'guidepost-test';
export const STORAGE_KEY = '_pendo_unsentEvents.' + API_KEY;

export interface Seen {
  /** Date.now() when fetch was called. */
  at: number;
  method: string;
  url: string;
  /** e.g. `/data/ptm.gif/key-1` */
  path: string;
  params: URLSearchParams;
  body?: string;
  keepalive?: boolean;
  contentType?: string;
  /** The jzb from the query, or from the body's "events". */
  jzb?: string;
  decoded?: unknown;
}

export function decodeJzb(text: string): unknown {
  expect(text).toMatch(/^[A-Za-z0-9_-]+$/);
  return JSON.parse(inflateSync(Buffer.from(text, 'base64url')).toString('utf8'));
}

export type Answer = (seen: Seen) => number | Response | Promise<number | Response>;

export interface FakeServer {
  requests: Seen[];
  /** 200 unless replaced; throw for a network error. */
  answer: Answer;
  fetch: typeof fetch;
  /** The events of every beacon request, in the order they were sent. */
  events(): AgentEvent[];
}

export function fakeServer(): FakeServer {
  const requests: Seen[] = [];
  const server: FakeServer = {
    requests,
    answer: () => 200,
    fetch: ((input: RequestInfo | URL, init?: RequestInit) => {
      const url = String(input);
      const parsed = new URL(url);
      const body = typeof init?.body === 'string' ? init.body : undefined;
      const headers = new Headers(init?.headers);
      const seen: Seen = {
        at: Date.now(), method: init?.method ?? 'GET', url, path: parsed.pathname, params: parsed.searchParams, body,
        keepalive: init?.keepalive, contentType: headers.get('content-type') ?? undefined,
      };
      seen.jzb = parsed.searchParams.get('jzb') ?? (body ? (JSON.parse(body) as { events: string }).events : undefined);
      if (seen.jzb) seen.decoded = decodeJzb(seen.jzb);
      requests.push(seen);
      return (async () => {
        const answer = await server.answer(seen);
        return typeof answer === 'number' ? new Response(null, { status: answer }) : answer;
      })();
    }) as typeof fetch,
    events() {
      return requests.filter((r) => r.path.endsWith('.gif/' + API_KEY)).flatMap((r) => r.decoded as AgentEvent[]);
    },
  };
  return server;
}

export class MemoryStorage {
  readonly items = new Map<string, string>();
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.items.set(key, String(value));
  }
  removeItem(key: string): void {
    this.items.delete(key);
  }
}

export const T0 = 1_700_000_000_000;

/** An analytics event in the core's field order. */
export function event(type: string, n: number, props: Record<string, unknown> = {}): AgentEvent {
  return {
    type, browser_time: T0 + n, visitor_id: 'visitor-1', account_id: 'account-1', url: 'https://app.example/page',
    props: { n, ...props }, tabId: 'AbCdEfGhIjKlMnOp', frameId: 'QrStUvWxYz012345', sessionId: 's3ss10nId0000000',
  };
}

/** Text that does not compress: random base64 characters from a seeded generator (mulberry32). */
export function noise(length: number, seed = 1): string {
  const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  let state = seed;
  let text = '';
  for (let i = 0; i < length; i++) {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    text += chars[((t ^ (t >>> 14)) >>> 0) % 64];
  }
  return text;
}

/** What the transport must send for an event: `sequence`, then for ptm/track `bytes` counted with it. */
export function sent(original: AgentEvent, sequence: number, withBytes: boolean): AgentEvent {
  const expected: AgentEvent = { ...original, sequence };
  if (withBytes) expected.bytes = JSON.stringify(expected).length;
  return expected;
}

/** Fake timers from T0 for every test of the calling file, with the transport's warnings silenced. */
export function useFakeClock(): void {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(T0);
    vi.spyOn(console, 'warn').mockImplementation(() => {});
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });
}
