import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import preact from '@preact/preset-vite';

// The committed build lives in the Python package; the pytest freshness check builds into a temp dir instead.
const outDir = process.env.INSIGHTS_FRONTEND_OUTDIR
  || fileURLToPath(new URL('../insight_service/api/page/static', import.meta.url));
const api = process.env.INSIGHTS_API_URL || 'http://127.0.0.1:8000';

export default defineConfig({
  base: '/',
  plugins: [preact({ devToolsEnabled: false, prefreshEnabled: true })],
  build: {
    outDir,
    emptyOutDir: true,
    assetsDir: 'assets',
    sourcemap: false,
    // one JS and one CSS file: the page is small and a single request is the fastest cold load
    cssCodeSplit: false,
    modulePreload: { polyfill: false },
    target: 'es2022',
    chunkSizeWarningLimit: 400,
  },
  server: {
    port: 5173,
    proxy: {
      '/api': { target: api, changeOrigin: false },
    },
  },
  test: {
    include: ['src/**/*.test.js'],
    environment: 'node',
  },
});
