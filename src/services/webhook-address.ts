// The SSRF guard: a webhook must not make the server POST into its own
// network (the cloud metadata service at 169.254.169.254, an admin port on
// localhost, a database on 10.x). The host is resolved and every address it
// resolves to is checked, when the webhook is saved and again at each
// connection (through the socket's own look-up, so DNS that changes in between
// cannot slip a private address through).
import { lookup as dnsLookup, type LookupAddress } from 'node:dns'
import { BlockList, isIP, type LookupFunction } from 'node:net'

const forbidden = new BlockList()
for (const [network, prefix] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16],
  ['172.16.0.0', 12], ['192.168.0.0', 16], ['224.0.0.0', 4], ['240.0.0.0', 4]
] as const) forbidden.addSubnet(network, prefix, 'ipv4')
for (const [network, prefix] of [
  ['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8]
] as const) forbidden.addSubnet(network, prefix, 'ipv6')

/** Whether an IP address is loopback, private, link-local, unspecified or multicast. */
export function isPrivateAddress (address: string): boolean {
  const plain = address.replace(/^\[|\]$/g, '')
  // IPv4-mapped IPv6 (::ffff:127.0.0.1) is the IPv4 address.
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(plain)
  if (mapped !== null) return forbidden.check(mapped[1]!, 'ipv4')
  const family = isIP(plain)
  if (family === 0) return true // not an address at all: refuse rather than guess
  return forbidden.check(plain, family === 4 ? 'ipv4' : 'ipv6')
}

export type AddressCheck = { ok: true } | { ok: false, reason: string }

async function resolveAll (host: string): Promise<LookupAddress[]> {
  return await new Promise((resolve, reject) => {
    dnsLookup(host, { all: true }, (error, addresses) => { if (error !== null) reject(error); else resolve(addresses) })
  })
}

/** Checks where a URL's host resolves to (every address must be public). */
export async function checkWebhookUrl (url: string): Promise<AddressCheck> {
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '')
  if (isIP(host) !== 0) return isPrivateAddress(host) ? { ok: false, reason: `${host} is a loopback, private or link-local address` } : { ok: true }
  let addresses: LookupAddress[]
  try {
    addresses = await resolveAll(host)
  } catch (error) {
    return { ok: false, reason: `${host} does not resolve (${(error as NodeJS.ErrnoException).code ?? 'lookup failed'})` }
  }
  const bad = addresses.find((entry) => isPrivateAddress(entry.address))
  return bad === undefined ? { ok: true } : { ok: false, reason: `${host} resolves to ${bad.address}, a loopback, private or link-local address` }
}

/** A `lookup` for http.request that refuses private addresses at connection time. */
export const publicOnlyLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error !== null) { callback(error, ''); return }
    const bad = addresses.find((entry) => isPrivateAddress(entry.address))
    if (bad !== undefined) {
      callback(Object.assign(new Error(`${hostname} resolves to ${bad.address}, a loopback, private or link-local address: refused`), { code: 'EPRIVATEADDRESS' }), '')
      return
    }
    if (options.all === true) callback(null, addresses as unknown as string)
    else callback(null, addresses[0]!.address, addresses[0]!.family)
  })
}
