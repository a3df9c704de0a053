// What every route of the API answers besides its own results, added in one
// place as routes are declared, so that the document lists every status a
// route can send and no route can forget one:
// - 400 for any route that reads parameters, a query string or a body;
// - 413 and 415 for any route that can be sent a body (DELETE too: clients send one);
// - 500 everywhere (never for what a client sent; details stay in the logs);
// - 503 with Retry-After on the API's routes while the database is unreachable.
// It also gives routes without a query string an empty, strict one, so that a
// misspelt parameter (`?sectoin=world`) is a 400 naming it instead of being ignored.
import fp from 'fastify-plugin'
import { z } from 'zod'
import { problemResponses } from '../../schemas/common.ts'

const bodyMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

export const NoQuery = z.strictObject({})

export default fp(async function routeContract (fastify) {
  fastify.addHook('onRoute', (route) => {
    const schema = route.schema
    if (schema === undefined || schema.hide === true) return
    schema.querystring ??= NoQuery
    const methods = [route.method].flat()
    const statuses = [400, ...(methods.some((method) => bodyMethods.has(method)) ? [413, 415] : []), 500, ...(route.url.startsWith('/v1') ? [503] : [])]
    schema.response = { ...problemResponses(...statuses), ...(schema.response as object) }
  })
}, { name: 'route-contract' })
