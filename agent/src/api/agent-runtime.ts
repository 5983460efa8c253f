// The agent once initialized: identity, events in Pendo's envelope, capture, and the guide engine's host.
import type { AgentEvent, GuideHost, QueueName } from '../contract';
import { captureDomEvents } from '../capture/dom-events';
import type { PathOptions } from '../capture/element-path';
import { pageLoadTime, watchNavigation } from '../capture/navigation';
import { pageUrl } from '../capture/page-url';
import { createAgentStorage, eraseStored } from '../identity/agent-storage';
import { accountIdOf, isSelfHosted, metadataHash, prepareMetadata, type MetadataOptions } from '../identity/metadata';
import { createSession } from '../identity/session';
import { createVisitorIds, STORED_NAMES, isAnonymousVisitor, validId } from '../identity/visitor-ids';
import { VERSION } from '../version';
import { createGuideLoader } from './guide-loader';
import type { AgentDeps, PendoOptions } from './options';

export interface AgentRuntime {
  updateOptions(options: PendoOptions): void;
  identify(visitorId: unknown, accountId?: unknown): void;
  track(name: unknown, props?: unknown): void;
  pageLoad(url?: string): void;
  clearSession(): void;
  flushNow(): Promise<void>;
  visitorId(): string;
  accountId(): string | null;
  readonly engine: ReturnType<AgentDeps['createGuideEngine']>;
  teardown(): void;
}

/** The origin of the URL the agent file was loaded from: the Guidepost server that served it. */
function originOf(url: string | undefined): string {
  try {
    return url ? new URL(url).origin : '';
  } catch {
    return '';
  }
}

/** Starts the agent (protocol §1.2 steps 2-4): identify and meta as needed, then the page's load event. */
export function startAgent(
  apiKey: string, options: PendoOptions, deps: AgentDeps, stopAll: () => void,
): AgentRuntime {
  const { settings } = deps;
  const now = deps.now ?? Date.now;
  const storageOptions = { suffix: apiKey, cookieDomain: options.cookieDomain, now };
  if (options.disablePersistence) eraseStored(STORED_NAMES, storageOptions);
  const storage = createAgentStorage({ ...storageOptions, persistent: !options.disablePersistence });
  const ids = createVisitorIds(storage);
  const session = createSession(storage, now);
  const transport = deps.createTransport({ apiKey, dataHost: options.dataHost ?? originOf(deps.scriptUrl), version: VERSION });
  const selfHosted = isSelfHosted(apiKey, deps.scriptUrl);
  let config: PendoOptions = options;
  let metadataOptions: MetadataOptions = {};
  let lastLoadUrl: string | undefined;
  let stopped = false;
  let flushScheduled = false;

  const url = () => pageUrl(location.href, config);
  const metadata = () => prepareMetadata(metadataOptions, VERSION, new Date(now()), selfHosted);
  const dropped = (visitorId: string) => stopped || (settings.dropAnonymous === true && isAnonymousVisitor(visitorId));
  const callback = (name: 'guidesLoaded' | 'guidesFailed') => {
    try {
      config.events?.[name]?.();
    } catch (error) {
      console.error(`pendo: events.${name} threw`, error);
    }
  };

  const enqueue = (
    queue: QueueName, type: string, props: Record<string, unknown>, trackName?: string, eventUrl = url(),
  ) => {
    const visitorId = ids.visitorId();
    if (dropped(visitorId) || !eventUrl) return;
    const event: AgentEvent = {
      type, browser_time: now(), visitor_id: visitorId, account_id: ids.accountId(), url: eventUrl, props,
      tabId: session.tabId, frameId: session.frameId,
    };
    if (trackName !== undefined) event.track_event_name = trackName;
    event.sessionId = session.touch();
    event.utm = session.utm();
    transport.enqueue(queue, event);
  };
  const flushSoon = () => {
    if (flushScheduled) return;
    flushScheduled = true;
    setTimeout(() => {
      flushScheduled = false;
      if (!stopped) transport.flush().catch(() => {}); // the transport keeps what it could not send
    }, 0);
  };
  const sendNow = (type: string, props: Record<string, unknown>) => {
    enqueue('ptm', type, props);
    flushSoon();
  };

  const guideEnvelope = (queue: QueueName, type: string, props: Record<string, unknown>) => {
    const visitorId = ids.visitorId();
    if (dropped(visitorId)) return;
    transport.enqueue(queue, {
      type, visitor_id: visitorId, account_id: ids.accountId(), browser_time: now(), url: url(), props,
      tabId: session.tabId, frameId: session.frameId, sessionId: session.touch(), utm: session.utm(),
    });
  };
  const host: GuideHost = {
    url,
    guideEvent: (type, props) => guideEnvelope('guide', type, props),
    pollEvent: (props) => guideEnvelope('poll', 'pollResponse', props),
  };
  const engine = deps.createGuideEngine(host);

  const guides = createGuideLoader({
    transport, engine,
    request() {
      const visitorId = ids.visitorId();
      if (dropped(visitorId)) return null;
      const current = metadata();
      const oldVisitorId = ids.oldVisitorId();
      return {
        request: { visitorId, accountId: ids.accountId(), url: url(), ...(oldVisitorId ? { oldVisitorId } : {}), metadata: current },
        metadataHash: metadataHash(current),
      };
    },
    loaded: () => callback('guidesLoaded'),
    failed: () => callback('guidesFailed'),
    doNotProcess: stopAll,
  });

  const pathOptions = (): PathOptions => ({
    extraAttributes: settings.htmlAttributes ?? [],
    captureText: settings.excludeAllText !== true && (config.excludeAllText ?? settings.excludeAllText) === false,
    sanitizeUrl: typeof config.sanitizeUrl === 'function' ? config.sanitizeUrl : undefined,
  });
  const stopCapture = captureDomEvents(document, {
    path: pathOptions, now, emit: (type, target) => enqueue('ptm', type, { target }),
  });

  const sendLoad = (loadUrl: string) => {
    lastLoadUrl = loadUrl;
    enqueue('ptm', 'load', { load_time: pageLoadTime() }, undefined, loadUrl);
    flushSoon();
    guides.reload();
  };
  const stopNavigation = watchNavigation(window, () => {
    const current = url();
    if (stopped || current === lastLoadUrl) return;
    sendLoad(current);
    engine.urlChanged();
  });

  const runtime: AgentRuntime = {
    engine,
    updateOptions(next) {
      config = { ...config, ...next };
      metadataOptions = {
        visitor: 'visitor' in next ? next.visitor : metadataOptions.visitor,
        account: 'account' in next ? next.account : metadataOptions.account,
        parentAccount: 'parentAccount' in next ? next.parentAccount : metadataOptions.parentAccount,
      };
      const change = ids.change(
        validId(metadataOptions.visitor?.id, 'VISITOR-UNIQUE-ID'), validId(accountIdOf(metadataOptions), 'ACCOUNT-UNIQUE-ID'),
      );
      if (change.visitorReplaced) session.rotate();
      if (change.identify) sendNow('identify', { ...change.identify });
      const current = metadata();
      const hash = metadataHash(current);
      if (hash !== storage.get('meta')) {
        storage.set('meta', hash);
        sendNow('meta', current);
      }
      guides.reload();
    },
    identify(visitorId, accountId) {
      if (visitorId !== null && typeof visitorId === 'object') return runtime.updateOptions(visitorId as PendoOptions);
      const next: PendoOptions = { visitor: { id: visitorId } };
      if (accountId !== undefined) next.account = { id: accountId };
      runtime.updateOptions(next);
    },
    track(name, props) {
      const trackProps = props === undefined ? {} : props !== null && typeof props === 'object' ? props : { __err__: props };
      enqueue('track', 'track', trackProps as Record<string, unknown>, name ? String(name) : '_PENDO_UNNAMED_');
    },
    pageLoad: (loadUrl) => sendLoad(typeof loadUrl === 'string' && loadUrl ? loadUrl : url()),
    clearSession() {
      ids.reset();
      metadataOptions = {};
      session.rotate();
      guides.reload();
    },
    flushNow: () => (stopped ? Promise.resolve() : transport.flush()),
    visitorId: ids.visitorId,
    accountId: ids.accountId,
    teardown() {
      stopped = true;
      guides.stop();
      stopCapture();
      stopNavigation();
      engine.teardown();
      transport.teardown();
    },
  };

  runtime.updateOptions(options);
  runtime.pageLoad();
  return runtime;
}
