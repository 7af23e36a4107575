// Runs every tests/browser/*.spec.mjs (or those whose name contains one of
// the arguments) and exits 1 when any test failed. See lib.mjs for the
// environment it reads.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { run } from './lib.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const filters = process.argv.slice(2);
const specs = readdirSync(here)
  .filter((f) => f.endsWith('.spec.mjs'))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();

for (const spec of specs) await import(pathToFileURL(path.join(here, spec)).href);
await run();
