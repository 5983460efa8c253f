// Guides the visitor launches: `dom` guides open when an element (attributes.activation.selector) gets one of its
// events, `badge` guides when their badge image, drawn beside the first step's element, is clicked.
import type { GuideObject } from '../contract';
import { unsafeUrl } from './dom-tree';
import { matchesPage, targetOf } from './eligibility';

interface Badge {
  imageUrl?: string;
  width?: number;
  height?: number;
  position?: string;
}

const launchedBy = (guide: GuideObject, method: string) => (guide.launchMethod || '').split('-').includes(method);

export function launchers(guides: () => GuideObject[], url: () => string, launch: (guide: GuideObject, reason: string) => boolean) {
  const listening = new Set<string>();
  const badges = new Map<string, HTMLImageElement>();

  const onEvent = (event: Event) => {
    const target = event.target as Element;
    for (const guide of guides()) {
      const activation = guide.attributes?.activation as { selector?: string; event?: string[] } | undefined;
      if (!launchedBy(guide, 'dom') || !activation?.selector || !(activation.event || ['click']).includes(event.type)) continue;
      try {
        if (target.closest?.(activation.selector)) launch(guide, 'dom');
      } catch {
        /* an invalid selector launches nothing */
      }
    }
  };

  function badgeFor(guide: GuideObject, at: Element): HTMLImageElement {
    const spec = (guide.attributes?.badge || {}) as Badge;
    let img = badges.get(guide.id);
    if (!img) {
      img = document.createElement('img');
      img.className = '_pendo-badge_';
      img.id = `_pendo-badge_${guide.steps[0].id}`;
      if (spec.imageUrl && !unsafeUrl(spec.imageUrl, true)) img.src = spec.imageUrl;
      img.alt = guide.name || '';
      img.setAttribute('role', 'button');
      img.tabIndex = 0;
      img.onclick = () => launch(guide, 'badge');
      img.onkeydown = (event) => event.key === 'Enter' && launch(guide, 'badge');
      document.body.appendChild(img);
      badges.set(guide.id, img);
    }
    const width = spec.width || 13;
    const height = spec.height || 13;
    const box = at.getBoundingClientRect();
    const corner = spec.position === 'top-left' ? [box.left - width / 2, box.top - height / 2]
      : spec.position === 'top-right' ? [box.right - width / 2, box.top - height / 2]
      : [box.right + 4, box.top + (box.height - height) / 2];
    img.style.cssText = `position:absolute;z-index:299998;cursor:pointer;width:${width}px;height:${height}px;left:${corner[0] + scrollX}px;top:${corner[1] + scrollY}px`;
    return img;
  }

  return {
    /** Listens for every event a dom-launched guide names. */
    listen() {
      for (const guide of guides())
        for (const type of ((guide.attributes?.activation as { event?: string[] })?.event || ['click']))
          if (launchedBy(guide, 'dom') && !listening.has(type)) {
            listening.add(type);
            document.addEventListener(type, onEvent, true);
          }
    },
    /** Draws the badges of guides whose first step belongs here, and removes the others. */
    update() {
      const keep = new Set<string>();
      for (const guide of guides()) {
        const step = guide.steps[0];
        const at = launchedBy(guide, 'badge') && step && matchesPage(step, url()) ? targetOf(step) : null;
        if (at && at !== document.body) keep.add(badgeFor(guide, at) && guide.id);
      }
      badges.forEach((img, id) => keep.has(id) || (img.remove(), badges.delete(id)));
    },
    owns: (node: Node) => Array.from(badges.values()).some((img) => img === node),
    teardown() {
      listening.forEach((type) => document.removeEventListener(type, onEvent, true));
      listening.clear();
      badges.forEach((img) => img.remove());
      badges.clear();
    },
  };
}
