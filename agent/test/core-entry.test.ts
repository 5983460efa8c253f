// @vitest-environment happy-dom
import { expect, it } from 'vitest';

// The stub an install snippet (Pendo's, or ours) leaves before the agent file loads: methods that queue their calls in
// pendo._q as [method, ...args], initialize at the front.
function installSnippetStub(win: Record<string, any>): void {
  const pendo = (win.pendo = win.pendo || {});
  const queue: unknown[][] = (pendo._q = pendo._q || []);
  for (const method of ['initialize', 'identify', 'updateOptions', 'pageLoad', 'track']) {
    pendo[method] = pendo[method] || ((...args: unknown[]) => (method === 'initialize' ? queue.unshift([method, ...args]) : queue.push([method, ...args])));
  }
}

it('the entry puts the API on the snippet\'s object and keeps its queued calls', async () => {
  const win = window as unknown as Record<string, any>;
  installSnippetStub(win);
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
