// The environment, parsed once and frozen. Nothing else in src/ reads process.env.
import proxyAddr from '@fastify/proxy-addr'
import { z } from 'zod'
import { canonicalLanguageTag } from './schemas/article.ts'

const booleanFromEnv = z.enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((value) => value === 'true' || value === '1' || value === 'yes')

export const EnvSchema = z.object({
  /** `file:` (or unset) → embedded SQLite; `postgres://` / `postgresql://` → PostgreSQL. */
  DATABASE_URL: z.string().min(1).default('file:./data/cms.db'),
  /**
   * PostgreSQL only: comma-separated URLs of read replicas. Reads outside a
   * transaction go to a replica; writes, and reads that follow a write, to the primary.
   */
  DATABASE_REPLICA_URLS: z.string().default('')
    .transform((value) => value.split(',').map((url) => url.trim()).filter((url) => url !== ''))
    .pipe(z.array(z.string().regex(/^postgres(ql)?:\/\//, 'each replica URL must be postgres:// or postgresql://'))),
  /** PostgreSQL only: connections per instance (primary and each replica). */
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(1000).default(10),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Load the demo article into an empty database at start. */
  DEMO_CONTENT: booleanFromEnv.default(true),
  /** Apply pending migrations at start (turn off when a deploy step runs `npm run db:migrate`). */
  MIGRATE_ON_START: booleanFromEnv.default(true),
  /** Largest accepted request body, in bytes; larger ones get 413. */
  BODY_LIMIT: z.coerce.number().int().positive().default(1_048_576),
  /** Largest accepted NDJSON body of `POST /v1/import`, in bytes (it is read whole: every line is checked before any is written). */
  IMPORT_BODY_LIMIT: z.coerce.number().int().positive().default(67_108_864),
  /**
   * SQLite `synchronous` pragma (WAL mode). FULL survives power loss as well as
   * process crashes; NORMAL is faster but may lose the last commits on power loss.
   */
  SQLITE_SYNCHRONOUS: z.enum(['FULL', 'NORMAL']).default('FULL'),
  /**
   * Which writes must send If-Match (428 without it): `never`; `published`
   * (PUT, PATCH and DELETE of published articles, and edits of their bylines
   * and related links); `always` (of every article, author and image).
   */
  REQUIRE_IF_MATCH: z.enum(['never', 'published', 'always']).default('never'),
  /** Whether requests without a key may read published content (false: every request needs a key). */
  PUBLIC_READS: booleanFromEnv.default(true),
  /**
   * An admin key, stored (as a hash) at start unless already known. Without
   * it, when no working admin key exists, one is generated and printed once.
   */
  ADMIN_API_KEY: z.string().min(24, 'must be at least 24 characters').max(512).optional(),
  /** Origins allowed by CORS: "*" (any), or a comma-separated list; empty turns CORS off. */
  /**
   * The languages stories are written in, as BCP 47 tags separated by commas;
   * the first is what a new story gets when it names none. Empty: any
   * well-formed tag, and "en" by default.
   */
  LANGUAGES: z.string().default('').transform((value, context) => {
    const tags = value.split(',').map((tag) => tag.trim()).filter((tag) => tag !== '')
    const canonical = tags.map(canonicalLanguageTag)
    const bad = tags.filter((_tag, index) => canonical[index] === undefined)
    if (bad.length > 0) {
      context.addIssue({ code: 'custom', message: `not BCP 47 language tags: ${bad.join(', ')}` })
      return z.NEVER
    }
    return canonical as string[]
  }),
  CORS_ORIGINS: z.string().default('*')
    .transform((value) => value.split(',').map((origin) => origin.trim()).filter((origin) => origin !== '')),
  /**
   * The proxies (load balancers, CDNs) whose `X-Forwarded-For` names the client and
   * whose `X-Request-Id` is kept: `false` (none: the client is the TCP peer), `true`
   * (any peer: only when nothing reaches the server but through them), or a
   * comma-separated list of IPs, CIDRs and `loopback`, `linklocal`, `uniquelocal`.
   */
  TRUST_PROXY: z.string().default('false').transform((value, context): boolean | string[] => {
    if (value === 'true' || value === 'false') return value === 'true'
    const addresses = value.split(',').map((address) => address.trim()).filter((address) => address !== '')
    // Fastify 5 ignores a hop count (it trusts no peer then): refuse it rather than look trusted.
    if (addresses.some((address) => /^\d+$/.test(address))) {
      context.addIssue({ code: 'custom', message: 'a hop count is not supported (it cannot tell a proxy from a client that sends the header itself); list the proxies\' IPs or CIDRs' })
      return z.NEVER
    }
    try {
      proxyAddr.compile(addresses)
    } catch (error) {
      context.addIssue({ code: 'custom', message: `${(error as Error).message} (expected true, false, or IPs and CIDRs separated by commas)` })
      return z.NEVER
    }
    return addresses
  }),
  /** Requests per RATE_LIMIT_WINDOW per API key; 429 beyond. */
  RATE_LIMIT_MAX: z.coerce.number().int().min(1).default(600),
  /**
   * Requests per RATE_LIMIT_WINDOW per client IP for requests without a valid key
   * (unset: RATE_LIMIT_MAX, as when one limit served both).
   */
  RATE_LIMIT_ANONYMOUS_MAX: z.coerce.number().int().min(1).optional(),
  RATE_LIMIT_WINDOW: z.string().default('1 minute'),
  /**
   * Keep the rate limit's counters in this Redis, shared by every instance (unset:
   * each instance counts in its own memory). While Redis is unreachable requests
   * are not limited (logged), rather than refused.
   */
  RATE_LIMIT_REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must be redis:// or rediss://').optional(),
  /**
   * Bytes of published articles' public JSON each instance keeps in memory
   * (least recently used out first); 0 turns the cache off.
   */
  PUBLIC_CACHE_BYTES: z.coerce.number().int().min(0).default(64 * 1024 * 1024),
  /**
   * Searches each instance ranks in the database at once; the others wait
   * their turn in order of arrival (cached result pages do not wait), so a
   * burst of uncached searches costs the database a few at a time.
   */
  SEARCH_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
  /**
   * How often each instance reads the change log for other instances' commits,
   * to drop what they changed from its caches: the longest it serves an old version.
   */
  CHANGE_POLL_MS: z.coerce.number().int().min(10).max(60_000).default(250),
  /**
   * Days the change log (the audit trail and the sync feed's history) keeps its
   * rows; older ones are deleted hourly. 0 keeps them for good. A sync token
   * from before what is kept answers 410.
   */
  CHANGE_LOG_RETENTION_DAYS: z.coerce.number().int().min(0).max(36_500).default(0),
  /**
   * HTTP caching of published articles read without a key: `Cache-Control:
   * public, max-age, s-maxage, stale-while-revalidate` (seconds). Browsers
   * revalidate with the ETag (a cheap 304); CDNs keep a copy for s-maxage and
   * can purge it early by Surrogate-Key.
   */
  PUBLIC_MAX_AGE: z.coerce.number().int().min(0).default(0),
  PUBLIC_S_MAXAGE: z.coerce.number().int().min(0).default(60),
  PUBLIC_STALE_WHILE_REVALIDATE: z.coerce.number().int().min(0).default(30),
  /** The title of the RSS and Atom feeds (/v1/feeds/rss, /v1/feeds/atom). */
  FEED_TITLE: z.string().min(1).max(200).default('Latest stories'),
  /**
   * Where readers read a story, for the feeds' links and JSON-LD's `url`: a URL with `{slug}`
   * and/or `{id}`, e.g. https://news.example.org/stories/{slug}. Unset: the
   * story's API URL on this server (/v1/article-by-slug/{slug}).
   */
  STORY_URL_TEMPLATE: z.url({ protocol: /^https?$/ }).refine((url) => url.includes('{slug}') || url.includes('{id}'), 'must contain {slug} or {id}').optional(),
  /** A request that takes longer is answered 408 and its connection closed. */
  REQUEST_TIMEOUT_MS: z.coerce.number().int().min(1000).default(30_000),
  /**
   * Webhooks: the wait before the first retry of a failed delivery; each next
   * one waits twice as long (with jitter), up to WEBHOOK_RETRY_MAX_MS.
   */
  WEBHOOK_RETRY_BASE_MS: z.coerce.number().int().min(10).default(5_000),
  WEBHOOK_RETRY_MAX_MS: z.coerce.number().int().min(10).default(3_600_000),
  /** Failed attempts after which a delivery counts as failed and its webhook is turned off. */
  WEBHOOK_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(15),
  /** How long a receiver has to answer a delivery. */
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
  /**
   * How often each instance looks for scheduled stories to publish and expired
   * ones to take down (one indexed read; a write only when something is due).
   * 0 turns the scheduler off on this instance.
   */
  SCHEDULER_INTERVAL_MS: z.coerce.number().int().min(0).max(3_600_000).default(1_000),
  /**
   * Days a story stays in the trash (DELETE /v1/articles/{id}) before the
   * scheduler deletes it for good. 0 keeps the trash for good.
   */
  TRASH_RETENTION_DAYS: z.coerce.number().int().min(0).max(36_500).default(30),
  /** How often each instance looks for due deliveries (its own commits wake it at once). */
  WEBHOOK_POLL_MS: z.coerce.number().int().min(10).max(60_000).default(1_000),
  /**
   * Allow webhook URLs on loopback, private and link-local addresses (refused
   * by default, when created and again when sent, so that a webhook cannot
   * reach the server's own network). For development and tests.
   */
  WEBHOOKS_ALLOW_PRIVATE: booleanFromEnv.default(false)
}).transform((env) => ({ ...env, RATE_LIMIT_ANONYMOUS_MAX: env.RATE_LIMIT_ANONYMOUS_MAX ?? env.RATE_LIMIT_MAX }))

export type Config = Readonly<z.infer<typeof EnvSchema>>

const emptyIsAValue = new Set(['CORS_ORIGINS'])

export class ConfigError extends Error {}

export function loadConfig (env: Record<string, string | undefined> = process.env): Config {
  // Empty variables count as unset, as in most dotenv tooling; except where
  // empty means something (CORS_ORIGINS= turns CORS off).
  const present = Object.fromEntries(Object.entries(env).filter(([name, value]) =>
    value !== undefined && (value !== '' || emptyIsAValue.has(name))))
  const parsed = EnvSchema.safeParse(present)
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`)
    throw new ConfigError(`Invalid configuration:\n  ${problems.join('\n  ')}`)
  }
  return Object.freeze(parsed.data)
}

/** Reads `.env` from the working directory when there is one (Node's own loader). */
export function loadDotEnvFile (path = '.env'): void {
  try {
    process.loadEnvFile(path)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
  }
}
