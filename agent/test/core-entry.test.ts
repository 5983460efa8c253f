// @vitest-environment happy-dom
import { expect, it } from 'vitest';

// Pendo's install snippet as applications keep it, without the part that loads the script (the import below).
function pendoSnippet(win: Record<string, any>): void {
  const o = (win.pendo = win.pendo || {});
  o._q = o._q || [];
  const v = ['initialize', 'identify', 'updateOptions', 'pageLoad', 'track'];
  for (let w = 0, x = v.length; w < x; ++w) {
    (function (m) {
      o[m] = o[m] || function (...args: unknown[]) { o._q[m === v[0] ? 'unshift' : 'push']([m, ...args]); };
    })(v[w]);
  }
}

it('the entry puts the API on the snippet\'s object and keeps its queued calls', async () => {
  const win = window as unknown as Record<string, any>;
  pendoSnippet(win);
  const stub = win.pendo;
  const stubIdentify = stub.identify;
  stub.identify('visitor-1');
  await import('../src/index');
  expect(win.pendo).toBe(stub);
  expect(stub.identify).not.toBe(stubIdentify);
  expect(stub._q).toEqual([]);
  for (const method of ['initialize', 'identify', 'updateOptions', 'pageLoad', 'track', 'clearSession', 'flushNow',
    'getVisitorId', 'getAccountId', 'isReady', 'showGuideById', 'onGuideAdvanced', 'onGuideDismissed', 'teardown',
    'isAnonymousVisitor']) {
    expect(typeof stub[method], method).toBe('function');
  }
  expect(stub.VERSION).toMatch(/^\d+\.\d+\.\d+_/);
  expect(stub.guides).toEqual([]);
  expect(stub.isReady()).toBe(false);
  // No apiKey is baked into an unserved build, so nothing starts; the identify waits for an initialize.
  expect(stub.getVisitorId()).toBeNull();
});
