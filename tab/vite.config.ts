import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/** The tab: built into dist/tab, which the API server serves at /. */
export default defineConfig({
  root: __dirname,
  plugins: [react()],
  build: {
    outDir: '../dist/tab',
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 1500,
  },
  server: {
    // npm run dev:tab: the API runs on its own port (npm start), Vite proxies to it.
    proxy: { '/api': `http://127.0.0.1:${process.env.PORT ?? 3978}` },
  },
});
