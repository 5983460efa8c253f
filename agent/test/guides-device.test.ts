import { describe, expect, it } from 'vitest';
import type { GuideObject } from '../src/contract';
import { isScheduled, onMobile } from '../src/guides/eligibility';

const guide = (device: Record<string, unknown>): GuideObject => ({ id: 'g', attributes: { device }, steps: [] });
const NOW = 1_700_000_000_000;

describe('devices (Pendo agent: desktops unless desktop is false, mobiles only when mobile is true)', () => {
  it('chooses by the guide\'s device flags', () => {
    const cases: [Record<string, unknown>, boolean, boolean][] = [
      // device, shows on a desktop, shows on a mobile
      [{}, true, false],
      [{ desktop: true, mobile: false }, true, false],
      [{ desktop: true, mobile: true }, true, true],
      [{ desktop: false, mobile: true }, false, true],
      [{ desktop: false }, false, false],
      [{ type: 'all' }, true, true],
      [{ type: 'desktop' }, true, false],
      [{ type: 'mobile' }, false, true],
    ];
    for (const [device, desktop, mobile] of cases) {
      expect([isScheduled(guide(device), NOW, false), isScheduled(guide(device), NOW, true)], JSON.stringify(device)).toEqual([desktop, mobile]);
    }
  });

  it('knows a mobile from the browser\'s hint, else from its user agent', () => {
    const chrome = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Safari/537.36';
    const iphone = 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1';
    const android = 'Mozilla/5.0 (Linux; Android 15; Pixel 9) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Mobile Safari/537.36';
    expect([chrome, iphone, android].map((userAgent) => onMobile({ userAgent }))).toEqual([false, true, true]);
    expect(onMobile({ userAgent: chrome, userAgentData: { mobile: true } })).toBe(true);
    expect(onMobile({ userAgent: android, userAgentData: { mobile: false } })).toBe(false);
  });
});
