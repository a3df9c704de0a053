// An integrator's program, written only against what openapi-typescript generates
// from openapi/openapi.json and called through openapi-fetch: a wire desk files a
// story (author, credited photo, byline, body with an ad slot and related links) and
// reads it back as a front end would. test/generated-client.test.ts type-checks it
// strictly against freshly generated types, then runs it against the real app.
//
// 'newsroom-cms-openapi' names the generated types; the test's tsconfig maps it to
// the file it generates. The import is type-only, so nothing loads it at run time.
// Request and response types come from the paths through openapi-fetch's
// inference, never from component names, so renamed components do not break it.
import createClient from 'openapi-fetch'
import type { paths } from 'newsroom-cms-openapi'

export interface FiledStory {
  id: string
  slug: string
  headline: string
  /** "Name (role)" per byline, in order */
  bylines: string[]
  creditLine: string | null
  blockTypes: string[]
  /** Each related link of the body: the linked article's slug, or the external URL */
  relatedLinks: Array<{ text: string, articleSlug: string | null, url: string | null }>
  /** The `code` of the problem answered for an id that does not exist */
  notFoundCode: string
}

interface Problem { status: number, code: string, detail: string }

function failed (step: string, problem: Problem | undefined): Error {
  return new Error(problem === undefined
    ? `${step}: no data and no problem in the response`
    : `${step}: ${problem.status} ${problem.code}: ${problem.detail}`)
}

function expect (condition: boolean, what: string): void {
  if (!condition) throw new Error(`unexpected: ${what}`)
}

export async function run (baseUrl: string, apiKey: string): Promise<FiledStory> {
  const client = createClient<paths, 'application/json' | 'application/problem+json'>({ baseUrl, headers: { authorization: `Bearer ${apiKey}` } })

  const { data: author, error: authorProblem } = await client.POST('/v1/authors', {
    body: { name: 'Ines Varga', title: 'Islands correspondent', organization: 'Continental Press' }
  })
  if (author === undefined) throw failed('create the author', authorProblem)

  const { data: image, error: imageProblem } = await client.POST('/v1/images', {
    body: {
      url: 'https://images.example.test/halvard-ferry.jpg',
      alt: 'A ferry leaving the harbour at dawn',
      caption: 'The first ferry after the strike leaves Halvard harbour.',
      width: 1600,
      height: 900,
      credit: { photographer: 'Ines Varga', agency: 'Continental Press' }
    }
  })
  if (image === undefined) throw failed('create the image', imageProblem)

  const { data: earlier, error: earlierProblem } = await client.POST('/v1/articles', {
    body: {
      headline: 'Shopkeepers on the Halvard Islands count the cost of the ferry strike',
      status: 'published',
      body: [{ type: 'paragraph', text: 'Shelves emptied within a week.' }]
    }
  })
  if (earlier === undefined) throw failed('create the earlier article', earlierProblem)

  const timetable = 'https://harbour.example.test/timetable'
  const { data: created, error: createProblem } = await client.POST('/v1/articles', {
    body: {
      headline: 'Ferry service to the Halvard Islands resumes as strike ends',
      dek: 'The first boat in three weeks left at dawn.',
      section: 'Regional',
      tags: ['Transport', 'Halvard Islands'],
      dateline: 'HALVARD, Norland',
      status: 'published',
      leadImageId: image.id,
      bylines: [{ authorId: author.id, role: 'author' }],
      body: [
        { type: 'paragraph', text: 'The first ferry left at 6:40 a.m.' },
        { type: 'ad_slot', slot: 'mid-1' },
        { type: 'related_link', articleId: earlier.id, text: 'Related: shopkeepers count the cost' },
        { type: 'paragraph', text: 'Crews agreed to the deal late on Sunday.' },
        { type: 'related_link', url: timetable, text: 'The new timetable' }
      ]
    }
  })
  if (created === undefined) throw failed('create the article', createProblem)

  const { data: byId, error: byIdProblem } = await client.GET('/v1/articles/{id}', { params: { path: { id: created.id } } })
  if (byId === undefined) throw failed('read the article by id', byIdProblem)
  const { data: bySlug, error: bySlugProblem } = await client.GET('/v1/article-by-slug/{slug}', { params: { path: { slug: created.slug } } })
  if (bySlug === undefined) throw failed('read the article by slug', bySlugProblem)

  for (const [how, article] of Object.entries({ 'by id': byId, 'by slug': bySlug })) {
    expect(article.id === created.id, `the article read ${how} is the one created`)
    expect(article.headline === 'Ferry service to the Halvard Islands resumes as strike ends', `headline read ${how}: ${article.headline}`)
    expect(article.status === 'published', `status read ${how}: ${article.status}`)
    const byline = article.bylines[0]
    if (byline === undefined) throw new Error(`unexpected: no byline read ${how}`)
    expect(byline.author.name === 'Ines Varga' && byline.role === 'author', `byline read ${how}: ${byline.author.name} (${byline.role})`)
    if (article.leadImage === null) throw new Error(`unexpected: no lead image read ${how}`)
    expect(article.leadImage.id === image.id, `lead image read ${how}`)
    expect(article.leadImage.creditLine === 'Ines Varga / Continental Press', `credit line read ${how}: ${article.leadImage.creditLine}`)
  }

  const blockTypes: string[] = []
  const relatedLinks: FiledStory['relatedLinks'] = []
  for (const block of byId.body) {
    blockTypes.push(block.type)
    if (block.type !== 'related_link') continue
    relatedLinks.push({ text: block.text, articleSlug: block.article?.slug ?? null, url: block.url })
    if (block.articleId === null) {
      expect(block.url === timetable && block.article === null, `external related link: ${block.url}`)
    } else {
      if (block.article === null) throw new Error('unexpected: the related link to an article embeds no article')
      expect(block.article.id === earlier.id && block.article.slug === earlier.slug, `related link target: ${block.article.slug}`)
      expect(block.article.headline === earlier.headline, `related link headline: ${block.article.headline}`)
    }
  }
  expect(relatedLinks.length === 2, `${relatedLinks.length} related links`)

  const { error: missing, response: missingResponse } = await client.GET('/v1/articles/{id}', { params: { path: { id: 'no-such-article' } } })
  if (missing === undefined) throw new Error('unexpected: an article that does not exist was found')
  expect(missingResponse.status === 404, `status for a missing article: ${missingResponse.status}`)

  const bylines: string[] = []
  for (const byline of byId.bylines) bylines.push(`${byline.author.name} (${byline.role})`)

  return {
    id: byId.id,
    slug: byId.slug,
    headline: byId.headline,
    bylines,
    creditLine: byId.leadImage?.creditLine ?? null,
    blockTypes,
    relatedLinks,
    notFoundCode: missing.code
  }
}
