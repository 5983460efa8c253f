// Whether a guide or step may show on this page now (protocol §5.4, §5.7): page rule, element, device, schedule,
// the visitor's step state and auto-guide throttling.
import type { GuideObject, GuidePayload, GuideStepObject } from '../contract';

/** The page URL as step rules are written against it: scheme and host in lower case (as the server's normalizedUrl). */
export const normalizedUrl = (url: string): string => url.replace(/^[^/?#]*\/\/[^/?#]*/, (origin) => origin.toLowerCase());

export function matchesPage(step: GuideStepObject, url: string): boolean {
  if (!step.regexUrlRule) return true;
  try {
    return new RegExp(step.regexUrlRule).test(normalizedUrl(url));
  } catch {
    return false;
  }
}

export function isVisible(element: Element | null): element is Element {
  if (!element || !element.isConnected || !element.getClientRects().length) return false;
  for (let el: Element | null = element; el; el = el.parentElement) {
    const style = getComputedStyle(el);
    if (style.display === 'none' || style.visibility === 'hidden') return false;
  }
  return true;
}

/** The step's element when it is on the page and visible; `document.body` for steps without one. */
export function targetOf(step: GuideStepObject): Element | null {
  if (!step.elementPathRule) return document.body;
  let found: Element | null = null;
  try {
    found = Array.from(document.querySelectorAll(step.elementPathRule)).find(isVisible) || null;
  } catch {
    /* an invalid selector matches nothing */
  }
  return found;
}

/** A phone or tablet, by the browser's own hint where it gives one. */
export const onMobile = (agent: { userAgent: string; userAgentData?: { mobile?: boolean } } = navigator): boolean =>
  agent.userAgentData?.mobile ?? /Mobi|Android|iPhone|iPad|iPod/i.test(agent.userAgent);

export function isScheduled(guide: GuideObject, now: number, mobile = onMobile()): boolean {
  const device = (guide.attributes?.device || {}) as { desktop?: boolean; mobile?: boolean; type?: string };
  // As in Pendo's agent: desktops show a guide unless it says desktop: false; mobiles only when it says mobile: true.
  const forDevice = device.type ? device.type === 'all' || device.type === (mobile ? 'mobile' : 'desktop')
    : mobile ? device.mobile === true : device.desktop !== false;
  return forDevice && !(guide.showsAfter && now < guide.showsAfter) && !(guide.expiresAfter && now >= guide.expiresAfter);
}

const UNIT = { minute: 6e4, hour: 36e5, day: 864e5 };

/** True while auto guides must wait: the last auto guide ended less than the throttling interval ago. */
export function isThrottled(guide: GuideObject, payload: GuidePayload, localEnd: number, now: number): boolean {
  const throttling = payload.throttling;
  if (!throttling?.enabled || guide.attributes?.overrideAutoThrottling) return false;
  const last = Math.max(localEnd, payload.latestDismissedAutoAt || 0, payload.finalAdvancedAutoAt || 0, payload.latestSnoozedAutoAt || 0);
  return now - last < (throttling.interval || 0) * (UNIT[throttling.unit || 'day'] || UNIT.day);
}
