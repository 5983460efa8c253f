// Placeholder until the guide engine lands (same session): holds the payload, shows nothing.
import type { GuideEngine, GuideHost, GuideObject, GuidePayload } from '../contract';

export function createGuideEngine(_host: GuideHost): GuideEngine {
  let guides: GuideObject[] = [];
  return {
    setPayload: (payload: GuidePayload) => { guides = payload.guides; },
    urlChanged: () => {},
    guides: () => guides,
    showGuideById: () => false,
    advance: () => {},
    dismiss: () => {},
    teardown: () => { guides = []; },
  };
}
