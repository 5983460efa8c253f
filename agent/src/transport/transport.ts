// TEMPORARY (agent-core branch only, replaced at merge by the transport's own file): lets the core compile and
// bundle. Queues nothing, sends nothing, and answers every guide request with `failed`.
import type { Transport } from '../contract';

export interface TransportOptions {
  apiKey: string;
  dataHost: string;
  version: string;
}

export function createTransport(_options: TransportOptions): Transport {
  return {
    enqueue: () => {},
    flush: () => Promise.resolve(),
    requestGuides: () => Promise.resolve({ kind: 'failed' }),
    teardown: () => {},
  };
}
