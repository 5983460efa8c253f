// The ids every event carries besides the visitor's (protocol §4.1): tab, frame, session and UTM data.
import { randomId } from '../util/random-id';
import type { AgentStorage } from './agent-storage';

const INACTIVITY_MS = 30 * 60 * 1000;

export interface Session {
  readonly tabId: string;
  readonly frameId: string;
  /** The session id for an event now; a session unused for 30 minutes is replaced. */
  touch(): string;
  /** A new session from now (one identified visitor replaced another). */
  rotate(): void;
  /** Where the session came from, worked out when it began. */
  utm(): Record<string, string>;
}

export function createSession(storage: AgentStorage, now: () => number): Session {
  const start = () => {
    storage.set('utm', JSON.stringify(utmOf(location.href, document.referrer)));
    return randomId(16);
  };
  const write = (sessionId: string) => storage.set('sessionId', JSON.stringify({ sessionId, timestamp: now() }));
  return {
    tabId: tabId(),
    frameId: randomId(16),
    touch() {
      const stored = parse<{ sessionId?: string; timestamp?: number }>(storage.get('sessionId'));
      const alive = stored?.sessionId && typeof stored.timestamp === 'number' && now() - stored.timestamp < INACTIVITY_MS;
      const sessionId = alive ? stored.sessionId! : start();
      write(sessionId);
      return sessionId;
    },
    rotate: () => write(start()),
    utm: () => parse<Record<string, string>>(storage.get('utm')) ?? utmOf(location.href, document.referrer),
  };
}

function tabId(): string {
  try {
    let id = sessionStorage.getItem('pendo_tabId');
    if (!id) sessionStorage.setItem('pendo_tabId', (id = randomId(16)));
    return id;
  } catch {
    return randomId(16);
  }
}

const SEARCH_ENGINES = /(^|\.)(google|bing|yahoo|duckduckgo|baidu|yandex|ecosia)\./;

/** UTM parameters of the landing URL, else the channel the referrer suggests (a simplified WebAnalytics). */
function utmOf(href: string, referrer: string): Record<string, string> {
  const utm: Record<string, string> = {};
  const params = new URL(href).searchParams;
  for (const name of ['source', 'medium', 'campaign', 'term', 'content']) {
    const value = params.get(`utm_${name}`);
    if (value) utm[name] = value;
  }
  if (Object.keys(utm).length) return utm;
  let from = '';
  try { from = referrer ? new URL(referrer).hostname : ''; } catch { /* not a URL: as if there were none */ }
  if (!from || from === location.hostname) return { channel: 'Direct' };
  return { channel: SEARCH_ENGINES.test(from) ? 'Organic Search' : 'Referral', referrer };
}

function parse<T>(text: string | null): T | undefined {
  try {
    return text ? (JSON.parse(text) as T) : undefined;
  } catch {
    return undefined;
  }
}
