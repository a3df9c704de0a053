// A story from a ninjs 3.1 document, created or updated through the article
// service (so the write path, the change log and the stored public JSON all
// apply), idempotent on the document's `uri`: the article keeps it as
// `externalUri`, and the same uri imported again replaces that article.
//
// The reverse of formats/ninjs.ts: headlines (main, seo), descriptions
// (summary), bodies (text/html, else text/plain), people (or `by`) as
// bylines, subjects (section, tag), located, language, slugline, edNote,
// pubStatus (usable: published; withheld, canceled or absent: a draft for an
// editor to look at) and embargoedUntil (scheduled for then), picture associations as images (the lead image: `lead-image`,
// else the first picture the body does not show), related links whose target
// is an http(s) URL, one of our stories, or a story imported from that uri.
//
// Authors are matched by exact name, else created; images by URL, else
// created. Those are writes of their own, before the article's: a story
// refused at that point leaves them behind, as an editor's would.
import type { Db } from '../db/client.ts'
import { invalidDocument, type FieldError } from '../errors.ts'
import { ArticleCreate, bylineRoles, type Article, type BlockInput, type BylineInput } from '../schemas/article.ts'
import { Slug } from '../schemas/common.ts'
import { articleUriPrefix } from '../formats/article-html.ts'
import { parseBodyHtml, parseBodyText, type ParsedBlock } from '../formats/html-blocks.ts'
import { ninjsErrors } from '../formats/ninjs-validation.ts'
import type { ArticleService } from './article-service.ts'
import type { AuthorService } from './author-service.ts'
import type { ImageService } from './image-service.ts'
import type { WriteContext } from './write-path.ts'

interface Text { role?: string, contentType?: string, value: string }
interface Person { name?: string, rel?: string, uri?: string }
interface Rendition { name: string, href?: string, width?: number, height?: number }
interface NinjsObject {
  uri: string
  name?: string
  rel?: string
  type?: string
  headlines?: Text[]
  descriptions?: Text[]
  bodies?: Text[]
  by?: string
  people?: Person[]
  infoSources?: Array<{ name?: string }>
  copyrightHolder?: string
  copyrightNotice?: string
  usageTerms?: string
  renditions?: Rendition[]
  subjects?: Array<{ name?: string, rel?: string }>
  associations?: NinjsObject[]
  located?: string
  language?: string
  slugline?: string
  pubStatus?: string
  title?: string
  edNote?: string
  embargoedUntil?: string
}

/** usable: published; embargoed: scheduled for the embargo's end; otherwise a draft. */
function statusOf (document: NinjsObject): { status: 'published' | 'scheduled' | 'draft', scheduledAt?: string } {
  if (document.pubStatus === 'usable' && document.embargoedUntil === undefined) return { status: 'published' }
  if (document.embargoedUntil !== undefined && document.pubStatus !== 'canceled' && !Number.isNaN(Date.parse(document.embargoedUntil))) {
    return { status: 'scheduled', scheduledAt: new Date(document.embargoedUntil).toISOString() }
  }
  return { status: 'draft' }
}

export interface ImportResult {
  article: Article
  /** False when the uri had been imported before and that article was replaced. */
  created: boolean
}

const byRole = (texts: Text[] | undefined, role: string): string | undefined =>
  texts?.find((text) => text.role === role)?.value

/** The first text with `role`, else the first without a role we name elsewhere. */
function mainText (texts: Text[] | undefined, role: string, others: string[]): string | undefined {
  return byRole(texts, role) ?? texts?.find((text) => text.role === undefined || !others.includes(text.role))?.value
}

/** Where an article field came from in the document, for 422s that name the document's own field. */
const sourceOf: Record<string, string> = {
  headline: 'body.headlines', seoTitle: 'body.headlines', dek: 'body.descriptions', section: 'body.subjects', tags: 'body.subjects',
  dateline: 'body.located', language: 'body.language', slug: 'body.slugline', body: 'body.bodies', bylines: 'body.people'
}

/** "By A, B and C" → the three names. */
function namesIn (by: string): string[] {
  return by.replace(/^\s*by\s+/i, '').split(/\s*,\s*|\s+and\s+/i).map((name) => name.trim()).filter((name) => name !== '')
}

const isHttp = (uri: string): boolean => /^https?:\/\//i.test(uri)

export function createNinjsImport ({ prisma, articles, authors, images }: { prisma: Db, articles: ArticleService, authors: AuthorService, images: ImageService }) {
  async function authorFor (person: Person, context: WriteContext): Promise<string> {
    const name = person.name?.trim() ?? ''
    const existing = await prisma.author.findFirst({ where: { name }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], select: { id: true } })
    if (existing !== null) return existing.id
    return (await authors.create({ name, url: person.uri !== undefined && isHttp(person.uri) ? person.uri : undefined }, context)).id
  }

  async function bylinesOf (document: NinjsObject, context: WriteContext): Promise<BylineInput[]> {
    const people = (document.people ?? []).filter((person) => (person.name?.trim() ?? '') !== '')
    const named = people.length > 0 ? people : namesIn(document.by ?? '').map((name) => ({ name, rel: 'author' }))
    const bylines: BylineInput[] = []
    for (const person of named) {
      const role = bylineRoles.find((known) => known === person.rel) ?? 'author'
      bylines.push({ authorId: await authorFor(person, context), role })
    }
    return bylines
  }

  /** An image for a picture association: the one with its URL, else a new one. Undefined when it has no URL. */
  async function imageFor (picture: NinjsObject, context: WriteContext): Promise<string | undefined> {
    const rendition = picture.renditions?.find((candidate) => candidate.name === 'original' && candidate.href !== undefined) ??
      picture.renditions?.find((candidate) => candidate.href !== undefined)
    const url = rendition?.href ?? (isHttp(picture.uri) ? picture.uri : undefined)
    if (url === undefined || !isHttp(url)) return undefined
    const existing = await prisma.image.findFirst({ where: { url }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], select: { id: true } })
    if (existing !== null) return existing.id
    const photographer = picture.by ?? picture.people?.find((person) => person.rel === 'photographer')?.name
    return (await images.create({
      url,
      alt: byRole(picture.descriptions, 'alt') ?? null,
      caption: mainText(picture.descriptions, 'caption', ['alt', 'creditline']) ?? null,
      width: rendition?.width ?? null,
      height: rendition?.height ?? null,
      credit: {
        photographer: photographer ?? null,
        agency: picture.infoSources?.[0]?.name ?? null,
        copyright: picture.copyrightNotice ?? null,
        license: picture.usageTerms ?? null
      }
    }, context)).id
  }

  /** One of our stories, or one imported from `uri`: what a related link can point to. */
  async function linkedArticle (uri: string): Promise<string | undefined> {
    const ownId = uri.startsWith(articleUriPrefix) ? uri.slice(articleUriPrefix.length) : undefined
    const found = await prisma.article.findFirst({ where: { OR: [...(ownId === undefined ? [] : [{ id: ownId }]), { externalUri: uri }] }, select: { id: true } })
    return found?.id
  }

  async function bodyOf (parsed: ParsedBlock[], pictures: Map<string, string>, byUrl: Map<string, string>): Promise<BlockInput[]> {
    const body: BlockInput[] = []
    for (const block of parsed) {
      switch (block.type) {
        case 'figure': {
          const imageId = (block.association === null ? undefined : pictures.get(block.association)) ?? (block.src === null ? undefined : byUrl.get(block.src))
          if (imageId !== undefined) body.push({ type: 'image', imageId })
          break
        }
        case 'related_link': {
          const articleId = await linkedArticle(block.href)
          if (articleId !== undefined) body.push({ type: 'related_link', articleId, text: block.text })
          else if (isHttp(block.href)) body.push({ type: 'related_link', url: block.href, text: block.text })
          break // a story we do not have: the link goes, the rest of the body stays
        }
        case 'heading': body.push({ type: 'heading', text: block.text, level: Math.min(6, block.level) }); break
        case 'quote': body.push({ type: 'quote', text: block.text, attribution: block.attribution }); break
        case 'ad_slot': body.push({ type: 'ad_slot', slot: block.slot }); break
        case 'paragraph': body.push({ type: 'paragraph', text: block.text }); break
      }
    }
    return body
  }

  async function slugFor (slugline: string | undefined, currentId: string | null): Promise<string | undefined> {
    if (slugline === undefined || currentId !== null || !Slug.safeParse(slugline).success) return undefined // an update keeps its slug
    return await prisma.article.findUnique({ where: { slug: slugline }, select: { id: true } }) === null ? slugline : undefined
  }

  return {
    async importNinjs (input: unknown, context: WriteContext): Promise<ImportResult> {
      const problems = ninjsErrors(input, '3.1', 'body')
      if (problems.length > 0) throw invalidDocument(problems)
      const document = input as NinjsObject
      const headline = mainText(document.headlines, 'main', ['seo']) ?? document.title
      if (headline === undefined) throw invalidDocument([{ path: 'body.headlines', message: 'a story needs a headline (headlines[].value, or title)' }], 'The document is not a story')

      const currentId = await articles.idByExternalUri(document.uri)
      const associations = document.associations ?? []
      const html = document.bodies?.find((body) => body.contentType === 'text/html' || body.contentType === 'application/xhtml+xml')
      const parsed = html !== undefined ? parseBodyHtml(html.value) : parseBodyText(document.bodies?.[0]?.value ?? '')
      const figures = parsed.filter((block) => block.type === 'figure')
      const shownInBody = (picture: NinjsObject): boolean => figures.some((figure) =>
        (figure.association !== null && figure.association === picture.name) ||
        (figure.src !== null && (picture.renditions ?? []).some((rendition) => rendition.href === figure.src)))

      const pictures = new Map<string, string>() // association name → image id
      const byUrl = new Map<string, string>() // rendition URL → image id
      let namedLead: string | null = null
      let firstUnshown: string | null = null
      for (const association of associations.filter((candidate) => candidate.type === 'picture')) {
        const imageId = await imageFor(association, context)
        if (imageId === undefined) continue
        if (association.name !== undefined) pictures.set(association.name, imageId)
        for (const rendition of association.renditions ?? []) if (rendition.href !== undefined) byUrl.set(rendition.href, imageId)
        if (association.name === 'lead-image' || association.rel === 'lead-image') namedLead ??= imageId
        else if (!shownInBody(association)) firstUnshown ??= imageId
      }
      const leadImageId = namedLead ?? firstUnshown

      const subjects = document.subjects ?? []
      const candidate = {
        headline,
        seoTitle: byRole(document.headlines, 'seo') ?? null,
        dek: mainText(document.descriptions, 'summary', []) ?? null,
        section: subjects.find((subject) => subject.rel === 'section')?.name ?? null,
        tags: subjects.filter((subject) => subject.rel !== 'section' && subject.name !== undefined).map((subject) => subject.name ?? ''),
        dateline: document.located ?? null,
        language: document.language,
        slug: await slugFor(document.slugline, currentId),
        // An embargo is a schedule: published by the server when it ends.
        ...statusOf(document),
        editorsNote: document.edNote ?? null,
        leadImageId,
        bylines: await bylinesOf(document, context),
        body: await bodyOf(parsed, pictures, byUrl)
      }
      const checked = ArticleCreate.safeParse(candidate)
      if (!checked.success) {
        const errors: FieldError[] = checked.error.issues.map((issue) => ({
          path: sourceOf[String(issue.path[0])] ?? 'body',
          message: `${issue.path.join('.')}: ${issue.message}`
        }))
        throw invalidDocument(errors, 'The document does not make a story this CMS can store')
      }
      if (currentId !== null) return { article: await articles.replace(currentId, checked.data, context), created: false }
      try {
        return { article: await articles.create(checked.data, context, { externalUri: document.uri }), created: true }
      } catch (error) {
        // Another import of the same uri created it first (the unique index decided): update that one.
        const raced = await articles.idByExternalUri(document.uri)
        if (raced === null) throw error
        return { article: await articles.replace(raced, { ...checked.data, slug: undefined }, context), created: false }
      }
    }
  }
}

export type NinjsImport = ReturnType<typeof createNinjsImport>
