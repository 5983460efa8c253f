// Reads a step's poll answers the way the Pendo agent's submitPoll does: for each element carrying a poll id, the
// first textarea, text input, select or checked radio in it (or the element itself) gives that poll's answer.
import type { GuideObject, GuideStepObject } from '../contract';

export interface PollAnswer {
  poll_id: string;
  poll_response: unknown;
  poll_type?: string;
}

const ANSWER = 'textarea,input[type=text],input:not([type]),select,input[type=radio]:checked,input[type=checkbox]:checked';

export function readAnswers(root: Element, guide: GuideObject, step: GuideStepObject): PollAnswer[] {
  const answers: PollAnswer[] = [];
  for (const id of step.pollIds || []) {
    const poll = (guide.polls || []).find((p) => p.id === id);
    let values: string[] = [];
    let multi = false;
    for (const holder of Array.from(root.querySelectorAll(`[data-pendo-poll-id="${CSS.escape(id)}"]`))) {
      const inputs = (holder.matches(ANSWER) ? [holder] : Array.from(holder.querySelectorAll(ANSWER))) as HTMLInputElement[];
      const checkboxes = inputs.filter((input) => input.type === 'checkbox');
      // Checkboxes answer with every checked value; anything else with its first input.
      multi = checkboxes.length > 0;
      values = multi ? checkboxes.map(valueOf) : inputs.length ? [valueOf(inputs[0])] : [];
      if (values.some((v) => v !== '')) break;
    }
    values = values.filter((v) => v !== '');
    if (!values.length) continue;
    const numeric = !!poll?.numericResponses || /NPS|NumberScale/.test(poll?.attributes?.type || '');
    const convert = (v: string) => (numeric && /^-?\d+$/.test(v) ? parseInt(v, 10) : v);
    const answer: PollAnswer = {
      poll_id: id,
      poll_response: multi ? values.map(convert) : convert(values[0]),
    };
    if (poll?.attributes?.type) answer.poll_type = poll.attributes.type;
    answers.push(answer);
  }
  return answers;
}

/** A choice without a value answers with its label's text. */
function valueOf(input: HTMLInputElement): string {
  if (input.type !== 'radio' && input.type !== 'checkbox') return input.value.trim();
  if (input.hasAttribute('value')) return input.value;
  const label = input.id ? document.querySelector(`label[for="${CSS.escape(input.id)}"]`) : null;
  return (label?.textContent || '').trim();
}
