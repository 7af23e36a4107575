// Vite build for the Yunquan web UI. `npm run build` writes static files to
// dist/ (index.html + hashed assets under dist/assets/), which the C server
// serves at "/" with an SPA fallback. `npm run dev` proxies /api to a running
// server (YQ_API, default http://127.0.0.1:18080).
import { fileURLToPath, URL } from 'node:url';
import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';

export default defineConfig({
  base: '/',
  plugins: [vue()],
  resolve: {
    alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) },
  },
  server: {
    proxy: { '/api': process.env.YQ_API ?? 'http://127.0.0.1:18080' },
  },
  build: {
    outDir: 'dist',
    assetsDir: 'assets',
    // Element Plus is registered whole; keep it in its own long-lived chunk.
    chunkSizeWarningLimit: 1200,
    rollupOptions: {
      output: {
        manualChunks(id) {
          if (id.includes('node_modules/element-plus') || id.includes('node_modules/@element-plus')) {
            return 'element-plus';
          }
          if (id.includes('node_modules')) return 'vendor';
          return undefined;
        },
      },
    },
  },
});
