// Guide payloads shaped as Guidepost's server writes them (StepRenderer / BlockRenderer / GuidePayload), by hand.
import { afterEach, beforeEach, vi } from 'vitest';
import type { DomNode, GuideEngine, GuideHost, GuideObject, GuidePayload, GuideStepObject } from '../src/contract';
import { createGuideEngine } from '../src/guides/engine';

export type Call = { queue: 'guide' | 'poll'; type: string; props: Record<string, any> };

export function fakeHost(url = 'http://app.example/home') {
  const calls: Call[] = [];
  const host: GuideHost & { href: string } = {
    href: url,
    url: () => host.href,
    guideEvent: (type, props) => calls.push({ queue: 'guide', type, props }),
    pollEvent: (props) => calls.push({ queue: 'poll', type: 'pollResponse', props }),
  };
  return { host, calls, types: () => calls.map((c) => c.type) };
}

const action = (name: string, ...parameters: [string, unknown][]) => ({
  action: name, eventType: 'click', parameters: parameters.map(([n, value]) => ({ name: n, value })),
});

export const heading = (i: number, text: string): DomNode => ({ type: 'h2', props: { id: `pendo-heading-${i}` }, content: text });
export const text = (i: number, content: string): DomNode => ({ type: 'p', props: { id: `pendo-text-${i}` }, content });
export const button = (i: number | string, label: string, name: string, ...parameters: [string, unknown][]): DomNode => ({
  type: 'button', props: { id: `pendo-button-${i}`, type: 'button' }, content: label, actions: [action(name, ...parameters)],
});
export const close = (stepId: string): DomNode => ({
  type: 'button', props: { id: `pendo-close-guide-${stepId}`, type: 'button', 'aria-label': 'Close' }, content: '×', actions: [action('dismissGuide')],
});

/** A radio poll (NPS 0–10 or single choice) as BlockRenderer.Poll writes it. */
export function choicePoll(i: number, pollId: string, values: string[], nps = false): DomNode {
  const id = `pendo-poll-${i}`;
  return {
    type: 'div', props: { id, class: nps ? '_pendo-nps-poll' : '_pendo-multi-choice-poll' }, children: [
      { type: 'div', props: { id: `${id}-question`, 'data-pendo-poll-id': pollId }, content: 'Question?' },
      {
        type: 'div', props: { id: `${id}-answers`, 'data-pendo-poll-id': pollId, name: pollId, role: 'radiogroup' },
        children: values.map((value, n) => ({
          type: 'span', props: { id: `${id}-option-${n}-wrapper` }, children: [
            { type: 'input', props: { id: `${id}-option-${n}`, type: 'radio', class: 'pendo-radio', name: pollId, value, 'data-pendo-poll-id': pollId } },
            { type: 'label', props: { id: `${id}-option-${n}-label`, for: `${id}-option-${n}` }, content: value },
          ],
        })),
      },
    ],
  };
}

export function textPoll(i: number, pollId: string): DomNode {
  const id = `pendo-poll-${i}`;
  return {
    type: 'div', props: { id, class: '_pendo-open-text-poll' }, children: [
      { type: 'div', props: { id: `${id}-question`, 'data-pendo-poll-id': pollId }, content: 'Why?' },
      {
        type: 'div', props: { id: `${id}-answers`, 'data-pendo-poll-id': pollId, name: pollId }, children: [
          { type: 'textarea', props: { id: `${id}-input`, 'data-pendo-poll-id': pollId, rows: '3' } },
        ],
      },
    ],
  };
}

export function policy(i: number, pollId: string, version: string): DomNode[] {
  return [{
    type: 'div', props: { id: `pendo-policy-${i}`, class: '_pendo-policy' }, children: [
      { type: 'div', props: { id: `pendo-policy-${i}-text` }, content: 'You agree to be nice.' },
      {
        type: 'div', props: { id: `pendo-policy-${i}-acceptance`, 'data-pendo-poll-id': pollId, 'aria-hidden': 'true', style: { display: 'none' } },
        children: [{ type: 'input', props: { id: `pendo-policy-${i}-version`, type: 'text', value: version, tabindex: '-1' } }],
      },
      button(`accept-${i}`, 'I accept', 'submitPoll'),
    ],
  }];
}

type Placement = 'lightbox' | 'top' | 'bottom' | 'tooltip';

/** The skeleton StepRenderer.Assemble builds around the blocks. */
export function tree(stepId: string, blocks: DomNode[], placement: Placement = 'lightbox', opts: { closeButton?: boolean; backdrop?: boolean } = {}): DomNode {
  const alignment = { lightbox: 'Centered', top: 'Top Aligned', bottom: 'Bottom Aligned', tooltip: 'Relative to Element' }[placement];
  const style = {
    lightbox: { position: 'fixed', top: '50%', left: '50%', width: '400px', 'z-index': '300000' },
    top: { position: 'fixed', top: '0', left: '0', right: '0', 'z-index': '300000' },
    bottom: { position: 'fixed', bottom: '0', left: '0', right: '0', 'z-index': '300000' },
    tooltip: { position: 'absolute', width: '240px', 'z-index': '300000' },
  }[placement];
  const containerProps: Record<string, unknown> = {
    id: 'pendo-guide-container', role: 'dialog',
    style: { position: 'relative', 'box-sizing': 'border-box', 'background-color': 'rgb(255, 255, 255)', padding: '24px 40px 20px 24px' },
  };
  const first = blocks.find((b) => b.type === 'h2');
  if (first) containerProps['aria-labelledby'] = first.props!.id;
  if (placement === 'tooltip') Object.assign(containerProps, { 'data-caret-height': '8', 'data-caret-width': '16' });
  const children = [...blocks, ...(opts.closeButton === false ? [] : [close(stepId)])];
  const rootChildren: DomNode[] = [];
  if (placement === 'lightbox' && opts.backdrop !== false)
    rootChildren.push({ type: 'div', props: { id: 'pendo-backdrop', style: { position: 'fixed', top: '0', left: '0', right: '0', bottom: '0', 'background-color': 'rgba(0, 0, 0, 0.45)', 'z-index': '299999' } } });
  rootChildren.push({
    type: 'div', props: { id: `pendo-g-${stepId}`, 'data-vertical-alignment': alignment, style },
    children: [{ type: 'div', props: containerProps, children }],
  });
  return { type: 'div', props: { id: 'pendo-base', class: '_pendo-step-container' }, children: rootChildren };
}

export function step(guideId: string, id: string, domJson: DomNode, extra: Partial<GuideStepObject> = {}): GuideStepObject {
  return { id, guideId, type: 'building-block', lastUpdatedAt: 1700000000000, advanceMethod: 'button', attributes: {}, hideCredits: true, pollIds: [], domJson, ...extra };
}

export function guide(id: string, steps: GuideStepObject[], extra: Partial<GuideObject> = {}): GuideObject {
  return {
    id, name: id, launchMethod: 'auto', isMultiStep: steps.length > 1, state: 'public', language: 'en', lastUpdatedAt: 1700000000000,
    attributes: { type: 'building-block', device: { desktop: true, mobile: true }, priority: 0 }, polls: [], steps, ...extra,
  };
}

export function payload(guides: GuideObject[], extra: Partial<GuidePayload> = {}): GuidePayload {
  return {
    guides, lastGuideStepSeen: { visitorId: 'v1' }, normalizedUrl: 'http://app.example/home',
    throttling: { enabled: false, interval: 0, unit: 'minute' }, autoOrdering: guides.filter((g) => g.launchMethod?.includes('auto')).map((g) => g.id),
    features: [], designerEnabled: false, ...extra,
  };
}

/** A one-step lightbox guide "g1" with a heading, a Next button and the close button. */
export const simpleGuide = (id = 'g1', stepId = 's1', extra: Partial<GuideObject> = {}) =>
  guide(id, [step(id, stepId, tree(stepId, [heading(0, 'Hello'), button(1, 'Next', 'advanceGuide')]))], extra);

export const click = (selector: string) => (document.querySelector(selector) as HTMLElement).click();
export const key = (k: string, shift = false) =>
  document.dispatchEvent(new KeyboardEvent('keydown', { key: k, shiftKey: shift, bubbles: true, cancelable: true }));

/** A guide engine per test of the calling file, over a fake host, on `page`; torn down (and real timers back) after. */
export function useGuideEngine(page: string) {
  const harness = {
    engine: undefined as GuideEngine | undefined,
    env: undefined as unknown as ReturnType<typeof fakeHost>,
    start(url?: string): GuideEngine {
      harness.env = fakeHost(url);
      return (harness.engine = createGuideEngine(harness.env.host));
    },
  };
  beforeEach(() => {
    document.body.innerHTML = page;
  });
  afterEach(() => {
    harness.engine?.teardown();
    harness.engine = undefined;
    vi.useRealTimers();
  });
  return harness;
}
