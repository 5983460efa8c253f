// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { install, nextTick, resetPage, VISITOR_1, type Agent } from './core-fakes';

let agent: Agent;
beforeEach(() => {
  resetPage('/shop?step=1&token=abc#top');
  document.body.innerHTML = `<main id="content"><button id="buy" name="buy">Buy</button>
    <form id="form"><input id="q" name="q" value="private"><select id="s"><option>a</option></select></form>
    <div class="pendo-ignore"><span><a id="ignored" href="/x">x</a></span></div>
    <button id="self-ignored" class="pendo-analytics-ignore">y</button>
    <div id="pendo-base"><button id="pendo-button-ok">Got it</button></div></main>`;
  agent = install();
  agent.pendo.initialize(VISITOR_1);
  agent.transport.queued.length = 0;
});
afterEach(() => agent.pendo.teardown());

const byId = (id: string) => document.getElementById(id)!;
const click = (id: string, init: MouseEventInit = {}) =>
  byId(id).dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true, ...init }));

describe('DOM capture', () => {
  it('sends a click with the element path and the buttons and modifier keys as flags', () => {
    click('buy');
    click('buy', { button: 1, ctrlKey: true, shiftKey: true });
    const [plain, modified] = agent.transport.events();
    expect(plain.type).toBe('click');
    expect(plain.props.target).toMatchObject({ tag: 'BUTTON', id: 'buy', attrs: { name: 'buy' }, flags: ['left'] });
    expect((plain.props.target as { parentElem: { tag: string } }).parentElem.tag).toBe('MAIN');
    expect(Object.keys(plain.props.target as object)).toEqual(
      ['tag', 'id', 'cls', 'title', 'attrs', 'myIndex', 'childIndex', 'flags', 'parentElem']);
    expect((modified.props.target as { flags: string[] }).flags).toEqual(['middle', 'ctrlKey', 'shiftKey']);
  });

  it('does not flush clicks on its own', async () => {
    await nextTick();
    const flushes = agent.transport.flushes;
    click('buy');
    await nextTick();
    expect(agent.transport.flushes).toBe(flushes);
    await agent.pendo.flushNow();
    expect(agent.transport.flushes).toBe(flushes + 1);
  });

  it('sends focus, submit and change, never a field\'s value', () => {
    byId('q').dispatchEvent(new FocusEvent('focus'));
    byId('q').dispatchEvent(new Event('change', { bubbles: true }));
    byId('form').dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
    expect(agent.transport.types()).toEqual(['focus', 'change', 'submit']);
    const [focus] = agent.transport.events();
    expect(focus.props.target).toMatchObject({ tag: 'INPUT', attrs: { name: 'q' } });
    expect(JSON.stringify(agent.transport.events())).not.toContain('private');
    expect(focus.props.target).not.toHaveProperty('flags');
  });

  it('sends the first change and ignores further ones for 5 seconds', () => {
    const change = (id: string) => byId(id).dispatchEvent(new Event('change', { bubbles: true }));
    change('q');
    agent.clock.now += 4999;
    change('s');
    agent.clock.now += 1;
    change('s');
    expect(agent.transport.events().map((e) => (e.props.target as { id: string }).id)).toEqual(['q', 's']);
  });

  it('ignores elements in or marked pendo-ignore / pendo-analytics-ignore, and clicks in guides', () => {
    click('ignored');
    click('self-ignored');
    click('pendo-button-ok');
    expect(agent.transport.queued).toEqual([]);
  });

  it('adds text only when excludeAllText is false and neither the application nor the page says true', () => {
    const txtWith = (settings: { excludeAllText?: boolean }, excludeAllText?: boolean) => {
      agent.pendo.teardown();
      agent = install({ settings });
      agent.pendo.initialize({ ...VISITOR_1, excludeAllText });
      click('buy');
      return (agent.transport.events().at(-1)!.props.target as { txt?: string }).txt;
    };
    expect(txtWith({})).toBeUndefined();
    expect(txtWith({ excludeAllText: true })).toBeUndefined();
    expect(txtWith({ excludeAllText: false })).toBe('Buy');
    expect(txtWith({}, false)).toBe('Buy');
    expect(txtWith({ excludeAllText: false }, true)).toBeUndefined();
    expect(txtWith({ excludeAllText: true }, false)).toBeUndefined();
  });

  it('captures the application\'s extra attributes', () => {
    agent.pendo.teardown();
    byId('buy').setAttribute('data-testid', 'buy-button');
    agent = install({ settings: { htmlAttributes: ['data-testid'] } });
    agent.pendo.initialize(VISITOR_1);
    click('buy');
    expect(agent.transport.events().at(-1)!.props.target).toMatchObject({ attrs: { name: 'buy', 'data-testid': 'buy-button' } });
  });

  it('stops listening on teardown', () => {
    agent.pendo.teardown();
    click('buy');
    expect(agent.transport.queued).toEqual([]);
    expect(agent.pendo.isReady()).toBe(false);
  });
});

describe('URLs', () => {
  it('keep only the whitelisted query parameters, then add annotateUrl\'s, then pass sanitizeUrl', () => {
    agent.pendo.teardown();
    agent = install();
    agent.pendo.initialize({
      ...VISITOR_1,
      queryStringWhitelist: ['step'],
      annotateUrl: () => ({ tenant: 'a b' }),
      sanitizeUrl: (url: string) => url.replace('/shop', '/store'),
    });
    expect(agent.transport.events().at(-1)!.url).toBe('http://localhost:3000/store?step=1&tenant=a%20b#top');
  });

  it('are location.href as is without options', () => {
    click('buy');
    expect(agent.transport.events()[0].url).toBe('http://localhost:3000/shop?step=1&token=abc#top');
  });

  it('without a whitelisted parameter lose their query string', () => {
    agent.pendo.teardown();
    agent = install();
    agent.pendo.initialize({ ...VISITOR_1, queryStringWhitelist: [] });
    expect(agent.transport.events().at(-1)!.url).toBe('http://localhost:3000/shop#top');
  });
});

describe('track', () => {
  it('queues track events on their own queue with the name after the envelope', () => {
    agent.pendo.track('Purchased', { plan: 'pro', amount: 42 });
    agent.pendo.track('', 'odd');
    const [purchased, unnamed] = agent.transport.events('track');
    expect(agent.transport.events('ptm')).toEqual([]);
    expect(Object.keys(purchased)).toEqual(
      ['type', 'browser_time', 'visitor_id', 'account_id', 'url', 'props', 'tabId', 'frameId', 'track_event_name', 'sessionId', 'utm']);
    expect(purchased).toMatchObject({ type: 'track', track_event_name: 'Purchased', props: { plan: 'pro', amount: 42 } });
    expect(unnamed).toMatchObject({ track_event_name: '_PENDO_UNNAMED_', props: { __err__: 'odd' } });
  });
});
