import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { toSitemap } from '../../../formats/sitemap.ts'
import { answerOf } from '../../../services/public-articles.ts'
import { sitemapLimit } from '../../../services/feed-service.ts'
import { routeHeadersKey } from '../../../openapi-document.ts'
import { ConditionalReadHeaders, notModified, sendStored, storedListHeaders } from '../../stored-representation.ts'
import { storyUrlOf } from '../feeds/index.ts'

const sitemapRoutes: FastifyPluginAsyncZod = async function (fastify) {
  fastify.get('/sitemap.xml', {
    config: { access: 'read' },
    schema: {
      tags: ['Feeds'],
      operationId: 'getSitemap',
      summary: 'Sitemap of published stories, with their language versions',
      description: `A sitemaps.org 0.9 sitemap of the latest ${sitemapLimit.toLocaleString('en')} published stories (what one sitemap may hold), latest publication first, whoever asks: each story once, its \`lastmod\`, and for a story in several languages an \`xhtml:link rel="alternate" hreflang\` for every version (itself included), so search engines offer readers their language. Links as in the feeds: STORY_URL_TEMPLATE, else the story's read on this API. Sent with a strong \`ETag\` (\`If-None-Match\` → 304) and public caching.`,
      headers: ConditionalReadHeaders,
      [routeHeadersKey]: { 200: storedListHeaders, 304: storedListHeaders },
      response: {
        200: { description: 'The sitemap', content: { 'application/xml': { schema: z.string().meta({ description: 'An XML document (application/xml; charset=utf-8)' }) } } },
        304: notModified
      }
    }
  }, async (request, reply) => {
    const stories = await fastify.services.feeds.sitemap()
    const xml = toSitemap(stories, storyUrlOf(request))
    return await sendStored(request, reply, answerOf(xml, 'articles'), 'application/xml; charset=utf-8')
  })
}

export default sitemapRoutes
