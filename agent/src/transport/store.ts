// The unsent events of every agent instance on this origin, in localStorage under one key, so that no accepted
// event is lost to an unload. Each instance writes only its own entry: several tabs of one application share
// the key, and a tab must not overwrite another's events.
import type { AgentEvent, QueueName } from '../contract';

export type Unsent = Partial<Record<QueueName, AgentEvent[]>>;
type Entries = Record<string, Unsent>;

const TTL = 6 * 24 * 3600 * 1000;

export interface UnsentStore {
  /** Events left by earlier pages (and by live tabs, which rewrite theirs on their next change: a duplicate the
   *  server drops, never a loss); their entries are removed with this instance's next write. */
  adopt(): Unsent[];
  /** This instance's unsent events replace its entry; null removes the key for every instance. */
  write(mine: Unsent | null): void;
}

export function unsentStore(storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> | null, key: string, now: () => number): UnsentStore {
  const self = now().toString(36) + Math.random().toString(36).slice(2);
  let adopted: string[] = [];
  const read = (): Entries => {
    try {
      const stored = JSON.parse(storage?.getItem(key) ?? 'null') as { ttl?: number; value?: Entries } | null;
      if (stored && typeof stored.value === 'object' && stored.value && (stored.ttl ?? 0) > now()) return stored.value;
    } catch { /* unreadable: start over */ }
    return {};
  };
  return {
    adopt() {
      const entries = read();
      adopted = Object.keys(entries);
      return adopted.map((owner) => entries[owner]).filter((unsent) => unsent && typeof unsent === 'object');
    },
    write(mine) {
      if (!storage) return;
      try {
        if (!mine) return storage.removeItem(key);
        const entries = read();
        for (const owner of adopted) delete entries[owner];
        adopted = [];
        if (Object.keys(mine).length) entries[self] = mine;
        else delete entries[self];
        if (Object.keys(entries).length) storage.setItem(key, JSON.stringify({ ttl: now() + TTL, value: entries }));
        else storage.removeItem(key);
      } catch (error) {
        console.warn('Guidepost: unsent events could not be stored', error);
      }
    },
  };
}
