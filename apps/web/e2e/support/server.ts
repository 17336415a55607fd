/**
 * Starts the BUILT server (`node apps/server/dist/main.js`, built by `pnpm build`) on a free port
 * with a temporary DATA_DIR; `restart()` brings it back on the same port and data directory.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const SERVER_MAIN = fileURLToPath(new URL('../../../server/dist/main.js', import.meta.url))
export const WEB_DIST = fileURLToPath(new URL('../../dist/index.html', import.meta.url))

export interface TestServer {
  /** e.g. http://127.0.0.1:43123 */
  url: string
  port: number
  dataDir: string
  /** Server output so far (for failure messages). */
  log(): string
  stop(): Promise<void>
  restart(): Promise<void>
  /** stop + remove DATA_DIR */
  dispose(): Promise<void>
}

export async function startServer(env: Record<string, string> = {}): Promise<TestServer> {
  if (!existsSync(SERVER_MAIN) || !existsSync(WEB_DIST)) {
    throw new Error(`build first: \`pnpm build\` (missing ${existsSync(SERVER_MAIN) ? WEB_DIST : SERVER_MAIN})`)
  }
  const dataDir = await mkdtemp(join(tmpdir(), 'copboard-e2e-'))
  let child: ChildProcess | null = null
  let output = ''
  let port = 0

  const launch = (p: number) =>
    new Promise<number>((resolve, reject) => {
      const c = spawn(process.execPath, [SERVER_MAIN], {
        env: { ...process.env, HOST: '127.0.0.1', PORT: String(p), DATA_DIR: dataDir, LOG_LEVEL: 'warn', AUTOSAVE_MINUTES: '0', ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      })
      child = c
      let out = ''
      const onData = (d: Buffer) => {
        out += d.toString()
        output += d.toString()
        const m = /running at http:\/\/[^:]+:(\d+)\//.exec(out)
        if (m) resolve(Number(m[1]))
      }
      c.stdout!.on('data', onData)
      c.stderr!.on('data', (d: Buffer) => (output += d.toString()))
      c.once('exit', (code) => reject(new Error(`server exited (${code}) before listening:\n${output}`)))
    })

  const stop = async () => {
    const c = child as ChildProcess | null
    if (!c || c.exitCode !== null || c.signalCode !== null) return
    const exited = new Promise((r) => c.once('exit', r))
    c.kill('SIGTERM')
    await exited
  }

  port = await launch(0)
  const server: TestServer = {
    get url() {
      return `http://127.0.0.1:${port}`
    },
    get port() {
      return port
    },
    dataDir,
    log: () => output,
    stop,
    async restart() {
      await stop()
      // the port was ours a moment ago; retry briefly if the OS has not released it yet
      for (let i = 0; ; i++) {
        try {
          await launch(port)
          return
        } catch (e) {
          if (i >= 20) throw e
          await new Promise((r) => setTimeout(r, 250))
        }
      }
    },
    async dispose() {
      await stop()
      await rm(dataDir, { recursive: true, force: true })
    },
  }
  return server
}
