import { describe, expect, it, vi } from 'vitest';
import type { AgentEvent, GuideRequest } from '../src/contract';
import { createTransport, type TransportOptions } from '../src/transport/transport';
import { API_KEY, HOST, MemoryStorage, STORAGE_KEY, T0, VERSION, decodeJzb, event, fakeServer, noise, sent, useFakeClock } from './transport-fakes';

type Server = ReturnType<typeof fakeServer>;

function open(server: Server, storage: MemoryStorage, options: Partial<TransportOptions> = {}) {
  return createTransport({
    apiKey: API_KEY, dataHost: HOST, version: VERSION, fetch: server.fetch, storage, compression: null,
    window: null, document: null, sendBeacon: null, ...options,
  });
}

function stored(storage: MemoryStorage): { ttl: number; events: AgentEvent[] } | null {
  const text = storage.getItem(STORAGE_KEY);
  if (text === null) return null;
  const { ttl, value } = JSON.parse(text) as { ttl: number; value: Record<string, Record<string, AgentEvent[]>> };
  return { ttl, events: Object.values(value).flatMap((queues) => Object.values(queues).flat()) };
}

const settle = () => vi.advanceTimersByTimeAsync(0);
/** Unsent events are written a second after they change. */
const saved = () => vi.advanceTimersByTimeAsync(1000);
const sequences = (events: AgentEvent[]) => events.map((e) => e.sequence).sort((a, b) => a! - b!);

useFakeClock();

describe('unsent events in localStorage', () => {
  it('survive a failing server and a page reload, and arrive exactly once when the server recovers', async () => {
    const server = fakeServer();
    const storage = new MemoryStorage();
    server.answer = () => 503;
    const page1 = open(server, storage);
    const originals: [Parameters<typeof page1.enqueue>[0], AgentEvent][] = [
      ['ptm', event('load', 1)], ['ptm', event('click', 2)], ['track', event('track', 3)],
      ['guide', event('guideSeen', 4)], ['poll', event('pollResponse', 5)],
    ];
    for (const [queue, original] of originals) page1.enqueue(queue, original);
    await page1.flush();
    await vi.advanceTimersByTimeAsync(5000); // a few retries fail too
    const failed = server.requests.length;
    expect(failed).toBeGreaterThanOrEqual(4);
    const kept = stored(storage)!;
    expect(kept.ttl).toBe(T0 + 1000 + 6 * 24 * 3600 * 1000); // six days after it was written, a second after the events came
    expect(sequences(kept.events)).toEqual([0, 1, 2, 3, 4]);
    page1.teardown(); // the page is gone

    await vi.advanceTimersByTimeAsync(600_000);
    server.answer = () => 200;
    const reloadedAt = Date.now();
    open(server, storage);
    await settle(); // without waiting for the core's first flush
    const resent = server.requests.slice(failed);
    expect(resent.every((r) => r.params.get('ct') === String(reloadedAt))).toBe(true);
    expect(resent.map((r) => `${r.path}${r.params.has('type') ? '&type=' + r.params.get('type') : ''}`).sort()).toEqual([
      '/data/guide.gif/key-1', '/data/poll.gif/key-1', '/data/ptm.gif/key-1', '/data/ptm.gif/key-1&type=track',
    ]);
    const arrived = resent.flatMap((r) => r.decoded as AgentEvent[]);
    expect(arrived.sort((a, b) => a.sequence! - b.sequence!)).toEqual(
      originals.map(([queue, original], i) => sent(original, i, queue === 'ptm' || queue === 'track')));
    await saved();
    expect(storage.getItem(STORAGE_KEY)).toBeNull();
    await vi.advanceTimersByTimeAsync(600_000);
    expect(server.requests.length).toBe(failed + resent.length);
  });

  it('leaves nothing in storage once the server accepted everything', async () => {
    const server = fakeServer();
    const storage = new MemoryStorage();
    const transport = open(server, storage);
    transport.enqueue('ptm', event('load', 1));
    transport.enqueue('ptm', event('click', 2));
    await settle();
    expect(storage.items.size).toBe(0); // not written on every event
    await saved();
    expect(sequences(stored(storage)!.events)).toEqual([0, 1]);
    await transport.flush();
    await saved();
    expect(storage.items.size).toBe(0);
  });

  it('keeps every tab’s events: tabs sharing the key do not overwrite each other', async () => {
    const server = fakeServer();
    const storage = new MemoryStorage();
    const tabA = open(server, storage);
    const tabB = open(server, storage);
    tabA.enqueue('ptm', event('load', 1));
    await saved();
    tabB.enqueue('ptm', event('load', 2));
    await saved();
    tabA.enqueue('ptm', event('click', 3));
    await saved();
    expect(stored(storage)!.events.map((e) => e.browser_time).sort()).toEqual([T0 + 1, T0 + 2, T0 + 3]);
    tabA.teardown();
    tabB.teardown();

    const next = open(server, storage);
    await next.flush();
    expect(server.events().map((e) => e.browser_time).sort()).toEqual([T0 + 1, T0 + 2, T0 + 3]);
  });

  it('stores at most a few hundred KB, the newest events, with a warning; every event is still sent', async () => {
    const server = fakeServer();
    const storage = new MemoryStorage();
    server.answer = () => 503;
    const transport = open(server, storage);
    for (let i = 0; i < 400; i++) transport.enqueue('ptm', event('click', i, { text: noise(2000, i + 1) }));
    await saved();
    const text = storage.getItem(STORAGE_KEY)!;
    expect(text.length).toBeLessThanOrEqual(300_000);
    expect(text.length).toBeGreaterThan(200_000);
    expect(console.warn).toHaveBeenCalledWith(expect.stringMatching(/only the newest/));
    const kept = sequences(stored(storage)!.events);
    expect(kept.at(-1)).toBe(399);
    expect(kept).toEqual(Array.from({ length: kept.length }, (_, i) => 400 - kept.length + i));

    server.answer = () => 200;
    await transport.flush();
    expect(sequences(server.events())).toEqual(Array.from({ length: 400 }, (_, i) => i));
  });
});

describe('a server unreachable for long', () => {
  it('keeps the newest 10,000 events of a queue in memory, with a warning', async () => {
    const server = fakeServer();
    server.answer = () => 503;
    const transport = open(server, new MemoryStorage());
    for (let i = 0; i < 10_005; i++) transport.enqueue('ptm', event('click', i));
    expect(console.warn).toHaveBeenCalledWith(expect.stringMatching(/oldest was dropped/));
    server.answer = () => 200;
    await vi.advanceTimersByTimeAsync(120_000);
    await transport.flush();
    expect(sequences(server.events())).toEqual(Array.from({ length: 10_000 }, (_, i) => i + 5));
  });
});

describe('unload', () => {
  function page(server: Server, storage: MemoryStorage, options: Partial<TransportOptions> = {}) {
    const doc = Object.assign(new EventTarget(), { visibilityState: 'visible' });
    const win = new EventTarget();
    const transport = open(server, storage, { document: doc, window: win, ...options });
    const hide = () => {
      doc.visibilityState = 'hidden';
      doc.dispatchEvent(new Event('visibilitychange'));
    };
    return { transport, hide, doc, win, pagehide: () => win.dispatchEvent(new Event('pagehide')) };
  }

  it('sends every queue at once with keepalive when the page is hidden, once for hidden and pagehide', async () => {
    const server = fakeServer();
    const storage = new MemoryStorage();
    const answers: ((status: number) => void)[] = [];
    server.answer = () => new Promise<number>((resolve) => answers.push(resolve));
    const { transport, hide, pagehide, doc } = page(server, storage);
    transport.enqueue('ptm', event('click', 1));
    transport.enqueue('track', event('track', 2));
    transport.enqueue('guide', event('guideSeen', 3));
    await settle();
    doc.dispatchEvent(new Event('visibilitychange')); // still visible
    expect(server.requests).toHaveLength(0);
    hide();
    // synchronously: the page may be gone before any promise settles
    expect(server.requests).toHaveLength(3);
    expect(server.requests.every((r) => r.keepalive && r.method === 'GET')).toBe(true);
    expect(sequences(server.events())).toEqual([0, 1, 2]);
    pagehide(); // the same events are in flight already
    expect(server.requests).toHaveLength(3);
    expect(sequences(stored(storage)!.events)).toEqual([0, 1, 2]); // written before sending: the requests may fail
    for (const answer of answers) answer(200);
    await saved();
    expect(storage.getItem(STORAGE_KEY)).toBeNull();
  });

  it('keeps keepalive bodies within 64 KiB in flight and sends nothing twice; the rest stays stored', async () => {
    const server = fakeServer();
    const storage = new MemoryStorage();
    server.answer = () => new Promise<number>(() => {}); // the page unloads before any answer
    const { transport, hide, pagehide } = page(server, storage);
    for (let i = 0; i < 100; i++) transport.enqueue('ptm', event('click', i, { text: noise(2000, i + 1) }));
    await settle();
    pagehide();
    hide();
    pagehide();
    expect(server.requests.length).toBeGreaterThan(0);
    expect(server.requests.every((r) => r.keepalive)).toBe(true);
    const bodies = server.requests.reduce((sum, r) => sum + (r.body?.length ?? 0), 0);
    expect(bodies).toBeLessThanOrEqual(65536);
    expect(bodies).toBeGreaterThan(32768);
    const out = sequences(server.events());
    expect(new Set(out).size).toBe(out.length);
    expect(out.length).toBeLessThan(100);
    expect(sequences(stored(storage)!.events)).toEqual(Array.from({ length: 100 }, (_, i) => i));
  });

  it('uses sendBeacon where keepalive fetch is missing; beaconed events stay stored, having no answer', async () => {
    const server = fakeServer();
    const storage = new MemoryStorage();
    const beacons: [string, string][] = [];
    const { transport, pagehide } = page(server, storage, { sendBeacon: (url, body) => (beacons.push([url, body]), true) });
    transport.enqueue('track', event('track', 1));
    await settle();
    pagehide();
    expect(server.requests).toHaveLength(0);
    expect(beacons).toHaveLength(1);
    const [url, body] = beacons[0];
    const events = (JSON.parse(body) as { events: string }).events;
    expect(url).toBe(`${HOST}/data/ptm.gif/${API_KEY}?v=${VERSION}&ct=${T0}&s=${events.length}&type=track`);
    expect(decodeJzb(events)).toEqual([sent(event('track', 1), 0, true)]);
    expect(sequences(stored(storage)!.events)).toEqual([0]);
  });

  it('teardown stops the timers and listeners and keeps the events stored', async () => {
    const server = fakeServer();
    const storage = new MemoryStorage();
    const { transport, hide, pagehide, doc, win } = page(server, storage);
    const added = [vi.spyOn(doc, 'addEventListener'), vi.spyOn(win, 'addEventListener')];
    const removed = [vi.spyOn(doc, 'removeEventListener'), vi.spyOn(win, 'removeEventListener')];
    transport.enqueue('ptm', event('click', 1));
    transport.enqueue('guide', event('guideSeen', 2));
    await settle();
    transport.teardown();
    expect(added.every((spy) => spy.mock.calls.length === 0)).toBe(true); // they were added before the spies
    expect(removed.map((spy) => spy.mock.calls.map(([type]) => type))).toEqual([['visibilitychange'], ['pagehide']]);
    hide();
    pagehide();
    await vi.advanceTimersByTimeAsync(600_000);
    expect(server.requests).toHaveLength(0);
    expect(sequences(stored(storage)!.events)).toEqual([0, 1]);
  });
});

describe('requestGuides', () => {
  const request: GuideRequest = { visitorId: 'visitor-1', accountId: 'account-1', url: 'https://app.example/page' };
  const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

  it('GETs guide.json with a counter id and the request as jzb', async () => {
    const server = fakeServer();
    server.answer = (seen) => json({ id: seen.params.get('id'), guides: [], lastGuideStepSeen: {} });
    const transport = open(server, new MemoryStorage());
    expect(await transport.requestGuides(request)).toEqual({ kind: 'guides', payload: { id: '1', guides: [], lastGuideStepSeen: {} } });
    expect((await transport.requestGuides(request)).kind).toBe('guides');
    const [first, second] = server.requests;
    expect(first.method).toBe('GET');
    expect(first.url).toMatch(new RegExp(`^https://data\\.example/data/guide\\.json/key-1\\?id=1&jzb=[\\w-]+&v=guidepost-test&ct=${T0}$`));
    expect(first.decoded).toEqual(request);
    expect(second.params.get('id')).toBe('2');
  });

  it('POSTs {"events":jzb} without jzb in the URL when the GET URL would pass 2,000 characters', async () => {
    const server = fakeServer();
    server.answer = () => json({ guides: [], lastGuideStepSeen: {} });
    const transport = open(server, new MemoryStorage());
    const big = { ...request, metadata: { visitor: { id: 'visitor-1', notes: noise(1500) } } };
    expect((await transport.requestGuides(big)).kind).toBe('guides');
    const [post] = server.requests;
    expect(post.method).toBe('POST');
    expect(post.url).toBe(`${HOST}/data/guide.json/${API_KEY}?id=1&v=${VERSION}&ct=${T0}`);
    expect(Object.keys(JSON.parse(post.body!) as object)).toEqual(['events']);
    expect(post.decoded).toEqual(big);
    expect(`${HOST}/data/guide.json/${API_KEY}?id=1&jzb=${post.jzb}&v=${VERSION}&ct=${T0}`.length).toBeGreaterThan(2000);
  });

  it('answers failed on an id mismatch, a non-2xx, bad JSON or a network error', async () => {
    const server = fakeServer();
    const transport = open(server, new MemoryStorage());
    const answers: (() => Response)[] = [
      () => json({ id: 'other', guides: [], lastGuideStepSeen: {} }),
      () => json({ guides: [] }, 500),
      () => new Response('{"guides":', { status: 200 }),
      () => { throw new TypeError('network'); },
    ];
    for (const answer of answers) {
      server.answer = answer;
      expect(await transport.requestGuides(request)).toEqual({ kind: 'failed' });
    }
  });

  for (const [what, answer] of [['HTTP 451', () => new Response(null, { status: 451 })], ['statusCode 451 in the body', () => json({ statusCode: 451 })]] as const) {
    it(`answers doNotProcess on ${what}, then sends nothing and clears the stored events`, async () => {
      const server = fakeServer();
      const storage = new MemoryStorage();
      const transport = open(server, storage);
      transport.enqueue('ptm', event('load', 1));
      transport.enqueue('track', event('track', 2));
      await saved();
      expect(storage.getItem(STORAGE_KEY)).not.toBeNull();
      server.answer = answer;
      expect(await transport.requestGuides(request)).toEqual({ kind: 'doNotProcess' });
      transport.enqueue('ptm', event('click', 3));
      await transport.flush();
      await vi.advanceTimersByTimeAsync(600_000);
      expect(server.requests.filter((r) => r.path.endsWith('.gif/' + API_KEY))).toHaveLength(0);
      expect(storage.items.size).toBe(0);
    });
  }
});
