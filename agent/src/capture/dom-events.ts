// click, focus, submit and change, heard in the capture phase on document (protocol §4.2).
import { elementPath, type ElementNode, type PathOptions } from './element-path';

export type DomEventType = 'click' | 'focus' | 'submit' | 'change';

export interface DomCaptureOptions {
  path: () => PathOptions;
  now: () => number;
  emit: (type: DomEventType, target: ElementNode) => void;
}

const CHANGE_QUIET_MS = 5000;
const IGNORED = '.pendo-ignore, .pendo-analytics-ignore';
/** The guide engine's rendered guides: what happens there it reports itself, as guideActivity. */
const GUIDE = '#pendo-base';
const BUTTONS = ['left', 'middle', 'right'];
const MODIFIERS = ['altKey', 'ctrlKey', 'metaKey', 'shiftKey'] as const;

/** Starts listening; returns what stops it. */
export function captureDomEvents(doc: Document, options: DomCaptureOptions): () => void {
  let changeQuietUntil = -Infinity;
  const listener = (event: Event) => {
    const type = event.type as DomEventType;
    const element = targetElement(event);
    if (!element || element.closest(IGNORED) || element.closest(GUIDE)) return;
    if (type === 'change') {
      const now = options.now();
      if (now < changeQuietUntil) return;
      changeQuietUntil = now + CHANGE_QUIET_MS;
    }
    options.emit(type, elementPath(element, options.path(), type === 'click' ? clickFlags(event as MouseEvent) : undefined));
  };
  const types: DomEventType[] = ['click', 'focus', 'submit', 'change'];
  for (const type of types) doc.addEventListener(type, listener, true);
  return () => {
    for (const type of types) doc.removeEventListener(type, listener, true);
  };
}

function targetElement(event: Event): Element | null {
  const target = (event.composedPath?.()[0] ?? event.target) as Node | null;
  if (!target) return null;
  return target.nodeType === 1 ? (target as Element) : target.parentElement;
}

function clickFlags(event: MouseEvent): string[] {
  const flags = [BUTTONS[event.button] ?? 'left'];
  for (const modifier of MODIFIERS) if (event[modifier]) flags.push(modifier);
  return flags;
}
