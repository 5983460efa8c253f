// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { API_KEY, install, nextTick, resetPage, VISITOR_1, type Agent } from './core-fakes';

let agent: Agent | undefined;
beforeEach(() => resetPage('/'));
afterEach(() => agent?.pendo.teardown());

const ANONYMOUS = /^_PENDO_T_[A-Za-z0-9]{11}$/;
const stored = (name: string) => JSON.parse(localStorage.getItem(`_pendo_${name}.${API_KEY}`) ?? 'null');

describe('identity', () => {
  it('makes an anonymous visitor without an id, stored for 100 days, and sends no identify', () => {
    agent = install();
    agent.pendo.initialize({ initializeImmediately: true });
    const visitorId = agent.pendo.getVisitorId();
    expect(visitorId).toMatch(ANONYMOUS);
    expect(agent.pendo.isAnonymousVisitor()).toBe(true);
    expect(agent.pendo.isAnonymousVisitor('visitor-1')).toBe(false);
    expect(agent.pendo.getAccountId()).toBeNull();
    expect(stored('visitorId')).toEqual({ ttl: agent.clock.now + 100 * 24 * 3600 * 1000, value: visitorId });
    expect(agent.transport.types()).toEqual(['meta', 'load']);
    expect(agent.transport.events()[1]).toMatchObject({ visitor_id: visitorId, account_id: null });
  });

  it('treats the snippet\'s placeholders and invalid ids as no id', () => {
    for (const id of ['VISITOR-UNIQUE-ID', '', '  ', true, {}, '::']) {
      resetPage('/');
      agent = install();
      agent.pendo.initialize({ visitor: { id }, account: { id: 'ACCOUNT-UNIQUE-ID' }, initializeImmediately: true });
      expect(agent.pendo.getVisitorId()).toMatch(ANONYMOUS);
      expect(agent.pendo.getAccountId()).toBeNull();
      agent.pendo.teardown();
    }
    agent = install();
    agent.pendo.initialize({ visitor: { id: 42 }, initializeImmediately: true });
    expect(agent.pendo.getVisitorId()).toBe('42');
  });

  it('sends identify from anonymous to identified, with the old id, and asks guides with oldVisitorId', async () => {
    agent = install();
    agent.pendo.initialize({ initializeImmediately: true });
    const anonymous = agent.pendo.getVisitorId();
    await nextTick();
    agent.pendo.identify('visitor-1');
    const identify = agent.transport.events().find((e) => e.type === 'identify')!;
    expect(identify).toMatchObject({ visitor_id: 'visitor-1', account_id: null });
    expect(identify.props).toEqual({ old_visitor_id: anonymous, old_account_id: null, visitor_id: 'visitor-1', account_id: null });
    await nextTick();
    expect(agent.transport.requests.at(-1)).toMatchObject({ visitorId: 'visitor-1', oldVisitorId: anonymous });
  });

  it('sends identify when the account changes, not when one identified visitor replaces another', () => {
    agent = install();
    agent.pendo.initialize(VISITOR_1);
    const session = agent.transport.events()[0].sessionId;
    agent.pendo.identify('visitor-2');
    agent.pendo.identify('visitor-2', 'account-2');
    agent.pendo.identify({ visitor: { id: 'visitor-2' }, account: { id: 'account-2', plan: 'x' } });
    const identifies = agent.transport.events().filter((e) => e.type === 'identify');
    expect(identifies.map((e) => e.props)).toEqual([
      { old_account_id: null, visitor_id: 'visitor-1', account_id: 'account-1' },
      { old_visitor_id: 'visitor-2', old_account_id: 'account-1', visitor_id: 'visitor-2', account_id: 'account-2' },
    ]);
    // A new identified visitor starts a new session.
    expect(agent.transport.events().at(-1)!.sessionId).not.toBe(session);
  });

  it('clearSession makes a new anonymous visitor without an identify event', () => {
    agent = install();
    agent.pendo.initialize(VISITOR_1);
    agent.pendo.clearSession();
    expect(agent.pendo.getVisitorId()).toMatch(ANONYMOUS);
    expect(agent.pendo.getAccountId()).toBeNull();
    agent.pendo.track('After');
    expect(agent.transport.types()).toEqual(['identify', 'meta', 'load']);
    expect(agent.transport.events('track')[0]).toMatchObject({ visitor_id: agent.pendo.getVisitorId(), account_id: null });
  });

  it('disablePersistence keeps ids in memory and removes what earlier pages stored', () => {
    agent = install();
    agent.pendo.initialize(VISITOR_1);
    agent.pendo.teardown();
    expect(stored('visitorId').value).toBe('visitor-1');
    agent = install();
    agent.pendo.initialize({ visitor: { id: 'visitor-9' }, disablePersistence: true, initializeImmediately: true });
    expect(agent.pendo.getVisitorId()).toBe('visitor-9');
    expect(agent.pendo.getAccountId()).toBeNull();
    expect(stored('visitorId')).toBeNull();
    expect(stored('accountId')).toBeNull();
    expect(Object.keys(localStorage).filter((key) => key.startsWith('_pendo_'))).toEqual([]);
  });

  it('stores ids in cookies of the cookieDomain instead of localStorage', () => {
    // Cookies expire by the real clock.
    agent = install({ now: Date.now() });
    agent.pendo.initialize({ ...VISITOR_1, cookieDomain: 'localhost' });
    expect(localStorage.getItem(`_pendo_visitorId.${API_KEY}`)).toBeNull();
    expect(decodeURIComponent(document.cookie)).toContain(`_pendo_visitorId.${API_KEY}={"ttl":`);
    agent.pendo.teardown();
    agent = install({ now: Date.now() });
    agent.pendo.initialize({ cookieDomain: 'localhost', initializeImmediately: true });
    expect(agent.pendo.getVisitorId()).toBe('visitor-1');
    document.cookie = `_pendo_visitorId.${API_KEY}=; expires=Thu, 01 Jan 1970 00:00:00 GMT; domain=localhost; path=/`;
  });

  it('forgets an id whose lifetime is over', () => {
    agent = install();
    agent.pendo.initialize({ initializeImmediately: true });
    const first = agent.pendo.getVisitorId();
    agent.pendo.teardown();
    agent = install({ now: agent.clock.now + 101 * 24 * 3600 * 1000 });
    agent.pendo.initialize({ initializeImmediately: true });
    expect(agent.pendo.getVisitorId()).not.toBe(first);
  });

  it('drops anonymous visitors\' events and guide requests when the application drops them', async () => {
    agent = install({ settings: { dropAnonymous: true } });
    agent.pendo.initialize({ initializeImmediately: true });
    agent.pendo.track('Anonymous');
    await nextTick();
    expect(agent.transport.queued).toEqual([]);
    expect(agent.transport.requests).toEqual([]);
    agent.pendo.identify('visitor-1');
    expect(agent.transport.types()).toEqual(['identify', 'meta']);
  });
});

describe('sessions', () => {
  it('keep their id while active and rotate after 30 minutes without activity', () => {
    agent = install();
    agent.pendo.initialize(VISITOR_1);
    const sessionId = () => agent!.transport.queued.at(-1)!.event.sessionId;
    const first = sessionId();
    expect(JSON.parse(localStorage.getItem(`_pendo_sessionId.${API_KEY}`)!)).toEqual({ sessionId: first, timestamp: agent.clock.now });
    agent.clock.now += 29 * 60 * 1000;
    agent.pendo.track('Still here');
    expect(sessionId()).toBe(first);
    agent.clock.now += 29 * 60 * 1000;
    agent.pendo.track('Still here');
    expect(sessionId()).toBe(first);
    agent.clock.now += 30 * 60 * 1000 + 1;
    agent.pendo.track('Back');
    expect(sessionId()).toMatch(/^[A-Za-z0-9]{16}$/);
    expect(sessionId()).not.toBe(first);
  });

  it('continue across page loads of the same tab', () => {
    agent = install();
    agent.pendo.initialize(VISITOR_1);
    const { sessionId, tabId, frameId } = agent.transport.events()[0];
    agent.pendo.teardown();
    agent = install();
    agent.pendo.initialize(VISITOR_1);
    const load = agent.transport.events()[0];
    expect([load.sessionId, load.tabId]).toEqual([sessionId, tabId]);
    expect(load.frameId).not.toBe(frameId);
  });

  it('take UTM parameters of the landing page', () => {
    resetPage('/landing?utm_source=news&utm_medium=email&utm_campaign=spring&x=1');
    agent = install();
    agent.pendo.initialize(VISITOR_1);
    history.pushState(null, '', '/next');
    expect(agent.transport.events().at(-1)!.utm).toEqual({ source: 'news', medium: 'email', campaign: 'spring' });
  });
});
