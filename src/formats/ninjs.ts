// An article as an IPTC ninjs document, 3.1 or 2.2: a pure function of the
// Article (the live one for editors, the stored public one for everyone
// else), so both reads render the same. ninjs 2.x names its fields in lower
// case; 3.x in camelCase, and names the relationship of an association (`rel`,
// which 2.2 does not have).
//
// What goes where:
//   uri              urn:cms:article:<id> (stable, whatever the slug becomes)
//   headlines        main: the headline; seo: the SEO title
//   descriptions     summary: the dek
//   bodies           main, text/html: the body (see article-html.ts)
//   by, people       the byline: "A and B"; every byline with its role as rel
//   subjects         the section (rel section) and the tags (rel tag)
//   located          the dateline
//   slugline         the slug
//   dates            firstCreated: first publication (creation for a draft);
//                    versionCreated: the last change; contentCreated: creation
//   associations     lead-image, image-<n>, related-<n>; a picture carries
//                    caption, alt and credit line (descriptions), the
//                    photographer (by, people), the agency (infoSources),
//                    copyrightHolder (the agency, else the photographer),
//                    copyrightNotice and usageTerms (the licence)
import type { Article, Block } from '../schemas/article.ts'
import type { Image } from '../schemas/image.ts'
import type { Ninjs31 } from '../schemas/formats.ts'
import { articleUri, associationNames, bodyHtml, bylineText, imageUri, relatedLinkHref } from './article-html.ts'

type Json = Record<string, unknown>

/**
 * A URL as an RFC 3986 URI, which ninjs asks for: a URL we accepted may hold
 * characters a URI spells percent-encoded (spaces, non-ASCII), or a Unicode host.
 */
export function asUri (url: string): string {
  try {
    return new URL(url).href
  } catch {
    return url
  }
}

const schemaUrls = {
  '3.1': 'http://www.iptc.org/std/ninjs/ninjs-schema_3.1.json#',
  '2.2': 'http://www.iptc.org/std/ninjs/ninjs-schema_2.2.json#'
} as const

/** Leaves out the fields whose value is undefined, null or an empty list (ninjs has no nulls). */
function present<T extends Json> (object: T): T {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined && value !== null && !(Array.isArray(value) && value.length === 0))) as T
}

type Association = NonNullable<Ninjs31['associations']>[number]

function pictureAssociation (image: Image, name: string, rel: string): Association {
  const { photographer, agency, copyright, license } = image.credit
  return present({
    name,
    rel,
    uri: imageUri(image.id),
    type: 'picture' as const,
    descriptions: [
      ...(image.caption === null ? [] : [{ role: 'caption', contentType: 'text/plain', value: image.caption }]),
      ...(image.alt === null ? [] : [{ role: 'alt', contentType: 'text/plain', value: image.alt }]),
      ...(image.creditLine === null ? [] : [{ role: 'creditline', contentType: 'text/plain', value: image.creditLine }])
    ],
    by: photographer ?? undefined,
    people: photographer === null ? [] : [{ name: photographer, rel: 'photographer' }],
    infoSources: agency === null ? [] : [{ name: agency, role: 'agency' }],
    copyrightHolder: agency ?? photographer ?? undefined,
    copyrightNotice: copyright ?? undefined,
    usageTerms: license ?? undefined,
    renditions: [present({ name: 'original', href: asUri(image.url), width: image.width ?? undefined, height: image.height ?? undefined })]
  })
}

function relatedAssociation (block: Extract<Block, { type: 'related_link' }>, name: string): Association {
  return present({
    name,
    rel: 'related',
    uri: asUri(relatedLinkHref(block)),
    type: 'text' as const,
    headlines: block.article === null ? [] : [{ role: 'main', contentType: 'text/plain', value: block.article.headline }],
    descriptions: [{ role: 'teaser', contentType: 'text/plain', value: block.text }]
  })
}

function associationsOf (article: Article): Association[] {
  const names = associationNames(article.body)
  return [
    ...(article.leadImage === null ? [] : [pictureAssociation(article.leadImage, 'lead-image', 'lead-image')]),
    ...article.body.flatMap((block) => {
      if (block.type === 'image') return [pictureAssociation(block.image, names.get(block.id) ?? '', 'body-image')]
      if (block.type === 'related_link') return [relatedAssociation(block, names.get(block.id) ?? '')]
      return []
    })
  ]
}

/** The article as a ninjs 3.1 document. */
export function toNinjs (article: Article): Ninjs31 {
  return present({
    uri: articleUri(article.id),
    type: 'text' as const,
    representationType: 'full' as const,
    standard: { name: 'ninjs' as const, version: '3.1' as const, schema: schemaUrls['3.1'] },
    firstCreated: article.publishedAt ?? article.createdAt,
    versionCreated: article.updatedAt,
    contentCreated: article.createdAt,
    pubStatus: article.status === 'published' ? 'usable' as const : article.status === 'archived' ? 'canceled' as const : 'withheld' as const,
    embargoedUntil: article.status === 'scheduled' ? article.scheduledAt ?? undefined : undefined,
    edNote: article.editorsNote ?? undefined,
    language: article.language,
    slugline: article.slug,
    located: article.dateline ?? undefined,
    headlines: [
      { role: 'main', contentType: 'text/plain', value: article.headline },
      ...(article.seoTitle === null ? [] : [{ role: 'seo', contentType: 'text/plain', value: article.seoTitle }])
    ],
    descriptions: article.dek === null ? [] : [{ role: 'summary', contentType: 'text/plain', value: article.dek }],
    bodies: [{ role: 'main', contentType: 'text/html' as const, value: bodyHtml(article) }],
    by: bylineText(article),
    people: article.bylines.map((byline) => ({ name: byline.author.name, rel: byline.role, ...(byline.author.url !== null && { uri: asUri(byline.author.url) }) })),
    subjects: [
      ...(article.section === null ? [] : [{ name: article.section, rel: 'section' as const }]),
      ...article.tags.map((tag) => ({ name: tag, rel: 'tag' as const }))
    ],
    associations: associationsOf(article),
    altIds: [{ role: 'cms-id', value: article.id }]
  })
}

/** ninjs 2.2: the 3.1 document with lower-case names, and associations without `rel`. */
export function toNinjs22 (article: Article): Json {
  const lowerCase = (value: unknown, inAssociation = false): unknown => {
    if (Array.isArray(value)) return value.map((entry) => lowerCase(entry, inAssociation))
    if (value === null || typeof value !== 'object') return value
    return Object.fromEntries(Object.entries(value)
      .filter(([key]) => !(inAssociation && key === 'rel'))
      .map(([key, entry]) => [key.toLowerCase(), lowerCase(entry, key === 'associations')]))
  }
  const { embargoeduntil: embargoed, ...document } = lowerCase(toNinjs(article)) as Json
  // The one 3.1 name that is not 2.2's in lower case.
  return { ...document, ...(embargoed !== undefined && { embargoed }), standard: { name: 'ninjs', version: '2.2', schema: schemaUrls['2.2'] } }
}
