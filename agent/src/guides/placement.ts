// Puts a rendered step where its `data-vertical-alignment` says: a centred lightbox, a banner pinned to the top
// or bottom, a tooltip beside its element (with a caret pointing at the element's centre), or embedded in an element.
import { computePosition, offset, shift } from '@floating-ui/dom';

type Side = 'top' | 'bottom' | 'left' | 'right';
const OPPOSITE: Record<Side, Side> = { top: 'bottom', bottom: 'top', left: 'right', right: 'left' };

export const alignmentOf = (guide: Element | null): string => guide?.getAttribute('data-vertical-alignment') || '';

/** Places the step (already in the document) and returns what undoes any listeners. */
export function place(guide: HTMLElement, container: HTMLElement, target: Element | null, layoutDir: unknown): () => void {
  const alignment = alignmentOf(guide);
  // A tree may come without positioning styles (raw trees): the alignment alone decides, as in Pendo's agent.
  const pinned = guide.style.position === 'fixed';
  if (alignment === 'Centered') {
    Object.assign(guide.style, pinned ? {} : { position: 'fixed', top: '50%', left: '50%', zIndex: '300000' });
    guide.style.transform = 'translate(-50%,-50%)';
    guide.style.maxHeight = '100vh';
    guide.style.overflow = 'auto';
  } else if (/^(Top|Bottom) Aligned/.test(alignment)) {
    const edge = alignment[0] === 'T' ? 'top' : 'bottom';
    if (!pinned) Object.assign(guide.style, { position: 'fixed', left: '0', right: '0', zIndex: '300000' });
    if (!pinned || edge === 'bottom') guide.style[edge] = '0';
  }
  if (alignment !== 'Relative to Element' || !target) return () => {};
  return placeTooltip(guide, container, target, (['top', 'bottom', 'left', 'right'].includes(String(layoutDir)) ? layoutDir : 'bottom') as Side);
}

function placeTooltip(guide: HTMLElement, container: HTMLElement, target: Element, wanted: Side): () => void {
  const height = Number(container.getAttribute('data-caret-height')) || 8;
  const width = Number(container.getAttribute('data-caret-width')) || 16;
  const caret = document.createElement('div');
  container.appendChild(caret);
  const style = getComputedStyle(container);
  const borderWidth = parseFloat(style.borderTopWidth) || 0;
  const draw = (side: Side, at: number) =>
    drawCaret(caret, side, width, height, style.backgroundColor || '#fff', borderWidth ? style.borderTopColor : '', borderWidth, at);
  let frame = 0;
  const update = () => {
    cancelAnimationFrame(frame);
    frame = requestAnimationFrame(run);
  };
  const run = () => {
    const box = target.getBoundingClientRect();
    const own = guide.getBoundingClientRect();
    const room = { top: box.top, bottom: innerHeight - box.bottom, left: box.left, right: innerWidth - box.right };
    const need = (wanted === 'top' || wanted === 'bottom' ? own.height : own.width) + height;
    // The step's side when the tooltip fits there, else the opposite side when that one has more room.
    const side = room[wanted] < need && room[OPPOSITE[wanted]] > room[wanted] ? OPPOSITE[wanted] : wanted;
    computePosition(target, guide, {
      placement: side,
      strategy: getComputedStyle(guide).position === 'fixed' ? 'fixed' : 'absolute',
      middleware: [offset(height), shift({ padding: 8 })],
    }).then(({ x, y }) => {
      Object.assign(guide.style, { left: `${x}px`, top: `${y}px` });
      // The caret points at the element's centre, kept within the tooltip's edge.
      const placed = guide.getBoundingClientRect();
      const vertical = side === 'top' || side === 'bottom';
      const along = vertical ? box.left + box.width / 2 - placed.left : box.top + box.height / 2 - placed.top;
      const span = vertical ? placed.width : placed.height;
      draw(side, Math.max(4, Math.min(along - width / 2, span - width - 4)));
    });
  };
  run();
  addEventListener('scroll', update, true);
  addEventListener('resize', update);
  return () => {
    cancelAnimationFrame(frame);
    removeEventListener('scroll', update, true);
    removeEventListener('resize', update);
  };
}

/** A border triangle on the tooltip's edge facing the element; a border-coloured one behind it when the box has a border. */
function drawCaret(caret: HTMLElement, side: Side, w: number, h: number, fill: string, border: string, bw: number, at: number) {
  const vertical = side === 'top' || side === 'bottom';
  const edge = OPPOSITE[side];
  caret.className = `pendo-tooltip-caret pendo-tooltip-caret--${side}`;
  const triangle = (color: string) => {
    const widths = { top: `${h}px ${w / 2}px 0`, bottom: `0 ${w / 2}px ${h}px`, left: `${w / 2}px 0 ${w / 2}px ${h}px`, right: `${w / 2}px ${h}px ${w / 2}px 0` }[side];
    return `border-style:solid;border-color:transparent;border-width:${widths};border-${side}-color:${color};`;
  };
  const box = `position:absolute;box-sizing:border-box;width:${vertical ? w : h}px;height:${vertical ? h : w}px;`;
  caret.style.cssText = box + triangle(border || fill) + `${vertical ? 'left' : 'top'}:${at}px;${edge}:-${h + bw}px`;
  caret.innerHTML = '';
  if (border) {
    // The fill triangle sits a border width inside the border-coloured one, which shows as the caret's outline.
    const inner = document.createElement('div');
    inner.style.cssText = box + triangle(fill) + `${vertical ? 'left' : 'top'}:-${w / 2}px;${edge}:${bw}px`;
    caret.appendChild(inner);
  }
}
