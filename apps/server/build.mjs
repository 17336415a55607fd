// Bundles the server and the workspace packages (TypeScript sources) into dist/main.js;
// third-party packages stay external and are loaded from node_modules at run time.
import { build } from 'esbuild'

await build({
  entryPoints: ['src/main.ts'],
  outfile: 'dist/main.js',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  plugins: [
    {
      name: 'external-node-modules',
      setup(b) {
        b.onResolve({ filter: /^[^./]/ }, (args) =>
          args.path.startsWith('@copboard/') ? undefined : { path: args.path, external: true },
        )
      },
    },
  ],
})
