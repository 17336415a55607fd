// Bundles the server and the workspace packages (TypeScript sources) into dist/main.js.
// Third-party packages stay external and are loaded from node_modules at run time, so each one
// must be resolvable from apps/server: a workspace package's dependency that the server does not
// declare fails the build here instead of failing `pnpm start` later.
import { build } from 'esbuild'

const unresolvable = new Set()

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
        b.onResolve({ filter: /^[^./]/ }, (args) => {
          if (args.path.startsWith('@copboard/')) return undefined
          if (!args.path.startsWith('node:')) {
            try {
              import.meta.resolve(args.path)
            } catch {
              unresolvable.add(`${args.path} (imported by ${args.importer})`)
            }
          }
          return { path: args.path, external: true }
        })
      },
    },
  ],
})

if (unresolvable.size > 0) {
  console.error('build: these imports are not dependencies of @copboard/server (add them to apps/server/package.json):')
  for (const u of unresolvable) console.error(`  - ${u}`)
  process.exit(1)
}
