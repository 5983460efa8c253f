// The agent's transport (protocol §2.3, §5.2, §7): four queues sent as jzb beacons, one request in flight per
// queue with exponential backoff, every unsent event mirrored in localStorage until the server accepted it.
import type { AgentEvent, GuideAnswer, GuidePayload, GuideRequest, QueueName, Transport } from '../contract';
import { jzb, jzbNow } from './jzb';
import { unsentStore, type Unsent } from './store';
import { VERSION } from '../version';

/** What the transport listens on: `window` (pagehide) and `document` (visibilitychange). */
export interface Listenable {
  addEventListener(type: string, listener: () => void): void;
  removeEventListener(type: string, listener: () => void): void;
  visibilityState?: string;
}

export interface TransportOptions {
  apiKey: string;
  /** Origin with scheme, no trailing slash. */
  dataHost: string;
  /** The `v` query value; the agent's VERSION by default. */
  version?: string;
  fetch?: typeof fetch;
  /** Used on unload instead of fetch; by default only where fetch has no `keepalive`. */
  sendBeacon?: ((url: string, body: string) => boolean) | null;
  storage?: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> | null;
  now?: () => number;
  window?: Listenable | null;
  document?: Listenable | null;
  /** The compressor for jzb; null sends stored (uncompressed) zlib blocks. */
  compression?: typeof CompressionStream | null;
}

const QUEUES: QueueName[] = ['ptm', 'track', 'guide', 'poll'];
const GET_MAX = 1900;
// A POST body is {"events":"<jzb>"}: 13 characters more than the jzb, and keepalive allows 64 KiB of bodies.
const KEEPALIVE_MAX = 65536;
const POST_MAX = KEEPALIVE_MAX - 13;
const URL_MAX = 2000;
const MAX_FAILURES = 100;
const FLUSH_EVERY = 120_000;
const GUIDE_DELAY = 500;
const STORE_MAX = 256 * 1024;
const SAVE_DELAY = 1000;
/** Per queue; past it (a server unreachable for hours) the oldest events go. */
const QUEUE_MAX = 10_000;
const TEXT = { 'Content-Type': 'text/plain;charset=UTF-8' };

interface Payload { events: AgentEvent[]; text: string }

interface Queue {
  events: AgentEvent[];
  /** The silo being sent or waiting for its retry: it is sent again as it was. */
  payload: Payload | null;
  failures: number;
  sending?: Promise<void>;
  retry?: ReturnType<typeof setTimeout>;
}

const warn = (message: string) => console.warn('Guidepost: ' + message);

function localStorageOrNull(): Storage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null; // sandboxed frames and blocked storage throw on access
  }
}

export function createTransport(options: TransportOptions): Transport {
  const { apiKey, dataHost, compression } = options;
  const version = options.version ?? VERSION;
  const send = options.fetch ?? ((url, init) => fetch(url, init));
  const now = options.now ?? Date.now;
  const win = options.window !== undefined ? options.window : typeof window === 'undefined' ? null : window;
  const doc = options.document !== undefined ? options.document : typeof document === 'undefined' ? null : document;
  const beacon = options.sendBeacon !== undefined ? options.sendBeacon
    : typeof Request !== 'undefined' && !('keepalive' in Request.prototype) && typeof navigator !== 'undefined' && navigator.sendBeacon
      ? (url: string, body: string) => navigator.sendBeacon(url, body) : null;
  const store = unsentStore(options.storage !== undefined ? options.storage : localStorageOrNull(), '_pendo_unsentEvents.' + apiKey, now);

  const queues = {} as Record<QueueName, Queue>;
  for (const name of QUEUES) queues[name] = { events: [], payload: null, failures: 0 };
  let sequence = 0;
  let guideRequests = 0;
  let keepaliveBytes = 0;
  let stopped = false;
  let doNotProcess = false;
  let saveTimer: ReturnType<typeof setTimeout> | undefined;
  let guideTimer: ReturnType<typeof setTimeout> | undefined;
  // Events an unload request is carrying, so that pagehide after visibilitychange does not send them twice.
  const unloading = new WeakSet<AgentEvent>();

  /** Writes the unsent events a moment after they change (not on every event: a click must stay cheap), and at
   *  once when the page is hidden, unloads or the transport stops. */
  function save(): void {
    saveTimer ??= setTimeout(saveNow, SAVE_DELAY);
  }

  function saveNow(): void {
    clearTimeout(saveTimer);
    saveTimer = undefined;
    if (!doNotProcess) store.write(newestWithin(STORE_MAX));
  }

  /** The unsent events, newest first, as many as fit in `limit` characters of JSON (all of them in memory stay
   *  queued; only the stored copy is bounded, as localStorage is the page's too). */
  function newestWithin(limit: number): Unsent {
    const mine: Unsent = {};
    const all = QUEUES.flatMap((name) => queues[name].events.map((event) => [name, event] as const))
      .sort((a, b) => b[1].sequence! - a[1].sequence!);
    let left = limit;
    for (const [name, event] of all) {
      if ((left -= JSON.stringify(event).length + 1) < 0) {
        warn(`${all.length} events wait to be sent; only the newest that fit in ${limit} characters are stored`);
        break;
      }
      (mine[name] ??= []).unshift(event);
    }
    return mine;
  }

  function sent(q: Queue, events: AgentEvent[]): void {
    const gone = new Set(events);
    q.events = q.events.filter((event) => !gone.has(event));
    save();
  }

  /** URL and POST body (undefined for a GET) of one beacon. */
  function beaconRequest(name: QueueName, text: string, retries: number, post = text.length > GET_MAX): [string, string | undefined] {
    const url = `${dataHost}/data/${name === 'track' ? 'ptm' : name}.gif/${apiKey}?v=${version}&ct=${now()}`
      + (post ? '&s=' + text.length : '&jzb=' + text) + (name === 'track' ? '&type=track' : '') + (retries ? '&rt=' + retries : '');
    return [url, post ? `{"events":"${text}"}` : undefined];
  }

  async function transmit(name: QueueName, text: string, retries: number): Promise<boolean> {
    const [url, body] = beaconRequest(name, text, retries);
    const size = body?.length ?? 0;
    // Past the browser's keepalive quota the request would be refused; an ordinary one is only lost to an
    // unload, and its events are still stored.
    const keepalive = keepaliveBytes + size <= KEEPALIVE_MAX;
    if (keepalive) keepaliveBytes += size;
    try {
      return (await send(url, body ? { method: 'POST', body, keepalive, headers: TEXT } : { keepalive })).ok;
    } catch {
      return false;
    } finally {
      if (keepalive) keepaliveBytes -= size;
    }
  }

  // JSON characters per jzb character, learned from the last compression; Pendo's agent guesses 5 bytes per
  // compressed byte, which is 3.75 per base64 character.
  let density = 3.75;

  /** How many events from the head of the queue should compress to a jzb within the POST limit. */
  function estimate(q: Queue): number {
    let count = 0;
    for (let raw = 1; count < q.events.length; count++) {
      raw += JSON.stringify(q.events[count]).length + 1;
      if (count && raw / density > POST_MAX * 0.9) break;
    }
    return count;
  }

  /** The next silo at the head of the queue: cut by estimate, then, when it compresses too large, halved (or
   *  cut to the new estimate if smaller) until it fits. */
  async function silo(q: Queue): Promise<Payload | null> {
    for (let count = estimate(q); ;) {
      const events = q.events.slice(0, count);
      if (!events.length) return null;
      const json = JSON.stringify(events);
      const text = await jzb(json, compression);
      density = json.length / text.length;
      if (text.length <= POST_MAX) return { events, text };
      if (count === 1) {
        warn(`an event of ${text.length} characters compressed was dropped`);
        sent(q, events);
        return null;
      }
      count = Math.min(Math.ceil(count / 2), estimate(q));
    }
  }

  async function drainQueue(name: QueueName, q: Queue): Promise<void> {
    while (!stopped && q.events.length) {
      const payload = q.payload ?? (q.payload = await silo(q));
      if (!payload || stopped) continue;
      if (await transmit(name, payload.text, q.failures)) q.failures = 0;
      else if (stopped) return;
      else if (++q.failures < MAX_FAILURES) {
        q.retry = setTimeout(() => {
          q.retry = undefined;
          void run(name);
        }, 1000 * 2 ** Math.min(q.failures - 1, 6));
        return;
      } else {
        warn(`${payload.events.length} events dropped after ${MAX_FAILURES} failed requests`);
        q.failures = 0;
      }
      q.payload = null;
      sent(q, payload.events);
    }
  }

  /** Sends the queue until it is empty or waits for a retry; one run at a time per queue. */
  function run(name: QueueName): Promise<void> {
    const q = queues[name];
    if (!q.sending && !q.retry && !stopped) q.sending = drainQueue(name, q).finally(() => (q.sending = undefined));
    return q.sending ?? Promise.resolve();
  }

  async function flush(): Promise<void> {
    await Promise.all(QUEUES.map(run));
  }

  /** Hidden or unloading: everything unsent goes at once in keepalive requests (or beacons), encoded without
   *  waiting for a compressor. What does not fit the keepalive quota stays stored for the next page. */
  function unload(): void {
    saveNow();
    for (const name of QUEUES) {
      const q = queues[name];
      const rest = q.events.filter((event) => !unloading.has(event));
      while (rest.length && !stopped) {
        let count = rest.length;
        let text = jzbNow(rest);
        const fits = () => text.length <= (beacon ? POST_MAX : GET_MAX) || text.length <= POST_MAX - keepaliveBytes;
        while (!fits() && count > 1) text = jzbNow(rest.slice(0, (count = Math.ceil(count / 2))));
        if (!fits()) break;
        const events = rest.splice(0, count);
        for (const event of events) unloading.add(event);
        if (beacon) {
          // A beacon has no answer: its events stay stored, and come again from the next page if need be.
          if (!beacon(...(beaconRequest(name, text, q.failures, true) as [string, string]))) break;
        } else {
          void transmit(name, text, q.failures).then((ok) => {
            for (const event of events) unloading.delete(event);
            if (ok) sent(q, events);
          });
        }
      }
    }
  }

  const onVisibility = () => doc?.visibilityState === 'hidden' && unload();
  doc?.addEventListener('visibilitychange', onVisibility);
  win?.addEventListener('pagehide', unload);
  const interval = setInterval(() => void flush(), FLUSH_EVERY);

  function teardown(): void {
    if (!stopped && !doNotProcess) saveNow();
    stopped = true;
    clearInterval(interval);
    clearTimeout(guideTimer);
    clearTimeout(saveTimer);
    for (const name of QUEUES) clearTimeout(queues[name].retry);
    doc?.removeEventListener('visibilitychange', onVisibility);
    win?.removeEventListener('pagehide', unload);
  }

  function refuse(): GuideAnswer {
    // The visitor asked not to be processed: nothing more is sent, and nothing of theirs is kept.
    doNotProcess = true;
    teardown();
    for (const name of QUEUES) queues[name] = { events: [], payload: null, failures: 0 };
    store.write(null);
    return { kind: 'doNotProcess' };
  }

  async function requestGuides(request: GuideRequest): Promise<GuideAnswer> {
    if (doNotProcess) return { kind: 'doNotProcess' };
    const id = String(++guideRequests);
    const text = await jzb(request, compression);
    const base = `${dataHost}/data/guide.json/${apiKey}?id=${id}`;
    const tail = `&v=${version}&ct=${now()}`;
    const get = base + '&jzb=' + text + tail;
    try {
      const response = await send(...((get.length <= URL_MAX ? [get, {}]
        : [base + tail, { method: 'POST', body: JSON.stringify({ events: text }), headers: TEXT }]) as [string, RequestInit]));
      if (response.status === 451) return refuse();
      if (!response.ok) return { kind: 'failed' };
      const payload = (await response.json()) as GuidePayload | null;
      if (payload?.statusCode === 451) return refuse();
      if (!payload || !Array.isArray(payload.guides) || (typeof payload.id === 'string' && payload.id !== id)) return { kind: 'failed' };
      return { kind: 'guides', payload };
    } catch {
      return { kind: 'failed' };
    }
  }

  let restored = false;
  for (const unsent of store.adopt()) {
    for (const name of QUEUES) {
      const events = unsent[name];
      if (Array.isArray(events) && events.length) {
        queues[name].events.push(...events);
        restored = true;
      }
    }
  }
  if (restored) {
    save();
    void flush();
  }

  return {
    enqueue(name, event) {
      if (stopped) return;
      const queued: AgentEvent = { ...event, sequence: sequence++ };
      if (name === 'ptm' || name === 'track') {
        queued.bytes = JSON.stringify(queued).length;
      }
      const q = queues[name];
      if (q.events.push(queued) > QUEUE_MAX) {
        q.events.shift();
        warn(`more than ${QUEUE_MAX} ${name} events wait to be sent; the oldest was dropped`);
      }
      save();
      if (name === 'guide') {
        clearTimeout(guideTimer);
        guideTimer = setTimeout(() => void run('guide'), GUIDE_DELAY);
      } else if (name === 'poll') void run('poll');
    },
    flush,
    requestGuides,
    teardown,
  };
}
