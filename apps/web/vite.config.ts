import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The dashboard is a static SPA served by the API server at `/` in production.
// In development `vite` proxies the API (and its WebSocket/SSE endpoints) to the server.
export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    target: 'es2022',
    chunkSizeWarningLimit: 400,
  },
  server: {
    port: 5173,
    proxy: {
      '/api': {
        target: process.env.SWITCHBOARD_API ?? 'http://127.0.0.1:3000',
        changeOrigin: true,
        ws: true,
      },
      '/health': { target: process.env.SWITCHBOARD_API ?? 'http://127.0.0.1:3000', changeOrigin: true },
    },
  },
});
