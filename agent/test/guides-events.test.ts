// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest';
import { button, click, guide, heading, key, payload, simpleGuide, step, text, tree, useGuideEngine } from './guides-fixtures';

const harness = useGuideEngine('<main><button id="outside">Outside</button><a id="help" href="#">Help</a></main>');
const start = harness.start;

/** A three-step walkthrough; steps 1 and 2 on /home, step 3 on /orders, each with Back/Next/Go-to-1 buttons. */
function tour() {
  const page = (path: string) => `^https?://app\\.example/${path}/?(?:\\?[^#]*)?(?:#.*)?$`;
  const s = (id: string, path: string, title: string) =>
    step('tour', id, tree(id, [heading(0, title), button(1, 'Next', 'advanceGuide'), button(2, 'Back', 'previousStep'), button(3, 'First', 'goToStep', ['goToStepId', 't1'])]), {
      regexUrlRule: page(path),
    });
  return guide('tour', [s('t1', 'home', 'Welcome'), s('t2', 'home', 'Dashboard'), s('t3', 'orders', 'Orders')]);
}

describe('buttons and their events', () => {
  it('advance: guideSeen, guideActivity, guideAdvanced, and the step goes away', () => {
    start().setPayload(payload([simpleGuide()]));
    click('#pendo-button-1');
    expect(harness.env.types()).toEqual(['guideSeen', 'guideActivity', 'guideAdvanced']);
    const [, activity, advanced] = harness.env.calls;
    expect(activity.props).toMatchObject({
      guide_id: 'g1', guide_step_id: 's1', ui_element_id: 'pendo-button-1', ui_element_type: 'BUTTON',
      ui_element_actions: [{ action: 'advanceGuide' }],
    });
    expect(Object.keys(advanced.props).slice(0, 2)).toEqual(['guide_id', 'guide_step_id']);
    expect(advanced.props).toMatchObject({ guide_id: 'g1', guide_step_id: 's1', seen_reason: 'auto' });
    expect(advanced.props).not.toHaveProperty('destination_step_id');
    expect(typeof advanced.props.duration).toBe('number');
    expect(document.querySelector('#pendo-base')).toBeNull();
  });

  it('dismiss with the close button: guideDismissed with seen_reason, and the guide stays away', () => {
    start().setPayload(payload([simpleGuide()]));
    click('#pendo-close-guide-s1');
    expect(harness.env.types()).toEqual(['guideSeen', 'guideActivity', 'guideDismissed']);
    expect(harness.env.calls[1].props).toMatchObject({ ui_element_id: 'pendo-close-guide-s1', ui_element_actions: [{ action: 'dismissGuide' }] });
    expect(harness.env.calls[2].props).toMatchObject({ guide_id: 'g1', guide_step_id: 's1', seen_reason: 'auto' });
    // The same payload again (the server has not stored the dismissal yet): the agent remembers.
    harness.engine!.setPayload(payload([simpleGuide()]));
    expect(document.querySelector('#pendo-base')).toBeNull();
    expect(harness.env.types()).toHaveLength(3);
  });

  it('forgets after 10 seconds, when the server step state takes over', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    start().setPayload(payload([simpleGuide()]));
    click('#pendo-close-guide-s1');
    vi.setSystemTime(Date.now() + 11_000);
    harness.engine!.setPayload(payload([simpleGuide()]));
    expect(document.querySelector('#pendo-g-s1')).not.toBeNull();
  });

  it('snooze: guideSnoozed with the duration (one day by default) and the guide stays away', () => {
    const g = guide('g1', [step('g1', 's1', tree('s1', [button(0, 'Later', 'guideSnoozed'), button(1, 'An hour', 'guideSnoozed', ['duration', 3_600_000])]))]);
    start().setPayload(payload([g]));
    click('#pendo-button-0');
    expect(harness.env.calls[2]).toMatchObject({ type: 'guideSnoozed', props: { seen_reason: 'auto', snooze_duration: 86_400_000 } });
    expect(document.querySelector('#pendo-base')).toBeNull();
    harness.engine!.setPayload(payload([g]));
    expect(document.querySelector('#pendo-base')).toBeNull();
    expect(harness.engine!.showGuideById('g1')).toBe(true);
    click('#pendo-button-1');
    expect(harness.env.calls.at(-1)).toMatchObject({ type: 'guideSnoozed', props: { snooze_duration: 3_600_000 } });
  });

  it('a walkthrough advances with destination_step_id and continues with reason continue, on its own page', () => {
    start('http://app.example/home').setPayload(payload([tour()]));
    click('#pendo-button-1');
    expect(document.querySelector('#pendo-g-t2 #pendo-heading-0')!.textContent).toBe('Dashboard');
    click('#pendo-button-1');
    expect(document.querySelector('#pendo-base')).toBeNull();
    harness.env.host.href = 'http://app.example/orders';
    harness.engine!.urlChanged();
    expect(document.querySelector('#pendo-g-t3')).not.toBeNull();
    click('#pendo-button-1');
    const summary = harness.env.calls.filter((c) => c.type !== 'guideActivity').map((c) => [c.type, c.props.guide_step_id, c.props.reason ?? c.props.seen_reason, c.props.destination_step_id]);
    expect(summary).toEqual([
      ['guideSeen', 't1', 'auto', undefined],
      ['guideAdvanced', 't1', 'auto', 't2'],
      ['guideSeen', 't2', 'continue', undefined],
      ['guideAdvanced', 't2', 'auto', 't3'],
      ['guideSeen', 't3', 'continue', undefined],
      ['guideAdvanced', 't3', 'auto', undefined],
    ]);
    expect(document.querySelector('#pendo-base')).toBeNull();
  });

  it('previousStep and goToStep advance to their destination, which then shows again', () => {
    start('http://app.example/home').setPayload(payload([tour()]));
    click('#pendo-button-1');
    click('#pendo-button-2'); // back from t2
    expect(harness.env.calls.at(-2)).toMatchObject({ type: 'guideAdvanced', props: { guide_step_id: 't2', destination_step_id: 't1' } });
    // Back on the first step of a guide first seen automatically, the Pendo agent reports reason auto (guide.show).
    expect(harness.env.calls.at(-1)).toMatchObject({ type: 'guideSeen', props: { guide_step_id: 't1', reason: 'auto' } });
    click('#pendo-button-1');
    click('#pendo-button-3'); // go to t1
    expect(harness.env.calls.at(-3)).toMatchObject({ type: 'guideActivity', props: { ui_element_actions: [{ action: 'goToStep', guideStepId: 't1' }] } });
    expect(harness.env.calls.at(-2)).toMatchObject({ type: 'guideAdvanced', props: { guide_step_id: 't2', destination_step_id: 't1' } });
    expect(document.querySelector('#pendo-g-t1')).not.toBeNull();
  });

  it('continues a walkthrough from the server lastGuideStepSeen, and keeps auto guides away meanwhile', () => {
    const t = tour();
    t.steps[0].seenState = 'advanced';
    t.steps[0].seenReason = 'auto';
    const other = simpleGuide('g2', 's2');
    const last = { visitorId: 'v1', guideId: 'tour', guideStepId: 't1', state: 'advanced', time: Date.now() - 60_000, seenReason: 'auto' };
    start('http://app.example/orders').setPayload(payload([t, other], { lastGuideStepSeen: last }));
    expect(document.querySelector('#pendo-base')).toBeNull(); // t2 belongs to /home; g2 waits
    harness.env.host.href = 'http://app.example/home';
    harness.engine!.urlChanged();
    expect(document.querySelector('#pendo-g-t2')).not.toBeNull();
    expect(harness.env.calls[0].props).toMatchObject({ guide_step_id: 't2', reason: 'continue' });
  });

  it('a one-step guide left active elsewhere is no walkthrough: it keeps no auto guide away', () => {
    const single = simpleGuide('g1', 's1');
    single.steps[0].regexUrlRule = '^https?://app\\.example/orders/?$';
    const last = { guideId: 'g1', guideStepId: 's1', state: 'active', time: Date.now() - 60_000 };
    start('http://app.example/home').setPayload(payload([single, simpleGuide('g2', 's2')], { lastGuideStepSeen: last }));
    expect(document.querySelector('#pendo-g-s2')).not.toBeNull();
  });

  it('does not continue a walkthrough after 12 hours', () => {
    const t = tour();
    t.steps[0].seenState = 'advanced';
    const last = { guideId: 'tour', guideStepId: 't1', state: 'advanced', time: Date.now() - 13 * 3_600_000 };
    start('http://app.example/home').setPayload(payload([t], { lastGuideStepSeen: last }));
    expect(document.querySelector('#pendo-base')).toBeNull();
  });

  it('advance() and dismiss() act on the step on screen', () => {
    start().setPayload(payload([simpleGuide('g1', 's1'), simpleGuide('g2', 's2')]));
    harness.engine!.advance();
    harness.engine!.dismiss();
    expect(harness.env.types()).toEqual(['guideSeen', 'guideAdvanced', 'guideSeen', 'guideDismissed']);
    expect(harness.env.calls.map((c) => c.props.guide_id)).toEqual(['g1', 'g1', 'g2', 'g2']);
  });

  it('sends no guideActivity for clicks on other elements of the step', () => {
    start().setPayload(payload([simpleGuide()]));
    click('#pendo-heading-0');
    click('#pendo-guide-container');
    expect(harness.env.types()).toEqual(['guideSeen']);
  });

  it('describes an openLink button in guideActivity and opens the link; a javascript: link is not opened', () => {
    const open = vi.spyOn(window, 'open').mockReturnValue(null);
    const g = guide('g1', [step('g1', 's1', tree('s1', [
      button(0, 'Docs', 'openLink', ['url', 'https://docs.example/'], ['target', '_blank']),
      button(1, 'Bad', 'openLink', ['url', 'javascript:alert(1)'], ['target', '_self']),
    ]))]);
    start().setPayload(payload([g]));
    click('#pendo-button-0');
    click('#pendo-button-1');
    expect(harness.env.calls[1].props.ui_element_actions).toEqual([{ action: 'openLink', url: 'https://docs.example/', target: '_blank' }]);
    expect(open).toHaveBeenCalledTimes(1);
    expect(open.mock.calls[0].slice(0, 2)).toEqual(['https://docs.example/', '_blank']);
    expect(document.querySelector('#pendo-g-s1')).not.toBeNull();
  });
});

describe('showGuide buttons', () => {
  it('show the other guide with reason api, reported in guideActivity with its id', () => {
    const g = guide('g1', [step('g1', 's1', tree('s1', [button(0, 'Tour', 'showGuide', ['guideId', 'g2'])]))]);
    start().setPayload(payload([g, simpleGuide('g2', 's2', { launchMethod: 'api' })]));
    click('#pendo-button-0');
    expect(harness.env.calls[1].props).toMatchObject({ ui_element_id: 'pendo-button-0-g2', ui_element_actions: [{ action: 'showGuide', guideId: 'g2' }] });
    expect(harness.env.calls[2]).toMatchObject({ type: 'guideSeen', props: { guide_id: 'g2', reason: 'api' } });
    expect(document.querySelector('#pendo-g-s1')).toBeNull();
    expect(document.querySelector('#pendo-g-s2')).not.toBeNull();
  });
});

describe('launch by the visitor', () => {
  it('a dom-launched guide shows only when its element is clicked, with reason dom', () => {
    const g = simpleGuide('g1', 's1', { launchMethod: 'dom', attributes: { activation: { selector: '#help', event: ['click'] } } });
    start().setPayload(payload([g]));
    expect(document.querySelector('#pendo-base')).toBeNull();
    click('#outside');
    expect(document.querySelector('#pendo-base')).toBeNull();
    click('#help');
    expect(document.querySelector('#pendo-g-s1')).not.toBeNull();
    expect(harness.env.calls).toHaveLength(1);
    expect(harness.env.calls[0].props).toMatchObject({ guide_id: 'g1', reason: 'dom' });
  });

  it('a badge guide draws its badge by the element; clicking it shows the guide with reason badge', () => {
    const g = simpleGuide('g1', 's1', { launchMethod: 'badge', attributes: { badge: { position: 'inline', imageUrl: 'https://cdn.example/badge.svg', width: 14, height: 14 } } });
    g.steps[0].elementPathRule = '#help';
    start().setPayload(payload([g]));
    const badge = document.querySelector<HTMLImageElement>('img._pendo-badge_')!;
    expect(badge).not.toBeNull();
    expect(badge.getAttribute('src')).toBe('https://cdn.example/badge.svg');
    expect(document.querySelector('#pendo-base')).toBeNull();
    badge.click();
    expect(document.querySelector('#pendo-g-s1')).not.toBeNull();
    expect(harness.env.calls[0].props).toMatchObject({ guide_id: 'g1', reason: 'badge' });
  });
});

describe('keyboard', () => {
  it('ESC dismisses a step that has a dismissGuide action', () => {
    start().setPayload(payload([simpleGuide()]));
    key('Escape');
    expect(harness.env.types()).toEqual(['guideSeen', 'guideDismissed']);
    expect(document.querySelector('#pendo-base')).toBeNull();
  });

  it('ESC and backdrop clicks leave a step without a dismissGuide action (a policy) in place', () => {
    const g = guide('g1', [step('g1', 's1', tree('s1', [heading(0, 'Terms'), text(1, 'Be nice'), button(2, 'I accept', 'advanceGuide')], 'lightbox', { closeButton: false }))]);
    start().setPayload(payload([g]));
    key('Escape');
    click('#pendo-backdrop');
    expect(harness.env.types()).toEqual(['guideSeen']);
    expect(document.querySelector('#pendo-g-s1')).not.toBeNull();
  });

  it('moves focus into a lightbox, keeps Tab inside it, and gives focus back on close', () => {
    const outside = document.querySelector<HTMLElement>('#outside')!;
    outside.focus();
    start().setPayload(payload([simpleGuide()]));
    const next = document.querySelector<HTMLElement>('#pendo-button-1')!;
    const closeButton = document.querySelector<HTMLElement>('#pendo-close-guide-s1')!;
    expect(document.activeElement).toBe(next);
    key('Tab', true);
    expect(document.activeElement).toBe(closeButton);
    key('Tab');
    expect(document.activeElement).toBe(next);
    closeButton.focus();
    key('Tab');
    expect(document.activeElement).toBe(next);
    click('#pendo-close-guide-s1');
    expect(document.activeElement).toBe(outside);
  });
});
