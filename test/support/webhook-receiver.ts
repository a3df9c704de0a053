// A real HTTP receiver for webhook tests (node:http on 127.0.0.1): it keeps
// every request it gets, answers what the test tells it to, and can be taken
// down (connections refused) and brought back on the same port.
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Test } from 'tap'
import { Webhook } from 'standardwebhooks'

export interface ReceivedRequest {
  path: string
  headers: Record<string, string>
  body: string
  /** What the receiver answered. */
  status: number
}

export interface Receiver {
  url: string
  received: ReceivedRequest[]
  /** The status the next requests are answered with (200 by default). */
  answer: (status: number | ((request: ReceivedRequest) => number)) => void
  /** Stops listening: connections are refused until `up`. */
  down: () => Promise<void>
  up: () => Promise<void>
  /** The requests answered 2xx whose signature verifies with `secret`, parsed; throws on a bad signature. */
  verified: (secret: string, path?: string) => Array<{ id: string, payload: any }> // eslint-disable-line @typescript-eslint/no-explicit-any
}

export async function startReceiver (t: Test, options: { delayMs?: number, listening?: boolean } = {}): Promise<Receiver> {
  const received: ReceivedRequest[] = []
  let answer: (request: ReceivedRequest) => number = () => 200
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      const entry: ReceivedRequest = { path: request.url ?? '', headers: request.headers as Record<string, string>, body: Buffer.concat(chunks).toString('utf8'), status: 0 }
      entry.status = answer(entry)
      received.push(entry)
      setTimeout(() => { response.writeHead(entry.status).end() }, options.delayMs ?? 0)
    })
  })
  server.keepAliveTimeout = 1
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  let listening = true
  const down = async (): Promise<void> => {
    if (!listening) return
    listening = false
    server.closeAllConnections()
    await new Promise<void>((resolve) => server.close(() => { resolve() }))
  }
  t.teardown(down)
  if (options.listening === false) await down()
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    received,
    answer: (status) => { answer = typeof status === 'number' ? () => status : status },
    down,
    up: async () => {
      if (listening) return
      await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve))
      listening = true
    },
    verified: (secret, path) => {
      const verifier = new Webhook(secret)
      return received.filter((entry) => entry.status >= 200 && entry.status < 300 && (path === undefined || entry.path === path))
        .map((entry) => ({ id: entry.headers['webhook-id']!, payload: verifier.verify(entry.body, entry.headers) }))
    }
  }
}

/** Polls until `check` holds, or fails after `timeoutMs`. */
export async function eventually (timeoutMs: number, check: () => Promise<boolean> | boolean, what = 'the condition'): Promise<void> {
  const started = Date.now()
  while (Date.now() - started < timeoutMs) {
    if (await check()) return
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
  throw new Error(`${what} did not hold within ${timeoutMs} ms`)
}
