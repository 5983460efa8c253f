// Asks for guides when what they depend on changed (protocol §5.1): on the next tick after a page load, an
// identify or new metadata, and not at all when URL, visitor, account and metadata are what was last asked.
import type { GuideAnswer, GuideEngine, GuideRequest, Transport } from '../contract';

export interface GuideLoaderOptions {
  transport: Transport;
  engine: GuideEngine;
  /** What to ask now, with the hash of its metadata; null when guides are not loaded for this visitor. */
  request: () => { request: GuideRequest; metadataHash: string } | null;
  loaded: () => void;
  failed: () => void;
  doNotProcess: () => void;
}

export interface GuideLoader {
  reload(): void;
  stop(): void;
}

export function createGuideLoader(options: GuideLoaderOptions): GuideLoader {
  let scheduled = false;
  let stopped = false;
  let lastAsked: string | undefined;
  let latest = 0;

  const load = async () => {
    scheduled = false;
    const next = stopped ? null : options.request();
    if (!next) return;
    const { request, metadataHash } = next;
    const asked = JSON.stringify([request.visitorId, request.accountId, request.url, metadataHash]);
    if (asked === lastAsked) return;
    lastAsked = asked;
    const id = ++latest;
    let answer: GuideAnswer;
    try {
      answer = await options.transport.requestGuides(request);
    } catch {
      answer = { kind: 'failed' };
    }
    // Only the answer to the latest question counts; an older one may arrive after it.
    if (stopped || id !== latest) return;
    if (answer.kind === 'guides') {
      options.engine.setPayload(answer.payload);
      options.loaded();
    } else if (answer.kind === 'doNotProcess') {
      options.doNotProcess();
    } else {
      lastAsked = undefined; // the next reason to ask asks again
      options.failed();
    }
  };

  return {
    reload() {
      if (scheduled || stopped) return;
      scheduled = true;
      setTimeout(() => void load(), 0);
    },
    stop: () => void (stopped = true),
  };
}
