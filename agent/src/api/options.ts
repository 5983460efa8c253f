// What the page passes to pendo.initialize / updateOptions, and what the agent is built from.
import type { GuideEngine, GuideHost, Transport } from '../contract';
import type { MetadataOptions } from '../identity/metadata';
import type { AgentSettings } from '../settings';
import type { UrlOptions } from '../capture/page-url';

export interface PendoOptions extends MetadataOptions, UrlOptions {
  apiKey?: string;
  /** Where /data/* goes, with scheme; defaults to the baked setting. */
  dataHost?: string;
  /** false allows element text in element paths, unless the application's settings forbid it. */
  excludeAllText?: boolean;
  /** Identity is kept in memory only, and what earlier pages stored is removed. */
  disablePersistence?: boolean;
  /** Identity goes into cookies of this domain instead of localStorage. */
  cookieDomain?: string;
  events?: { ready?(): void; guidesLoaded?(): void; guidesFailed?(): void };
  /** Start at once instead of when the document has loaded. */
  initializeImmediately?: boolean;
  [option: string]: unknown;
}

type TransportFactory = (options: { apiKey: string; dataHost: string; version: string }) => Transport;

/** The agent's parts, passed in so that tests can use fakes. */
export interface AgentDeps {
  settings: AgentSettings;
  createTransport: TransportFactory;
  createGuideEngine: (host: GuideHost) => GuideEngine;
  now?: () => number;
  /** Where the agent's own script came from (document.currentScript while it runs). */
  scriptUrl?: string;
}
