// The story in the formats newsrooms exchange, as this API writes them: IPTC
// ninjs 3.1 and 2.2 (the 2.x names are the 3.x ones in lower case) and
// schema.org NewsArticle in JSON-LD. Only the parts we fill are described
// here; the official ninjs JSON Schemas (standards/ninjs/) are what the
// tests validate every export against, and what imports are checked with.
import { z } from 'zod'

export const articleFormats = ['json', 'ninjs', 'ninjs-2.2', 'jsonld'] as const
export type ArticleFormat = typeof articleFormats[number]

export const FormatQuery = z.strictObject({
  format: z.enum(articleFormats).optional().meta({
    description: 'The representation: `json` (ours, the default), `ninjs` (IPTC ninjs 3.1), `ninjs-2.2` (IPTC ninjs 2.2) or `jsonld` (schema.org NewsArticle, also chosen by `Accept: application/ld+json`). Wins over `Accept`.'
  })
})
export type FormatQuery = z.infer<typeof FormatQuery>

type Version = '3.1' | '2.2'
const field = (version: Version, name: string): string => version === '3.1' ? name : name.toLowerCase()
/** Typed with the 3.1 names; only the 3.1 type is used (toNinjs22 lower-cases a 3.1 document). */
function objectOf<Fields extends Record<string, z.ZodType>> (version: Version, fields: Fields): z.ZodObject<Fields> {
  return z.object(Object.fromEntries(Object.entries(fields).map(([name, schema]) => [field(version, name), schema]))) as unknown as z.ZodObject<Fields>
}

function ninjsParts (version: Version) {
  const text = objectOf(version, {
    role: z.string().optional(),
    contentType: z.string().optional(),
    value: z.string()
  })
  const person = objectOf(version, { name: z.string(), rel: z.string().optional(), uri: z.string().optional(), literal: z.string().optional() })
  const infoSource = objectOf(version, { name: z.string(), role: z.string().optional() })
  const rendition = objectOf(version, { name: z.string(), href: z.string(), width: z.number().int().optional(), height: z.number().int().optional() })
  const common = {
    uri: z.string().meta({ description: 'A stable identifier: `urn:cms:article:<id>` for our stories, `urn:cms:image:<id>` for our images; a linked URL otherwise' }),
    type: z.enum(['text', 'picture']),
    headlines: z.array(text).optional(),
    descriptions: z.array(text).optional(),
    by: z.string().optional(),
    people: z.array(person).optional(),
    infoSources: z.array(infoSource).optional(),
    copyrightHolder: z.string().optional(),
    copyrightNotice: z.string().optional(),
    usageTerms: z.string().optional(),
    renditions: z.array(rendition).optional()
  }
  const association = objectOf(version, {
    name: z.string().meta({ description: '`lead-image`, `image-<n>` (the n-th image of the body), `related-<n>` (the n-th related link)' }),
    ...(version === '3.1' && { rel: z.string() }),
    ...common
  })
  return objectOf(version, {
    ...common,
    representationType: z.literal('full'),
    standard: z.object({ name: z.literal('ninjs'), version: z.literal(version), schema: z.string() }),
    firstCreated: z.string().meta({ description: 'First publication (creation for drafts)' }),
    versionCreated: z.string().meta({ description: 'The last change' }),
    contentCreated: z.string().meta({ description: 'When the story was created here' }),
    pubStatus: z.enum(['usable', 'withheld', 'canceled']).meta({ description: '`usable` when published, `withheld` for drafts and scheduled stories, `canceled` for archived ones' }),
    ...(version === '3.1'
      ? { embargoedUntil: z.string().optional().meta({ description: 'A scheduled story: when it is published' }) }
      : { embargoed: z.string().optional().meta({ description: 'A scheduled story: when it is published' }) }),
    edNote: z.string().optional().meta({ description: 'The editors\' note' }),
    language: z.string(),
    slugline: z.string(),
    located: z.string().optional(),
    bodies: z.array(objectOf(version, { role: z.string(), contentType: z.literal('text/html'), value: z.string() })),
    subjects: z.array(objectOf(version, { name: z.string(), rel: z.enum(['section', 'tag']) })).optional(),
    associations: z.array(association).optional(),
    altIds: z.array(objectOf(version, { role: z.string(), value: z.string() }))
  })
}

export const Ninjs31 = ninjsParts('3.1').meta({
  id: 'Ninjs31',
  description: 'The story as an IPTC ninjs 3.1 document (`?format=ninjs`); valid against http://www.iptc.org/std/ninjs/ninjs-schema_3.1.json'
})
export const Ninjs22 = ninjsParts('2.2').meta({
  id: 'Ninjs22',
  description: 'The story as an IPTC ninjs 2.2 document (`?format=ninjs-2.2`); valid against http://www.iptc.org/std/ninjs/ninjs-schema_2.2.json'
})
export type Ninjs31 = z.infer<typeof Ninjs31>

const Organization = z.object({ '@type': z.literal('Organization'), name: z.string() })
const Person = z.object({
  '@type': z.literal('Person'),
  name: z.string(),
  jobTitle: z.string().optional(),
  url: z.string().optional(),
  affiliation: Organization.optional()
})
const ImageObject = z.object({
  '@type': z.literal('ImageObject'),
  '@id': z.string(),
  contentUrl: z.string(),
  url: z.string(),
  width: z.number().int().optional(),
  height: z.number().int().optional(),
  caption: z.string().optional(),
  description: z.string().optional().meta({ description: 'The alt text' }),
  creditText: z.string().optional(),
  creator: Person.optional(),
  copyrightHolder: Organization.optional(),
  copyrightNotice: z.string().optional(),
  usageInfo: z.string().optional()
})

/** Another language version of the story, by its `@id`. */
const WorkReference = z.object({
  '@type': z.literal('NewsArticle'),
  '@id': z.string(),
  inLanguage: z.string(),
  headline: z.string()
})

export const NewsArticleJsonLd = z.object({
  '@context': z.literal('https://schema.org'),
  '@type': z.literal('NewsArticle'),
  '@id': z.string(),
  url: z.string().optional().meta({ description: 'The story\'s page on the newsroom\'s site (STORY_URL_TEMPLATE); absent when the server has none' }),
  mainEntityOfPage: z.string().optional().meta({ description: 'The same page' }),
  identifier: z.string(),
  headline: z.string(),
  alternativeHeadline: z.string().optional().meta({ description: 'The SEO title' }),
  description: z.string().optional(),
  articleBody: z.string().meta({ description: 'The text of the body: paragraphs, headings and quotes, separated by blank lines' }),
  articleSection: z.string().optional(),
  keywords: z.array(z.string()),
  inLanguage: z.string(),
  workTranslation: z.array(WorkReference).optional().meta({ description: 'On the original of a translation group: its versions in other languages' }),
  translationOfWork: WorkReference.optional().meta({ description: 'On a translation: the original it was translated from' }),
  dateCreated: z.string(),
  datePublished: z.string().optional(),
  dateModified: z.string(),
  dateline: z.string().optional(),
  creativeWorkStatus: z.enum(['Published', 'Draft', 'Scheduled', 'Archived']),
  correction: z.array(z.object({ '@type': z.literal('CorrectionComment'), text: z.string(), datePublished: z.string() })).optional()
    .meta({ description: 'The story\'s public corrections' }),
  author: z.array(Person),
  contributor: z.array(Person).optional(),
  image: z.array(ImageObject).optional()
}).meta({ id: 'NewsArticleJsonLd', description: 'The story as schema.org NewsArticle in JSON-LD (`?format=jsonld`, or `Accept: application/ld+json`)' })
export type NewsArticleJsonLd = z.infer<typeof NewsArticleJsonLd>
