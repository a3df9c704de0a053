// The content the bench writes through the API: what a story save looks like in
// a newsroom (three bylines, a credited lead image, eight paragraphs, an ad slot
// and two related links to other published stories). Shared by the set-up in
// bench/run.ts and the writers in bench/load.ts.

export interface StoryRefs {
  /** Three authors. */
  authorIds: string[]
  /** A lead image. */
  imageId: string
  /** Two published stories the related links point at. */
  targetIds: string[]
}

const paragraphs = [
  'The harbour council voted on Wednesday to rebuild the north breakwater before next winter, after storms in February pushed seawater into two streets of the old town and closed the fish market for a week.',
  'The plan, estimated at 38 million crowns, raises the wall by a metre and a half along its whole length and adds a second gate at the mouth of the inner basin that can be closed when a storm surge is forecast.',
  '“We were lucky this year,” said council chair Signe Halvorsen. “The next time the water comes over, it may come over at night, and there may be people on the quay.”',
  'Fishing crews, who had asked for the work since the last big storm in 2019, welcomed the vote but said the construction schedule would cost them berths during the autumn herring season.',
  'The council said it would move part of the fleet to the ferry basin while the work is under way and waive harbour fees for boats that have to berth outside the town.',
  'Engineers from the regional ports agency will start test drilling along the wall next month; the main works are due to begin in April and to end before the first autumn storms.',
  'The opposition voted against, saying the cost should be shared with the state, which owns the ferry terminal that the breakwater also protects.',
  'A public meeting on the construction plans is scheduled for the town hall on the first Monday of next month.'
]

/** The create body of one published story. */
export function storyBody (refs: StoryRefs, slug: string): Record<string, unknown> {
  const body: Array<Record<string, unknown>> = []
  paragraphs.forEach((text, index) => {
    body.push({ type: 'paragraph', text })
    if (index === 2) body.push({ type: 'ad_slot', slot: 'mid-1' })
    if (index === 3) body.push({ type: 'related_link', articleId: refs.targetIds[0], text: 'Related: Fishing crews count the cost of a stormy winter' })
    if (index === 5) body.push({ type: 'related_link', articleId: refs.targetIds[1], text: 'Read more: The ports agency orders a review of sea defences' })
  })
  return {
    slug,
    headline: `Harbour council votes to rebuild the north breakwater before winter (${slug})`,
    seoTitle: 'Harbour council votes to rebuild the north breakwater',
    dek: 'The 38-million-crown plan raises the wall and adds a storm gate; fishing crews will lose berths during the works.',
    section: 'Regional',
    tags: ['Harbour', 'Storms', 'Town council'],
    dateline: 'PORT ELSING, Norland',
    language: 'en',
    status: 'published',
    leadImageId: refs.imageId,
    bylines: [
      { authorId: refs.authorIds[0], role: 'author' },
      { authorId: refs.authorIds[1], role: 'author' },
      { authorId: refs.authorIds[2], role: 'reporting' }
    ],
    body
  }
}
