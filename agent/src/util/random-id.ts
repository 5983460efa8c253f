const CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** `length` random characters from [A-Za-z0-9], as Pendo's ids (tab, frame, session, anonymous visitor). */
export function randomId(length: number): string {
  const bytes = new Uint8Array(length);
  crypto.getRandomValues(bytes);
  let id = '';
  // 62 does not divide 256, so the first characters are very slightly likelier; an id needs no more than that.
  for (const byte of bytes) id += CHARS[byte % 62];
  return id;
}
