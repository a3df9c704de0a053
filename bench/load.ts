// The load generator of `npm run bench`, a process of its own (a generator in
// the server's process takes half the CPU it measures). bench/run.ts starts one
// per measurement and reads one JSON line from its stdout.
//
// Usage: node --import tsx bench/load.ts '<job as JSON>'
//   {"mode":"get", url, connections, seconds, warmupSeconds, paths?}
//     autocannon: a warm-up run (not reported), then the measured run; with
//     `paths`, each connection asks for them in turn (varied search queries).
//   {"mode":"writes", url, key, writers, seconds, refs, slugPrefix}
//     `writers` concurrent loops, each POSTing a new published story
//     (bench/story.ts) to `${url}/v1/articles` and waiting for its answer, until
//     `seconds` have passed. Every save must be a 201.
import autocannon from 'autocannon'
import { storyBody, type StoryRefs } from './story.ts'

interface GetJob { mode: 'get', url: string, connections: number, seconds: number, warmupSeconds: number, paths?: string[] }
interface WritesJob { mode: 'writes', url: string, key: string, writers: number, seconds: number, refs: StoryRefs, slugPrefix: string }

export interface LoadResult {
  /** Requests (or saves) per second. */
  rps: number
  /** Answers with a 2xx status (saves: 201). */
  ok: number
  p50: number
  p99: number
  max: number
  requests: number
  seconds: number
  errors: number
  non2xx: number
  bytesPerResponse?: number
  firstError?: string
}

async function get (job: GetJob): Promise<LoadResult> {
  const run = async (duration: number): Promise<autocannon.Result> =>
    await autocannon({ url: job.url, connections: job.connections, duration, ...(job.paths === undefined ? {} : { requests: job.paths.map((path) => ({ method: 'GET' as const, path })) }) })
  if (job.warmupSeconds > 0) await run(job.warmupSeconds)
  const result = await run(job.seconds)
  return {
    rps: result.requests.average,
    ok: result['2xx'],
    p50: result.latency.p50,
    p99: result.latency.p99,
    max: result.latency.max,
    requests: result.requests.total,
    seconds: result.duration,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    bytesPerResponse: result.requests.total > 0 ? Math.round(result.throughput.total / result.requests.total) : 0
  }
}

function percentile (sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN
  return sorted[Math.min(sorted.length - 1, Math.ceil(p / 100 * sorted.length) - 1)]!
}

async function writes (job: WritesJob): Promise<LoadResult> {
  const latencies: number[] = []
  let errors = 0
  let non2xx = 0
  let firstError: string | undefined
  const started = performance.now()
  const end = started + job.seconds * 1000
  const writer = async (index: number): Promise<void> => {
    for (let n = 0; performance.now() < end; n++) {
      const body = JSON.stringify(storyBody(job.refs, `${job.slugPrefix}-w${index}-${n}`))
      const t0 = performance.now()
      try {
        const response = await fetch(`${job.url}/v1/articles`, {
          method: 'POST',
          headers: { authorization: `Bearer ${job.key}`, 'content-type': 'application/json' },
          body,
          signal: AbortSignal.timeout(30_000)
        })
        const text = await response.text()
        if (response.status !== 201) {
          non2xx++
          firstError ??= `${response.status} ${text.slice(0, 500)}`
          continue
        }
        latencies.push(performance.now() - t0)
      } catch (error) {
        errors++
        firstError ??= String(error)
      }
    }
  }
  await Promise.all(Array.from({ length: job.writers }, async (_, index) => { await writer(index) }))
  const seconds = (performance.now() - started) / 1000
  latencies.sort((a, b) => a - b)
  return {
    rps: latencies.length / seconds,
    ok: latencies.length,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: latencies.at(-1) ?? Number.NaN,
    requests: latencies.length,
    seconds,
    errors,
    non2xx,
    ...(firstError === undefined ? {} : { firstError })
  }
}

const job = JSON.parse(process.argv[2] ?? '{}') as GetJob | WritesJob
const result = job.mode === 'get' ? await get(job) : await writes(job)
process.stdout.write(`${JSON.stringify(result)}\n`)
process.exit(0)
