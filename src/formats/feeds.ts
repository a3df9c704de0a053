// Published stories as RSS 2.0 and Atom 1.0 (RFC 4287) feeds: pure functions
// of the stories' public list items (the article without its body).
//
//   RSS item        title, link, guid (urn:cms:article:<id>, not a permalink),
//                   description (dek), pubDate (RFC 822), category (section,
//                   tags), dc:creator (each author), and the lead image as
//                   media:content (Media RSS: url, medium, type when the file
//                   name tells it, width, height) with its caption, credit
//                   and copyright: <enclosure> would need the file's length.
//   Atom entry      id, title, link rel=alternate, link rel=enclosure (lead
//                   image), published, updated (RFC 3339), author (role
//                   author or reporting) and contributor, summary, category.
import type { ArticleSummary } from '../schemas/article.ts'
import { articleUri } from './article-html.ts'
import { element, xmlDocument, type Markup } from './xml.ts'

export interface FeedChannel {
  title: string
  description: string
  /** This feed's own URL. */
  selfUrl: string
  /** The page the feed stands for (the story list). */
  homeUrl: string
  /** Where a reader reads a story. */
  storyUrl: (story: ArticleSummary) => string
  /** The feed's language, when it lists the stories of one (RSS `language`, Atom `xml:lang`). */
  language?: string
}

const imageTypes: Record<string, string> = {
  jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png', gif: 'image/gif', webp: 'image/webp', avif: 'image/avif', svg: 'image/svg+xml'
}

/** The media type an image URL's file name tells (undefined when it tells none). */
export function imageTypeOf (url: string): string | undefined {
  const path = url.split(/[?#]/)[0] ?? ''
  const extension = /\.([a-z0-9]+)$/i.exec(path)?.[1]?.toLowerCase()
  return extension === undefined ? undefined : imageTypes[extension]
}

const authorRoles = new Set(['author', 'reporting'])

/** When the feed last changed: its newest change (the epoch for an empty feed, so the bytes stay stable). */
function lastChange (stories: ArticleSummary[]): Date {
  return new Date(Math.max(0, ...stories.map((story) => Date.parse(story.updatedAt))))
}

function rssItem (story: ArticleSummary, channel: FeedChannel): Markup {
  const image = story.leadImage
  return element('item', {}, [
    element('title', {}, story.headline),
    element('link', {}, channel.storyUrl(story)),
    element('guid', { isPermaLink: 'false' }, articleUri(story.id)),
    story.dek === null ? undefined : element('description', {}, story.dek),
    element('pubDate', {}, new Date(story.publishedAt ?? story.updatedAt).toUTCString()),
    ...(story.section === null ? [] : [element('category', { domain: 'section' }, story.section)]),
    ...story.tags.map((tag) => element('category', { domain: 'tag' }, tag)),
    ...story.bylines.filter((byline) => authorRoles.has(byline.role)).map((byline) => element('dc:creator', {}, byline.author.name)),
    image === null
      ? undefined
      : element('media:content', { url: image.url, medium: 'image', type: imageTypeOf(image.url), width: image.width ?? undefined, height: image.height ?? undefined }, [
        image.caption === null ? undefined : element('media:description', { type: 'plain' }, image.caption),
        image.credit.photographer === null ? undefined : element('media:credit', { role: 'photographer' }, image.credit.photographer),
        image.credit.agency === null ? undefined : element('media:credit', { role: 'distributor' }, image.credit.agency),
        image.credit.copyright === null ? undefined : element('media:copyright', {}, image.credit.copyright)
      ])
  ])
}

export function toRss (stories: ArticleSummary[], channel: FeedChannel): string {
  return xmlDocument(element('rss', {
    version: '2.0',
    'xmlns:atom': 'http://www.w3.org/2005/Atom',
    'xmlns:dc': 'http://purl.org/dc/elements/1.1/',
    'xmlns:media': 'http://search.yahoo.com/mrss/'
  }, [element('channel', {}, [
    element('title', {}, channel.title),
    element('link', {}, channel.homeUrl),
    element('description', {}, channel.description),
    channel.language === undefined ? undefined : element('language', {}, channel.language),
    element('atom:link', { href: channel.selfUrl, rel: 'self', type: 'application/rss+xml' }),
    element('lastBuildDate', {}, lastChange(stories).toUTCString()),
    ...stories.map((story) => rssItem(story, channel))
  ])]))
}

function person (kind: 'author' | 'contributor', name: string): Markup {
  return element(kind, {}, [element('name', {}, name)])
}

function atomEntry (story: ArticleSummary, channel: FeedChannel): Markup {
  const image = story.leadImage
  return element('entry', {}, [
    element('id', {}, articleUri(story.id)),
    element('title', { type: 'text' }, story.headline),
    element('link', { rel: 'alternate', href: channel.storyUrl(story) }),
    image === null ? undefined : element('link', { rel: 'enclosure', href: image.url, type: imageTypeOf(image.url), title: image.caption ?? undefined }),
    element('published', {}, story.publishedAt ?? story.updatedAt),
    element('updated', {}, story.updatedAt),
    ...story.bylines.map((byline) => person(authorRoles.has(byline.role) ? 'author' : 'contributor', byline.author.name)),
    story.dek === null ? undefined : element('summary', { type: 'text' }, story.dek),
    ...(story.section === null ? [] : [element('category', { term: story.section, scheme: 'urn:cms:section' })]),
    ...story.tags.map((tag) => element('category', { term: tag, scheme: 'urn:cms:tag' }))
  ])
}

export function toAtom (stories: ArticleSummary[], channel: FeedChannel): string {
  return xmlDocument(element('feed', { xmlns: 'http://www.w3.org/2005/Atom', ...(channel.language !== undefined && { 'xml:lang': channel.language }) }, [
    element('id', {}, channel.selfUrl),
    element('title', { type: 'text' }, channel.title),
    element('subtitle', { type: 'text' }, channel.description),
    element('link', { rel: 'self', type: 'application/atom+xml', href: channel.selfUrl }),
    element('link', { rel: 'alternate', href: channel.homeUrl }),
    element('updated', {}, lastChange(stories).toISOString()),
    // Atom wants an author for every entry: the feed's stands in for stories without a byline.
    person('author', channel.title),
    ...stories.map((story) => atomEntry(story, channel))
  ]))
}
