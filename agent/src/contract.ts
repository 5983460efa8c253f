// The seams between the agent's parts: the public API and capture (core) hand events to the transport, and
// drive the guide engine, which reaches back through GuideHost. Shapes follow the Pendo agent's wire protocol.

/** One event as sent to /data/{ptm|guide|poll}.gif (protocol §4). The transport adds `sequence` and, for ptm and
 *  track events, `bytes`. */
export interface AgentEvent {
  type: string;
  browser_time: number;
  visitor_id: string;
  account_id?: string | null;
  url: string;
  props: Record<string, unknown>;
  tabId?: string;
  frameId?: string;
  track_event_name?: string;
  sessionId?: string;
  utm?: Record<string, string>;
  sequence?: number;
  bytes?: number;
  [field: string]: unknown;
}

/** ptm: analytics events; track: `pendo.track` events (ptm.gif with type=track); guide: guide.gif, sent 500 ms
 *  after the last staged event; poll: poll.gif, sent at once. */
export type QueueName = 'ptm' | 'track' | 'guide' | 'poll';

/** What guide.json is asked with (protocol §5.2). */
export interface GuideRequest {
  visitorId: string;
  accountId: string | null;
  url: string;
  oldVisitorId?: string;
  metadata?: Record<string, unknown>;
}

export type GuideAnswer = { kind: 'guides'; payload: GuidePayload } | { kind: 'doNotProcess' } | { kind: 'failed' };

export interface Transport {
  /** Queues an event; it is sent with its queue's next flush and never lost to a failed request or an unload. */
  enqueue(queue: QueueName, event: AgentEvent): void;
  /** Sends everything queued now (load/identify/meta, pendo.flushNow()). */
  flush(): Promise<void>;
  /** GET /data/guide.json/{apiKey}?id&jzb&v&ct (POST {"events":jzb} past 2,000 characters). */
  requestGuides(request: GuideRequest): Promise<GuideAnswer>;
  /** Stops timers and listeners; queued events stay in localStorage for the next page load. */
  teardown(): void;
}

/** The guide.json answer (protocol §5.3); only the fields the engine reads are typed. */
export interface GuidePayload {
  id?: string;
  guides: GuideObject[];
  lastGuideStepSeen?: Record<string, unknown>;
  normalizedUrl?: string;
  throttling?: { enabled?: boolean; interval?: number; unit?: 'minute' | 'hour' | 'day' };
  latestDismissedAutoAt?: number;
  finalAdvancedAutoAt?: number;
  latestSnoozedAutoAt?: number;
  autoOrdering?: string[];
  [field: string]: unknown;
}

export interface GuideObject {
  id: string;
  name?: string;
  launchMethod?: string;
  isMultiStep?: boolean;
  state?: string;
  language?: string;
  attributes?: Record<string, unknown>;
  redisplay?: Record<string, unknown>;
  showsAfter?: number;
  expiresAfter?: number;
  polls?: { id: string; numericResponses?: boolean; attributes?: { type?: string } }[];
  steps: GuideStepObject[];
  [field: string]: unknown;
}

export interface GuideStepObject {
  id: string;
  guideId: string;
  type?: string;
  lastUpdatedAt?: number;
  regexUrlRule?: string;
  elementPathRule?: string;
  advanceMethod?: string;
  domJson?: DomNode;
  domUrl?: string;
  attributes?: Record<string, unknown>;
  seenState?: string;
  seenReason?: string;
  lastSeenAt?: number;
  dismissCount?: number;
  snoozeEndTime?: number;
  pollIds?: string[];
  [field: string]: unknown;
}

/** A building-block node (protocol §5.5). */
export interface DomNode {
  type: string;
  props?: Record<string, unknown>;
  content?: string;
  children?: DomNode[];
  actions?: { action: string; eventType?: string; parameters?: { name: string; value: unknown }[] }[];
  css?: unknown[];
}

/** What the guide engine may ask of the rest of the agent. */
export interface GuideHost {
  /** The page URL as events report it (after sanitizeUrl and friends). */
  url(): string;
  /** Stages a guide event (guideSeen, guideAdvanced, guideDismissed, guideSnoozed, guideActivity, guideNotSeen…):
   *  the host adds the envelope (visitor, account, url, time, tab, session) and queues it on `guide`. */
  guideEvent(type: string, props: Record<string, unknown>): void;
  /** A pollResponse, queued on `poll` and sent at once. */
  pollEvent(props: Record<string, unknown>): void;
}

/** The guide engine: shows guides from the latest guide.json answer on the current page. */
export interface GuideEngine {
  /** The latest answer; replaces the previous one (a step on screen stays if its guide is still there). */
  setPayload(payload: GuidePayload): void;
  /** The page URL changed without a reload; guides are reconsidered for the new page. */
  urlChanged(): void;
  /** The guides of the latest answer, as the page sees them at `pendo.guides`. */
  guides(): GuideObject[];
  /** Shows a guide now, whatever its launch method (reason `api`); false when it cannot show on this page. */
  showGuideById(guideId: string): boolean;
  /** What the page's pendo.onGuideAdvanced() / onGuideDismissed() do to the step on screen. */
  advance(): void;
  dismiss(): void;
  /** Removes what is on screen and every listener. */
  teardown(): void;
}
