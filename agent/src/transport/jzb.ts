// jzb, the agent's payload encoding (protocol §2.1): JSON, UTF-8, zlib, then URL-safe base64 without padding.
import { zlibStored } from './zlib';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** Base64 with the URL-safe alphabet and no '=' padding. */
export function base64Url(bytes: Uint8Array): string {
  let text = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    text += ALPHABET[n >>> 18] + ALPHABET[(n >>> 12) & 63] + ALPHABET[(n >>> 6) & 63] + ALPHABET[n & 63];
  }
  if (i < bytes.length) {
    const n = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8);
    text += ALPHABET[n >>> 18] + ALPHABET[(n >>> 12) & 63];
    if (i + 1 < bytes.length) text += ALPHABET[(n >>> 6) & 63];
  }
  return text;
}

/** zlib-compressed bytes: the browser's CompressionStream('deflate') (which is zlib, RFC 1950) where it exists,
 *  stored blocks where it does not. */
export async function zlib(
  bytes: Uint8Array<ArrayBuffer>, compression: typeof CompressionStream | null = globalThis.CompressionStream ?? null,
): Promise<Uint8Array> {
  if (!compression) return zlibStored(bytes);
  const stream = new Blob([bytes]).stream().pipeThrough(new compression('deflate'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** The jzb of a value, as the agent puts it in the query string or the POST body's "events"; `compression`
 *  null encodes without a browser compressor. */
export async function jzb(value: unknown, compression: typeof CompressionStream | null = globalThis.CompressionStream ?? null): Promise<string> {
  const json = typeof value === 'string' ? value : JSON.stringify(value);
  return base64Url(await zlib(new TextEncoder().encode(json), compression));
}

/** The jzb of a value at once, in stored blocks: for unload, when the page may be gone before a compressor's
 *  promise settles. */
export function jzbNow(value: unknown): string {
  return base64Url(zlibStored(new TextEncoder().encode(JSON.stringify(value))));
}
