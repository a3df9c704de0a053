// Where a request comes from, behind a load balancer: which peers are trusted
// proxies (TRUST_PROXY), and the request id, kept from a trusted proxy's
// X-Request-Id or made up, unique across instances and restarts.
// @see https://fastify.dev/docs/latest/Reference/Server/#trustproxy
import { randomUUID } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import proxyAddr from '@fastify/proxy-addr'
import type { Config } from './config.ts'

/** Whether the peer at `address`, `hop` steps from the server (0: the TCP peer), is a trusted proxy. */
export type ProxyTrust = (address: string, hop: number) => boolean

/** The trust function Fastify reads X-Forwarded-For with; false when no proxy is trusted. */
export function proxyTrust (setting: Config['TRUST_PROXY']): ProxyTrust | false {
  if (setting === false) return false
  if (setting === true) return () => true
  return proxyAddr.compile(setting)
}

/** What a kept X-Request-Id may look like: short, and safe in logs, headers and JSON. */
export const wellFormedRequestId = /^[A-Za-z0-9._:-]{1,200}$/

/**
 * Fastify's `genReqId`. A proxy's id ties our logs to its own; a client's is not
 * kept (anyone could make their requests look like someone else's in the logs
 * and the audit trail), nor is a malformed one.
 */
export function requestIdGenerator (trust: ProxyTrust | false): (raw: IncomingMessage) => string {
  return (raw) => {
    const sent = raw.headers['x-request-id']
    const peer = raw.socket?.remoteAddress
    if (trust !== false && typeof sent === 'string' && peer !== undefined && trust(peer, 0) && wellFormedRequestId.test(sent)) return sent
    return randomUUID()
  }
}
