import t from 'tap'
import { assertProblem, buildTestApp, call, createArticle, createImage } from '../../helper.ts'

const tick = async (): Promise<void> => await new Promise((resolve) => setTimeout(resolve, 5))

t.test('images CRUD', async (t) => {
  const app = await buildTestApp(t)

  const create = await app.inject({
    method: 'POST',
    url: '/v1/images',
    payload: {
      url: 'https://images.example.test/harbour-cranes-at-dusk.jpg',
      alt: 'Three container cranes silhouetted against an orange sky',
      caption: 'Cranes at the Osterwick container terminal stand idle during the dock strike.',
      width: 2400,
      height: 1600,
      credit: { photographer: 'Lio Marchetti', agency: 'Northern Picture Desk', copyright: '© Northern Picture Desk', license: 'Editorial use only' }
    }
  })
  t.equal(create.statusCode, 201, create.body)
  const image = create.json()
  t.equal(create.headers.location, `/v1/images/${image.id}`, 'Location names the new image')
  t.match(image, {
    url: 'https://images.example.test/harbour-cranes-at-dusk.jpg',
    alt: 'Three container cranes silhouetted against an orange sky',
    caption: 'Cranes at the Osterwick container terminal stand idle during the dock strike.',
    width: 2400,
    height: 1600,
    creditLine: 'Lio Marchetti / Northern Picture Desk'
  })
  t.same(image.credit, { photographer: 'Lio Marchetti', agency: 'Northern Picture Desk', copyright: '© Northern Picture Desk', license: 'Editorial use only' })
  t.type(image.id, 'string')
  t.match(image.createdAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
  t.match(image.updatedAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)

  const read = await call(app, 'GET', `/v1/images/${image.id}`)
  t.equal(read.status, 200)
  t.same(read.body, image, 'GET returns what POST returned')

  const patched = await call(app, 'PATCH', `/v1/images/${image.id}`, { caption: 'A corrected caption about the idle cranes.', credit: { agency: 'Harbour Pool' } })
  t.equal(patched.status, 200)
  t.equal(patched.body.caption, 'A corrected caption about the idle cranes.')
  t.same(patched.body.credit, { photographer: 'Lio Marchetti', agency: 'Harbour Pool', copyright: '© Northern Picture Desk', license: 'Editorial use only' },
    'a partial credit changes only the part it names')
  t.equal(patched.body.creditLine, 'Lio Marchetti / Harbour Pool')
  t.match(patched.body, { url: image.url, alt: image.alt, width: 2400, height: 1600 }, 'fields not sent are kept')
  t.same((await call(app, 'GET', `/v1/images/${image.id}`)).body, patched.body, 'the patch was stored')

  const cleared = await call(app, 'PATCH', `/v1/images/${image.id}`, { alt: null, width: null, credit: { photographer: null } })
  t.equal(cleared.status, 200)
  t.equal(cleared.body.alt, null, 'null clears a field')
  t.equal(cleared.body.width, null, 'null clears a number')
  t.equal(cleared.body.height, 1600, 'height kept')
  t.same(cleared.body.credit, { photographer: null, agency: 'Harbour Pool', copyright: '© Northern Picture Desk', license: 'Editorial use only' },
    'null clears one credit part, the others stay')
  t.equal(cleared.body.creditLine, 'Harbour Pool')

  const noCreditChange = await call(app, 'PATCH', `/v1/images/${image.id}`, { height: 1599 })
  t.same(noCreditChange.body.credit, cleared.body.credit, 'a patch without credit leaves the credit alone')

  const replaced = await call(app, 'PUT', `/v1/images/${image.id}`, {
    url: 'https://images.example.test/harbour-cranes-v2.jpg',
    caption: 'Cranes, again.',
    credit: { photographer: 'Ada Quill' }
  })
  t.equal(replaced.status, 200)
  t.equal(replaced.body.version, noCreditChange.body.version + 1, 'the version counts the edit')
  t.same({ ...replaced.body, version: undefined, createdAt: undefined, updatedAt: undefined }, {
    id: image.id,
    url: 'https://images.example.test/harbour-cranes-v2.jpg',
    alt: null,
    caption: 'Cranes, again.',
    width: null,
    height: null,
    credit: { photographer: 'Ada Quill', agency: null, copyright: null, license: null },
    creditLine: 'Ada Quill',
    version: undefined,
    createdAt: undefined,
    updatedAt: undefined
  }, 'PUT clears omitted fields and omitted credit parts')
  t.equal(replaced.body.createdAt, image.createdAt, 'createdAt is kept')

  const replacedNoCredit = await call(app, 'PUT', `/v1/images/${image.id}`, { url: 'https://images.example.test/harbour-cranes-v3.jpg' })
  t.equal(replacedNoCredit.status, 200)
  t.same(replacedNoCredit.body.credit, { photographer: null, agency: null, copyright: null, license: null }, 'PUT without credit clears the whole credit')
  t.equal(replacedNoCredit.body.creditLine, null)
  t.equal(replacedNoCredit.body.caption, null)

  const list = await call(app, 'GET', '/v1/images')
  t.equal(list.status, 200)
  t.same(list.body.data.map((i: { id: string }) => i.id), [image.id])
  t.equal(list.body.nextCursor, null)

  const deleted = await app.inject({ method: 'DELETE', url: `/v1/images/${image.id}` })
  t.equal(deleted.statusCode, 204)
  t.equal(deleted.body, '')
  assertProblem(t, await app.inject({ method: 'GET', url: `/v1/images/${image.id}` }), 404, 'NOT_FOUND')
  assertProblem(t, await app.inject({ method: 'DELETE', url: `/v1/images/${image.id}` }), 404, 'NOT_FOUND', [])
  t.equal((await call(app, 'GET', '/v1/images')).body.data.length, 0, 'the list is empty again')
})

t.test('creditLine joins photographer and agency, or shows whichever exists', async (t) => {
  const app = await buildTestApp(t)
  const both = await createImage(app, { credit: { photographer: 'Noor Haddad', agency: 'Eastgate Images' } })
  t.equal(both.creditLine, 'Noor Haddad / Eastgate Images')

  const photographerOnly = await createImage(app, { credit: { photographer: 'Noor Haddad', copyright: 'Noor Haddad 2026' } })
  t.equal(photographerOnly.creditLine, 'Noor Haddad')

  const agencyOnly = await createImage(app, { credit: { agency: 'Eastgate Images', license: 'CC BY 4.0' } })
  t.equal(agencyOnly.creditLine, 'Eastgate Images')

  const neither = await createImage(app, { credit: { copyright: 'Someone', license: 'All rights reserved' } })
  t.equal(neither.creditLine, null, 'copyright and license are not part of the line')

  const noCredit = await createImage(app, { credit: undefined })
  t.equal(noCredit.creditLine, null)
  t.same(noCredit.credit, { photographer: null, agency: null, copyright: null, license: null })

  // The line follows edits.
  const dropPhotographer = await call(app, 'PATCH', `/v1/images/${both.id}`, { credit: { photographer: null } })
  t.equal(dropPhotographer.body.creditLine, 'Eastgate Images')
  const dropAgency = await call(app, 'PATCH', `/v1/images/${both.id}`, { credit: { agency: null, photographer: 'Ivo Rask' } })
  t.equal(dropAgency.body.creditLine, 'Ivo Rask')
  const dropAll = await call(app, 'PATCH', `/v1/images/${both.id}`, { credit: { photographer: null } })
  t.equal(dropAll.body.creditLine, null)
  t.equal((await call(app, 'GET', `/v1/images/${both.id}`)).body.creditLine, null, 'GET agrees')
})

t.test('image validation names each field', async (t) => {
  const app = await buildTestApp(t)
  const post = async (payload: object) => await app.inject({ method: 'POST', url: '/v1/images', payload })
  const good = { url: 'https://images.example.test/ok.jpg' }

  assertProblem(t, await post({ alt: 'no url' }), 400, 'VALIDATION_FAILED', ['body.url'])
  assertProblem(t, await post({ url: 'javascript:alert(1)' }), 400, 'VALIDATION_FAILED', ['body.url'])
  assertProblem(t, await post({ url: 'ftp://x' }), 400, 'VALIDATION_FAILED', ['body.url'])
  assertProblem(t, await post({ url: 'not a url at all' }), 400, 'VALIDATION_FAILED', ['body.url'])
  assertProblem(t, await post({ url: 42 }), 400, 'VALIDATION_FAILED', ['body.url'])

  for (const width of [0, -1, 1.5, 'wide']) {
    assertProblem(t, await post({ ...good, width }), 400, 'VALIDATION_FAILED', ['body.width'])
  }
  assertProblem(t, await post({ ...good, height: 0 }), 400, 'VALIDATION_FAILED', ['body.height'])
  assertProblem(t, await post({ ...good, height: 100_001 }), 400, 'VALIDATION_FAILED', ['body.height'])
  t.equal((await post({ ...good, width: 1, height: 100_000 })).statusCode, 201, 'the bounds themselves are allowed')
  assertProblem(t, await post({ ...good, credit: { photographer: 7 } }), 400, 'VALIDATION_FAILED', ['body.credit.photographer'])
  assertProblem(t, await post({ ...good, credit: { foo: 'bar' } }), 400, 'VALIDATION_FAILED', ['body.credit.foo'])
  assertProblem(t, await post({ ...good, foo: 'bar' }), 400, 'VALIDATION_FAILED', ['body.foo'])
  assertProblem(t, await post({ url: 'ftp://x', width: 'wide', credit: { photographer: 7 }, foo: 1 }), 400, 'VALIDATION_FAILED',
    ['body.url', 'body.width', 'body.credit.photographer', 'body.foo'])

  const image = await createImage(app)
  assertProblem(t, await app.inject({ method: 'PATCH', url: `/v1/images/${image.id}`, payload: { url: 'javascript:alert(1)' } }), 400, 'VALIDATION_FAILED', ['body.url'])
  assertProblem(t, await app.inject({ method: 'PATCH', url: `/v1/images/${image.id}`, payload: { width: -1 } }), 400, 'VALIDATION_FAILED', ['body.width'])
  assertProblem(t, await app.inject({ method: 'PATCH', url: `/v1/images/${image.id}`, payload: { url: null } }), 400, 'VALIDATION_FAILED', ['body.url'])
  assertProblem(t, await app.inject({ method: 'PATCH', url: `/v1/images/${image.id}`, payload: { credit: null } }), 400, 'VALIDATION_FAILED', ['body.credit'])
  assertProblem(t, await app.inject({ method: 'PATCH', url: `/v1/images/${image.id}`, payload: { credit: { foo: 'x' } } }), 400, 'VALIDATION_FAILED', ['body.credit.foo'])
  assertProblem(t, await app.inject({ method: 'PUT', url: `/v1/images/${image.id}`, payload: { alt: 'url is required on PUT' } }), 400, 'VALIDATION_FAILED', ['body.url'])
  t.same((await call(app, 'GET', `/v1/images/${image.id}`)).body, image, 'rejected writes changed nothing')
  t.equal((await call(app, 'GET', '/v1/images')).body.data.length, 2, 'rejected creates stored nothing (only the two valid images exist)')
})

t.test('unknown image ids are 404', async (t) => {
  const app = await buildTestApp(t)
  await createImage(app)
  assertProblem(t, await app.inject({ method: 'GET', url: '/v1/images/no-such-image' }), 404, 'NOT_FOUND')
  assertProblem(t, await app.inject({ method: 'PUT', url: '/v1/images/no-such-image', payload: { url: 'https://images.example.test/x.jpg' } }), 404, 'NOT_FOUND')
  assertProblem(t, await app.inject({ method: 'PATCH', url: '/v1/images/no-such-image', payload: { alt: 'x' } }), 404, 'NOT_FOUND')
  assertProblem(t, await app.inject({ method: 'DELETE', url: '/v1/images/no-such-image' }), 404, 'NOT_FOUND')
  assertProblem(t, await app.inject({ method: 'DELETE', url: '/v1/images/no-such-image?force=true' }), 404, 'NOT_FOUND')
  t.equal((await call(app, 'GET', '/v1/images')).body.data.length, 1, 'PUT to an unknown id does not create one')
})

t.test('an image in use is only deleted on request, and then leaves the articles', async (t) => {
  const app = await buildTestApp(t)
  const image = await createImage(app)
  const other = await createImage(app)

  const asLead = await createArticle(app, { slug: 'lead-image-user', leadImageId: image.id })
  const inBody = await createArticle(app, {
    slug: 'body-image-user',
    leadImageId: other.id,
    body: [
      { type: 'paragraph', text: 'The ferry left on time for the first time this winter.' },
      { type: 'image', imageId: image.id },
      { type: 'heading', text: 'Passengers return', level: 2 },
      { type: 'image', imageId: other.id },
      { type: 'paragraph', text: 'Ticket sales doubled within a week.' },
      { type: 'image', imageId: image.id },
      { type: 'quote', text: 'It feels like spring already.', attribution: 'A deckhand' }
    ]
  })
  const both = await createArticle(app, {
    slug: 'uses-it-twice',
    leadImageId: image.id,
    body: [{ type: 'image', imageId: image.id }, { type: 'paragraph', text: 'Only text remains.' }]
  })
  const bystander = await createArticle(app, { slug: 'bystander', leadImageId: other.id, body: [{ type: 'image', imageId: other.id }] })
  t.equal(asLead.leadImage.id, image.id, 'lead image embedded')

  const refused = await app.inject({ method: 'DELETE', url: `/v1/images/${image.id}` })
  assertProblem(t, refused, 409, 'RESOURCE_IN_USE')
  const byId = (a: { id: string }, b: { id: string }): number => a.id < b.id ? -1 : a.id > b.id ? 1 : 0
  t.same([...refused.json().usedBy].sort(byId), [
    { id: asLead.id, slug: 'lead-image-user', headline: asLead.headline },
    { id: inBody.id, slug: 'body-image-user', headline: inBody.headline },
    { id: both.id, slug: 'uses-it-twice', headline: both.headline }
  ].sort(byId), 'usedBy names each using article once, and not the bystander')
  t.equal((await call(app, 'GET', `/v1/images/${image.id}`)).status, 200, 'still there')

  const refusedExplicitly = await app.inject({ method: 'DELETE', url: `/v1/images/${image.id}?force=false` })
  assertProblem(t, refusedExplicitly, 409, 'RESOURCE_IN_USE')

  assertProblem(t, await app.inject({ method: 'DELETE', url: `/v1/images/${image.id}?force=nonsense` }), 400, 'VALIDATION_FAILED', ['query.force'])
  assertProblem(t, await app.inject({ method: 'DELETE', url: `/v1/images/${image.id}?force=1` }), 400, 'VALIDATION_FAILED', ['query.force'])
  t.equal((await call(app, 'GET', `/v1/images/${image.id}`)).status, 200, 'still there after the rejected deletes')
  const unchanged = (await call(app, 'GET', `/v1/articles/${inBody.id}`)).body
  t.equal(unchanged.body.length, 7, 'the body is untouched by the refused deletes')
  t.equal(unchanged.updatedAt, inBody.updatedAt, 'and the article was not touched')

  await tick()
  const forced = await app.inject({ method: 'DELETE', url: `/v1/images/${image.id}?force=true` })
  t.equal(forced.statusCode, 204, forced.body)
  t.equal(forced.body, '')
  assertProblem(t, await app.inject({ method: 'GET', url: `/v1/images/${image.id}` }), 404, 'NOT_FOUND')

  const leadAfter = (await call(app, 'GET', `/v1/articles/${asLead.id}`)).body
  t.equal(leadAfter.leadImageId, null, 'lead image id cleared')
  t.equal(leadAfter.leadImage, null, 'lead image cleared')
  t.ok(leadAfter.updatedAt > asLead.updatedAt, `the article counts as updated (${asLead.updatedAt} → ${leadAfter.updatedAt})`)

  const bodyAfter = (await call(app, 'GET', `/v1/articles/${inBody.id}`)).body
  const keptBlocks = inBody.body.filter((block: { type: string, imageId?: string }) => !(block.type === 'image' && block.imageId === image.id))
  t.equal(keptBlocks.length, 5)
  t.same(bodyAfter.body.map((block: { id: string }) => block.id), keptBlocks.map((block: { id: string }) => block.id), 'image blocks gone, the others in their order')
  t.same(bodyAfter.body.map((block: { type: string }) => block.type), ['paragraph', 'heading', 'image', 'paragraph', 'quote'])
  t.equal(bodyAfter.body[2].imageId, other.id, 'blocks of other images stay')
  t.equal(bodyAfter.leadImageId, other.id, 'another lead image stays')
  t.same(bodyAfter.body, keptBlocks, 'kept blocks are unchanged')
  t.ok(bodyAfter.updatedAt > inBody.updatedAt, 'the article counts as updated')

  const bothAfter = (await call(app, 'GET', `/v1/articles/${both.id}`)).body
  t.equal(bothAfter.leadImageId, null)
  t.same(bothAfter.body.map((block: { type: string, text?: string }) => [block.type, block.text]), [['paragraph', 'Only text remains.']])
  t.ok(bothAfter.updatedAt > both.updatedAt, 'the article counts as updated')

  const bystanderAfter = (await call(app, 'GET', `/v1/articles/${bystander.id}`)).body
  t.same(bystanderAfter, bystander, 'an article that did not use the image is untouched')

  // The body can be edited normally afterwards and the article stays readable in lists.
  const list = await call(app, 'GET', '/v1/articles')
  t.equal(list.status, 200)
  t.equal(list.body.data.length, 4)
})

t.test('an unused image is deleted without force; an image stops being in use once articles drop it', async (t) => {
  const app = await buildTestApp(t)
  const image = await createImage(app)
  const another = await createImage(app)
  const article = await createArticle(app, { leadImageId: another.id })
  t.equal((await app.inject({ method: 'DELETE', url: `/v1/images/${image.id}` })).statusCode, 204)
  t.equal((await app.inject({ method: 'DELETE', url: `/v1/images/${another.id}?force=true` })).statusCode, 204)
  t.equal((await call(app, 'GET', `/v1/articles/${article.id}`)).body.leadImageId, null)

  // Once an article stops using an image, the image can go without force.
  const third = await createImage(app)
  const user = await createArticle(app, { body: [{ type: 'image', imageId: third.id }] })
  assertProblem(t, await app.inject({ method: 'DELETE', url: `/v1/images/${third.id}` }), 409, 'RESOURCE_IN_USE')
  t.equal((await call(app, 'PATCH', `/v1/articles/${user.id}`, { body: [] })).status, 200)
  t.equal((await app.inject({ method: 'DELETE', url: `/v1/images/${third.id}` })).statusCode, 204)
})
