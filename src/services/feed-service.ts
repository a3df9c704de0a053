// The stories a feed lists: published ones only (read from their stored
// public list items, so a feed shows exactly what the public JSON shows, even
// to a staff key), latest publication first.
import type { Db } from '../db/client.ts'
import { latestPublishedFirst } from '../db/pagination.ts'
import { canonicalLanguageTag, type ArticleSummary } from '../schemas/article.ts'
import type { FeedQuery } from '../schemas/feed.ts'
import type { SitemapStory } from '../formats/sitemap.ts'

const order = latestPublishedFirst('articleId')

/**
 * `tagBatch`: tags live in the stored JSON, not in a column of their own, so a
 * tag filter reads stories in batches of this many until the feed is full.
 */
export function createFeedService ({ prisma }: { prisma: Db }, { tagBatch = 200 }: { tagBatch?: number } = {}) {
  return {
    /** The latest published stories for the sitemap (at most `limit`), with what its alternates need. */
    async sitemap (limit = sitemapLimit): Promise<SitemapStory[]> {
      const rows = await prisma.publicArticle.findMany({
        orderBy: order.orderBy,
        select: { articleId: true, slug: true, article: { select: { language: true, translationGroupId: true, updatedAt: true } } },
        take: limit
      })
      return rows.map((row) => ({ id: row.articleId, slug: row.slug, language: row.article.language, translationGroupId: row.article.translationGroupId, lastModified: row.article.updatedAt }))
    },

    async latest (query: FeedQuery): Promise<ArticleSummary[]> {
      const where = {
        ...(query.section !== undefined && { section: query.section }),
        ...(query.language !== undefined && { language: canonicalLanguageTag(query.language) }),
        ...(query.authorId !== undefined && { article: { bylines: { some: { authorId: query.authorId } } } })
      }
      const batch = query.tag === undefined ? query.limit : tagBatch
      const stories: ArticleSummary[] = []
      let cursor: string | undefined
      for (;;) {
        const rows = await prisma.publicArticle.findMany({
          where: { AND: [where, order.after(cursor)] },
          orderBy: order.orderBy,
          select: { articleId: true, publishedAt: true, summary: true },
          take: batch
        })
        for (const row of rows) {
          const story = JSON.parse(row.summary) as ArticleSummary
          if (query.tag !== undefined && !story.tags.includes(query.tag)) continue
          stories.push(story)
          if (stories.length === query.limit) return stories
        }
        const last = rows.at(-1)
        if (rows.length < batch || last === undefined) return stories
        cursor = order.encode(last)
      }
    }
  }
}

/** What one sitemap may list (sitemaps.org). */
export const sitemapLimit = 50_000

export type FeedService = ReturnType<typeof createFeedService>
