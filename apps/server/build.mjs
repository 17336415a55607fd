// Bundles the server and the workspace packages (TypeScript sources) into dist/main.js.
// Third-party packages stay external and are loaded from node_modules at run time, so each one
// must be resolvable from apps/server: a workspace package's dependency that the server does not
// declare fails the build here instead of failing `pnpm start` later.
import { build } from 'esbuild'

const unresolvable = new Set()
/** Packages bundled into dist/main.js instead of loaded from node_modules (for their resident size). */
const BUNDLED = new Set(['zod'])
/** Workspace packages with a native addon: loaded from node_modules (esbuild cannot bundle a .node file). */
const NATIVE = new Set(['@copboard/malloc-trim'])

await build({
  entryPoints: ['src/main.ts'],
  outfile: 'dist/main.js',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  // V8 keeps every module's source text resident: without comments and indentation, and pure ASCII
  // (one byte per character instead of two), dist/main.js costs a fraction of it. Identifiers stay
  // readable; the source map maps back.
  minifyWhitespace: true,
  legalComments: 'none',
  charset: 'ascii',
  plugins: [
    {
      name: 'external-node-modules',
      setup(b) {
        b.onResolve({ filter: /^[^./]/ }, (args) => {
          if (args.path.startsWith('@copboard/') && !NATIVE.has(args.path)) return undefined
          // bundled (tree-shaken): zod's full package would load every locale at start-up
          if (BUNDLED.has(args.path.split('/')[0])) return undefined
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
