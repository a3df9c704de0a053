// OpenAPI 3.1 from the Zod schemas (one source of truth), served at
// /openapi.json, with Swagger UI at /docs.
// @see https://github.com/fastify/fastify-swagger#dynamic
import fp from 'fastify-plugin'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod'
import { annotateOperation, finishDocument } from '../../openapi-document.ts'

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

// In the order of an editing day: the story, who wrote it, what it links to,
// the people and pictures it uses; then the administration.
export const apiTags = [
  { name: 'Articles', description: 'The stories themselves: headline, dek, dateline, section, tags, status, lead image and the body of paragraphs, headings, quotes, images and advertisement slots. Save a draft, publish it, correct it, and find it again by id or by slug; move it to the trash and take it back out.' },
  { name: 'Bylines', description: 'Who gets the credit on a story, in the order readers see it: each author with a role (author, contributor, photographer, editor, contributed reporting). The whole byline is replaced at once.' },
  { name: 'Related links', description: 'Links to other stories placed between the paragraphs of a body ("Read more: …"). Add, move or remove one without resending the body, and see which stories link to a given one before you change or delete it.' },
  { name: 'Revisions', description: 'An article\'s history: every change to its content is a revision (who, when, the full content), stored in the change\'s own transaction. See any two side by side, field by field and block by block, and put an earlier one back.' },
  { name: 'Authors', description: 'The people who appear in bylines, with their organisation (a wire service, a partner paper). An author still named in a byline is not deleted unless you ask for it.' },
  { name: 'Images', description: 'Pictures with their caption, alt text and credit ("Photographer / Agency"). Staff keys only: an image uploaded for an unpublished story could give it away. Readers see images inside published articles.' },
  { name: 'Feeds', description: 'Published stories as RSS 2.0 and Atom 1.0, for feed readers, aggregators and partner sites: latest first, by section, tag or author.' },
  { name: 'Search', description: 'Find stories by the words in their headline, dek and body, best match first, with the matched words highlighted: words, "phrases", prefix* and -exclusions, filtered like the article list. The public finds published stories only.' },
  { name: 'Import and export', description: 'Stories from other newsrooms\' systems: a ninjs 3.1 document becomes a story here, or updates the one it became before. And the whole content at once, as NDJSON: export every story, author and image; import such a file into this or another server (a migration, a backup restored, a staging copy).' },
  { name: 'API keys', description: 'The keys that apps and colleagues use, each with a role: reader, editor, integrator or admin. A key\'s secret is shown once, when it is created; revoke a key that is lost. Admin keys only.' },
  { name: 'Audit', description: 'Who changed what, and when: every create, change, delete and revocation, with the key that made it. Admin keys only.' },
  { name: 'Sync', description: 'For integrators: everything once, then only what changed (tombstones for what is gone), read from the change log in commit order.' },
  { name: 'Webhooks', description: 'Get told when published content changes: each event (article.published, article.updated, …) is POSTed to your URL, signed per Standard Webhooks, retried with back-off until your receiver answers 2xx, in commit order per webhook. Every delivery and its attempts can be listed and retried. Admin keys only.' },
  { name: 'System', description: 'Whether the server and its database are up, for monitoring and load balancers.' }
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
    transform: (input) => annotateOperation(jsonSchemaTransform(input), input.route),
    transformObject: (input) => finishDocument(jsonSchemaTransformObject(input), { tags: apiTags })
  })

  await fastify.register(swaggerUi, {
    routePrefix: '/docs',
    uiConfig: { docExpansion: 'list', deepLinking: true, tryItOutEnabled: true, persistAuthorization: true }
  })

  fastify.get('/openapi.json', {
    schema: { tags: ['System'], operationId: 'getOpenApi', summary: 'This API\'s OpenAPI 3.1 document', hide: true }
  }, async () => fastify.swagger())
}, { name: 'openapi' })
