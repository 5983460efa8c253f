// Builds a step's building-block tree (protocol §5.5) into DOM. Only allow-listed props are copied, scripts never
// run, and URLs that would run code are dropped; actions are handed to the engine through `onAction`.
import type { DomNode } from '../contract';

export type Action = NonNullable<DomNode['actions']>[number];
export type ActionHandler = (element: HTMLElement, actions: Action[], node: DomNode) => void;

const ALLOWED = /^(id|class|style|href|src|type|role|title|target|tabindex|alt|name|value|for|placeholder|checked|rows|cols|dir|allow|allowfullscreen|frameborder|loading|sandbox|start|data-[\w-]+|aria-[\w-]+)$/;

/** True for a URL that runs code or embeds a document (browsers ignore control characters and spaces in a scheme). */
export const unsafeUrl = (url: string, image?: boolean): boolean => {
  const compact = url.replace(/[\s\x00-\x1f]/g, '').toLowerCase();
  return /^(javascript|vbscript):/.test(compact) || (compact.startsWith('data:') && !(image && compact.startsWith('data:image/')));
};

const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase());

export const cssText = (style: Record<string, unknown>): string =>
  Object.keys(style)
    .filter((k) => !/javascript:|expression\(/i.test(String(style[k])))
    .map((k) => `${kebab(k)}:${style[k]}`)
    .join(';');

/** A `style` node's `css` rules, `[{selector, styles}]`; `styles` may nest rules (media queries). */
const cssRules = (rules: unknown[]): string =>
  rules
    .map((rule) => {
      const { selector, styles } = (rule || {}) as { selector?: string; styles?: unknown };
      if (typeof selector !== 'string' || !styles || /[<]/.test(selector)) return '';
      return `${selector}{${Array.isArray(styles) ? cssRules(styles) : cssText(styles as Record<string, unknown>)}}`;
    })
    .join('');

export function buildNode(node: DomNode, onAction: ActionHandler): Node {
  const tag = String(node.type || 'div').toLowerCase();
  if (!/^[a-z][a-z0-9]*$/.test(tag)) return document.createTextNode('');
  const element = document.createElement(tag === 'script' ? 'noscript' : tag);
  if (tag === 'script') return element;
  const props = node.props || {};
  for (const name of Object.keys(props)) {
    const value = props[name];
    if (!ALLOWED.test(name) || value == null || value === false) continue;
    if (name === 'style') {
      element.style.cssText = typeof value === 'object' ? cssText(value as Record<string, unknown>) : '';
    } else if ((name === 'href' || name === 'src') && unsafeUrl(String(value), tag === 'img' && name === 'src')) {
      continue;
    } else {
      element.setAttribute(name, value === true ? '' : String(value));
    }
  }
  if (tag === 'style') element.textContent = cssRules(node.css || []) + (node.content || '');
  else if (node.content != null) element.appendChild(document.createTextNode(node.content));
  for (const child of node.children || []) element.appendChild(buildNode(child, onAction));
  if (node.actions && node.actions.length) onAction(element, node.actions, node);
  return element;
}

/** Every action in the tree, to know whether a step can be dismissed (ESC) at all. */
export const treeActions = (node: DomNode | undefined): string[] =>
  node ? [...(node.actions || []).map((a) => a.action), ...(node.children || []).flatMap(treeActions)] : [];

export const param = (action: Action, name?: string): unknown =>
  (name ? (action.parameters || []).find((p) => p.name === name) : (action.parameters || [])[0])?.value;
