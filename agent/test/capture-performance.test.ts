// @vitest-environment happy-dom
import { afterEach, expect, it } from 'vitest';
import { install, resetPage, VISITOR_1, type Agent } from './core-fakes';

// The browser suite checks the real budgets (no long task over 50 ms at initialize on 5,000 elements, 1 ms per
// click); here the same work must stay cheap even in happy-dom, which is far slower than a browser.
let agent: Agent;
afterEach(() => agent.pendo.teardown());

/** 5,000+ elements: 50 sections of 20 rows of 5 elements, and a chain 40 deep under the last row. (Wide sibling
 *  lists would measure happy-dom, whose previousSibling is an indexOf, not the agent.) */
function bigPage(): Element {
  resetPage('/big');
  const row = (i: number) => `<li class="row"><span>${i}</span> <a href="/item/${i}">item</a><em>x</em><b>y</b></li>`;
  const section = (s: number) => `<section><ul>${Array.from({ length: 20 }, (_, i) => row(s * 20 + i)).join('\n')}</ul></section>`;
  document.body.innerHTML = `<main id="main">${Array.from({ length: 50 }, (_, s) => section(s)).join('')}</main>`;
  let deepest: Element = document.getElementById('main')!.lastElementChild!.querySelector('li:last-child')!;
  for (let i = 0; i < 40; i++) deepest = deepest.appendChild(document.createElement('div'));
  return deepest;
}

it('initializes without walking the document', () => {
  bigPage();
  expect(document.getElementsByTagName('*').length).toBeGreaterThan(5000);
  const walked = { count: 0 };
  const descriptor = Object.getOwnPropertyDescriptor(Node.prototype, 'childNodes')!;
  Object.defineProperty(Node.prototype, 'childNodes', {
    configurable: true, get() { walked.count++; return descriptor.get!.call(this); },
  });
  try {
    agent = install();
    const started = performance.now();
    agent.pendo.initialize(VISITOR_1);
    expect(performance.now() - started).toBeLessThan(50);
  } finally {
    Object.defineProperty(Node.prototype, 'childNodes', descriptor);
  }
  expect(walked.count).toBe(0);
});

it('spends well under a millisecond of its own per click on a deep element of a big page', () => {
  const deepest = bigPage();
  // The fastest of several batches: a garbage collection in one batch says nothing about the agent.
  const perClick = () => {
    let fastest = Infinity;
    for (let batch = 0; batch < 8; batch++) {
      const started = performance.now();
      for (let i = 0; i < 25; i++) deepest.dispatchEvent(new MouseEvent('click', { bubbles: true }));
      fastest = Math.min(fastest, (performance.now() - started) / 25);
    }
    return fastest;
  };
  perClick(); // warm up
  const withoutAgent = perClick();
  agent = install();
  agent.pendo.initialize(VISITOR_1);
  const withAgent = perClick();
  expect(agent.transport.types().filter((t) => t === 'click')).toHaveLength(200);
  expect(withAgent - withoutAgent).toBeLessThan(1);
});
