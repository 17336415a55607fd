// Bundles bench/hotpath.ts like build.mjs bundles the server (workspace packages inlined,
// node_modules external), so callgrind measures the same code `pnpm start` runs.
import { build } from 'esbuild'

await build({
  entryPoints: ['bench/hotpath.ts'],
  outfile: 'dist/hotpath.js',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  plugins: [
    {
      name: 'external-node-modules',
      setup(b) {
        b.onResolve({ filter: /^[^./]/ }, (args) => (args.path.startsWith('@copboard/') ? undefined : { path: args.path, external: true }))
      },
    },
  ],
})
