// Pendo's agentStorage (protocol §6): keys `_pendo_{name}.{suffix}` in localStorage, or cookies when the
// application gives a cookieDomain, or memory when persistence is disabled or storage is unavailable.

export interface AgentStorage {
  get(name: string): string | null;
  /** With a lifetime the value is stored as `{"ttl":<epochMs>,"value":…}` and read back as null once expired. */
  set(name: string, value: string, lifetimeMs?: number): void;
  remove(name: string): void;
}

export interface StorageOptions {
  suffix: string;
  cookieDomain?: string;
  /** false: keep everything in memory (disablePersistence). */
  persistent: boolean;
  now: () => number;
}

interface Backend {
  read(key: string): string | null;
  write(key: string, value: string, expiresAt?: number): void;
  erase(key: string): void;
}

export function createAgentStorage(options: StorageOptions): AgentStorage {
  const backend = !options.persistent ? memoryBackend()
    : options.cookieDomain ? cookieBackend(options.cookieDomain)
    : localStorageBackend() ?? memoryBackend();
  const key = (name: string) => `_pendo_${name}.${options.suffix}`;
  return {
    get(name) {
      const raw = backend.read(key(name));
      if (raw === null || raw.charAt(0) !== '{') return raw;
      try {
        const stored = JSON.parse(raw) as { ttl?: number; value?: unknown };
        if (typeof stored.ttl !== 'number' || !('value' in stored)) return raw;
        if (stored.ttl < options.now()) {
          backend.erase(key(name));
          return null;
        }
        return String(stored.value);
      } catch {
        return raw;
      }
    },
    set(name, value, lifetimeMs) {
      if (lifetimeMs === undefined) return backend.write(key(name), value);
      const ttl = options.now() + lifetimeMs;
      backend.write(key(name), JSON.stringify({ ttl, value }), ttl);
    },
    remove: (name) => backend.erase(key(name)),
  };
}

/** Removes what a persistent storage holds under these names (disablePersistence clears earlier identities). */
export function eraseStored(names: string[], options: Omit<StorageOptions, 'persistent'>): void {
  const stored = createAgentStorage({ ...options, persistent: true });
  for (const name of names) stored.remove(name);
}

function memoryBackend(): Backend {
  const values = new Map<string, string>();
  return {
    read: (key) => values.get(key) ?? null,
    write: (key, value) => void values.set(key, value),
    erase: (key) => void values.delete(key),
  };
}

function localStorageBackend(): Backend | null {
  try {
    const storage = window.localStorage;
    const probe = '_pendo_probe';
    storage.setItem(probe, probe);
    storage.removeItem(probe);
    return {
      read: (key) => storage.getItem(key),
      write: (key, value) => {
        try { storage.setItem(key, value); } catch { /* full: the value lives as long as the page */ }
      },
      erase: (key) => storage.removeItem(key),
    };
  } catch {
    return null;
  }
}

function cookieBackend(domain: string): Backend {
  const suffix = `; domain=${domain}; path=/; SameSite=Strict${location.protocol === 'https:' ? '; secure' : ''}`;
  return {
    read(key) {
      const prefix = `${encodeURIComponent(key)}=`;
      for (const part of document.cookie.split('; ')) {
        if (part.startsWith(prefix)) return decodeURIComponent(part.slice(prefix.length));
      }
      return null;
    },
    write(key, value, expiresAt) {
      const expires = expiresAt === undefined ? '' : `; expires=${new Date(expiresAt).toUTCString()}`;
      document.cookie = `${encodeURIComponent(key)}=${encodeURIComponent(value)}${expires}${suffix}`;
    },
    erase(key) {
      document.cookie = `${encodeURIComponent(key)}=; expires=Thu, 01 Jan 1970 00:00:00 GMT${suffix}`;
    },
  };
}
