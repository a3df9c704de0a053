import { z } from 'zod'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { CreatedWebhook, Webhook, WebhookCreate, WebhookDelivery, WebhookDeliveryPage, WebhookDeliveryParams, WebhookDeliveryQuery, WebhookPage, WebhookUpdate } from '../../../schemas/webhook.ts'
import { IdParams, ListQuery, documented, problemResponses } from '../../../schemas/common.ts'
import { routeHeadersKey } from '../../../openapi-document.ts'
import { writeContextOf } from '../../write-context.ts'

const tags = ['Webhooks']
const refused: [number, string] = [422, 'The URL is on a loopback, private or link-local address, or does not resolve (`errors` names `body.url`)']

const webhookRoutes: FastifyPluginAsyncZod = async function (fastify) {
  const { webhooks } = fastify.services

  fastify.get('/', {
    config: { access: 'admin' },
    schema: {
      tags,
      operationId: 'listWebhooks',
      summary: 'List webhooks',
      description: 'Newest first, turned-off ones included (with `disabledReason` when the server turned them off). Secrets are never shown again.',
      querystring: ListQuery,
      response: { 200: WebhookPage }
    }
  }, async (request) => await webhooks.list(request.query))

  fastify.post('/', {
    config: { access: 'admin' },
    schema: {
      tags,
      operationId: 'createWebhook',
      summary: 'Create a webhook',
      description: 'The response holds the signing secret, once. From the commit of this request on, every event the webhook subscribes to is delivered to `url` (see the README\'s "Webhooks" part for the events, the payload and how to verify signatures).',
      body: WebhookCreate,
      [routeHeadersKey]: { 201: ['Cache-Control'] },
      response: { 201: documented(CreatedWebhook, 'The new webhook, with its secret'), ...problemResponses(refused) }
    }
  }, async (request, reply) => {
    const created = await webhooks.create(request.body, writeContextOf(request))
    return await reply.code(201).header('cache-control', 'private, no-store').header('location', `/v1/webhooks/${created.id}`).send(created)
  })

  fastify.get('/:id', {
    config: { access: 'admin' },
    schema: {
      tags,
      operationId: 'getWebhook',
      summary: 'Get a webhook',
      description: 'Whether it is active, and if the server turned it off, why (`disabledReason`).',
      params: IdParams,
      response: { 200: Webhook, ...problemResponses(404) }
    }
  }, async (request) => await webhooks.get(request.params.id))

  fastify.patch('/:id', {
    config: { access: 'admin' },
    schema: {
      tags,
      operationId: 'updateWebhook',
      summary: 'Update part of a webhook',
      description: 'Change its URL, events or description, or turn it off and on (`active`). Turning it on again clears `disabledReason`; deliveries still pending are then sent, in order. Events committed while a webhook is off are not queued for it.',
      params: IdParams,
      body: WebhookUpdate,
      response: { 200: Webhook, ...problemResponses(404, refused) }
    }
  }, async (request) => await webhooks.update(request.params.id, request.body, writeContextOf(request)))

  fastify.delete('/:id', {
    config: { access: 'admin' },
    schema: {
      tags,
      operationId: 'deleteWebhook',
      summary: 'Delete a webhook',
      description: 'No more events are sent to it; its deliveries, sent or pending, are deleted with it.',
      params: IdParams,
      response: { 204: z.undefined().describe('Deleted'), ...problemResponses(404) }
    }
  }, async (request, reply) => {
    await webhooks.remove(request.params.id, writeContextOf(request))
    return await reply.code(204).send()
  })

  fastify.get('/:id/deliveries', {
    config: { access: 'admin' },
    schema: {
      tags,
      operationId: 'listWebhookDeliveries',
      summary: 'List a webhook\'s deliveries',
      description: 'Latest first: each event sent or to be sent, its status, how many attempts it took, the last response\'s status or error and, while pending, when it is due. Filter by `status`.',
      params: IdParams,
      querystring: WebhookDeliveryQuery,
      response: { 200: WebhookDeliveryPage, ...problemResponses(404) }
    }
  }, async (request) => await webhooks.deliveries(request.params.id, request.query))

  fastify.post('/:id/deliveries/:deliveryId/retry', {
    config: { access: 'admin' },
    schema: {
      tags,
      operationId: 'retryWebhookDelivery',
      summary: 'Send a delivery again',
      description: 'Queues the delivery again with its attempts reset, whatever its state (a failed one, or a succeeded one your receiver lost: it keeps its `webhook-id`, so receivers can drop duplicates). It is sent in its place in the webhook\'s order, as soon as the webhook is active.',
      params: WebhookDeliveryParams,
      response: { 202: documented(WebhookDelivery, 'Queued'), ...problemResponses(404) }
    }
  }, async (request, reply) => {
    const delivery = await webhooks.retry(request.params.id, request.params.deliveryId)
    fastify.webhookDelivery()?.wake()
    return await reply.code(202).send(delivery)
  })
}

export default webhookRoutes
