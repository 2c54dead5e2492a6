import path from 'node:path';
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
    rollupOptions: {
      // The consent pop-up's pages (TeamsUserCredential.login): entries of their
      // own, so msal-browser stays out of the first view.
      input: {
        index: path.resolve(__dirname, 'index.html'),
        'auth-start': path.resolve(__dirname, 'auth-start.html'),
        'auth-end': path.resolve(__dirname, 'auth-end.html'),
        // The customer's activation page (co-management), opened from a partner's link.
        activate: path.resolve(__dirname, 'activate.html'),
      },
    },
  },
  server: {
    // npm run dev:tab: the API runs on its own port (npm start), Vite proxies to it.
    proxy: { '/api': `http://127.0.0.1:${process.env.PORT ?? 3978}` },
  },
});
