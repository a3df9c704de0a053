// Which webhook events a write's changes make, from the change log's rows.
// Pure: the write path calls it before commit, with the positions it drew.
//
// Article events are about the public form, which is what integrators (search
// indexes, apps, syndication partners) mirror:
//   created as published, or published        → article.published
//   updated / replaced while published        → article.updated
//   unpublished                               → article.unpublished
//   deleted, or trashed, while published      → article.deleted
//   restored from the trash as published      → article.published
//   any other published article whose public form the change altered (an
//   author renamed, an image recaptioned, a linked story deleted, a byline
//   or related link edited)                    → article.updated, with `cause`
// Drafts make no article events. Authors and images have no publication
// state: created / updated (or replaced) / deleted → author.* and image.*.
// API keys and webhooks make none. Within one write an article gets one event:
// its own published/unpublished/deleted wins over updated.
import type { WebhookEventType, WebhookPayload } from '../schemas/webhook.ts'

export interface LoggedChange {
  position: number
  resource: string
  resourceId: string
  action: string
  /** The published articles whose public form the change altered. */
  articleIds: string[]
}

export interface WebhookEvent {
  type: WebhookEventType
  changePosition: number
  payload: WebhookPayload
}

const articleActions: Record<string, WebhookEventType> = {
  created: 'article.published',
  published: 'article.published',
  updated: 'article.updated',
  replaced: 'article.updated',
  unpublished: 'article.unpublished',
  deleted: 'article.deleted',
  // To integrators the trash is a deletion, and a restore a publication:
  // they mirror the public form, which goes and comes back.
  trashed: 'article.deleted',
  restored: 'article.published'
}

const otherActions: Record<string, 'created' | 'updated' | 'deleted'> = {
  created: 'created', updated: 'updated', replaced: 'updated', deleted: 'deleted'
}

export function webhookEventsOf (changes: LoggedChange[], committedAt: Date): WebhookEvent[] {
  const timestamp = committedAt.toISOString()
  const events: WebhookEvent[] = []
  // Articles with an event of their own in this write: at most one each.
  const articleEvent = new Map<string, WebhookEvent>()
  const make = (type: WebhookEventType, resource: WebhookPayload['data']['resource'], id: string, change: LoggedChange, cause?: WebhookPayload['data']['cause']): WebhookEvent => ({
    type,
    changePosition: change.position,
    payload: { type, timestamp, data: { resource, id, changePosition: change.position, ...(cause !== undefined && { cause }) } }
  })
  const addArticle = (event: WebhookEvent): void => {
    const id = event.payload.data.id
    const earlier = articleEvent.get(id)
    if (earlier === undefined) {
      articleEvent.set(id, event)
      events.push(event)
    } else if (earlier.type === 'article.updated' && event.type !== 'article.updated') {
      // A stronger event replaces the update, in the update's place.
      events[events.indexOf(earlier)] = event
      articleEvent.set(id, event)
    }
  }

  for (const change of changes) {
    const cause = { resource: change.resource, id: change.resourceId, action: change.action }
    const itself = change.resource === 'article' && change.articleIds.includes(change.resourceId)
    if (itself) {
      const type = articleActions[change.action]
      if (type !== undefined) addArticle(make(type, 'article', change.resourceId, change))
    }
    if (change.resource === 'author' || change.resource === 'image') {
      const action = otherActions[change.action]
      if (action !== undefined) events.push(make(`${change.resource}.${action}`, change.resource, change.resourceId, change))
    }
    for (const articleId of change.articleIds) {
      if (change.resource === 'article' && articleId === change.resourceId) continue
      addArticle(make('article.updated', 'article', articleId, change, cause))
    }
  }
  return events
}
