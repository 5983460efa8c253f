// Visitor and account ids (protocol §6): anonymous ids, placeholders and invalid ids, what is stored, and when
// a change of ids is an identify event.
import { randomId } from '../util/random-id';
import type { AgentStorage } from './agent-storage';

const ANONYMOUS_PREFIX = '_PENDO_T_';
const ID_LIFETIME_MS = 100 * 24 * 3600 * 1000;
const IDENTITY_NAMES = ['visitorId', 'accountId', 'oldVisitorId'];
/** Everything the agent stores about a visitor, removed under disablePersistence. */
export const STORED_NAMES = [...IDENTITY_NAMES, 'meta', 'sessionId', 'utm'];

export function isAnonymousVisitor(id: unknown): boolean {
  return typeof id === 'string' && id.startsWith(ANONYMOUS_PREFIX);
}

function anonymousVisitorId(): string {
  return ANONYMOUS_PREFIX + randomId(11);
}

/** The id as a string, or undefined when it is missing, invalid or the snippet's placeholder. */
export function validId(id: unknown, placeholder: string): string | undefined {
  if (id === null || id === undefined || typeof id === 'boolean' || typeof id === 'object') return undefined;
  const text = String(id);
  return text.trim() === '' || text === '::' || text === placeholder ? undefined : text;
}

/** What `props` of an identify event hold. */
export interface IdentifyProps {
  old_visitor_id?: string;
  old_account_id: string | null;
  visitor_id: string;
  account_id: string | null;
}

export interface IdChange {
  /** Set when the change is an identify event: anonymous → identified, or a new account. */
  identify?: IdentifyProps;
  visitorChanged: boolean;
  accountChanged: boolean;
  /** One identified visitor replaced another: a new session starts. */
  visitorReplaced: boolean;
}

export interface VisitorIds {
  visitorId(): string;
  accountId(): string | null;
  oldVisitorId(): string | undefined;
  /** Missing ids keep the current ones (an anonymous id is made when there is none). */
  change(visitorId: string | undefined, accountId: string | undefined): IdChange;
  /** A new anonymous visitor without account (pendo.clearSession). */
  reset(): void;
}

export function createVisitorIds(storage: AgentStorage): VisitorIds {
  const stored = (name: string) => storage.get(name) ?? undefined;
  const visitorId = () => {
    let id = stored('visitorId');
    if (!id) storage.set('visitorId', (id = anonymousVisitorId()), ID_LIFETIME_MS);
    return id;
  };
  return {
    visitorId,
    accountId: () => stored('accountId') ?? null,
    oldVisitorId: () => stored('oldVisitorId'),
    change(newVisitor, newAccount) {
      const oldVisitor = stored('visitorId');
      const oldAccount = stored('accountId') ?? null;
      const visitor = newVisitor ?? oldVisitor ?? anonymousVisitorId();
      const account = newAccount ?? oldAccount;
      storage.set('visitorId', visitor, ID_LIFETIME_MS);
      if (account !== null) storage.set('accountId', account, ID_LIFETIME_MS);
      const wasIdentified = isAnonymousVisitor(oldVisitor) && !isAnonymousVisitor(visitor);
      if (wasIdentified) storage.set('oldVisitorId', oldVisitor!, ID_LIFETIME_MS);
      const accountChanged = account !== oldAccount;
      const change: IdChange = {
        visitorChanged: visitor !== oldVisitor,
        accountChanged,
        visitorReplaced: oldVisitor !== undefined && visitor !== oldVisitor && !isAnonymousVisitor(oldVisitor),
      };
      if (wasIdentified || accountChanged) {
        change.identify = oldVisitor === undefined
          ? { old_account_id: oldAccount, visitor_id: visitor, account_id: account }
          : { old_visitor_id: oldVisitor, old_account_id: oldAccount, visitor_id: visitor, account_id: account };
      }
      return change;
    },
    reset() {
      for (const name of IDENTITY_NAMES) storage.remove(name);
      storage.remove('meta');
      visitorId();
    },
  };
}
