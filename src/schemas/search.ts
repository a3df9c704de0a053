import { z } from 'zod'
import { ArticleStatus, ArticleSummary, LanguageTag, Tag } from './article.ts'
import { Id, ListQuery, Timestamp, pageOf } from './common.ts'

export const searchSyntax = [
  'What to search for, in the headline, the dek and the text of paragraphs, headings and quotes (not case-sensitive):',
  '- `ferry harbour`: stories with every one of the words;',
  '- `"night ferry"`: the words in this order (a phrase);',
  '- `harb*`: words that begin so (harbour, harbours, harbourmaster);',
  '- `ferry -strike`: leave out stories with this word (or `-"a phrase"`).',
  'Nothing else is an operator: quotes left open, `:`, `&|!()`, AND, OR, NEAR are read as text or as spaces. A word with inner punctuation (`e-mail`) is a phrase of its parts.',
  'With `language`, words also find their other forms in that language, and its stop words ("the", "la") are left out (on PostgreSQL: `language=es&q=corriendo` finds "corrían"); without it, and on SQLite, words match as written (diacritics aside on SQLite) and `*` finds the rest.',
  'At most 32 words or phrases; a query with no word of letters or digits is a 400.'
].join('\n')

export const SearchQuery = ListQuery.extend({
  q: z.string().max(1000).meta({ description: searchSyntax, examples: ['ferry harbour', '"valley line" reopen*', 'landslide -rail'] }),
  status: ArticleStatus.optional().meta({ description: 'Only stories with this status (keys that see drafts; the public only ever finds published stories)' }),
  section: z.string().max(100).optional().meta({ description: 'Only stories in this section' }),
  language: LanguageTag.optional().meta({ description: 'Only stories in this language (`es` also finds `es-MX`); its stemming applies to the words (PostgreSQL)' }),
  tag: z.union([Tag, z.array(Tag).max(20)]).optional().transform((tag) => typeof tag === 'string' ? [tag] : tag)
    .meta({ description: 'Only stories with this tag; repeat it (`tag=Rail&tag=Aldern`) for stories with any of them' }),
  authorId: Id.optional().meta({ description: 'Only stories with this author in their byline (any role)' }),
  publishedAfter: Timestamp.optional().meta({ description: 'Only stories first published at or after this time' }),
  publishedBefore: Timestamp.optional().meta({ description: 'Only stories first published before this time' })
})
export type SearchQuery = z.output<typeof SearchQuery>

export const SearchHighlights = z.object({
  headline: z.string().optional().meta({ description: 'The headline, when it matched' }),
  dek: z.string().optional().meta({ description: 'The dek, when it matched' }),
  body: z.string().optional().meta({ description: 'An excerpt of the body text around its matches, when it matched' })
}).meta({
  id: 'SearchHighlights',
  description: 'The fields the search matched in, as HTML safe to insert as it is: the matched words are between `<mark>` and `</mark>`, and all other text is escaped (`&lt;`, `&amp;`, …). A field that did not match is absent.',
  example: { headline: 'Valley rail line reopens eight months after <mark>landslide</mark>', body: '…how the March <mark>landslide</mark> cut the valley line…' }
})
export type SearchHighlights = z.infer<typeof SearchHighlights>

export const SearchHit = z.object({
  article: ArticleSummary,
  score: z.number().meta({ description: 'How well the story matches: higher is better. Headline matches weigh most, then the dek, then the body. Compare scores within one search only' }),
  highlights: SearchHighlights
}).meta({ id: 'SearchHit', description: 'A story the search found: the article as lists show it, its score and where it matched' })
export type SearchHit = z.infer<typeof SearchHit>

export const SearchPage = pageOf(SearchHit).meta({ id: 'SearchPage' })
