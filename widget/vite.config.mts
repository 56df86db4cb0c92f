import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';

/**
 * One self-contained file, widget/dist/widget.js: an IIFE a customer's page loads with one script
 * tag. No chunks and no CSS file: the styles are imported as a string and live in the shadow root.
 */
export default defineConfig({
  root: import.meta.dirname,
  plugins: [preact({ devToolsEnabled: false, prefreshEnabled: false })],
  define: { 'process.env.NODE_ENV': JSON.stringify('production') },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2020',
    minify: true,
    sourcemap: false,
    reportCompressedSize: true,
    lib: {
      entry: 'src/main.tsx',
      formats: ['iife'],
      name: 'SupportHubWidget',
      fileName: () => 'widget.js',
    },
  },
});
