import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';

/** A hub to develop against with `npm run dev:admin` (API and sockets are proxied to it). */
const hub = process.env.HUB_URL ?? 'http://localhost:3000';

/** The agent console: static files in admin/dist that the hub serves at /admin. */
export default defineConfig({
  root: import.meta.dirname,
  base: '/admin/',
  plugins: [preact({ devToolsEnabled: false, prefreshEnabled: false })],
  server: { proxy: { '/api': hub, '/socket.io': { target: hub, ws: true } } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2020',
    sourcemap: false,
    reportCompressedSize: true,
  },
});
