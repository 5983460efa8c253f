// props.target of DOM events, built like Pendo's NodeSerializer (protocol §4.2): the element and its ancestors up
// to and including BODY. Work is O(depth × siblings), never a walk of the document.

export interface ElementNode {
  tag: string;
  id: string;
  cls: string;
  title: string | null;
  attrs: Record<string, string | number>;
  myIndex: number;
  childIndex: number;
  txt?: string;
  flags?: string[];
  parentElem?: ElementNode;
}

export interface PathOptions {
  /** Attributes captured on every element besides its tag's whitelist (the application's htmlAttributes). */
  extraAttributes: string[];
  /** Adds the element's own text as `txt` (text capture allowed). */
  captureText: boolean;
}

const TAG_ATTRIBUTES: Record<string, string[]> = {
  A: ['href'],
  BUTTON: ['value', 'name'],
  IMG: ['src', 'alt'],
  SELECT: ['name', 'type', 'selectedIndex'],
  TEXTAREA: ['name'],
  INPUT: ['name', 'type'],
};
const FORM_FIELDS = ['INPUT', 'TEXTAREA', 'SELECT'];
const MAX_ATTRIBUTES = 64;
const MAX_VALUE_LENGTH = 256;
const MAX_TEXT_LENGTH = 128;

/** `flags` (a click's buttons and keys) go on the leaf only. */
export function elementPath(element: Element, options: PathOptions, flags?: string[]): ElementNode {
  const leaf = describe(element, options);
  if (options.captureText) {
    const text = (element.textContent ?? '').trim().slice(0, MAX_TEXT_LENGTH);
    if (text) leaf.txt = text;
  }
  if (flags) leaf.flags = flags;
  let node = leaf;
  for (let current = element; current.nodeName !== 'BODY';) {
    const parent = current.parentElement;
    if (!parent || parent.nodeName === 'HTML') break;
    node = node.parentElem = describe(parent, options);
    current = parent;
  }
  return leaf;
}

function describe(element: Element, options: PathOptions): ElementNode {
  return {
    tag: element.nodeName,
    id: element.id || '',
    cls: element.getAttribute('class') ?? '',
    title: element.getAttribute('title'),
    attrs: attributes(element, options),
    myIndex: indexAmong<ChildNode>(element, (node) => node.previousSibling),
    childIndex: indexAmong<Element>(element, (node) => node.previousElementSibling),
  };
}

// Sibling pointers, not an indexOf on childNodes: in browsers each step is a pointer hop.
function indexAmong<T extends Node>(node: T, previous: (node: T) => T | null): number {
  let index = 0;
  for (let sibling = previous(node); sibling; sibling = previous(sibling)) index++;
  return index;
}

function attributes(element: Element, options: PathOptions): Record<string, string | number> {
  const tag = element.nodeName;
  const type = (element.getAttribute('type') ?? '').toLowerCase();
  const names = [...(TAG_ATTRIBUTES[tag] ?? [])];
  if (tag === 'INPUT' && (type === 'submit' || type === 'button')) names.push('value');
  // A field's value is what the visitor typed: captured only as the caption above, or with text capture.
  for (const name of options.extraAttributes) {
    if (name !== 'value' || !FORM_FIELDS.includes(tag) || options.captureText) names.push(name);
  }
  const attrs: Record<string, string | number> = {};
  let count = 0;
  for (const name of names) {
    if (count >= MAX_ATTRIBUTES || name in attrs) continue;
    const value = tag === 'SELECT' && (name === 'type' || name === 'selectedIndex')
      ? (element as HTMLSelectElement)[name]
      : element.getAttribute(name);
    if (value === null || value === undefined) continue;
    attrs[name] = typeof value === 'number' ? value : clip(name, value);
    count++;
  }
  return attrs;
}

function clip(name: string, value: string): string {
  if ((name === 'href' || name === 'src') && value.startsWith('data:')) return value.split(',')[0];
  return value.slice(0, MAX_VALUE_LENGTH);
}
