// The guide engine (protocol §5.7): decides which one step to show (permalink, then a walkthrough in progress, then
// auto guides), renders it, and turns the visitor's clicks into guide events through the GuideHost.
import type { GuideEngine, GuideHost, GuideObject, GuidePayload, GuideStepObject } from '../contract';
import { buildNode, param, treeActions, unsafeUrl, type Action } from './dom-tree';
import { isScheduled, isThrottled, isVisible, matchesPage, targetOf } from './eligibility';
import { trapFocus } from './focus';
import { alignmentOf, place } from './placement';
import { readAnswers } from './polls';
import { launchers } from './launchers';

/** How long the agent's own record of a step's state outlives the payload it was written after (GUIDE_STATE_TTL). */
const MEMORY = 10_000;
const CONTINUATION_LIMIT = 12 * 36e5;
const DAY = 864e5;

interface StepState {
  state?: string;
  reason?: string;
  snoozeEndTime?: number;
  at?: number;
}
interface LastSeen {
  guideId?: string;
  guideStepId?: string;
  state?: string;
  time?: number;
  destinationStepId?: string;
  at?: number;
}
interface Shown {
  guide: GuideObject;
  step: GuideStepObject;
  at: number;
  base: HTMLElement;
  undo: (() => void)[];
  dismissable: boolean;
}

const now = () => Date.now();
const key = (step: GuideStepObject) => step.guideId + '/' + step.id;
const hasLaunch = (guide: GuideObject, method: string) => (guide.launchMethod || '').split('-').includes(method);

export function createGuideEngine(host: GuideHost): GuideEngine {
  let payload: GuidePayload = { guides: [] };
  let receivedAt = 0;
  let shown: Shown | null = null;
  let lastSeenHere: LastSeen | null = null;
  let throttleEnd = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const local = new Map<string, StepState>();
  const permalinked = new Set<string>();
  const fetching = new Set<string>();
  const nodes = new WeakMap<Element, Action[]>();

  const fresh = <T extends { at?: number }>(entry: T | null | undefined): T | undefined =>
    entry && (entry.at || 0) >= receivedAt - MEMORY ? entry : undefined;
  const stateOf = (step: GuideStepObject): StepState =>
    fresh(local.get(key(step))) || { state: step.seenState, reason: step.seenReason, snoozeEndTime: step.snoozeEndTime };
  const remember = (step: GuideStepObject, state: StepState, last: LastSeen) => {
    const at = now();
    local.set(key(step), { ...stateOf(step), ...state, at });
    lastSeenHere = { guideId: step.guideId, guideStepId: step.id, time: at, at, ...last };
  };
  const lastSeen = (): LastSeen => fresh(lastSeenHere) || (payload.lastGuideStepSeen as LastSeen) || {};
  const isSnoozed = (step: GuideStepObject) => {
    const s = stateOf(step);
    return s.state === 'snoozed' && !!s.snoozeEndTime && now() <= s.snoozeEndTime;
  };
  const seenReason = (guide: GuideObject) => stateOf(guide.steps[0]).reason || 'auto';

  function emit(type: string, extra: Record<string, unknown>, target = shown) {
    if (!target) return;
    const { guide, step } = target;
    host.guideEvent(type, {
      guide_id: guide.id,
      guide_step_id: step.id,
      ...(typeof guide.language === 'string' ? { language: guide.language } : {}),
      ...extra,
      duration: now() - target.at,
    });
  }

  /** The step a walkthrough continues with, as the Pendo agent's `guide.nextStep(lastGuideStepSeen)`. */
  function nextStep(guide: GuideObject, last: LastSeen): GuideStepObject | undefined {
    // Only walkthroughs continue (the Pendo agent's WalkthroughGuide is for multi-step guides).
    if (!guide.isMultiStep || guide.steps.some(isSnoozed) || last.guideId !== guide.id) return;
    const index = guide.steps.findIndex((s) => s.id === last.guideStepId);
    if (index < 0 || last.state === 'dismissed') return;
    const step =
      last.state === 'active' || last.state === 'snoozed' ? guide.steps[index]
      : last.destinationStepId ? guide.steps.find((s) => s.id === last.destinationStepId)
      : guide.steps[index + 1];
    if (step && last.time && now() - last.time > CONTINUATION_LIMIT && !guide.attributes?.isOnboarding) return;
    return step;
  }

  function hide() {
    const gone = shown;
    shown = null;
    if (!gone) return;
    gone.undo.forEach((undo) => undo());
    gone.base.remove();
  }

  function show(guide: GuideObject, step: GuideStepObject | undefined, reason: string): boolean {
    if (!step || !isScheduled(guide, now()) || !matchesPage(step, host.url())) return false;
    if (shown && shown.step === step) return true;
    const target = targetOf(step);
    const embed = guide.attributes?.embedConfig as { selector?: string; method?: string } | undefined;
    let mount: Element | null = document.body;
    try {
      if (embed?.selector) mount = document.querySelector(embed.selector);
    } catch {
      mount = null;
    }
    if (!target || !mount) return false;
    const tree = step.domJson;
    if (!tree) {
      if (step.domUrl && !fetching.has(key(step))) {
        fetching.add(key(step));
        fetch(step.domUrl)
          .then((response) => response.json())
          .then((json) => {
            // The Pendo agent accepts fetched content only with all three of type, props and children.
            if (json && json.type && json.props && json.children) {
              step.domJson = json;
              if (!shown) show(guide, step, reason);
            }
          })
          .catch(() => {});
      }
      return false;
    }

    hide();
    const base = buildNode(tree, (element, actions) => {
      nodes.set(element, actions);
      const types = new Set(actions.map((a) => a.eventType || 'click'));
      types.forEach((type) =>
        element.addEventListener(type, () => actions.filter((a) => (a.eventType || 'click') === type).forEach((a) => run(a, base))),
      );
    }) as HTMLElement;
    if (embed?.selector) {
      if (embed.method === 'replace') mount.textContent = '';
      if (embed.method === 'prepend') mount.prepend(base);
      else mount.appendChild(base);
    } else document.body.appendChild(base);

    const frame = base.querySelector<HTMLElement>('[id^="pendo-g-"]') || base;
    const container = base.querySelector<HTMLElement>('#pendo-guide-container') || frame;
    const modal = alignmentOf(frame) === 'Centered';
    if (!container.getAttribute('role')) container.setAttribute('role', 'dialog');
    if (modal) container.setAttribute('aria-modal', 'true');
    const heading = container.querySelector('h1[id],h2[id],h3[id],h4[id],h5[id],h6[id]');
    if (heading && !container.hasAttribute('aria-labelledby')) container.setAttribute('aria-labelledby', heading.id);
    base.addEventListener('click', activity, true);

    const current: Shown = {
      guide, step, base, at: now(), undo: [], dismissable: treeActions(tree).includes('dismissGuide'),
    };
    shown = current;
    current.undo.push(place(frame, container, target === document.body ? null : target, step.attributes?.layoutDir));
    if (modal) current.undo.push(trapFocus(container));
    remember(step, { state: 'active', reason }, { state: 'active' });
    const pollTypes = (step.pollIds || [])
      .map((id) => (guide.polls || []).find((p) => p.id === id)?.attributes?.type)
      .filter(Boolean);
    emit('guideSeen', {
      reason,
      last_updated_at: step.lastUpdatedAt,
      ...(pollTypes.length ? { step_poll_types: pollTypes } : {}),
    });
    return true;
  }

  /** guideActivity for clicks on the step's buttons (ids `pendo-button…`, `pendo-close-guide…`), before their actions run. */
  function activity(event: Event) {
    const button = (event.target as Element).closest?.('button[id^="pendo-button"],button[id^="pendo-close-guide"]');
    if (!button || !shown) return;
    const actions = (nodes.get(button) || []).map(describe);
    emit('guideActivity', {
      // As the Pendo agent does, a button that shows another guide is told apart by that guide's id.
      ui_element_id: button.id + (actions[0]?.action === 'showGuide' ? '-' + actions[0].guideId : ''),
      ui_element_type: button.tagName,
      ui_element_actions: actions,
    });
  }

  function run(action: Action, base: HTMLElement) {
    if (!shown || shown.base !== base) return;
    const first = param(action);
    const goTo = param(action, 'goToStepId') as string | undefined;
    switch (action.action) {
      case 'advanceGuide':
        return advance();
      case 'previousStep': {
        const steps = shown.guide.steps;
        const index = steps.indexOf(shown.step);
        return index > 0 ? advance(steps[index - 1].id) : undefined;
      }
      case 'submitPollAndGoToStep':
      case 'submitPoll':
        for (const answer of readAnswers(base, shown.guide, shown.step))
          host.pollEvent({
            guide_id: shown.guide.id,
            guide_step_id: shown.step.id,
            ...(typeof shown.guide.language === 'string' ? { language: shown.guide.language } : {}),
            ...answer,
            duration: now() - shown.at,
          });
        return action.action === 'submitPoll' ? advance() : goTo && goTo !== shown.step.id ? advance(goTo) : undefined;
      case 'goToStep':
        return goTo && goTo !== shown.step.id ? advance(goTo) : undefined;
      case 'dismissGuide':
        return dismiss();
      case 'guideSnoozed':
        return snooze(typeof first === 'number' && first > 0 ? first : DAY);
      case 'openLink': {
        const url = String(param(action, 'url') || '');
        if (!unsafeUrl(url)) window.open(url, String(param(action, 'target') || '_blank'), 'noopener');
        return;
      }
      case 'showGuide':
      case 'launchGuide':
        return void showById(String(first), 'api');
      case 'showElements':
      case 'hideElements':
        base.querySelectorAll<HTMLElement>(String(param(action, 'selectors'))).forEach((el) => {
          el.style.display = action.action === 'showElements' ? '' : 'none';
        });
    }
  }

  function advance(destination?: string) {
    const current = shown;
    if (!current) return;
    const { guide, step } = current;
    const reason = seenReason(guide);
    const steps = guide.steps;
    const to = destination || steps[steps.indexOf(step) + 1]?.id;
    emit('guideAdvanced', { seen_reason: reason, ...(to ? { destination_step_id: to } : {}) });
    remember(step, { state: 'advanced' }, guide.attributes?.doNotResume ? {} : { state: 'advanced', destinationStepId: to });
    if (guide.attributes?.doNotResume) lastSeenHere = null;
    if (!to && reason === 'auto') throttleEnd = now();
    hide();
    loop();
  }

  /** The visitor puts the step away for good (dismissed) or for a while (snoozed). */
  function putAway(type: 'guideDismissed' | 'guideSnoozed', state: StepState, extra: Record<string, unknown> = {}) {
    if (!shown) return;
    const reason = seenReason(shown.guide);
    emit(type, { seen_reason: reason, ...extra });
    remember(shown.step, state, { state: state.state });
    if (reason === 'auto') throttleEnd = now();
    hide();
    loop();
  }

  const dismiss = () => putAway('guideDismissed', { state: 'dismissed' });
  const snooze = (duration: number) =>
    putAway('guideSnoozed', { state: 'snoozed', snoozeEndTime: now() + duration }, { snooze_duration: duration });

  function showById(id: string, reason: string): boolean {
    const guide = payload.guides.find((g) => g.id === id);
    return !!guide && show(guide, guide.steps[0], reason);
  }

  /** Hides a step whose guide, page or element went away; otherwise looks for something to show. */
  function loop() {
    badges.update();
    if (shown) {
      const { step } = shown;
      const here = payload.guides.some((g) => g.steps.includes(step)) && matchesPage(step, host.url());
      if (here && (!step.elementPathRule || isVisible(targetOf(step)))) return;
      hide();
    }

    const wanted = new URLSearchParams(location.search).get('pendo');
    const permalink = payload.guides.find((g) => g.id === wanted);
    if (permalink && !permalinked.has(permalink.id)) {
      permalinked.add(permalink.id);
      const stepId = new URLSearchParams(location.search).get('step');
      if (show(permalink, permalink.steps.find((s) => s.id === stepId) || permalink.steps[0], 'permalink')) return;
    }

    // A walkthrough in progress continues (here or on its own page), and keeps auto guides away meanwhile.
    const last = lastSeen();
    for (const guide of payload.guides) {
      const step = nextStep(guide, last);
      if (!step || guide.attributes?.doNotResume) continue;
      const first = step === guide.steps[0] && stateOf(step).reason === 'auto';
      show(guide, step, first ? 'auto' : 'continue');
      return;
    }

    const order = payload.autoOrdering || [];
    const rank = (g: GuideObject) => (order.includes(g.id) ? order.indexOf(g.id) : order.length);
    const priority = (g: GuideObject) => Number(g.attributes?.priority) || 0;
    const auto = payload.guides
      .filter((g) => hasLaunch(g, 'auto'))
      .sort((a, b) => rank(a) - rank(b) || priority(b) - priority(a));
    for (const guide of auto) {
      if (isThrottled(guide, payload, throttleEnd, now())) continue;
      const first = guide.steps[0];
      const redisplay = guide.redisplay as { interval?: number; maxDismissals?: number } | undefined;
      const repeat =
        !!redisplay && !!first?.lastSeenAt && !isSnoozed(first) && now() - first.lastSeenAt >= (redisplay.interval || 0) &&
        (first.dismissCount || 0) < (redisplay.maxDismissals ?? Infinity) && !fresh(local.get(key(first)));
      const untouched = guide.steps.every((s) => !isSnoozed(s) && !['dismissed', 'advanced'].includes(stateOf(s).state || ''));
      if ((repeat || untouched) && show(guide, first, repeat ? 'repeatGuide' : 'auto')) return;
    }
  }

  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(loop, 50);
  };
  const onKey = (event: KeyboardEvent) => {
    if (event.key === 'Escape' && shown?.dismissable) dismiss();
  };
  const observer = new MutationObserver((records) => {
    if (records.some((r) => !(shown && shown.base.contains(r.target)) && !badges.owns(r.target))) schedule();
  });
  const badges = launchers(() => payload.guides, host.url, (guide, reason) => !!shown && shown.guide === guide ? false : show(guide, guide.steps[0], reason));
  observer.observe(document.documentElement, { childList: true, subtree: true, attributes: true, attributeFilter: ['class', 'style', 'hidden'] });
  const interval = setInterval(schedule, 1000);
  document.addEventListener('keydown', onKey);

  return {
    setPayload(next) {
      payload = next;
      receivedAt = now();
      if (shown) {
        const guide = next.guides.find((g) => g.id === shown!.guide.id);
        const step = guide?.steps.find((s) => s.id === shown!.step.id);
        if (guide && step) {
          if (!step.domJson) step.domJson = shown.step.domJson;
          Object.assign(shown, { guide, step });
        } else hide();
      }
      badges.listen();
      loop();
    },
    urlChanged: loop,
    guides: () => payload.guides,
    showGuideById: (id) => showById(id, 'api'),
    advance: () => advance(),
    dismiss,
    teardown() {
      hide();
      badges.teardown();
      observer.disconnect();
      clearInterval(interval);
      clearTimeout(timer);
      document.removeEventListener('keydown', onKey);
      payload = { guides: [] };
    },
  };
}

/** An action as guideActivity reports it (`ui_element_actions`). */
function describe(action: Action): Record<string, unknown> {
  const name = action.action;
  if (name === 'openLink') return { action: name, url: param(action, 'url'), target: param(action, 'target') };
  if (name === 'goToStep' || name === 'submitPollAndGoToStep') return { action: name, guideStepId: param(action, 'goToStepId') };
  if (name === 'showGuide' || name === 'launchGuide') return { action: name, guideId: param(action) };
  if (name === 'guideSnoozed') return { action: name, duration: param(action) ?? DAY };
  return { action: name };
}
