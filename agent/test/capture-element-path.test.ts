// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { elementPath, type ElementNode, type PathOptions } from '../src/capture/element-path';

const NO_EXTRAS: PathOptions = { extraAttributes: [], captureText: false };

function parse(html: string): Document {
  return new DOMParser().parseFromString(html, 'text/html');
}

/** What the server stores from props.target (Guidepost.Ingestion.Normalize.ElementPath): empty values left out. */
function storedChain(target: ElementNode): string {
  const chain: Record<string, unknown>[] = [];
  for (let node: ElementNode | undefined = target; node; node = node.parentElem) {
    const stored: Record<string, unknown> = { tag: node.tag };
    if (node.id) stored.id = node.id;
    if (node.cls) stored.cls = node.cls;
    if (node.title) stored.title = node.title;
    if (Object.keys(node.attrs).length) stored.attrs = node.attrs;
    stored.childIndex = node.childIndex;
    stored.myIndex = node.myIndex;
    if (node.txt) stored.txt = node.txt;
    chain.push(stored);
  }
  return JSON.stringify(chain);
}

// The page of tests/Guidepost.E2E.Tests/PendoAgentCompatibilityTests.cs, character for character.
const COMPATIBILITY_PAGE = `<!doctype html>
<html><head><meta charset="utf-8"><title>Shop</title></head><body><header id="top"><a href="/home" id="home-link">Home</a></header>
<main id="content" class="page"><div class="card featured" data-sku="A1"><h2>Widget</h2> <button id="buy" class="btn primary" name="buy" type="button">Buy</button></div></main>
<script type="module">
  window.pendo = {};
</script>
</body></html>`;

describe('element paths', () => {
  it('give the compatibility test page the path the Pendo agent gives it', () => {
    const doc = parse(COMPATIBILITY_PAGE);
    const target = elementPath(doc.getElementById('buy')!, NO_EXTRAS);
    expect(storedChain(target)).toBe(
      '[{"tag":"BUTTON","id":"buy","cls":"btn primary","attrs":{"name":"buy"},"childIndex":1,"myIndex":2},' +
      '{"tag":"DIV","cls":"card featured","childIndex":0,"myIndex":0},' +
      '{"tag":"MAIN","id":"content","cls":"page","childIndex":1,"myIndex":2},' +
      '{"tag":"BODY","childIndex":1,"myIndex":1}]');
  });

  it('serialize every node with Pendo\'s fields in Pendo\'s order, up to and including BODY', () => {
    const doc = parse(COMPATIBILITY_PAGE);
    const target = elementPath(doc.getElementById('home-link')!, NO_EXTRAS);
    expect(JSON.stringify(target)).toBe(JSON.stringify({
      tag: 'A', id: 'home-link', cls: '', title: null, attrs: { href: '/home' }, myIndex: 0, childIndex: 0,
      parentElem: {
        tag: 'HEADER', id: 'top', cls: '', title: null, attrs: {}, myIndex: 0, childIndex: 0,
        parentElem: { tag: 'BODY', id: '', cls: '', title: null, attrs: {}, myIndex: 1, childIndex: 1 },
      },
    }));
  });

  it('count text and comment nodes in myIndex but only elements in childIndex', () => {
    const doc = parse('<html><head></head><body><ul>text<!-- c --><li>a</li>  <li id="x" title="Second">b</li></ul></body></html>');
    const target = elementPath(doc.getElementById('x')!, NO_EXTRAS);
    expect([target.myIndex, target.childIndex, target.title]).toEqual([4, 1, 'Second']);
  });

  it('capture only each tag\'s whitelisted attributes', () => {
    const doc = parse(`<html><head></head><body>
      <input id="text" type="text" name="q" value="secret" placeholder="p">
      <input id="email" type="email" name="mail">
      <input id="bare" name="plain">
      <input id="submit" type="submit" name="go" value="Send">
      <input id="button" type="button" value="Press">
      <button id="b" name="n" value="v" data-x="1">B</button>
      <img id="img" src="/a.png" alt="A" width="3">
      <a id="data" href="data:text/html;base64,AAAA">d</a>
      <textarea id="area" name="t" rows="2">typed</textarea>
      <select id="sel" name="s"><option>a</option><option selected>b</option></select>
      <div id="div" data-test="d" role="r">x</div>
    </body></html>`);
    const attrs = (id: string, options = NO_EXTRAS) => elementPath(doc.getElementById(id)!, options).attrs;
    expect(attrs('text')).toEqual({ name: 'q', type: 'text' });
    expect(attrs('submit')).toEqual({ name: 'go', type: 'submit', value: 'Send' });
    expect(attrs('button')).toEqual({ type: 'button', value: 'Press' });
    expect(Object.keys(attrs('b'))).toEqual(['name', 'value']); // in the document's order
    expect(attrs('img')).toEqual({ src: '/a.png', alt: 'A' });
    expect(attrs('data')).toEqual({ href: 'data:text/html;base64' });
    expect(attrs('area')).toEqual({ name: 't' });
    // As Chromium showed the Pendo agent store them: an email input keeps nothing, a select only its attributes.
    expect(attrs('email')).toEqual({});
    expect(attrs('bare')).toEqual({ name: 'plain' }); // no type attribute: a text input
    expect(attrs('sel')).toEqual({ name: 's' });
    expect(attrs('div')).toEqual({});
    const extras = { extraAttributes: ['data-test', 'value'], captureText: false };
    expect(attrs('div', extras)).toEqual({ 'data-test': 'd' });
    expect(attrs('text', extras)).toEqual({ name: 'q', type: 'text' });
    expect(attrs('text', { ...extras, captureText: true })).toEqual({ name: 'q', type: 'text', value: 'secret' });
  });

  it('trim values, keep an empty one as null, and pass links through the page\'s sanitizeUrl', () => {
    const doc = parse(`<html><head></head><body>
      <button id="empty" name="" value="  v  " title="  Hint ">B</button>
      <a id="link" href="/item?token=abc">L</a>
      <img id="nocomma" src="data:image/png">
    </body></html>`);
    const button = elementPath(doc.getElementById('empty')!, NO_EXTRAS);
    expect([button.attrs, button.title]).toEqual([{ name: null, value: 'v' }, 'Hint']);
    const sanitizeUrl = (url: string) => url.replace(/\?.*/, '');
    expect(elementPath(doc.getElementById('link')!, { ...NO_EXTRAS, sanitizeUrl }).attrs).toEqual({ href: '/item' });
    expect(elementPath(doc.getElementById('nocomma')!, NO_EXTRAS).attrs).toEqual({ src: '' });
  });

  it('add the element\'s text, at most 128 characters, only when text capture is allowed', () => {
    const doc = parse(`<html><head></head><body><p id="p">  ${'word '.repeat(40)} </p></body></html>`);
    const p = doc.getElementById('p')!;
    expect(elementPath(p, NO_EXTRAS).txt).toBeUndefined();
    const txt = elementPath(p, { extraAttributes: [], captureText: true }).txt!;
    expect(txt).toBe('word '.repeat(40).trim().slice(0, 128));
    expect(txt.length).toBe(128);
  });

  it('stop at BODY for BODY itself and take O(depth) for deep trees', () => {
    const doc = parse('<html><head></head><body></body></html>');
    expect(elementPath(doc.body, NO_EXTRAS).parentElem).toBeUndefined();
    let parent: Element = doc.body;
    for (let i = 0; i < 200; i++) parent = parent.appendChild(doc.createElement('div'));
    let depth = 0;
    for (let node: ElementNode | undefined = elementPath(parent, NO_EXTRAS); node; node = node.parentElem) depth++;
    expect(depth).toBe(201);
  });
});
