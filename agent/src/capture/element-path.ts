// props.target of DOM events, built like Pendo's NodeSerializer (protocol §4.2): the element and its ancestors up
// to and including BODY. Work is O(depth × siblings), never a walk of the document.

export interface ElementNode {
  tag: string;
  id: string;
  cls: string;
  title: string | null;
  attrs: Record<string, string | null>;
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
  /** The page's `sanitizeUrl` option, applied to links' href and images' src too. */
  sanitizeUrl?: (url: string) => string;
}

/** The attributes each tag keeps, as the Pendo agent has them; an input's depend on its type, and inputs of other
 *  types (email, number, …) keep none. `select` has no `selectedIndex` here: HTML attribute names are lower-case. */
const TAG_ATTRIBUTES: Record<string, string[]> = {
  A: ['href'],
  BUTTON: ['value', 'name'],
  IMG: ['src', 'alt'],
  SELECT: ['name', 'type'],
  TEXTAREA: ['name'],
};
const INPUT_ATTRIBUTES: Record<string, string[]> = {
  submit: ['name', 'type', 'value'],
  button: ['name', 'type', 'value'],
  radio: ['name', 'type'],
  checkbox: ['name', 'type'],
  password: ['name', 'type'],
  text: ['name', 'type'],
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
    title: trimmed(element.getAttribute('title') ?? ''),
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

/** The element's own attributes that are kept, in their order in the document, as the Pendo agent reads them. */
function attributes(element: Element, options: PathOptions): Record<string, string | null> {
  const tag = element.nodeName;
  const kept = (tag === 'INPUT' ? INPUT_ATTRIBUTES[(element as HTMLInputElement).type] : TAG_ATTRIBUTES[tag]) ?? [];
  const attrs: Record<string, string | null> = {};
  let count = 0;
  const all = element.attributes;
  for (let i = 0; i < all.length; i++) {
    const { name, value } = all[i];
    if (!kept.includes(name) && !isExtra(tag, name, options)) continue;
    if (++count > MAX_ATTRIBUTES) break;
    attrs[name.toLowerCase()] = (tag === 'A' && name === 'href') || (tag === 'IMG' && name === 'src') ? url(value, options) : trimmed(value);
  }
  return attrs;
}

// A field's value is what the visitor typed: an application's extra attributes get it only with text capture.
const isExtra = (tag: string, name: string, options: PathOptions) =>
  options.extraAttributes.includes(name) && (name !== 'value' || !FORM_FIELDS.includes(tag) || options.captureText);

const trimmed = (value: string): string | null => value.trim().slice(0, MAX_VALUE_LENGTH) || null;

/** A data: URL is cut before its data (to nothing when it has no comma, as in the Pendo agent). */
function url(value: string, options: PathOptions): string {
  const kept = value.startsWith('data:') ? value.slice(0, Math.max(0, value.indexOf(','))) : value;
  return options.sanitizeUrl ? options.sanitizeUrl(kept) : kept;
}
