// Which events a write's changes make (the mapping the README documents).
import t from 'tap'
import { webhookEventsOf, type LoggedChange } from '../../src/services/webhook-events.ts'

const at = new Date('2026-11-24T09:30:00.000Z')
const change = (position: number, resource: string, resourceId: string, action: string, articleIds: string[] = []): LoggedChange => ({ position, resource, resourceId, action, articleIds })
const summary = (changes: LoggedChange[]): string[] => webhookEventsOf(changes, at).map((event) => `${event.type} ${event.payload.data.id}${event.payload.data.cause === undefined ? '' : ` (${event.payload.data.cause.resource} ${event.payload.data.cause.action})`}`)

t.test('articles: events about the public form only', async (t) => {
  t.same(summary([change(1, 'article', 'a', 'created')]), [], 'a draft created: none')
  t.same(summary([change(1, 'article', 'a', 'created', ['a'])]), ['article.published a'], 'created as published')
  t.same(summary([change(1, 'article', 'a', 'updated')]), [], 'a draft edited: none')
  t.same(summary([change(1, 'article', 'a', 'replaced', ['a', 'b'])]), ['article.updated a', 'article.updated b (article replaced)'], 'a published one edited, and a story linking to it')
  t.same(summary([change(1, 'article', 'a', 'unpublished', ['a'])]), ['article.unpublished a'])
  t.same(summary([change(1, 'article', 'a', 'deleted', ['a', 'b'])]), ['article.deleted a', 'article.updated b (article deleted)'], 'deleted: the story that linked to it lost the link')
  t.same(summary([change(1, 'article', 'a', 'deleted')]), [], 'a draft deleted: none')
})

t.test('authors and images: created, updated, deleted; the published stories that show them: updated', async (t) => {
  t.same(summary([change(1, 'author', 'p', 'created')]), ['author.created p'])
  t.same(summary([change(1, 'author', 'p', 'replaced', ['a'])]), ['author.updated p', 'article.updated a (author replaced)'])
  t.same(summary([change(1, 'image', 'i', 'updated', ['a', 'b'])]), ['image.updated i', 'article.updated a (image updated)', 'article.updated b (image updated)'])
  t.same(summary([change(1, 'image', 'i', 'deleted', ['a'])]), ['image.deleted i', 'article.updated a (image deleted)'])
  t.same(summary([change(1, 'byline', 'a', 'replaced', ['a']), change(2, 'related-link', 'l', 'created', ['b'])]), ['article.updated a (byline replaced)', 'article.updated b (related-link created)'])
  t.same(summary([change(1, 'api-key', 'k', 'created'), change(2, 'webhook', 'w', 'created')]), [], 'keys and webhooks: none')
})

t.test('one event per article and write; its own publication wins over an update', async (t) => {
  t.same(summary([change(1, 'byline', 'a', 'replaced', ['a']), change(2, 'article', 'a', 'published', ['a'])]), ['article.published a'])
  t.same(summary([change(1, 'author', 'p', 'updated', ['a', 'b']), change(2, 'image', 'i', 'updated', ['a'])]), ['author.updated p', 'article.updated a (author updated)', 'article.updated b (author updated)', 'image.updated i'])
  const [event] = webhookEventsOf([change(42, 'article', 'a', 'published', ['a'])], at)
  t.same(event!.payload, { type: 'article.published', timestamp: '2026-11-24T09:30:00.000Z', data: { resource: 'article', id: 'a', changePosition: 42 } }, 'the payload: ids, not content')
})
