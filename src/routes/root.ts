import { z } from 'zod'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { apiInfo } from '../plugins/external/swagger.ts'

const ApiIndex = z.object({
  name: z.string(),
  version: z.string(),
  docs: z.string().meta({ description: 'Swagger UI: every route, with examples, usable from the browser' }),
  openapi: z.string().meta({ description: 'The OpenAPI 3.1 document, to generate clients from' }),
  health: z.string(),
  api: z.string().meta({ description: 'Where the resources are' })
}).meta({ id: 'ApiIndex', description: 'Where to start' })

/** `GET /`: someone who opens the server's address finds the way to the docs. */
const rootRoutes: FastifyPluginAsyncZod = async function (fastify) {
  fastify.get('/', {
    config: { access: 'public' },
    schema: {
      tags: ['System'],
      operationId: 'getApiIndex',
      summary: 'Where the docs are',
      description: 'Links to Swagger UI (`/docs`), the OpenAPI document and the health check.',
      response: { 200: ApiIndex }
    }
  }, async () => ({ name: apiInfo.title, version: apiInfo.version, docs: '/docs', openapi: '/openapi.json', health: '/health', api: '/v1' }))
}

export default rootRoutes
