// The rate limit's counters in Redis (RATE_LIMIT_REDIS_URL), so that a limit
// holds across instances; without it each instance counts in its own memory.
//
// A Redis outage must not take the API down: @fastify/rate-limit's skipOnError
// lets requests through uncounted (fails open) while Redis is unreachable, and
// this client says so in the log when the connection goes and when it is back.
// @see https://github.com/fastify/fastify-rate-limit#options (redis, skipOnError)
import type { FastifyInstance } from 'fastify'
import { Redis } from 'ioredis'

/** A connected client (or one still trying: the server starts without Redis), closed with the server. */
export async function connectRateLimitRedis (fastify: FastifyInstance, url: string): Promise<Redis> {
  const redis = new Redis(url, {
    lazyConnect: true,
    // Requests must not wait for Redis: while it is away a command fails at once
    // (and the request goes through) instead of queueing or being retried;
    // a Redis that accepts connections but does not answer costs at most commandTimeout.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    autoResendUnfulfilledCommands: false,
    connectTimeout: 2_000,
    commandTimeout: 500
  })
  let reachable = true
  redis.on('error', (error: Error) => {
    if (!reachable) return // ioredis reports every reconnection attempt: once per outage is enough
    reachable = false
    fastify.log.warn({ err: error }, 'rate-limit store (Redis) unreachable: requests are not rate limited until it is back')
  })
  redis.on('ready', () => {
    if (reachable) return
    reachable = true
    fastify.log.info('rate-limit store (Redis) reachable again: requests are rate limited')
  })
  fastify.addHook('onClose', async () => { redis.disconnect() })
  try {
    await redis.connect()
  } catch {
    // Logged by the error listener; ioredis keeps reconnecting on its own.
  }
  return redis
}
