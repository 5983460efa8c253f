// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GuideAnswer } from '../src/contract';
import { install, nextTick, resetPage, VISITOR_1, type Agent } from './core-fakes';

let agent: Agent;
beforeEach(() => {
  resetPage('/shop');
  document.body.innerHTML = '<main><button id="buy" name="buy">Buy</button></main>';
});
afterEach(() => agent.pendo.teardown());

const paths = () => agent.transport.queued.map(({ event }) => `${event.type} ${event.url.replace('http://localhost:3000', '')}`);

describe('page loads', () => {
  it('record a visit like the Pendo agent does (PendoAgentCompatibilityTests)', () => {
    agent = install();
    agent.pendo.initialize(VISITOR_1);
    const buy = document.getElementById('buy')!;
    buy.dispatchEvent(new FocusEvent('focus'));
    buy.click();
    history.pushState({}, '', '/checkout?step=2');
    agent.pendo.track('Purchased', { plan: 'pro', amount: 42 });
    expect(paths()).toEqual([
      'identify /shop', 'meta /shop', 'load /shop', 'focus /shop', 'click /shop', 'load /checkout?step=2',
      'track /checkout?step=2',
    ]);
  });

  it('are sent once per distinct URL on pushState, replaceState, popstate and hashchange', async () => {
    agent = install();
    agent.pendo.initialize(VISITOR_1);
    await nextTick();
    const flushes = agent.transport.flushes;
    history.pushState({}, '', '/a');
    history.replaceState({}, '', '/a');
    history.replaceState({}, '', '/b');
    history.pushState({}, '', '/b#x');
    window.dispatchEvent(new Event('hashchange'));
    history.back();
    await nextTick();
    window.dispatchEvent(new Event('popstate'));
    // The browser changing the URL on its own, as following an in-page link does.
    const changeUrlSilently = (url: string) => History.prototype.replaceState.call(history, null, '', url);
    changeUrlSilently('/b#y');
    window.dispatchEvent(new Event('hashchange'));
    changeUrlSilently('/c');
    window.dispatchEvent(new Event('popstate'));
    expect(paths().filter((p) => p.startsWith('load'))).toEqual(
      ['load /shop', 'load /a', 'load /b', 'load /b#x', 'load /b', 'load /b#y', 'load /c']);
    expect(agent.engine.urlChanges).toBe(6);
    expect(agent.transport.flushes).toBeGreaterThan(flushes);
  });

  it('compare URLs after the URL options, so a removed parameter is no new page', () => {
    agent = install();
    agent.pendo.initialize({ ...VISITOR_1, queryStringWhitelist: ['step'] });
    history.pushState({}, '', '/shop?session=1');
    history.pushState({}, '', '/shop?step=1');
    expect(paths().filter((p) => p.startsWith('load'))).toEqual(['load /shop', 'load /shop?step=1']);
  });

  it('are sent by pendo.pageLoad, with the URL it is given', () => {
    agent = install();
    agent.pendo.initialize(VISITOR_1);
    agent.pendo.pageLoad();
    agent.pendo.pageLoad('http://localhost:3000/virtual');
    expect(paths().filter((p) => p.startsWith('load'))).toEqual(['load /shop', 'load /shop', 'load /virtual']);
  });

  it('stop with teardown, which gives history its methods back', () => {
    const pushState = history.pushState;
    agent = install();
    agent.pendo.initialize(VISITOR_1);
    expect(history.pushState).not.toBe(pushState);
    agent.pendo.teardown();
    expect(history.pushState).toBe(pushState);
    history.pushState({}, '', '/after');
    expect(paths().filter((p) => p.startsWith('load'))).toEqual(['load /shop']);
    expect(agent.transport.tornDown).toBe(true);
    expect(agent.engine.calls).toContain('teardown');
  });
});

describe('guides', () => {
  it('are asked for once after initialize, with visitor, account, URL and metadata', async () => {
    agent = install();
    agent.pendo.initialize(VISITOR_1);
    expect(agent.transport.requests).toEqual([]);
    await nextTick();
    expect(agent.transport.requests).toHaveLength(1);
    const [meta] = agent.transport.events().filter((e) => e.type === 'meta');
    expect(agent.transport.requests[0]).toEqual({
      visitorId: 'visitor-1', accountId: 'account-1', url: 'http://localhost:3000/shop', metadata: meta.props,
    });
  });

  it('are asked for again only when URL, visitor, account or metadata changed', async () => {
    agent = install();
    agent.pendo.initialize(VISITOR_1);
    await nextTick();
    agent.pendo.pageLoad();
    agent.pendo.updateOptions(VISITOR_1);
    await nextTick();
    expect(agent.transport.requests).toHaveLength(1);
    history.pushState({}, '', '/next');
    await nextTick();
    agent.pendo.identify('visitor-1', 'account-2');
    await nextTick();
    agent.pendo.updateOptions({ account: { id: 'account-2', plan: 'pro' } });
    await nextTick();
    expect(agent.transport.requests.map((r) => [r.url, r.accountId, (r.metadata!.account as { plan?: string }).plan])).toEqual([
      ['http://localhost:3000/shop', 'account-1', undefined],
      ['http://localhost:3000/next', 'account-1', undefined],
      ['http://localhost:3000/next', 'account-2', undefined],
      ['http://localhost:3000/next', 'account-2', 'pro'],
    ]);
  });

  it('go to the engine, then events.guidesLoaded runs; pendo.guides shows the engine\'s guides', async () => {
    let loaded = 0;
    agent = install();
    const guides = [{ id: 'g1', steps: [] }];
    agent.pendo.initialize({ ...VISITOR_1, events: { guidesLoaded: () => loaded++ } });
    agent.transport.answer = { kind: 'guides', payload: { guides } };
    expect(agent.pendo.guides).toEqual([]);
    await nextTick();
    expect(agent.engine.payloads).toEqual([{ guides }]);
    expect(loaded).toBe(1);
    expect(agent.pendo.guides).toBe(guides);
  });

  it('that failed call events.guidesFailed and are asked for again at the next occasion', async () => {
    let failed = 0;
    agent = install();
    agent.pendo.initialize({ ...VISITOR_1, events: { guidesFailed: () => failed++ } });
    agent.transport.answer = { kind: 'failed' };
    await nextTick();
    expect(failed).toBe(1);
    agent.pendo.pageLoad();
    await nextTick();
    expect(agent.transport.requests).toHaveLength(2);
  });

  it('ignore an answer that a newer question overtook', async () => {
    agent = install();
    agent.pendo.initialize(VISITOR_1);
    const answers: ((answer: GuideAnswer) => void)[] = [];
    agent.transport.requestGuides = (request) => {
      agent.transport.requests.push(request);
      return new Promise((resolve) => answers.push(resolve));
    };
    await nextTick();
    history.pushState({}, '', '/next');
    await nextTick();
    answers[1]({ kind: 'guides', payload: { guides: [{ id: 'new', steps: [] }] } });
    answers[0]({ kind: 'guides', payload: { guides: [{ id: 'old', steps: [] }] } });
    await nextTick();
    expect(agent.engine.payloads.map((p) => p.guides[0].id)).toEqual(['new']);
  });

  it('answered with do-not-process stop the agent', async () => {
    agent = install();
    agent.pendo.initialize(VISITOR_1);
    agent.transport.answer = { kind: 'doNotProcess' };
    await nextTick();
    const sent = agent.transport.queued.length;
    expect(agent.pendo.doNotProcess).toBe(true);
    expect(agent.pendo.isReady()).toBe(false);
    expect(agent.engine.calls).toContain('teardown');
    agent.pendo.track('After');
    document.getElementById('buy')!.click();
    history.pushState({}, '', '/after');
    agent.pendo.initialize(VISITOR_1);
    expect(agent.transport.queued).toHaveLength(sent);
    expect(agent.transports).toHaveLength(1);
  });

  it('get a host that wraps their events in the envelope, guide events on guide, poll responses on poll', () => {
    agent = install();
    agent.pendo.initialize({ ...VISITOR_1, sanitizeUrl: (url: string) => url.toUpperCase() });
    const { host } = agent.engine;
    expect(host.url()).toBe('HTTP://LOCALHOST:3000/SHOP');
    host.guideEvent('guideSeen', { guide_id: 'g1', guide_step_id: 's1', reason: 'auto' });
    host.pollEvent({ guide_id: 'g1', poll_id: 'p1', poll_response: 5 });
    const [seen] = agent.transport.events('guide');
    expect(Object.keys(seen)).toEqual(
      ['type', 'visitor_id', 'account_id', 'browser_time', 'url', 'props', 'tabId', 'frameId', 'sessionId', 'utm']);
    expect(seen).toMatchObject({
      type: 'guideSeen', visitor_id: 'visitor-1', account_id: 'account-1', url: 'HTTP://LOCALHOST:3000/SHOP',
      props: { guide_id: 'g1', guide_step_id: 's1', reason: 'auto' }, utm: { channel: 'Direct' },
    });
    expect(agent.transport.events('poll')[0]).toMatchObject({ type: 'pollResponse', props: { poll_id: 'p1', poll_response: 5 } });
  });

  it('are driven from the page through showGuideById, onGuideAdvanced and onGuideDismissed', () => {
    agent = install();
    expect(agent.pendo.showGuideById('g1')).toBe(false);
    agent.pendo.initialize(VISITOR_1);
    expect(agent.pendo.showGuideById('g1')).toBe(true);
    agent.pendo.onGuideAdvanced();
    agent.pendo.onGuideDismissed();
    expect(agent.engine.calls).toEqual(['show g1', 'advance', 'dismiss']);
  });
});
