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
  render: (article: Article) => unknown
}

/** The other representations, each with its content type (ninjs has no media type of its own: JSON). */
export const formatRenderers: Record<Exclude<ArticleFormat, 'json'>, FormatRenderer> = {
  ninjs: { contentType: 'application/json; charset=utf-8', render: toNinjs },
  'ninjs-2.2': { contentType: 'application/json; charset=utf-8', render: toNinjs22 },
  jsonld: { contentType: 'application/ld+json; charset=utf-8', render: toJsonLd }
}
