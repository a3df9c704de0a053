// OpenAPI 3.1 from the Zod schemas (one source of truth), served at
// /openapi.json, with Swagger UI at /docs.
// @see https://github.com/fastify/fastify-swagger#dynamic
import fp from 'fastify-plugin'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod'

export const apiInfo = {
  title: 'Newsroom CMS API',
  version: '1.0.0',
  description: [
    'A headless CMS for news: store, edit, publish and syndicate articles.',
    '',
    'Articles carry bylines (authors with a role), a lead image with its credit, and a body of ordered blocks:',
    'paragraphs, headings, quotes, images, advertisement slots and related links to other stories.',
    '',
    'Reading published content needs no key. Writing needs an editor or admin API key: press **Authorize** and paste it',
    '(the server prints the first admin key once at its first start). Drafts are visible to editor, integrator and admin keys only.',
    '',
    'Errors are RFC 9457 `application/problem+json` with a stable `code`; validation errors name each field in `errors`.',
    'Lists return `{ data, nextCursor }`: pass `nextCursor` as `cursor` for the next page.'
  ].join('\n')
}

export const apiTags = [
  { name: 'Articles', description: 'News stories with their bylines, lead image and body' },
  { name: 'Bylines', description: 'The ordered byline of an article' },
  { name: 'Related links', description: 'Links to other stories embedded between paragraphs' },
  { name: 'Authors', description: 'People who appear in bylines, and their organisations' },
  { name: 'Images', description: 'Pictures with caption, alt text and photographer / agency credit' },
  { name: 'API keys', description: 'Bearer keys with a role (admin only)' },
  { name: 'Audit', description: 'Who changed what, and when (admin only)' },
  { name: 'System', description: 'Health and the API description' }
]

export default fp(async function openApi (fastify) {
  await fastify.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: apiInfo,
      tags: apiTags,
      components: {
        securitySchemes: {
          bearerAuth: { type: 'http', scheme: 'bearer', description: 'An API key: `Authorization: Bearer <key>`. Reading published content needs none.' }
        }
      }
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject
  })

  await fastify.register(swaggerUi, {
    routePrefix: '/docs',
    uiConfig: { docExpansion: 'list', deepLinking: true, tryItOutEnabled: true, persistAuthorization: true }
  })

  fastify.get('/openapi.json', {
    schema: { tags: ['System'], operationId: 'getOpenApi', summary: 'This API\'s OpenAPI 3.1 document', hide: true }
  }, async () => fastify.swagger())
}, { name: 'openapi' })
