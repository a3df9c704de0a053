// A sitemap (sitemaps.org 0.9) of published stories, with the language
// versions of each story as `xhtml:link rel="alternate" hreflang` entries:
// what search engines read to offer a reader the version in their language.
// Every version lists all versions of its story, itself included, as Google
// asks of hreflang annotations.
import { element, xmlDocument } from './xml.ts'

export interface SitemapStory {
  id: string
  slug: string
  language: string
  translationGroupId: string | null
  lastModified: Date
}

export function toSitemap (stories: SitemapStory[], storyUrl: (story: { id: string, slug: string }) => string): string {
  const versions = new Map<string, SitemapStory[]>()
  for (const story of stories) {
    if (story.translationGroupId !== null) versions.set(story.translationGroupId, [...versions.get(story.translationGroupId) ?? [], story])
  }
  return xmlDocument(element('urlset', { xmlns: 'http://www.sitemaps.org/schemas/sitemap/0.9', 'xmlns:xhtml': 'http://www.w3.org/1999/xhtml' },
    stories.map((story) => {
      const group = story.translationGroupId === null ? [] : versions.get(story.translationGroupId)!
      return element('url', {}, [
        element('loc', {}, storyUrl(story)),
        element('lastmod', {}, story.lastModified.toISOString()),
        ...(group.length < 2 ? [] : [...group].sort((a, b) => a.language < b.language ? -1 : 1).map((version) =>
          element('xhtml:link', { rel: 'alternate', hreflang: version.language, href: storyUrl(version) })))
      ])
    })))
}
