import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { base64Url, jzb } from '../src/transport/jzb';
import { adler32, zlibStored } from '../src/transport/zlib';

// Node's zlib is the independent implementation every encoding is checked against, as the server's decoder is.
function decode(text: string): unknown {
  expect(text).toMatch(/^[A-Za-z0-9_-]*$/);
  return JSON.parse(inflateSync(Buffer.from(text, 'base64url')).toString('utf8'));
}

function randomPayload(seed: number): unknown[] {
  let state = seed;
  const next = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
  const words = ['load', 'click', 'visitor-1', 'https://app.example/reports?tab=2', 'Ünïcødé ✓', '漢字', '😀 emoji', '"quoted"\\slash'];
  return Array.from({ length: 1 + Math.floor(next() * 40) }, (_, i) => ({
    type: words[Math.floor(next() * words.length)],
    browser_time: 1_700_000_000_000 + i,
    props: { text: words[Math.floor(next() * words.length)].repeat(Math.floor(next() * 50)), n: next() },
  }));
}

describe('jzb', () => {
  it('decodes with zlib to the same JSON, compressed and stored', async () => {
    for (let seed = 1; seed <= 30; seed++) {
      const payload = randomPayload(seed);
      expect(decode(await jzb(payload))).toEqual(payload);
      expect(decode(await jzb(payload, null))).toEqual(payload);
    }
  });

  it('uses the browser compressor where there is one, smaller than stored blocks', async () => {
    const payload = Array.from({ length: 200 }, (_, i) => ({ type: 'load', url: 'https://app.example/reports', sequence: i }));
    const compressed = await jzb(payload);
    const stored = await jzb(payload, null);
    expect(compressed.length).toBeLessThan(stored.length / 5);
  });

  it('stores more than one block when the data is longer than 64 KiB', () => {
    const bytes = new Uint8Array(200_000).map((_, i) => (i * 7) % 251);
    expect(Buffer.compare(inflateSync(zlibStored(bytes)), Buffer.from(bytes))).toBe(0);
    expect(Buffer.compare(inflateSync(zlibStored(new Uint8Array(0))), Buffer.alloc(0))).toBe(0);
  });

  it('computes Adler-32 as zlib does', () => {
    // RFC 1950's example string and zlib's own value for it.
    expect(adler32(new TextEncoder().encode('Wikipedia'))).toBe(0x11e60398);
    const long = new Uint8Array(100_000).fill(255);
    const trailer = zlibStored(long).slice(-4);
    expect(adler32(long)).toBe(Buffer.from(trailer).readUInt32BE(0));
  });

  it('writes base64url without padding, as Node does', () => {
    for (let length = 0; length < 20; length++) {
      const bytes = new Uint8Array(length).map((_, i) => (i * 97 + length * 13) % 256);
      expect(base64Url(bytes)).toBe(Buffer.from(bytes).toString('base64url'));
    }
  });
});
