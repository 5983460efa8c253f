// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest';
import { buildNode, treeActions } from '../src/guides/dom-tree';
import type { DomNode } from '../src/contract';

const build = (node: DomNode, onAction = vi.fn()) => buildNode(node, onAction) as HTMLElement;

describe('building-block rendering', () => {
  it('copies allow-listed props, data-* and aria-*, and drops everything else', () => {
    const el = build({
      type: 'div',
      props: { id: 'x', class: 'a b', title: 't', role: 'note', 'data-pendo-poll-id': 'p1', 'aria-label': 'L', onclick: 'alert(1)', srcdoc: '<b>', formaction: '/x' },
    });
    expect(el.id).toBe('x');
    expect(el.className).toBe('a b');
    expect(el.getAttribute('title')).toBe('t');
    expect(el.getAttribute('role')).toBe('note');
    expect(el.getAttribute('data-pendo-poll-id')).toBe('p1');
    expect(el.getAttribute('aria-label')).toBe('L');
    expect(el.hasAttribute('onclick')).toBe(false);
    expect(el.hasAttribute('srcdoc')).toBe(false);
    expect(el.hasAttribute('formaction')).toBe(false);
  });

  it('turns a style object into CSS text', () => {
    const el = build({ type: 'div', props: { style: { 'background-color': 'red', position: 'fixed', 'z-index': '300000' } } });
    expect(el.style.backgroundColor).toBe('red');
    expect(el.style.position).toBe('fixed');
    expect(el.style.zIndex).toBe('300000');
  });

  it('never renders a script: it becomes an empty noscript', () => {
    const root = build({ type: 'div', children: [{ type: 'script', content: 'window.hacked = true', props: { src: 'http://evil/x.js' } }] });
    expect(root.querySelector('script')).toBeNull();
    const noscript = root.querySelector('noscript')!;
    expect(noscript).not.toBeNull();
    expect(noscript.textContent).toBe('');
    expect(noscript.hasAttribute('src')).toBe(false);
  });

  it('drops javascript:, vbscript: and data: URLs but keeps safe links and data images', () => {
    const root = build({
      type: 'div', children: [
        { type: 'a', props: { id: 'bad', href: 'java\tscript:alert(1)' } },
        { type: 'a', props: { id: 'vb', href: ' VBScript:x' } },
        { type: 'a', props: { id: 'data', href: 'data:text/html,<script>1</script>' } },
        { type: 'a', props: { id: 'ok', href: 'https://example.com/help', target: '_blank' } },
        { type: 'img', props: { id: 'pic', src: 'data:image/png;base64,AAAA', alt: 'pic' } },
      ],
    });
    expect(root.querySelector('#bad')!.hasAttribute('href')).toBe(false);
    expect(root.querySelector('#vb')!.hasAttribute('href')).toBe(false);
    expect(root.querySelector('#data')!.hasAttribute('href')).toBe(false);
    expect(root.querySelector('#ok')!.getAttribute('href')).toBe('https://example.com/help');
    expect(root.querySelector('#ok')!.getAttribute('target')).toBe('_blank');
    expect(root.querySelector('#pic')!.getAttribute('src')).toBe('data:image/png;base64,AAAA');
  });

  it('renders content as text, never as markup', () => {
    const el = build({ type: 'p', content: '<img src=x onerror="window.hacked=1">' });
    expect(el.children.length).toBe(0);
    expect(el.textContent).toBe('<img src=x onerror="window.hacked=1">');
  });

  it('writes a style node from its css rules, nested rules included', () => {
    const el = build({
      type: 'style',
      css: [
        { selector: '#pendo-guide-container', styles: { color: 'blue', 'font-size': '14px' } },
        { selector: '@media (max-width: 600px)', styles: [{ selector: '#pendo-g-s1', styles: { width: '100%' } }] },
      ],
    });
    expect(el.tagName).toBe('STYLE');
    expect(el.textContent).toBe('#pendo-guide-container{color:blue;font-size:14px}@media (max-width: 600px){#pendo-g-s1{width:100%}}');
  });

  it('hands each node with actions to the action handler and lists every action of a tree', () => {
    const onAction = vi.fn();
    const tree: DomNode = {
      type: 'div', children: [
        { type: 'button', props: { id: 'pendo-button-1' }, actions: [{ action: 'advanceGuide', eventType: 'click', parameters: [] }] },
        { type: 'div', children: [{ type: 'button', props: { id: 'pendo-close-guide-s' }, actions: [{ action: 'dismissGuide', eventType: 'click' }] }] },
      ],
    };
    build(tree, onAction);
    expect(onAction.mock.calls.map(([el]) => (el as Element).id)).toEqual(['pendo-button-1', 'pendo-close-guide-s']);
    expect(treeActions(tree)).toEqual(['advanceGuide', 'dismissGuide']);
  });
});
