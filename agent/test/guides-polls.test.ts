// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { createGuideEngine } from '../src/guides/engine';
import type { DomNode, GuideEngine } from '../src/contract';
import { button, choicePoll, click, fakeHost, guide, heading, key, payload, policy, step, textPoll, tree } from './guides-fixtures';

let engine: GuideEngine | undefined;
afterEach(() => {
  engine?.teardown();
  engine = undefined;
  document.body.innerHTML = '';
});

/** One step "s1" holding `blocks`, whose polls are declared in the guide as the server does (polls + pollIds). */
function pollGuide(blocks: DomNode[], polls: { id: string; type: string; numeric: boolean }[], closeButton = true) {
  const s = step('g1', 's1', tree('s1', blocks, 'lightbox', { closeButton }), { pollIds: polls.map((p) => p.id) });
  return guide('g1', [s], { polls: polls.map((p) => ({ id: p.id, numericResponses: p.numeric, attributes: { type: p.type } })) });
}

function start(g: ReturnType<typeof pollGuide>) {
  const env = fakeHost();
  engine = createGuideEngine(env.host);
  engine.setPayload(payload([g]));
  return env;
}

const nps = Array.from({ length: 11 }, (_, i) => String(i));

describe('polls', () => {
  it('guideSeen names the step poll types', () => {
    const env = start(pollGuide([choicePoll(0, 'poll-a', nps, true), button(1, 'Next', 'submitPoll')], [{ id: 'poll-a', type: 'NPSRating', numeric: true }]));
    expect(env.calls[0].props.step_poll_types).toEqual(['NPSRating']);
  });

  it('an NPS answer is sent as a number, on the poll queue, before guideAdvanced', () => {
    const env = start(pollGuide([choicePoll(0, 'poll-a', nps, true), button(1, 'Next', 'submitPoll')], [{ id: 'poll-a', type: 'NPSRating', numeric: true }]));
    click('label[for=pendo-poll-0-option-9]');
    click('#pendo-button-1');
    expect(env.calls.map((c) => `${c.queue}:${c.type}`)).toEqual(['guide:guideSeen', 'guide:guideActivity', 'poll:pollResponse', 'guide:guideAdvanced']);
    const response = env.calls[2].props;
    expect(Object.keys(response).slice(0, 2)).toEqual(['guide_id', 'guide_step_id']);
    expect(response).toMatchObject({ guide_id: 'g1', guide_step_id: 's1', poll_id: 'poll-a', poll_response: 9, poll_type: 'NPSRating' });
    expect(typeof response.duration).toBe('number');
    expect(env.calls[1].props.ui_element_actions).toEqual([{ action: 'submitPoll' }]);
  });

  it('a single-choice answer is the chosen option text', () => {
    const env = start(pollGuide([choicePoll(0, 'poll-b', ['Daily', 'Weekly', 'Rarely']), button(1, 'Submit', 'submitPoll')], [{ id: 'poll-b', type: 'PickList', numeric: false }]));
    click('label[for=pendo-poll-0-option-1]');
    click('#pendo-button-1');
    const response = env.calls.find((c) => c.type === 'pollResponse')!.props;
    expect(response).toMatchObject({ poll_id: 'poll-b', poll_response: 'Weekly', poll_type: 'PickList' });
  });

  it('a choice without a value answers with its label text', () => {
    const poll = choicePoll(0, 'poll-b', ['Daily', 'Weekly']);
    const radio = poll.children![1].children![0].children![0];
    delete radio.props!.value;
    const env = start(pollGuide([poll, button(1, 'Submit', 'submitPoll')], [{ id: 'poll-b', type: 'PickList', numeric: false }]));
    click('#pendo-poll-0-option-0');
    click('#pendo-button-1');
    expect(env.calls.find((c) => c.type === 'pollResponse')!.props.poll_response).toBe('Daily');
  });

  it('free text is sent as typed', () => {
    const env = start(pollGuide([textPoll(0, 'poll-c'), button(1, 'Send', 'submitPoll')], [{ id: 'poll-c', type: 'FreeForm', numeric: false }]));
    (document.querySelector('#pendo-poll-0-input') as HTMLTextAreaElement).value = 'Faster reports, please';
    click('#pendo-button-1');
    expect(env.calls.find((c) => c.type === 'pollResponse')!.props).toMatchObject({ poll_id: 'poll-c', poll_response: 'Faster reports, please' });
  });

  it('an unanswered poll sends no pollResponse but still advances', () => {
    const env = start(pollGuide([textPoll(0, 'poll-c'), button(1, 'Send', 'submitPoll')], [{ id: 'poll-c', type: 'FreeForm', numeric: false }]));
    click('#pendo-button-1');
    expect(env.types()).toEqual(['guideSeen', 'guideActivity', 'guideAdvanced']);
  });

  it('checked checkboxes answer with an array', () => {
    const boxes: DomNode = {
      type: 'div', props: { id: 'pendo-poll-0-answers', 'data-pendo-poll-id': 'poll-d' }, children: ['A', 'B', 'C'].map((v, i) => ({
        type: 'input', props: { id: `cb-${i}`, type: 'checkbox', value: v, name: 'poll-d' },
      })),
    };
    const env = start(pollGuide([boxes, button(1, 'Send', 'submitPoll')], [{ id: 'poll-d', type: 'PickList', numeric: false }]));
    click('#cb-0');
    click('#cb-2');
    click('#pendo-button-1');
    expect(env.calls.find((c) => c.type === 'pollResponse')!.props.poll_response).toEqual(['A', 'C']);
  });

  it('submitPollAndGoToStep sends the answers, then advances to its destination', () => {
    const one = step('g1', 's1', tree('s1', [choicePoll(0, 'poll-a', nps, true), button(1, 'Why?', 'submitPollAndGoToStep', ['goToStepId', 's3'])]), { pollIds: ['poll-a'] });
    const two = step('g1', 's2', tree('s2', [heading(0, 'Skipped')]));
    const three = step('g1', 's3', tree('s3', [heading(0, 'Thanks')]));
    const env = start(guide('g1', [one, two, three], { polls: [{ id: 'poll-a', numericResponses: true, attributes: { type: 'NPSRating' } } as { id: string }] }));
    click('#pendo-poll-0-option-3');
    click('#pendo-button-1');
    expect(env.calls.slice(1).map((c) => [c.type, c.props.guide_step_id, c.props.poll_response ?? c.props.destination_step_id ?? c.props.reason])).toEqual([
      ['guideActivity', 's1', undefined],
      ['pollResponse', 's1', 3],
      ['guideAdvanced', 's1', 's3'],
      ['guideSeen', 's3', 'continue'],
    ]);
  });

  it('a policy answers with its version, cannot be dismissed, and is accepted with its button', () => {
    const env = start(pollGuide([heading(0, 'Our new terms'), ...policy(1, 'poll-p', '2025-06')], [{ id: 'poll-p', type: 'PolicyAcceptance', numeric: false }], false));
    expect(document.querySelector('[id^=pendo-close-guide]')).toBeNull();
    key('Escape');
    click('#pendo-backdrop');
    expect(env.types()).toEqual(['guideSeen']);
    click('#pendo-button-accept-1');
    expect(env.calls.map((c) => c.type)).toEqual(['guideSeen', 'guideActivity', 'pollResponse', 'guideAdvanced']);
    expect(env.calls[2].props).toMatchObject({ poll_id: 'poll-p', poll_response: '2025-06', poll_type: 'PolicyAcceptance' });
    expect(document.querySelector('#pendo-base')).toBeNull();
  });
});
