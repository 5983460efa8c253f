// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { API_KEY, install, nextTick, resetPage, VISITOR_1, type Agent } from './core-fakes';

let agent: Agent | undefined;
beforeEach(() => resetPage('/shop'));
afterEach(() => agent?.pendo.teardown());

describe('initialize', () => {
  it('sends identify, meta and load, in that order, and flushes them on the next tick', async () => {
    agent = install();
    agent.pendo.initialize(VISITOR_1);
    const { transport } = agent;
    expect(transport.types()).toEqual(['identify', 'meta', 'load']);
    expect(transport.flushes).toBe(0);
    await nextTick();
    expect(transport.flushes).toBe(1);
    expect(transport.options).toEqual({ apiKey: API_KEY, dataHost: 'http://127.0.0.1:5000', version: agent.pendo.VERSION });
  });

  it('builds events in Pendo\'s field order with the envelope every event shares', () => {
    agent = install();
    agent.pendo.initialize(VISITOR_1);
    const [identify, meta, load] = agent.transport.events();
    expect(Object.keys(load)).toEqual(
      ['type', 'browser_time', 'visitor_id', 'account_id', 'url', 'props', 'tabId', 'frameId', 'sessionId', 'utm']);
    expect(load).toMatchObject({
      type: 'load', browser_time: agent.clock.now, visitor_id: 'visitor-1', account_id: 'account-1',
      url: 'http://localhost:3000/shop', props: { load_time: expect.any(Number) }, utm: { channel: 'Direct' },
    });
    expect(load.tabId).toMatch(/^[A-Za-z0-9]{16}$/);
    expect(load.frameId).toMatch(/^[A-Za-z0-9]{16}$/);
    expect(load.sessionId).toMatch(/^[A-Za-z0-9]{16}$/);
    expect(sessionStorage.getItem('pendo_tabId')).toBe(load.tabId);
    for (const event of [identify, meta]) {
      expect([event.tabId, event.frameId, event.sessionId]).toEqual([load.tabId, load.frameId, load.sessionId]);
    }
    expect(identify.props).toEqual({ old_account_id: null, visitor_id: 'visitor-1', account_id: 'account-1' });
    expect(meta.props).toEqual({
      visitor: { id: 'visitor-1', email: 'v1@example.test', full_name: 'Visitor One', language: 'en_US' },
      account: { id: 'account-1', name: 'Acme' }, parentAccount: {}, date: '22/11/2025',
      version: agent.pendo.VERSION, selfHosted: true,
    });
  });

  it('sends only the load on a reload of the same visitor the same day', () => {
    agent = install();
    agent.pendo.initialize(VISITOR_1);
    agent.pendo.teardown();
    agent = install();
    agent.pendo.initialize(VISITOR_1);
    expect(agent.transport.types()).toEqual(['load']);
  });

  it('sends meta again when the metadata or the day changes', () => {
    agent = install();
    agent.pendo.initialize(VISITOR_1);
    agent.pendo.updateOptions({ visitor: { ...VISITOR_1.visitor, plan: 'pro' } });
    agent.pendo.updateOptions({ visitor: { ...VISITOR_1.visitor, plan: 'pro' } });
    expect(agent.transport.types()).toEqual(['identify', 'meta', 'load', 'meta']);
    expect(agent.transport.events().at(-1)!.props.visitor).toEqual({ ...VISITOR_1.visitor, plan: 'pro', language: 'en_US' });
    agent.clock.now += 24 * 3600 * 1000;
    agent.pendo.updateOptions({ visitor: { ...VISITOR_1.visitor, plan: 'pro' } });
    expect(agent.transport.types()).toEqual(['identify', 'meta', 'load', 'meta', 'meta']);
  });

  it('waits for the document to load unless initializeImmediately', () => {
    const readyState = Object.getOwnPropertyDescriptor(Document.prototype, 'readyState')!;
    Object.defineProperty(document, 'readyState', { value: 'interactive', configurable: true });
    try {
      agent = install();
      agent.pendo.initialize({ ...VISITOR_1, initializeImmediately: false });
      agent.pendo.track('Early');
      expect(agent.pendo.isReady()).toBe(false);
      expect(agent.transports).toHaveLength(0);
      window.dispatchEvent(new Event('load'));
      expect(agent.pendo.isReady()).toBe(true);
      expect(agent.transport.types()).toEqual(['identify', 'meta', 'load']);
      expect(agent.transport.events('track').map((e) => e.track_event_name)).toEqual(['Early']);
    } finally {
      delete (document as unknown as Record<string, unknown>).readyState;
      expect(Object.getOwnPropertyDescriptor(Document.prototype, 'readyState')).toEqual(readyState);
    }
  });

  it('calls events.ready once started, and takes apiKey and dataHost from the options over the baked settings', () => {
    let ready = 0;
    agent = install();
    agent.pendo.initialize({ ...VISITOR_1, apiKey: 'other', dataHost: 'https://data.example', events: { ready: () => ready++ } });
    expect(ready).toBe(1);
    expect(agent.transport.options).toMatchObject({ apiKey: 'other', dataHost: 'https://data.example' });
    expect(localStorage.getItem('_pendo_visitorId.other')).toContain('"value":"visitor-1"');
  });

  it('joins a parent account\'s id to the account id', () => {
    agent = install();
    agent.pendo.initialize({ ...VISITOR_1, parentAccount: { id: 'parent-1' } });
    const [identify, meta] = agent.transport.events();
    expect(identify.account_id).toBe('parent-1::account-1');
    expect((meta.props.account as { id: string }).id).toBe('parent-1::account-1');
    expect(meta.props.parentAccount).toEqual({ id: 'parent-1' });
    expect(agent.pendo.getAccountId()).toBe('parent-1::account-1');
  });

  it('sends data to the origin it was loaded from unless the page names a dataHost', () => {
    agent = install({ scriptUrl: `https://gp.example:8443/agent/static/${API_KEY}/pendo.js` });
    agent.pendo.initialize(VISITOR_1);
    expect(agent.transport.options.dataHost).toBe('https://gp.example:8443');
  });

  it('is not self-hosted when loaded from the agent\'s static path, as Pendo\'s own snippet loads it', () => {
    agent = install({ scriptUrl: `http://127.0.0.1:5000/agent/static/${API_KEY}/pendo.js` });
    agent.pendo.initialize(VISITOR_1);
    expect(agent.transport.events()[1].props).not.toHaveProperty('selfHosted');
  });
});

describe('the snippet\'s queue', () => {
  it('runs initialize first, then the other calls in order, keeping the snippet\'s object', () => {
    const stub = { _q: [] as unknown[][] };
    stub._q.push(['track', 'Before', { n: 1 }]);
    stub._q.push(['identify', 'visitor-2']);
    stub._q.unshift(['initialize', VISITOR_1]);
    agent = install({ stub });
    expect(agent.pendo).toBe(stub);
    expect((window as unknown as { pendo: unknown }).pendo).toBe(stub);
    expect(stub._q).toEqual([]);
    expect(agent.transport.queued.map((q) => q.event.type)).toEqual(['identify', 'meta', 'load', 'track', 'meta']);
    expect(agent.transport.events('track')[0]).toMatchObject({ visitor_id: 'visitor-1', props: { n: 1 } });
    expect(agent.pendo.getVisitorId()).toBe('visitor-2');
  });

  it('keeps calls made before initialize until it runs', () => {
    agent = install({ stub: { _q: [['track', 'Queued']] } });
    agent.pendo.pageLoad();
    expect(agent.transports).toHaveLength(0);
    agent.pendo.initialize(VISITOR_1);
    expect(agent.transport.queued.map((q) => q.event.type)).toEqual(['identify', 'meta', 'load', 'track', 'load']);
  });
});
