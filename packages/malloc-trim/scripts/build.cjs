'use strict'
// Builds the addon (at install and at `pnpm build`): an incremental node-gyp build, configuring
// first when there is nothing to build on. Optional: without a compiler it warns and exits 0, and
// a failed rebuild leaves a working addon in place (no clean first).
const { spawnSync } = require('node:child_process')
const { existsSync } = require('node:fs')
const { join } = require('node:path')

const root = join(__dirname, '..')
const gyp = (...args) => spawnSync('node-gyp', [...args, '--release'], { cwd: root, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8', shell: process.platform === 'win32' })

let r = existsSync(join(root, 'build', 'Makefile')) ? gyp('build') : null
if (!r || r.status !== 0) {
  const configured = gyp('configure')
  r = configured.status === 0 ? gyp('build') : configured
}
if (r.status !== 0 || r.error) {
  const why = (r.error?.message ?? r.stderr ?? '').trim().split('\n').slice(-3).join(' | ')
  const kept = existsSync(join(root, 'build', 'Release', 'malloc_trim.node'))
  console.warn(`@copboard/malloc-trim: not built (${why || 'node-gyp failed'}): ${kept ? 'the previous build stays' : 'the server returns memory after room churn more slowly'}`)
}
