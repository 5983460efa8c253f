// The application's settings, baked into the served file by the server (GET /agent/static/{apiKey}/pendo.js):
// the server replaces the placeholder string below, once, with a JSON string literal of AgentSettings. Where data
// goes is not among them: by default the origin the file was loaded from (see agent-runtime), so the file's bytes
// never depend on the Host header a request happened to carry.
const BAKED = '__GUIDEPOST_SETTINGS__';

export interface AgentSettings {
  /** The application's public API key. */
  apiKey?: string;
  /** Never capture element text or input values (true unless the application allows text capture). */
  excludeAllText?: boolean;
  /** Extra element attributes captured in element paths (besides each tag's whitelist). */
  htmlAttributes?: string[];
  /** Events of anonymous visitors are not sent (the application does not collect them). */
  dropAnonymous?: boolean;
}

/** The settings the server baked in; empty when the file is used unserved (tests, a plain build). */
export function bakedSettings(): AgentSettings {
  return BAKED.charAt(0) === '{' ? (JSON.parse(BAKED) as AgentSettings) : {};
}
