import { describe, expect, it, vi } from 'vitest';
import type { AgentEvent } from '../src/contract';
import { createTransport, type TransportOptions } from '../src/transport/transport';
import { API_KEY, HOST, MemoryStorage, STORAGE_KEY, T0, VERSION, event, fakeServer, noise, sent, useFakeClock } from './transport-fakes';

function setup(options: Partial<TransportOptions> = {}) {
  const server = fakeServer();
  const storage = new MemoryStorage();
  const transport = createTransport({
    apiKey: API_KEY, dataHost: HOST, version: VERSION, fetch: server.fetch, storage, compression: null,
    window: null, document: null, sendBeacon: null, ...options,
  });
  return { server, storage, transport };
}

// With stored-block jzb (compression: null) everything the transport does between timers is microtasks.
const settle = () => vi.advanceTimersByTimeAsync(0);

useFakeClock();

describe('beacon requests', () => {
  it('sends small batches as GET with the URL shape of Pendo’s agent, track events with type=track', async () => {
    const { server, transport } = setup();
    const load = event('load', 1);
    const track = { ...event('track', 2), track_event_name: 'Purchased' };
    const seen = event('guideSeen', 3);
    transport.enqueue('ptm', load);
    transport.enqueue('track', track);
    transport.enqueue('guide', seen);
    await transport.flush();

    expect(server.requests).toHaveLength(3);
    const [ptm, trk, guide] = ['/data/ptm.gif/key-1:', '/data/ptm.gif/key-1:track', '/data/guide.gif/key-1:']
      .map((which) => server.requests.find((r) => `${r.path}:${r.params.get('type') ?? ''}` === which)!);
    expect(ptm.url).toMatch(new RegExp(`^https://data\\.example/data/ptm\\.gif/key-1\\?v=guidepost-test&ct=${T0}&jzb=[\\w-]+$`));
    expect(trk.url).toMatch(new RegExp(`^https://data\\.example/data/ptm\\.gif/key-1\\?v=guidepost-test&ct=${T0}&jzb=[\\w-]+&type=track$`));
    expect(guide.url).toMatch(new RegExp(`^https://data\\.example/data/guide\\.gif/key-1\\?v=guidepost-test&ct=${T0}&jzb=[\\w-]+$`));
    for (const r of [ptm, trk, guide]) {
      expect(r.method).toBe('GET');
      expect(r.keepalive).toBe(true);
    }
    // One sequence across queues; bytes on ptm and track only.
    expect(ptm.decoded).toEqual([sent(load, 0, true)]);
    expect(trk.decoded).toEqual([sent(track, 1, true)]);
    expect(guide.decoded).toEqual([sent(seen, 2, false)]);
    expect(Object.keys((guide.decoded as AgentEvent[])[0])).not.toContain('bytes');
  });

  it('keeps the event’s field order and counts bytes with sequence but without itself', async () => {
    const { server, transport } = setup();
    transport.enqueue('ptm', { type: 'load', browser_time: 1, visitor_id: 'v', url: 'u', props: {} });
    // The core may place sequence and bytes itself; they keep their place.
    transport.enqueue('ptm', { type: 'meta', sequence: undefined, bytes: undefined, browser_time: 2, visitor_id: 'v', url: 'u', props: {} });
    await transport.flush();
    const [first, second] = server.requests[0].decoded as AgentEvent[];
    expect(Object.keys(first)).toEqual(['type', 'browser_time', 'visitor_id', 'url', 'props', 'sequence', 'bytes']);
    expect(first.bytes).toBe('{"type":"load","browser_time":1,"visitor_id":"v","url":"u","props":{},"sequence":0}'.length);
    expect(Object.keys(second)).toEqual(['type', 'sequence', 'bytes', 'browser_time', 'visitor_id', 'url', 'props']);
    expect(second.bytes).toBe('{"type":"meta","sequence":1,"browser_time":2,"visitor_id":"v","url":"u","props":{}}'.length);
  });

  it('switches from GET to POST above 1,900 jzb characters, with s= and a text/plain {"events":jzb} body', async () => {
    // Stored blocks make the jzb length known: base64 of the JSON's bytes plus 11 bytes of zlib framing.
    const jzbLength = (json: string) => Math.ceil(((Buffer.byteLength(json) + 11) * 4) / 3);
    const eventOfJzbLength = (target: number, sequence: number) => {
      for (let pad = 1000; pad < 2000; pad++) {
        const original = event('track', sequence, { pad: 'x'.repeat(pad) });
        if (jzbLength(JSON.stringify([sent(original, sequence, true)])) === target) return original;
      }
      throw new Error('no padding gives ' + target);
    };
    const { server, transport } = setup();
    transport.enqueue('track', eventOfJzbLength(1900, 0));
    await transport.flush();
    transport.enqueue('track', eventOfJzbLength(1902, 1)); // 1901 is not a base64 length for this framing
    await transport.flush();

    const [get, post] = server.requests;
    expect(get.method).toBe('GET');
    expect(get.jzb).toHaveLength(1900);
    expect(post.method).toBe('POST');
    expect(post.url).toMatch(new RegExp(`^https://data\\.example/data/ptm\\.gif/key-1\\?v=guidepost-test&ct=${T0}&s=1902&type=track$`));
    expect(post.body).toBe(`{"events":"${post.jzb}"}`);
    expect(post.jzb).toHaveLength(1902);
    expect(post.contentType).toBe('text/plain;charset=UTF-8');
    expect(post.keepalive).toBe(true);
    expect((post.decoded as AgentEvent[])[0].sequence).toBe(1);
  });

  it('sends guide events 500 ms after the last one staged, poll responses at once', async () => {
    const { server, transport } = setup();
    transport.enqueue('guide', event('guideSeen', 1));
    await vi.advanceTimersByTimeAsync(300);
    transport.enqueue('guide', event('guideAdvanced', 2));
    await vi.advanceTimersByTimeAsync(499);
    expect(server.requests).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0].at).toBe(T0 + 800);
    expect((server.requests[0].decoded as AgentEvent[]).map((e) => e.type)).toEqual(['guideSeen', 'guideAdvanced']);

    transport.enqueue('poll', event('pollResponse', 3));
    await settle();
    expect(server.requests).toHaveLength(2);
    expect(server.requests[1].path).toBe('/data/poll.gif/key-1');
    expect(server.requests[1].at).toBe(T0 + 800);
  });

  it('sends ptm events on flush() or every two minutes, not before', async () => {
    const { server, transport } = setup();
    transport.enqueue('ptm', event('click', 1));
    await vi.advanceTimersByTimeAsync(119_999);
    expect(server.requests).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(server.requests.map((r) => r.at)).toEqual([T0 + 120_000]);
    transport.enqueue('ptm', event('click', 2));
    await transport.flush();
    expect(server.requests).toHaveLength(2);
  });
});

describe('retries', () => {
  it('retries the same payload after 1, 2, 4 … 64 s with rt=n, then sends what came meanwhile, in order', async () => {
    const { server, transport } = setup();
    let failures = 9;
    server.answer = () => {
      if (failures-- <= 0) return 200;
      if (failures % 2) throw new TypeError('network'); // a network error counts as a failure like a 5xx
      return 503;
    };
    const first = event('load', 1);
    transport.enqueue('ptm', first);
    void transport.flush();
    await vi.advanceTimersByTimeAsync(10_000);
    const later = event('click', 2);
    transport.enqueue('ptm', later);
    void transport.flush(); // waits for the retry, does not jump the queue
    await vi.advanceTimersByTimeAsync(400_000);

    const seconds = server.requests.map((r) => (r.at - T0) / 1000);
    expect(seconds).toEqual([0, 1, 3, 7, 15, 31, 63, 127, 191, 255, 255]);
    expect(server.requests.map((r) => r.params.get('rt'))).toEqual([null, '1', '2', '3', '4', '5', '6', '7', '8', '9', null]);
    for (const r of server.requests.slice(0, 10)) expect(r.decoded).toEqual([sent(first, 0, true)]);
    expect(server.requests[10].decoded).toEqual([sent(later, 1, true)]);
  });

  it('keeps one request in flight per queue', async () => {
    const { server, transport } = setup();
    const pending: ((status: number) => void)[] = [];
    server.answer = () => new Promise<number>((resolve) => pending.push(resolve));
    transport.enqueue('ptm', event('load', 1));
    void transport.flush();
    await settle();
    transport.enqueue('ptm', event('click', 2));
    void transport.flush();
    await vi.advanceTimersByTimeAsync(120_000);
    expect(server.requests).toHaveLength(1);
    pending[0](200);
    await settle();
    expect(server.requests).toHaveLength(2);
    expect((server.requests[1].decoded as AgentEvent[]).map((e) => e.sequence)).toEqual([1]);
  });

  it('asks keepalive only while the bodies in flight stay within the browser’s 64 KiB', async () => {
    const { server, transport } = setup();
    const pending: ((status: number) => void)[] = [];
    server.answer = () => new Promise<number>((resolve) => pending.push(resolve));
    transport.enqueue('ptm', event('click', 1, { text: noise(20_000, 1) }));
    transport.enqueue('track', event('track', 2, { text: noise(20_000, 2) }));
    transport.enqueue('guide', event('guideSeen', 3, { text: noise(20_000, 3) }));
    void transport.flush();
    await settle();
    expect(server.requests.map((r) => r.method)).toEqual(['POST', 'POST', 'POST']);
    expect(server.requests.map((r) => r.keepalive)).toEqual([true, true, false]);
    expect(server.requests[0].body!.length + server.requests[1].body!.length).toBeLessThanOrEqual(65536);
    pending[0](200);
    await settle();
    transport.enqueue('ptm', event('click', 4, { text: noise(20_000, 4) }));
    await settle();
    void transport.flush();
    await settle();
    expect(server.requests[3].keepalive).toBe(true);
  });

  it('drops a payload after 100 failures and goes on with the next', async () => {
    const { server, storage, transport } = setup();
    let down = true;
    server.answer = () => (down ? 500 : 200);
    transport.enqueue('ptm', event('load', 1));
    void transport.flush();
    await vi.advanceTimersByTimeAsync(3 * 3600_000);
    expect(server.requests).toHaveLength(100);
    // 1+2+…+32 s, then 64 s for each of the other 93 retries
    expect(server.requests[99].at - T0).toBe((63 + 93 * 64) * 1000);
    expect(server.requests[99].params.get('rt')).toBe('99');
    expect(console.warn).toHaveBeenCalled();
    expect(storage.getItem(STORAGE_KEY)).toBeNull();

    down = false;
    transport.enqueue('ptm', event('click', 2));
    await transport.flush();
    expect(server.requests).toHaveLength(101);
    expect(server.requests[100].params.get('rt')).toBeNull();
    expect((server.requests[100].decoded as AgentEvent[]).map((e) => e.type)).toEqual(['click']);
  });
});

describe('silos', () => {
  async function bigBatch(compression: typeof CompressionStream | null) {
    vi.useRealTimers(); // the browser compressor works outside the fake clock; flush() resolves once all is sent
    // Counts what is compressed: cutting silos by estimate compresses each event about once, not log(n) times.
    let compressed = 0;
    const counting = compression && class extends compression {
      constructor(format: CompressionFormat) {
        super(format);
        const compressor = this.writable;
        const counter = new TransformStream<BufferSource, BufferSource>({
          transform(chunk, controller) {
            compressed += chunk.byteLength;
            controller.enqueue(chunk);
          },
        });
        void counter.readable.pipeTo(compressor);
        Object.defineProperty(this, 'writable', { value: counter.writable });
      }
    };
    const { server, storage, transport } = setup({ compression: counting });
    // ~225 KB: under what the transport keeps stored, so nothing is dropped for room
    const originals = Array.from({ length: 100 }, (_, i) => event('click', i, { text: noise(2000, i + 1) }));
    for (const original of originals) transport.enqueue('ptm', original);
    await transport.flush();
    expect(server.requests.length).toBeGreaterThan(3);
    for (const r of server.requests) {
      if (r.method === 'GET') expect(r.jzb!.length).toBeLessThanOrEqual(1900);
      else {
        expect(Number(r.params.get('s'))).toBe(r.jzb!.length);
        expect(r.body!.length).toBeLessThanOrEqual(65536);
      }
    }
    // every event once, in order
    expect(server.events()).toEqual(originals.map((original, i) => sent(original, i, true)));
    expect(storage.getItem(STORAGE_KEY)).toBeNull();
    expect(console.warn).not.toHaveBeenCalled();
    if (counting) expect(compressed).toBeLessThan(2.5 * JSON.stringify(server.events()).length);
    transport.teardown();
  }

  it('splits a large batch so each request stays within 64 KiB, with the browser compressor', () => bigBatch(CompressionStream));
  it('halves silos the estimate got wrong (stored blocks do not compress)', () => bigBatch(null));

  it('drops a single event over 64 KiB compressed, with a warning, and sends the others', async () => {
    vi.useRealTimers();
    const { server, transport } = setup({ compression: undefined });
    const before = event('click', 1);
    const after = event('click', 3);
    transport.enqueue('ptm', before);
    transport.enqueue('ptm', event('click', 2, { text: noise(100_000) }));
    transport.enqueue('ptm', after);
    await transport.flush();
    expect(server.events()).toEqual([sent(before, 0, true), sent(after, 2, true)]);
    expect(console.warn).toHaveBeenCalledWith(expect.stringMatching(/dropped/));
  });
});
