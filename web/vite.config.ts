import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const api = process.env.VITE_API_PROXY ?? 'http://127.0.0.1:3000';
// Every API path the console calls; the dev server proxies them so cookies stay same-origin.
const apiPaths = [
  '/session',
  '/claims',
  '/worklist',
  '/remittances',
  '/payers',
  '/kpis',
  '/exports',
  '/openapi.json',
];

/** The console: built into web/dist (served by the API at /), or `vite` with a proxy to the API. */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true, chunkSizeWarningLimit: 1500 },
  server: {
    port: 5173,
    proxy: Object.fromEntries(
      apiPaths.map((p) => [
        p,
        {
          target: api,
          bypass: (req) => (req.headers['sec-fetch-mode'] === 'navigate' ? req.url : undefined),
        },
      ]),
    ),
  },
});
