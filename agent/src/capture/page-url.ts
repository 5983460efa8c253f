// The `url` of every event: location.href through queryStringWhitelist, annotateUrl and sanitizeUrl, in that order.

export interface UrlOptions {
  /** Names of the query parameters kept; the others are removed. */
  queryStringWhitelist?: string[];
  /** Parameters appended to the query string. */
  annotateUrl?: () => Record<string, unknown> | null | undefined;
  sanitizeUrl?: (url: string) => string;
}

export function pageUrl(href: string, options: UrlOptions): string {
  let url = href;
  if (Array.isArray(options.queryStringWhitelist)) url = keepParams(url, options.queryStringWhitelist);
  if (typeof options.annotateUrl === 'function') url = appendParams(url, options.annotateUrl());
  if (typeof options.sanitizeUrl === 'function') {
    const sanitized = options.sanitizeUrl(url);
    if (typeof sanitized === 'string') url = sanitized;
  }
  return url;
}

function split(url: string): [string, string, string] {
  const hashAt = url.indexOf('#');
  const hash = hashAt < 0 ? '' : url.slice(hashAt);
  const rest = hashAt < 0 ? url : url.slice(0, hashAt);
  const queryAt = rest.indexOf('?');
  return queryAt < 0 ? [rest, '', hash] : [rest.slice(0, queryAt), rest.slice(queryAt + 1), hash];
}

function join(base: string, pairs: string[], hash: string): string {
  return base + (pairs.length ? `?${pairs.join('&')}` : '') + hash;
}

// Works on the raw pairs so that the parameters kept keep their own encoding.
function keepParams(url: string, names: string[]): string {
  const [base, query, hash] = split(url);
  const kept = query.split('&').filter((pair) => pair && names.includes(decodeName(pair.split('=')[0])));
  return join(base, kept, hash);
}

function appendParams(url: string, params: Record<string, unknown> | null | undefined): string {
  if (!params || typeof params !== 'object') return url;
  const [base, query, hash] = split(url);
  const pairs = query ? query.split('&') : [];
  for (const [name, value] of Object.entries(params)) {
    pairs.push(`${encodeURIComponent(name)}=${encodeURIComponent(String(value))}`);
  }
  return join(base, pairs, hash);
}

function decodeName(name: string): string {
  try {
    return decodeURIComponent(name.replace(/\+/g, ' '));
  } catch {
    return name;
  }
}
