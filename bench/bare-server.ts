// The baseline of `npm run bench`: a bare Fastify 5 server in a process of its
// own, default settings (no logger, no hooks, no plugins), with one route per
// payload the API was measured on. Each route returns the payload as an object
// (parsed once at start), so Fastify serialises it on every request
// (JSON.stringify, no response schema) as an ordinary route does: the bytes on
// the wire are the bytes the API sent.
//
// Usage: node --import tsx bench/bare-server.ts <payloads.json>
//   payloads.json: { "<name>": "<the JSON text the API answered>", ... }
//   Serves GET /<name> for each, on 127.0.0.1, a free port; prints
//   {"address":"http://127.0.0.1:<port>"} on stdout once listening.
import Fastify from 'fastify'
import { readFileSync } from 'node:fs'

const file = process.argv[2]
if (file === undefined) throw new Error('usage: bare-server.ts <payloads.json>')
const payloads = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>

const app = Fastify()
for (const [name, text] of Object.entries(payloads)) {
  const object = JSON.parse(text) as unknown
  app.get(`/${name}`, async () => object)
}
const address = await app.listen({ host: '127.0.0.1', port: 0 })
process.stdout.write(`${JSON.stringify({ address })}\n`)
process.once('SIGTERM', () => { void app.close().then(() => process.exit(0)) })
