// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import type { DomNode } from '../src/contract';
import { button, guide, heading, payload, simpleGuide, step, text, tree, useGuideEngine } from './guides-fixtures';

const harness = useGuideEngine('<main><button id="buy">Buy</button><button id="help">Help</button></main>');
const start = harness.start;

describe('showing an auto guide', () => {
  it('renders the step skeleton and sends guideSeen with reason auto', () => {
    start().setPayload(payload([simpleGuide()]));
    expect(document.querySelector('#pendo-base #pendo-g-s1 #pendo-guide-container #pendo-heading-0')!.textContent).toBe('Hello');
    expect(document.querySelector('#pendo-backdrop')).not.toBeNull();
    expect(harness.env.calls).toHaveLength(1);
    expect(harness.env.calls[0].type).toBe('guideSeen');
    const props = harness.env.calls[0].props;
    expect(Object.keys(props).slice(0, 2)).toEqual(['guide_id', 'guide_step_id']);
    expect(props).toMatchObject({ guide_id: 'g1', guide_step_id: 's1', reason: 'auto', last_updated_at: 1700000000000, language: 'en' });
    expect(props).not.toHaveProperty('step_poll_types');
  });

  it('leaves language out when the guide has none', () => {
    start().setPayload(payload([simpleGuide('g1', 's1', { language: undefined })]));
    expect(harness.env.calls[0].props).not.toHaveProperty('language');
  });

  it('gives a lightbox container role=dialog, aria-modal and aria-labelledby its heading', () => {
    start().setPayload(payload([simpleGuide()]));
    const container = document.querySelector('#pendo-guide-container')!;
    expect(container.getAttribute('role')).toBe('dialog');
    expect(container.getAttribute('aria-modal')).toBe('true');
    expect(container.getAttribute('aria-labelledby')).toBe('pendo-heading-0');
  });

  it('skips guides whose steps the server says were dismissed or advanced', () => {
    const dismissed = simpleGuide('g1', 's1');
    dismissed.steps[0].seenState = 'dismissed';
    const advanced = simpleGuide('g2', 's2');
    advanced.steps[0].seenState = 'advanced';
    const fresh = simpleGuide('g3', 's3');
    start().setPayload(payload([dismissed, advanced, fresh]));
    expect(document.querySelector('#pendo-g-s1')).toBeNull();
    expect(document.querySelector('#pendo-g-s2')).toBeNull();
    expect(document.querySelector('#pendo-g-s3')).not.toBeNull();
    expect(harness.env.calls.map((c) => c.props.guide_id)).toEqual(['g3']);
  });

  it('skips a snoozed guide until its snooze ends', () => {
    const snoozed = simpleGuide('g1', 's1');
    Object.assign(snoozed.steps[0], { seenState: 'snoozed', snoozeEndTime: Date.now() + 60_000 });
    start().setPayload(payload([snoozed]));
    expect(document.querySelector('#pendo-g-s1')).toBeNull();
    snoozed.steps[0].snoozeEndTime = Date.now() - 1;
    harness.engine!.setPayload(payload([snoozed]));
    expect(document.querySelector('#pendo-g-s1')).not.toBeNull();
  });

  it('shows only on pages its regexUrlRule matches, tested against the URL with a lower-case host', () => {
    const g = simpleGuide();
    g.steps[0].regexUrlRule = '^https?://app\\.example/orders/?(?:\\?[^#]*)?(?:#.*)?$';
    start('http://APP.example/home').setPayload(payload([g]));
    expect(document.querySelector('#pendo-base')).toBeNull();
    harness.env.host.href = 'http://APP.example/orders?x=1';
    harness.engine!.urlChanged();
    expect(document.querySelector('#pendo-g-s1')).not.toBeNull();
    harness.env.host.href = 'http://app.example/home';
    harness.engine!.urlChanged();
    expect(document.querySelector('#pendo-base')).toBeNull();
  });

  it('waits for the element of elementPathRule', () => {
    const g = simpleGuide();
    g.steps[0].elementPathRule = '#later';
    start().setPayload(payload([g]));
    expect(document.querySelector('#pendo-base')).toBeNull();
    document.body.insertAdjacentHTML('beforeend', '<div id="later">here</div>');
    harness.engine!.urlChanged();
    expect(document.querySelector('#pendo-g-s1')).not.toBeNull();
  });

  it('honours device, showsAfter and expiresAfter', () => {
    const now = Date.now();
    start().setPayload(payload([
      simpleGuide('g1', 's1', { attributes: { device: { desktop: false, mobile: true } } }),
      simpleGuide('g2', 's2', { showsAfter: now + 60_000 }),
      simpleGuide('g3', 's3', { expiresAfter: now - 1 }),
    ]));
    expect(document.querySelector('#pendo-base')).toBeNull();
    expect(harness.env.calls).toEqual([]);
  });

  it('orders auto guides by autoOrdering and shows one at a time', () => {
    start().setPayload(payload([simpleGuide('g1', 's1'), simpleGuide('g2', 's2')], { autoOrdering: ['g2', 'g1'] }));
    expect(document.querySelectorAll('#pendo-base')).toHaveLength(1);
    expect(document.querySelector('#pendo-g-s2')).not.toBeNull();
  });

  it('keeps auto guides away while throttling says the last one ended too recently', () => {
    const p = payload([simpleGuide()], { throttling: { enabled: true, interval: 1, unit: 'hour' }, latestDismissedAutoAt: Date.now() - 60_000 });
    start().setPayload(p);
    expect(document.querySelector('#pendo-base')).toBeNull();
    harness.engine!.setPayload({ ...p, latestDismissedAutoAt: Date.now() - 2 * 3_600_000 });
    expect(document.querySelector('#pendo-g-s1')).not.toBeNull();
  });

  it('does not show api-only guides by itself; showGuideById shows them with reason api', () => {
    start().setPayload(payload([simpleGuide('g1', 's1', { launchMethod: 'api' })]));
    expect(document.querySelector('#pendo-base')).toBeNull();
    expect(harness.engine!.showGuideById('g1')).toBe(true);
    expect(harness.engine!.showGuideById('nope')).toBe(false);
    expect(harness.env.calls.map((c) => [c.type, c.props.reason])).toEqual([['guideSeen', 'api']]);
  });

  it('shows the guide of a ?pendo= permalink with reason permalink', () => {
    history.replaceState(null, '', '/home?pendo=g2');
    try {
      start().setPayload(payload([simpleGuide('g1', 's1'), simpleGuide('g2', 's2', { launchMethod: 'api' })]));
      expect(document.querySelector('#pendo-g-s2')).not.toBeNull();
      expect(harness.env.calls[0].props).toMatchObject({ guide_id: 'g2', reason: 'permalink' });
    } finally {
      history.replaceState(null, '', '/');
    }
  });

  it('keeps the step on screen, without a second guideSeen, when the same payload arrives again', () => {
    const p = payload([simpleGuide()]);
    start().setPayload(p);
    const before = document.querySelector('#pendo-g-s1');
    harness.engine!.setPayload(JSON.parse(JSON.stringify(p)));
    expect(document.querySelector('#pendo-g-s1')).toBe(before);
    expect(harness.env.types()).toEqual(['guideSeen']);
  });

  it('removes the step when a new payload no longer has its guide', () => {
    start().setPayload(payload([simpleGuide()]));
    harness.engine!.setPayload(payload([]));
    expect(document.querySelector('#pendo-base')).toBeNull();
    expect(harness.engine!.guides()).toEqual([]);
  });

  it('fetches content from domUrl when the step has no inline domJson, then shows it', async () => {
    const g = simpleGuide();
    const content = g.steps[0].domJson;
    delete g.steps[0].domJson;
    g.steps[0].domUrl = 'https://guides.example/guide-content/g1/s1.dom.json';
    const fetched: string[] = [];
    const original = globalThis.fetch;
    globalThis.fetch = (async (url: string) => {
      fetched.push(url);
      return { json: async () => content } as Response;
    }) as typeof fetch;
    try {
      start().setPayload(payload([g]));
      expect(document.querySelector('#pendo-base')).toBeNull();
      await new Promise((resolve) => setTimeout(resolve, 10));
      expect(fetched).toEqual(['https://guides.example/guide-content/g1/s1.dom.json']);
      expect(document.querySelector('#pendo-g-s1 #pendo-heading-0')!.textContent).toBe('Hello');
      expect(harness.env.calls.map((c) => [c.type, c.props.reason])).toEqual([['guideSeen', 'auto']]);
    } finally {
      globalThis.fetch = original;
    }
  });

  it('embeds a step in the element of embedConfig', () => {
    document.body.insertAdjacentHTML('beforeend', '<section id="slot"><p id="existing">x</p></section>');
    const g = guide('g1', [step('g1', 's1', tree('s1', [text(0, 'Inline help')], 'top'))], {
      attributes: { embedConfig: { selector: '#slot', method: 'append' } },
    });
    start().setPayload(payload([g]));
    expect(document.querySelector('#slot > #existing + #pendo-base #pendo-text-0')!.textContent).toBe('Inline help');
  });

  it('teardown removes what is on screen', () => {
    start().setPayload(payload([simpleGuide()]));
    harness.engine!.teardown();
    expect(document.querySelector('#pendo-base')).toBeNull();
  });
});

describe('placements', () => {
  it('pins a top banner across the viewport and draws no backdrop', () => {
    const g = guide('g1', [step('g1', 'notice', tree('notice', [text(0, 'Maintenance tonight')], 'top'))]);
    start().setPayload(payload([g]));
    const frame = document.querySelector<HTMLElement>('#pendo-g-notice')!;
    expect(frame.getAttribute('data-vertical-alignment')).toBe('Top Aligned');
    expect(frame.style.position).toBe('fixed');
    expect([frame.style.top, frame.style.left, frame.style.right]).toEqual(['0px', '0px', '0px']);
    expect(document.querySelector('#pendo-backdrop')).toBeNull();
    expect(document.querySelector('#pendo-guide-container')!.getAttribute('aria-modal')).toBeNull();
  });

  it('pins a bottom banner to the bottom', () => {
    const g = guide('g1', [step('g1', 'notice', tree('notice', [text(0, 'Bye')], 'bottom'))]);
    start().setPayload(payload([g]));
    const frame = document.querySelector<HTMLElement>('#pendo-g-notice')!;
    expect(frame.getAttribute('data-vertical-alignment')).toBe('Bottom Aligned');
    expect(frame.style.bottom).toBe('0px');
  });

  it('positions a raw tree by its alignment alone when its frame has no styles', () => {
    const raw = (id: string, alignment: string): DomNode => ({
      type: 'div', props: { id: 'pendo-base' }, children: [{
        type: 'div', props: { id: `pendo-g-${id}`, 'data-vertical-alignment': alignment },
        children: [{ type: 'div', props: { id: 'pendo-guide-container' }, children: [text(0, 'Hi')] }],
      }],
    });
    start().setPayload(payload([guide('g1', [step('g1', 'box', raw('box', 'Centered'))])]));
    const box = document.querySelector<HTMLElement>('#pendo-g-box')!.style;
    expect([box.position, box.top, box.left, box.transform]).toEqual(['fixed', '50%', '50%', 'translate(-50%,-50%)']);
    harness.engine!.teardown();

    start().setPayload(payload([guide('g2', [step('g2', 'bar', raw('bar', 'Bottom Aligned'))])]));
    const bar = document.querySelector<HTMLElement>('#pendo-g-bar')!.style;
    expect([bar.position, bar.bottom, bar.left, bar.right, bar.top]).toEqual(['fixed', '0px', '0px', '0px', '']);
  });

  it('centres a lightbox on the viewport', () => {
    start().setPayload(payload([simpleGuide()]));
    const frame = document.querySelector<HTMLElement>('#pendo-g-s1')!;
    expect(frame.style.position).toBe('fixed');
    expect([frame.style.top, frame.style.left]).toEqual(['50%', '50%']);
    expect(frame.style.transform).toMatch(/^translate\(-50%, ?-50%\)$/);
  });

  for (const side of ['bottom', 'top', 'right', 'left'] as const) {
    it(`puts a ${side} tooltip beside its element with a caret on that side`, async () => {
      const buy = document.querySelector('#buy') as HTMLElement;
      const rect = { x: 300, y: 300, left: 300, top: 300, width: 60, height: 20, right: 360, bottom: 320 };
      buy.getBoundingClientRect = () => ({ ...rect, toJSON: () => rect }) as DOMRect;
      // happy-dom lays nothing out: give the viewport the size a browser would, so every side fits.
      for (const [name, value] of [['clientWidth', 1024], ['clientHeight', 768]] as const)
        Object.defineProperty(document.documentElement, name, { value, configurable: true });
      const s = step('g1', `tip-${side}`, tree(`tip-${side}`, [heading(0, 'Buy here'), button(1, 'Got it', 'advanceGuide')], 'tooltip'), {
        elementPathRule: '#buy', attributes: { layoutDir: side },
      });
      start().setPayload(payload([guide('g1', [s])]));
      expect(document.querySelector('#pendo-backdrop')).toBeNull();
      const frame = document.querySelector<HTMLElement>(`#pendo-g-tip-${side}`)!;
      expect(frame.getAttribute('data-vertical-alignment')).toBe('Relative to Element');
      await new Promise((resolve) => setTimeout(resolve, 30));
      const caret = document.querySelector<HTMLElement>(`#pendo-guide-container .pendo-tooltip-caret--${side}`);
      expect(caret).not.toBeNull();
      const left = parseFloat(frame.style.left);
      const top = parseFloat(frame.style.top);
      // happy-dom gives the tooltip no size: its corner sits 8 px (the caret height) off the element on that side.
      if (side === 'bottom') expect(top).toBe(rect.bottom + 8);
      if (side === 'top') expect(top).toBe(rect.top - 8);
      if (side === 'right') expect(left).toBe(rect.right + 8);
      if (side === 'left') expect(left).toBe(rect.left - 8);
      const opposite = { top: 'bottom', bottom: 'top', left: 'right', right: 'left' }[side];
      expect(caret!.style.getPropertyValue(opposite)).toBe('-8px');
      expect(caret!.style.getPropertyValue(`border-${side}-color`)).toBe('rgb(255, 255, 255)');
    });
  }

  it('takes the opposite side when the step\'s side has no room, and points the caret at the element centre', async () => {
    for (const [name, value] of [['clientWidth', 1024], ['clientHeight', 768]] as const)
      Object.defineProperty(document.documentElement, name, { value, configurable: true });
    const rect = { x: 300, y: 700, left: 300, top: 700, width: 60, height: 20, right: 360, bottom: 720 };
    const original = HTMLElement.prototype.getBoundingClientRect;
    // A 240×100 tooltip wherever its style puts it; the element near the bottom of a 768 px high viewport.
    HTMLElement.prototype.getBoundingClientRect = function (this: HTMLElement) {
      if (this.id === 'buy') return { ...rect, toJSON: () => rect } as DOMRect;
      if (this.id.startsWith('pendo-g-')) {
        const left = parseFloat(this.style.left) || 0;
        const top = parseFloat(this.style.top) || 0;
        const box = { x: left, y: top, left, top, width: 240, height: 100, right: left + 240, bottom: top + 100 };
        return { ...box, toJSON: () => box } as DOMRect;
      }
      return original.call(this);
    };
    // floating-ui reads the tooltip's size from offsetWidth/offsetHeight.
    const sizes = { offsetWidth: 240, offsetHeight: 100 };
    const descriptors = Object.keys(sizes).map((name) => [name, Object.getOwnPropertyDescriptor(HTMLElement.prototype, name)] as const);
    for (const [name, value] of Object.entries(sizes))
      Object.defineProperty(HTMLElement.prototype, name, { configurable: true, get(this: HTMLElement) { return this.id.startsWith('pendo-g-') ? value : 0; } });
    try {
      const s = step('g1', 'tip', tree('tip', [heading(0, 'Buy here')], 'tooltip'), { elementPathRule: '#buy', attributes: { layoutDir: 'bottom' } });
      start().setPayload(payload([guide('g1', [s])]));
      await new Promise((resolve) => setTimeout(resolve, 30));
      const caret = document.querySelector<HTMLElement>('.pendo-tooltip-caret--top')!;
      expect(caret).not.toBeNull();
      expect(document.querySelector('.pendo-tooltip-caret--bottom')).toBeNull();
      const frame = document.querySelector<HTMLElement>('#pendo-g-tip')!;
      const left = parseFloat(frame.style.left);
      expect(parseFloat(frame.style.top) + 100).toBe(rect.top - 8);
      // The caret's centre is the element's centre (x 330): 8 px (half its width) to the left of it.
      expect(left + parseFloat(caret.style.left) + 8).toBe(330);
    } finally {
      HTMLElement.prototype.getBoundingClientRect = original;
      for (const [name, descriptor] of descriptors) if (descriptor) Object.defineProperty(HTMLElement.prototype, name, descriptor);
    }
  });
});
