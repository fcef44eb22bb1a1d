// Builds the web app (web/) into web/dist, which the server serves at `/`; the SDK is bundled from
// its source, so the app needs no separate SDK build.
import { fileURLToPath } from 'node:url'
import { preact } from '@preact/preset-vite'
import { defineConfig } from 'vite'

const sdk = fileURLToPath(new URL('../packages/sdk/src/', import.meta.url))

export const webConfig = defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  plugins: [preact({ prerender: { enabled: false } })],
  resolve: {
    alias: [
      { find: /^@narvaro\/sdk\/browser$/, replacement: `${sdk}browser/index.ts` },
      { find: /^@narvaro\/sdk$/, replacement: `${sdk}index.ts` },
    ],
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // No inline scripts or data: modules, so the Content-Security-Policy needs no exception.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    reportCompressedSize: true,
  },
})

export default webConfig
