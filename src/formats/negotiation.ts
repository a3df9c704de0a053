// Which representation of a story a read answers with: `?format=` when given,
// else JSON-LD when `Accept` prefers application/ld+json (the one format here
// with a registered media type of its own), else our JSON.
import type { Article } from '../schemas/article.ts'
import type { ArticleFormat } from '../schemas/formats.ts'
import { toJsonLd } from './jsonld.ts'
import { toNinjs, toNinjs22 } from './ninjs.ts'

/** The q-value `accept` gives `mediaType` (0 when it is not named; wildcards are not counted). */
function qualityOf (accept: string, mediaType: string): number {
  for (const range of accept.split(',')) {
    const [type, ...parameters] = range.split(';').map((part) => part.trim().toLowerCase())
    if (type !== mediaType) continue
    const q = parameters.find((parameter) => parameter.startsWith('q='))
    const value = q === undefined ? 1 : Number(q.slice(2))
    return Number.isFinite(value) ? value : 0
  }
  return 0
}

/** Whether `Accept` asks for JSON-LD before plain JSON (a tie keeps our JSON). */
export function prefersJsonLd (accept: string | undefined): boolean {
  if (accept === undefined) return false
  return qualityOf(accept, 'application/ld+json') > qualityOf(accept, 'application/json')
}

export function negotiatedFormat (format: ArticleFormat | undefined, accept: string | undefined): ArticleFormat {
  return format ?? (prefersJsonLd(accept) ? 'jsonld' : 'json')
}

export interface FormatRenderer {
  contentType: string
  /** `storyUrl`: the story's page on the newsroom's site, when the server knows it (STORY_URL_TEMPLATE). */
  render: (article: Article, storyUrl: string | undefined) => unknown
}

/**
 * ninjs has no media type of its own: it is JSON, told apart from ours by a
 * `profile` parameter naming its schema (as RFC 6906 profiles do), so a
 * client (and the OpenAPI document) can tell which shape it got.
 */
export const ninjsMediaTypes = {
  '3.1': 'application/json; profile="http://www.iptc.org/std/ninjs/ninjs-schema_3.1.json"',
  '2.2': 'application/json; profile="http://www.iptc.org/std/ninjs/ninjs-schema_2.2.json"'
} as const

/** With the charset, after the type, where clients look for it. */
const withCharset = (mediaType: string): string => mediaType.replace(/^([^;]+)/, '$1; charset=utf-8')

/** The other representations, each with its content type. */
export const formatRenderers: Record<Exclude<ArticleFormat, 'json'>, FormatRenderer> = {
  ninjs: { contentType: withCharset(ninjsMediaTypes['3.1']), render: toNinjs },
  'ninjs-2.2': { contentType: withCharset(ninjsMediaTypes['2.2']), render: toNinjs22 },
  jsonld: { contentType: 'application/ld+json; charset=utf-8', render: toJsonLd }
}
