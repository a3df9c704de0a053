import { z } from 'zod'
import { Author } from './author.ts'
import { ArticleReference, CountParam, HttpUrl, Id, TimeBound, countedPageOf, exampleIds, ListQuery, Slug, Timestamp, linkTargetOneOf, optionalText, readOnly, repeatable, versionField } from './common.ts'
import { closestField } from './known-fields.ts'
import { Image } from './image.ts'

export const articleStatuses = ['draft', 'scheduled', 'published', 'archived'] as const
export const ArticleStatus = z.enum(articleStatuses)
  .meta({ description: 'Only `published` stories are public. `scheduled`: the server publishes it at `scheduledAt` (until then it is embargoed: invisible everywhere). `archived`: taken down after publication (by hand, or by the server at `expiresAt`). `publishedAt` is set the first time an article is published and kept afterwards.' })
export type ArticleStatus = z.infer<typeof ArticleStatus>

export const bylineRoles = ['author', 'contributor', 'photographer', 'editor', 'reporting', 'translator'] as const
export const BylineRole = z.enum(bylineRoles)
  .meta({ description: '`reporting` is contributed reporting ("Contributed reporting: …"); `translator`: who translated this language version (a translation\'s bylines are its own: the original\'s are not copied)' })
export type BylineRole = z.infer<typeof BylineRole>

// --- body blocks --------------------------------------------------------------

const blockId = Id.optional().meta({ description: 'Keep a block\'s id when resending the body so that its identity (e.g. a related link\'s id) survives the edit' })
const BlockText = z.string().min(1).max(20_000)

const ParagraphInput = z.strictObject({ id: blockId, type: z.literal('paragraph'), text: BlockText })
const HeadingInput = z.strictObject({ id: blockId, type: z.literal('heading'), text: z.string().min(1).max(500), level: z.number().int().min(2).max(6).optional().meta({ description: '2 when omitted' }) })
const QuoteInput = z.strictObject({ id: blockId, type: z.literal('quote'), text: BlockText, attribution: z.string().max(500).nullable().optional() })
const ImageBlockInput = z.strictObject({ id: blockId, type: z.literal('image'), imageId: Id, image: readOnly(Image) })
const AdSlotInput = z.strictObject({ id: blockId, type: z.literal('ad_slot'), slot: z.string().max(100).nullable().optional().meta({ description: 'Named placement for the ad server, e.g. "mid-1"' }) })

export const RelatedLinkFields = {
  articleId: Id.nullable().optional().meta({ description: 'Another article of ours; the response embeds its current slug and headline' }),
  url: HttpUrl.nullable().optional().meta({ description: 'An external story, when there is no articleId' }),
  text: z.string().trim().min(1).max(1000).meta({ description: 'The teaser line shown between paragraphs' })
}
const RelatedLinkInput = z.strictObject({ id: blockId, type: z.literal('related_link'), ...RelatedLinkFields, article: readOnly(ArticleReference.nullable()) })
  .meta(linkTargetOneOf)

export const BlockInput = z.discriminatedUnion('type', [ParagraphInput, HeadingInput, QuoteInput, ImageBlockInput, AdSlotInput, RelatedLinkInput])
  .meta({ id: 'BlockWrite', description: 'One body block; `type` decides the other fields' })
export type BlockInput = z.infer<typeof BlockInput>

const blockBase = { id: Id }
export const ParagraphBlock = z.object({ ...blockBase, type: z.literal('paragraph'), text: z.string() })
export const HeadingBlock = z.object({ ...blockBase, type: z.literal('heading'), text: z.string(), level: z.number().int() })
export const QuoteBlock = z.object({ ...blockBase, type: z.literal('quote'), text: z.string(), attribution: z.string().nullable() })
export const ImageBlock = z.object({ ...blockBase, type: z.literal('image'), imageId: Id, image: Image })
export const AdSlotBlock = z.object({ ...blockBase, type: z.literal('ad_slot'), slot: z.string().nullable() })
export const RelatedLinkBlock = z.object({
  ...blockBase,
  type: z.literal('related_link'),
  articleId: Id.nullable(),
  url: z.string().nullable(),
  text: z.string(),
  article: ArticleReference.nullable().meta({ description: 'The linked article as it is now (null for external links)' })
}).meta(linkTargetOneOf)
export const Block = z.discriminatedUnion('type', [ParagraphBlock, HeadingBlock, QuoteBlock, ImageBlock, AdSlotBlock, RelatedLinkBlock])
  .meta({ id: 'Block' })
export type Block = z.infer<typeof Block>

// --- corrections --------------------------------------------------------------

export const Correction = z.object({ text: z.string(), date: Timestamp }).meta({ id: 'Correction', description: 'A public correction: what was wrong, and when it was corrected' })
export type Correction = z.infer<typeof Correction>
export const CorrectionInput = z.strictObject({
  text: z.string().trim().min(1).max(2000),
  date: Timestamp.optional().meta({ description: 'When it was corrected; the time of the save when omitted' })
}).meta({ id: 'CorrectionWrite' })
export type CorrectionInput = z.infer<typeof CorrectionInput>

// --- bylines ------------------------------------------------------------------

export const BylineInput = z.strictObject({ authorId: Id, role: BylineRole.optional().meta({ description: '"author" when omitted' }), author: readOnly(Author) })
  .meta({ id: 'BylineWrite' })
export type BylineInput = z.infer<typeof BylineInput>

export const Byline = z.object({ authorId: Id, role: BylineRole, author: Author }).meta({ id: 'Byline' })
export type Byline = z.infer<typeof Byline>

const BylineList = z.array(BylineInput).max(50)
export const BylinesReplace = z.strictObject({ data: BylineList })
  .meta({
    id: 'BylinesReplace',
    description: 'The whole ordered byline',
    examples: [{ data: [{ authorId: exampleIds.author, role: 'author' }, { authorId: exampleIds.secondAuthor, role: 'author' }, { authorId: exampleIds.reportingAuthor, role: 'reporting' }] }]
  })
export const BylineListResponse = z.object({ data: z.array(Byline) }).meta({ id: 'BylineList' })

// --- translations -------------------------------------------------------------

export const ArticleTranslation = z.object({
  id: Id,
  language: z.string().meta({ example: 'es' }),
  slug: Slug,
  headline: z.string()
}).meta({ id: 'ArticleTranslation', description: 'Another language version of the same story' })
export type ArticleTranslation = z.infer<typeof ArticleTranslation>

export const TranslationList = z.object({ data: z.array(ArticleTranslation) }).meta({ id: 'TranslationList' })

// --- articles -----------------------------------------------------------------

export const Article = z.object({
  id: Id,
  slug: Slug,
  headline: z.string(),
  seoTitle: z.string().nullable(),
  dek: z.string().nullable(),
  section: z.string().nullable(),
  tags: z.array(z.string()),
  dateline: z.string().nullable(),
  language: z.string(),
  status: ArticleStatus,
  publishedAt: Timestamp.nullable(),
  scheduledAt: Timestamp.nullable().meta({ description: 'When the server publishes a scheduled story' }),
  expiresAt: Timestamp.nullable().meta({ description: 'When the server takes the story down (archived)' }),
  displayUpdatedAt: Timestamp.nullable().meta({ description: 'The update time to show readers: set by editors for substantive updates only (`updatedAt` changes with every edit)' }),
  editorsNote: z.string().nullable(),
  corrections: z.array(Correction),
  leadImageId: Id.nullable(),
  leadImage: Image.nullable(),
  bylines: z.array(Byline),
  body: z.array(Block),
  translationGroupId: Id.nullable().meta({ description: 'The story\'s translation group: its versions in other languages share it (null: none)' }),
  translations: z.array(ArticleTranslation).meta({ description: 'The story\'s other language versions the caller may see (the public: published ones), by language: what a language switcher shows' }),
  version: versionField('the article (its bylines and body included)'),
  createdAt: Timestamp,
  updatedAt: Timestamp
}).meta({ id: 'Article', description: 'A news article with its bylines, lead image and body embedded' })
export type Article = z.infer<typeof Article>

export const ArticleSummary = Article.omit({ body: true })
  .meta({ id: 'ArticleSummary', description: 'An article as lists show it: everything but the body (read the article for that)' })
export type ArticleSummary = z.infer<typeof ArticleSummary>

// BCP 47 in its common shape: language, optional script, region and variants.
const languageTagShape = /^[A-Za-z]{2,3}(-[A-Za-z]{4})?(-([A-Za-z]{2}|\d{3}))?(-([A-Za-z\d]{5,8}|\d[A-Za-z\d]{3}))*$/

/** A BCP 47 tag in its canonical case ("pt-br" → "pt-BR", "zh-hant" → "zh-Hant"), or undefined when it is not one. */
export function canonicalLanguageTag (tag: string): string | undefined {
  if (tag.length > 35 || !languageTagShape.test(tag)) return undefined
  try {
    return Intl.getCanonicalLocales(tag)[0]
  } catch {
    return undefined
  }
}

/** A well-formed tag; the services store it canonical (canonicalLanguageTag), so that "pt-br" and "pt-BR" are one language of a translation group. */
export const LanguageTag = z.string().max(35)
  .regex(languageTagShape, 'must be a BCP 47 language tag such as "en", "es", "pt-BR" or "zh-Hant"')
  // (a tag of the right shape that Intl still refuses; the shape's own failure is reported once, above)
  .refine((tag) => !languageTagShape.test(tag) || canonicalLanguageTag(tag) !== undefined, 'must be a BCP 47 language tag such as "en", "es", "pt-BR" or "zh-Hant"')
  .meta({ example: 'pt-BR' })

export const Tag = z.string().trim().min(1).max(100)

export const articleFields = {
  headline: z.string().trim().min(1).max(500),
  slug: Slug.optional().meta({ description: 'Derived from the headline when omitted' }),
  seoTitle: optionalText(300, 'Page title for search engines and browser tabs'),
  dek: optionalText(2000, 'The summary line under the headline'),
  section: optionalText(100, 'e.g. "World"'),
  tags: z.array(Tag).max(100).optional().meta({ description: 'Topics; duplicates are dropped, order kept' }),
  dateline: optionalText(200, 'Where the story was filed from, e.g. "ALDERN, Norland"'),
  language: LanguageTag.optional().meta({ description: 'BCP 47, stored in its canonical case ("pt-br" → "pt-BR"); when omitted, the deployment\'s default (the first of LANGUAGES, else "en")' }),
  status: ArticleStatus.optional(),
  publishedAt: Timestamp.nullable().optional().meta({ description: 'The first publication: set by the server on publication; send one to backdate a story. Absent or null: kept as it is (PUT included), so a GET\'s answer can be sent back' }),
  scheduledAt: Timestamp.nullable().optional().meta({ description: 'With status `scheduled`: when the server publishes the story' }),
  expiresAt: Timestamp.nullable().optional().meta({ description: 'When the server takes the published story down (status `archived`); null: never' }),
  displayUpdatedAt: Timestamp.nullable().optional().meta({ description: 'The update time readers see; set it for substantive updates only' }),
  editorsNote: optionalText(2000, 'A note from the editors shown with the story (ninjs `edNote`)'),
  corrections: z.array(CorrectionInput).max(100).optional().meta({ description: 'Public corrections, oldest first; replaces the whole list (send the ones you have plus the new one)' }),
  leadImageId: Id.nullable().optional().meta({ description: 'The lead image; null removes it' }),
  bylines: BylineList.optional().meta({ description: 'Ordered; replaces the whole byline' }),
  body: z.array(BlockInput).max(1000).optional().meta({ description: 'Ordered blocks; replaces the whole body' }),
  translationOf: Id.nullable().optional().meta({ description: 'Makes this article a language version of another (any version of its group): one version per language in a group (409 otherwise). null takes it out of its group; omitted keeps it where it is' }),
  // What a GET adds: a response can be edited and sent back as it is.
  id: readOnly(Id),
  translationGroupId: readOnly(Id.nullable()),
  translations: readOnly(z.array(ArticleTranslation)),
  leadImage: readOnly(Image.nullable()),
  version: readOnly(z.number().int()),
  createdAt: readOnly(Timestamp),
  updatedAt: readOnly(Timestamp)
}

/** `leadImage` is what a GET shows; sent alone it would be ignored, so say which field sets it. */
function leadImageIsSetById (article: { leadImage?: unknown, leadImageId?: unknown }, context: z.RefinementCtx): void {
  if (article.leadImage !== undefined && article.leadImageId === undefined) {
    context.addIssue({ code: 'custom', path: ['leadImage'], message: 'is read-only: set the lead image with "leadImageId" (an image\'s id, or null to remove it)' })
  }
}

/** A whole wire story, as an editor saves it (the ids are the ones its author, image and linked story got). */
const articleExample = {
  headline: 'Valley rail line reopens eight months after landslide',
  seoTitle: 'Valley rail line reopens - The Example Times',
  dek: 'Trains run again between Aldern and Vesk after engineers rebuilt a washed-out embankment.',
  section: 'Regional',
  tags: ['Transport', 'Aldern'],
  dateline: 'ALDERN, Norland',
  language: 'en',
  status: 'draft',
  leadImageId: exampleIds.image,
  bylines: [
    { authorId: exampleIds.author, role: 'author' },
    { authorId: exampleIds.secondAuthor, role: 'author' },
    { authorId: exampleIds.reportingAuthor, role: 'reporting' }
  ],
  body: [
    { type: 'paragraph', text: 'The first passenger train in eight months left Aldern station at 6:12 a.m. on Monday, crossing the rebuilt embankment at walking pace as engineers watched from the track side.' },
    { type: 'paragraph', text: '“We have our mornings back,” said one commuter, who had spent the winter on replacement buses that added an hour to each trip.' },
    { type: 'ad_slot', slot: 'mid-1' },
    { type: 'related_link', articleId: exampleIds.linkedArticle, text: 'Background: how the March landslide cut the valley line' },
    { type: 'paragraph', text: 'The regional rail authority said the repair cost less than first feared because the old stone viaduct, built in 1911, came through undamaged.' },
    { type: 'image', imageId: exampleIds.image },
    { type: 'heading', text: 'What changes for passengers', level: 2 },
    { type: 'paragraph', text: 'Services will run every 30 minutes until the end of the month, then return to the full timetable.' },
    { type: 'ad_slot', slot: 'mid-2' },
    { type: 'quote', text: 'The valley is connected again, and it will stay that way.', attribution: 'The authority\'s chief engineer' },
    { type: 'related_link', url: 'https://transport.example.org/timetables/valley-line', text: 'The new timetable, from the rail authority' }
  ]
}

export const ArticleCreate = z.strictObject(articleFields).superRefine(leadImageIsSetById)
  .meta({ id: 'ArticleCreate', examples: [articleExample] })
export type ArticleCreate = z.infer<typeof ArticleCreate>

/** PUT: the full article; omitted optional fields are cleared, an omitted slug is kept. */
export const ArticleReplace = z.strictObject(articleFields).superRefine(leadImageIsSetById).meta({ id: 'ArticleReplace', examples: [articleExample] })

export const ArticleUpdate = z.strictObject(articleFields).partial().superRefine(leadImageIsSetById)
  .meta({ id: 'ArticleUpdate', examples: [{ status: 'published' }, { dek: 'An updated summary.' }] })
export type ArticleUpdate = z.infer<typeof ArticleUpdate>

/** The orders of article lists: a field, descending with a `-` in front (as Directus and JSON:API write it). */
export const articleSorts = ['-publishedAt', 'publishedAt', '-updatedAt', 'updatedAt', 'headline', '-headline', '-createdAt', 'createdAt'] as const
export type ArticleSort = (typeof articleSorts)[number]

/** The fields of a list item, in the order items carry them. */
export const articleSummaryFields = Object.keys(ArticleSummary.shape) as Array<keyof ArticleSummary>

/** `fields=id,slug,headline`: the fields named, in the item's own order, `id` always among them. */
const FieldList = z.string().min(1).max(1000).transform((value, context) => {
  const named = value.split(',').map((field) => field.trim())
  const known = new Set<string>(articleSummaryFields)
  for (const field of named.filter((name) => !known.has(name))) {
    const guess = closestField(field, articleSummaryFields)
    context.addIssue({ code: 'custom', message: `"${field}" is not a field of a list item${guess === undefined ? '' : ` (did you mean "${guess}"?)`}; the fields are ${articleSummaryFields.join(', ')}` })
  }
  const wanted = new Set(['id', ...named])
  return articleSummaryFields.filter((field) => wanted.has(field))
}).optional()

export const ArticleListQuery = ListQuery.extend({
  status: ArticleStatus.optional().meta({ description: 'Only articles with this status (the public sees `published` ones only: any other status is an empty list)', example: 'published' }),
  section: z.string().max(100).optional().meta({ description: 'Only articles in this section (exact)', example: 'Regional' }),
  tag: repeatable(Tag, 20).meta({ description: 'Only articles with this tag (exact, as written). Repeat it for several (`?tag=Energy&tag=Climate`, at most 20): stories with any of them, or with all of them when `tagMatch=all`', example: ['Transport'] }),
  tagMatch: z.enum(['any', 'all']).optional().meta({ description: 'With several `tag`s: `any` (the default) lists stories with at least one of them, `all` stories with every one', example: 'all' }),
  authorId: repeatable(Id, 20).meta({ description: 'Only articles with this author in their byline (any role). Repeat it for several (at most 20): stories by any of them', example: [exampleIds.author] }),
  language: LanguageTag.optional().meta({ description: 'Only articles in this language: a BCP 47 tag, in any case (tags are stored canonical: "pt-br" finds "pt-BR")', example: 'en' }),
  publishedAfter: TimeBound.optional().meta({ description: 'Only articles first published at or after this time (inclusive); a date means its midnight UTC. Never-published stories never match', example: '2026-11-01' }),
  publishedBefore: TimeBound.optional().meta({ description: 'Only articles first published before this time (exclusive): with `publishedAfter`, a half-open interval, so that consecutive days or months neither overlap nor leave gaps. Never-published stories never match', example: '2026-12-01' }),
  updatedSince: TimeBound.optional().meta({ description: 'Only articles changed (`updatedAt`) at or after this time (inclusive)', example: '2026-11-24T00:00:00Z' }),
  sort: z.enum(articleSorts).optional().meta({ description: 'The order: a field, descending with a leading `-`; ties are broken by id, in the same direction. By default `-publishedAt` for lists of published stories (every public list, and a staff list with `status=published`) and `-createdAt` for lists that include drafts. An order by `publishedAt` leaves out stories never published (they have no publication time). `headline` is byte order of its UTF-8 (code point order: `Z` before `a`, `a` before `é`), on both database engines. A cursor belongs to the order and filters it was issued under: with any other, 400', example: '-publishedAt' }),
  fields: FieldList.meta({ description: 'Comma-separated fields of the list item to send (top-level fields of ArticleSummary); `id` is always sent. Without it, items have every field. An unknown field is a 400', example: 'id,slug,headline,publishedAt' }),
  count: CountParam
})
export type ArticleListQuery = z.infer<typeof ArticleListQuery>

/** A list item when `fields` names some fields: those (and `id`) only. */
export const ArticleSummaryFields = ArticleSummary.partial().required({ id: true })
  .meta({ id: 'ArticleSummaryFields', description: 'An article as a list shows it with `fields`: only the fields named, and `id`' })

export const ArticlePage = countedPageOf(z.union([ArticleSummary, ArticleSummaryFields]).meta({ description: 'Every field of ArticleSummary; with `fields`, only the fields named (ArticleSummaryFields)' }))
  .meta({ id: 'ArticlePage' })

export const SlugParams = z.object({ slug: z.string().min(1).max(200).meta({ description: 'The article\'s slug, as in its URL', example: 'valley-rail-line-reopens-eight-months-after-landslide' }) })
