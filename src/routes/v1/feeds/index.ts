import type { FastifyReply, FastifyRequest } from 'fastify'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { FeedQuery, feedResponse } from '../../../schemas/feed.ts'
import { canonicalLanguageTag, type ArticleSummary } from '../../../schemas/article.ts'
import { toAtom, toRss, type FeedChannel } from '../../../formats/feeds.ts'
import { storyUrlFrom } from '../../../formats/story-url.ts'
import { answerOf } from '../../../services/public-articles.ts'
import { routeHeadersKey } from '../../../openapi-document.ts'
import { ConditionalReadHeaders, notModified, sendStored, storedListHeaders } from '../../stored-representation.ts'

/**
 * Where a reader reads a story: STORY_URL_TEMPLATE, else the story's read on
 * the server the reader called (TRUST_PROXY decides whose Host and scheme count).
 */
export function storyUrlOf (request: FastifyRequest): (story: { id: string, slug: string }) => string {
  const origin = `${request.protocol}://${request.host}`
  const template = request.server.config.STORY_URL_TEMPLATE
  return (story) => template === undefined ? `${origin}/v1/article-by-slug/${story.slug}` : storyUrlFrom(template, story)
}

/** The feed's links, on the server the reader called. */
function channelOf (request: FastifyRequest): FeedChannel {
  const origin = `${request.protocol}://${request.host}`
  return {
    title: request.server.config.FEED_TITLE,
    description: 'Published stories, latest first',
    selfUrl: `${origin}${request.url}`,
    homeUrl: `${origin}/v1/articles`,
    storyUrl: storyUrlOf(request),
    language: canonicalLanguageTag((request.query as FeedQuery).language ?? '')
  }
}

/** Sent like a page of the public list: a strong ETag of the bytes (304 on a match), public caching, surrogate keys. */
async function sendFeed (request: FastifyRequest, reply: FastifyReply, contentType: string, render: (stories: ArticleSummary[], channel: FeedChannel) => string): Promise<FastifyReply> {
  const stories = await request.server.services.feeds.latest(request.query as FeedQuery)
  const xml = render(stories, channelOf(request))
  const surrogateKeys = ['articles', ...stories.map((story) => `article-${story.id}`)].join(' ')
  return await sendStored(request, reply, answerOf(xml, surrogateKeys), contentType)
}

const feedSchema = {
  tags: ['Feeds'],
  querystring: FeedQuery,
  headers: ConditionalReadHeaders,
  [routeHeadersKey]: { 200: storedListHeaders, 304: storedListHeaders }
}

const feedDescription = 'Published stories only, whoever asks (a staff key sees no drafts here), latest publication first: `limit` of them (20 by default, at most 100), filtered by `section`, `tag`, `authorId` and `language` when given (a feed per language says its language: RSS `language`, Atom `xml:lang`). The lead image goes with each story, with its caption and credit. Links point to STORY_URL_TEMPLATE when the server has one, else to the story\'s read on this API; each story\'s id is `urn:cms:article:<id>`. Sent with a strong `ETag` (`If-None-Match` → 304) and public caching.'

const feedRoutes: FastifyPluginAsyncZod = async function (fastify) {
  fastify.get('/rss', {
    config: { access: 'read' },
    schema: {
      ...feedSchema,
      operationId: 'getRssFeed',
      summary: 'RSS 2.0 feed of published stories',
      description: `${feedDescription} Dates are RFC 822; the lead image is a Media RSS \`media:content\` (an \`enclosure\` would need the file's size).`,
      response: { 200: feedResponse('application/rss+xml', 'The RSS 2.0 feed'), 304: notModified }
    }
  }, async (request, reply) => await sendFeed(request, reply, 'application/rss+xml; charset=utf-8', toRss))

  fastify.get('/atom', {
    config: { access: 'read' },
    schema: {
      ...feedSchema,
      operationId: 'getAtomFeed',
      summary: 'Atom 1.0 feed of published stories',
      description: `${feedDescription} Dates are RFC 3339; the lead image is a \`link rel="enclosure"\`.`,
      response: { 200: feedResponse('application/atom+xml', 'The Atom 1.0 feed'), 304: notModified }
    }
  }, async (request, reply) => await sendFeed(request, reply, 'application/atom+xml; charset=utf-8', toAtom))
}

export default feedRoutes
