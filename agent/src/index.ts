// The agent's entry (dist/pendo.js): window.pendo with Pendo's API, over the install snippet's stub.
import { installPendo } from './api/install';
import { createGuideEngine } from './guides/engine';
import { bakedSettings } from './settings';
import { createTransport } from './transport/transport';

installPendo(window, {
  settings: bakedSettings(), createTransport, createGuideEngine, scriptUrl: (document.currentScript as HTMLScriptElement | null)?.src,
});
