// The demo article: an original story written for this project, shaped like a
// wire story (headline, dek, dateline, a dozen paragraphs, ad slots, two related
// links between paragraphs, a credited lead photo and a two-person wire byline).
// Places, people and the agency are invented.
import { serverContext } from '../services/write-path.ts'
import { AppError } from '../errors.ts'
import type { Services } from '../plugins/app/services.ts'
import type { ArticleCreate, BlockInput } from '../schemas/article.ts'

export const demoArticleSlug = 'ferry-service-to-halvard-islands-resumes-as-strike-ends'

const wireService = 'Continental Press'

const authors = [
  { slug: 'mara-lindqvist', name: 'Mara Lindqvist', title: 'Correspondent', organization: wireService, bio: 'Covers transport and labour from the northern bureau.' },
  { slug: 'tomas-okafor', name: 'Tomas Okafor', title: 'Staff Writer', organization: wireService, bio: 'Writes about the islands and the coast.' }
]

const leadImage = {
  url: 'https://images.example.org/demo/2026/11/port-elsing-ferry-dawn.jpg',
  alt: 'Passengers wheeling bicycles up the ramp of a white ferry at a harbour at dawn',
  caption: 'Passengers board the first ferry to the Halvard Islands in three weeks at Port Elsing harbour on Tuesday, Nov. 24, 2026.',
  width: 2400,
  height: 1600,
  credit: { photographer: 'Ines Varga', agency: wireService, copyright: '© 2026 Continental Press', license: 'Editorial use only' }
}

const relatedStories: Array<ArticleCreate & { slug: string }> = [
  {
    slug: 'halvard-shopkeepers-count-cost-of-ferry-strike',
    headline: 'Halvard shopkeepers count the cost of a three-week ferry strike',
    dek: 'Empty shelves, cancelled deliveries and a quiet harbour front on the islands.',
    section: 'Business',
    tags: ['Halvard Islands', 'Ferries'],
    dateline: 'KESTRA, Halvard Islands',
    status: 'published',
    body: [
      { type: 'paragraph', text: 'By the second week of the strike, the only bakery in Kestra was baking with flour borrowed from a neighbour’s cellar.' },
      { type: 'paragraph', text: 'Shop owners on the islands say the stoppage cost them the last busy weeks before winter — and that they want a say in the next contract talks.' }
    ]
  },
  {
    slug: 'norland-orders-review-of-ferry-fleet-maintenance',
    headline: 'Norland orders a review of ferry fleet maintenance',
    dek: 'The ports agency will inspect six vessels after crews raised safety complaints during the strike.',
    section: 'Regional',
    tags: ['Ferries', 'Port Elsing'],
    dateline: 'PORT ELSING, Norland',
    status: 'published',
    body: [
      { type: 'paragraph', text: 'Norland’s ports agency said on Monday it would send inspectors aboard all six vessels of the Halvard route before the end of the year.' },
      { type: 'paragraph', text: 'Crew representatives had listed worn mooring lines and an unreliable backup generator among their complaints.' }
    ]
  }
]

const paragraphs = [
  'Ferries to the Halvard Islands sailed again on Tuesday for the first time in three weeks, after crews and the state operator agreed a pay deal in talks that ran through the night.',
  'The 6:40 a.m. departure from Port Elsing left with its car deck full and a queue of foot passengers stretching back past the harbour office, many of them islanders who had been stranded on the mainland since the strike began.',
  '“I came over for a dentist appointment and stayed twenty-two days,” said Liv Aastrand, a retired teacher from Kestra, as she wheeled her bicycle up the ramp. “My cat has been fed by three different neighbours.”',
  'Under the agreement, deck and engine crews will receive a 6.5% raise backdated to July, a second increase of 3% next autumn, and a cap on consecutive shifts that union negotiators had called their main demand.',
  'Norland Ferries, which runs the route under a state contract, said the deal would add about 4 million crowns a year to its wage bill and that it would ask the transport ministry to cover part of the cost.',
  'The strike, the longest on the route in more than two decades, cut the islands’ 9,000 residents off from the mainland except for a twice-weekly supply boat chartered by the regional council and a small number of private crossings.',
  'Schools on the two largest islands stayed open, but the islands’ only secondary school moved its final-year exams after teachers who commute from the mainland were unable to reach it.',
  'Union spokesperson Erik Dalland said members had voted 212 to 31 to accept the offer. “Nobody enjoyed this,” he said. “But the crews on this route had not had a real raise in six years, and now they have one.”',
  'The operator’s chief executive, Hanna Mørk, told reporters at the harbour that the company regretted the disruption and would refund season tickets for the weeks without service.',
  'Transport minister Jonas Vik welcomed the agreement but said the government would review how the route is contracted, and whether islanders should have a formal voice in future negotiations.',
  'Full timetables are expected to return by Thursday, once vessels that were laid up during the strike have passed routine safety checks.',
  'For Aastrand, the first job at home was simpler. “I’m going to thank my neighbours,” she said, “and then I’m going to buy a lot of cat food.”'
]

function demoBody (relatedIds: string[]): BlockInput[] {
  const body: BlockInput[] = []
  paragraphs.forEach((text, index) => {
    body.push({ type: 'paragraph', text })
    const after = index + 1
    if (after === 3 || after === 6 || after === 9 || after === 11) body.push({ type: 'ad_slot', slot: `mid-${body.filter((block) => block.type === 'ad_slot').length + 1}` })
    if (after === 4 && relatedIds[0] !== undefined) body.push({ type: 'related_link', articleId: relatedIds[0], text: 'Related: Halvard shopkeepers count the cost of a three-week ferry strike' })
    if (after === 7 && relatedIds[1] !== undefined) body.push({ type: 'related_link', articleId: relatedIds[1], text: 'Read more: Norland orders a review of ferry fleet maintenance' })
  })
  return body
}

/** Ignores "slug taken": another instance seeding at the same moment got there first. */
async function unlessTaken<T> (write: () => Promise<T>): Promise<T | undefined> {
  try {
    return await write()
  } catch (error) {
    if (error instanceof AppError && error.code === 'SLUG_TAKEN') return undefined
    throw error
  }
}

async function articleIdBySlug (services: Services, slug: string): Promise<string | undefined> {
  try {
    return (await services.articles.getBySlug(slug)).id
  } catch (error) {
    if (error instanceof AppError && error.code === 'NOT_FOUND') return undefined
    throw error
  }
}

/** Loads the demo article (and what it refers to) unless it is there already. Returns whether it loaded it. */
export async function loadDemoContent (services: Services): Promise<boolean> {
  if (await articleIdBySlug(services, demoArticleSlug) !== undefined) return false

  const authorIds: string[] = []
  for (const author of authors) {
    const created = await unlessTaken(async () => await services.authors.create(author, serverContext))
    authorIds.push(created?.id ?? (await services.authors.getBySlug(author.slug)).id)
  }
  const bylines = authorIds.map((authorId) => ({ authorId, role: 'author' as const }))

  const relatedIds: string[] = []
  for (const story of relatedStories) {
    await unlessTaken(async () => await services.articles.create({ ...story, bylines: bylines.slice(0, 1) }, serverContext))
    const id = await articleIdBySlug(services, story.slug)
    if (id !== undefined) relatedIds.push(id)
  }

  const image = await services.images.create(leadImage, serverContext)
  const created = await unlessTaken(async () => await services.articles.create({
    slug: demoArticleSlug,
    headline: 'Ferry service to the Halvard Islands resumes as three-week strike ends with pay deal',
    seoTitle: 'Halvard ferries sail again as strike ends',
    dek: 'Crews accepted a two-step raise and a cap on back-to-back shifts; full timetables are due back by Thursday.',
    section: 'Regional',
    tags: ['Halvard Islands', 'Ferries', 'Labour', 'Port Elsing'],
    dateline: 'PORT ELSING, Norland',
    language: 'en',
    status: 'published',
    leadImageId: image.id,
    bylines,
    body: demoBody(relatedIds)
  }, serverContext))
  if (created === undefined) await services.images.remove(image.id, { force: false }, serverContext)
  return created !== undefined
}
