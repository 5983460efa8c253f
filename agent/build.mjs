// Builds src/index.ts into dist/pendo.js, one minified file the server serves with the application's settings
// baked in (see src/settings.ts), and prints its size gzipped.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const outfile = new URL('./dist/pendo.js', import.meta.url).pathname;
await build({
  entryPoints: [new URL('./src/index.ts', import.meta.url).pathname],
  outfile,
  bundle: true,
  format: 'iife',
  minify: true,
  target: ['es2020'],
  legalComments: 'none',
  logLevel: 'warning',
});
const bytes = readFileSync(outfile);
console.log(`dist/pendo.js: ${bytes.length} bytes, ${gzipSync(bytes, { level: 9 }).length} bytes gzipped`);
