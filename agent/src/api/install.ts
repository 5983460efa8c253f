// Installs window.pendo over Pendo's install snippet: its stub queued calls in pendo._q as [method, ...args],
// initialize first; they are replayed once the API is in place.
import type { AgentDeps, PendoOptions } from './options';
import { installApi, type PendoObject } from './public-api';

type Call = [string, ...unknown[]];

export function installPendo(win: Window & { pendo?: unknown; pendo_options?: PendoOptions }, deps: AgentDeps): PendoObject {
  const pendo = (win.pendo && typeof win.pendo === 'object' ? win.pendo : {}) as PendoObject;
  const queue = Array.isArray(pendo._q) ? pendo._q : [];
  const calls = queue.splice(0).filter((call): call is Call => Array.isArray(call) && typeof call[0] === 'string');
  pendo._q = queue;
  installApi(pendo, deps);
  win.pendo = pendo;

  const initialize = calls.find(([method]) => method === 'initialize');
  const method = (name: string) => pendo[name] as ((...args: unknown[]) => unknown) | undefined;
  if (initialize) method('initialize')!(...initialize.slice(1));
  else if (win.pendo_options) method('initialize')!(win.pendo_options);
  for (const [name, ...args] of calls) {
    if (name !== 'initialize') method(name)?.(...args);
  }
  return pendo;
}
