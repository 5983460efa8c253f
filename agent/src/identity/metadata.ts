// The meta event's props and guide requests' `metadata` (Pendo's prepareOptions, protocol §4.5).
import { crc32 } from '../util/crc32';

type Fields = Record<string, unknown>;

export interface MetadataOptions {
  visitor?: Fields;
  account?: Fields;
  parentAccount?: Fields;
}

/** The account id events carry: `{parent}::{account}` under a parent account. */
export function accountIdOf(options: MetadataOptions): unknown {
  const account = options.account?.id;
  const parent = options.parentAccount?.id;
  return parent !== undefined && parent !== null && account !== undefined && account !== null
    ? `${parent}::${account}` : account;
}

export function prepareMetadata(options: MetadataOptions, version: string, today: Date, selfHosted: boolean): Fields {
  const language = navigator.languages?.[0] ?? navigator.language;
  const visitor: Fields = { ...options.visitor };
  if (language) visitor.language = language.replace(/-/g, '_');
  const account: Fields = { ...options.account };
  if (account.id !== undefined) account.id = accountIdOf(options);
  const metadata: Fields = {
    visitor, account, parentAccount: { ...options.parentAccount }, date: ddmmyyyy(today), version,
  };
  if (selfHosted) metadata.selfHosted = true;
  return JSON.parse(JSON.stringify(metadata)) as Fields;
}

export function metadataHash(metadata: Fields): string {
  return String(crc32(JSON.stringify(metadata)));
}

/** Pendo marks an agent not loaded from `/agent/static/{key}/pendo.js` as self-hosted. It looks through the
 *  page's scripts; the URL this agent was loaded from tells the same without walking the document. */
export function isSelfHosted(apiKey: string, scriptUrl: string | undefined): boolean {
  return !scriptUrl?.includes(`/agent/static/${apiKey}/pendo.js`);
}

function ddmmyyyy(date: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(date.getDate())}/${two(date.getMonth() + 1)}/${date.getFullYear()}`;
}
