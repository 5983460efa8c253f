// @vitest-environment happy-dom
import { afterEach, expect, it } from 'vitest';
import { install, resetPage, VISITOR_1, type Agent } from './core-fakes';

// The browser suite times the real budgets (no long task over 50 ms at initialize on 5,000 elements, 1 ms per
// click) and bench/ compares them with Pendo's agent; here, what keeps them cheap: no walk of the document.
let agent: Agent;
afterEach(() => agent.pendo.teardown());

/** 5,000+ elements: 50 sections of 20 rows of 5 elements. */
function bigPage(): void {
  resetPage('/big');
  const row = (i: number) => `<li class="row"><span>${i}</span> <a href="/item/${i}">item</a><em>x</em><b>y</b></li>`;
  const section = (s: number) => `<section><ul>${Array.from({ length: 20 }, (_, i) => row(s * 20 + i)).join('\n')}</ul></section>`;
  document.body.innerHTML = `<main id="main">${Array.from({ length: 50 }, (_, s) => section(s)).join('')}</main>`;
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
    agent.pendo.initialize(VISITOR_1);
  } finally {
    Object.defineProperty(Node.prototype, 'childNodes', descriptor);
  }
  expect(walked.count).toBe(0);
});
