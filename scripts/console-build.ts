/**
 * Builds the console (npm run build:web) when web/dist has no index.html yet, so `npm start` serves it
 * at / on a fresh checkout. An existing build is kept: rebuild with `npm run build:web` after changes,
 * or use `npm run web:dev` (Vite with a proxy to the API) while working on the console.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

export function ensureConsoleBuilt(log: (msg: string) => void): void {
  if (existsSync(`${ROOT}web/dist/index.html`)) return;
  log('building the console (web/dist) once: npm run build:web');
  const res = spawnSync('npm', ['run', 'build:web'], { cwd: ROOT, stdio: 'inherit' });
  if (res.status !== 0) log('the console build failed: the API still runs, without the console');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  ensureConsoleBuilt((msg) => console.log(`[console-build] ${msg}`));
}
