// A generated news archive for `npm run bench -- --articles N`: authors,
// credited images and N published stories written from word lists by a seeded
// generator (the same N gives the same archive), loaded through the API's own
// bulk import (`POST /v1/import?atomic=true`, a few thousand lines per request,
// each request one transaction), so every story has its stored public form,
// its search entry and its change rows as if editors had written it.
//
// Shape, chosen to resemble a regional paper's archive: ten sections; 400 tags
// of which a few are very common (a tag page thousands of stories deep) and most
// rare; 240 authors with one to three bylines per story; publication dates
// spread over the last eight years; one story in eight in Spanish; bodies of six
// to ten paragraphs; one story in four links to an earlier one.

import { seededRandom as generator } from '../test/support/seeded-random.ts'

const places = ['Aldern', 'Vesk', 'Port Elsing', 'Halvard', 'Norby', 'Kessel Ridge', 'Lindmark', 'Ostervik', 'Brennholm', 'Sarnow', 'Dalvik', 'Tarrow Bay']
const subjects = ['The harbour council', 'The regional rail authority', 'Fishing crews', 'The school board', 'Hospital managers', 'Farmers in the valley', 'The ports agency', 'A tenants\' association', 'The fire service', 'Shop owners', 'The water utility', 'Ferry operators', 'Local historians', 'The university', 'Wind farm planners', 'Teachers\' unions']
const verbs = ['approves', 'rejects', 'delays', 'reviews', 'defends', 'questions', 'funds', 'opens', 'closes', 'expands', 'postpones', 'celebrates']
const objects = ['a new breakwater', 'the night ferry timetable', 'a bridge repair', 'a second clinic', 'the market square plan', 'school bus routes', 'a flood barrier', 'the old cannery site', 'a cycle path along the coast', 'the winter road budget', 'a heat pump scheme', 'the library extension', 'a salmon hatchery', 'the airport runway lights']
const clauses = [
  'after months of debate in the town hall',
  'despite objections from residents on the north shore',
  'as costs rose faster than expected',
  'following a storm that flooded two streets',
  'in a vote that split the governing coalition',
  'with work due to start before the autumn',
  'after an inspection found cracks in the foundations',
  'while the state promised to share the cost'
]
const quotes = [
  'We have waited long enough, and the people here deserve an answer',
  'The figures do not add up, and we said so from the start',
  'It is a good day for the whole coast',
  'Nobody wants to close anything, but the budget is the budget',
  'We will keep the service running while the work goes on',
  'The winter showed us how little margin we have left'
]
const people = ['Signe Halvorsen', 'Jonas Berg', 'Petra Novak', 'Aksel Dahl', 'Mira Castell', 'Tomas Reiter', 'Ines Varga', 'Leif Moberg', 'Ana Solberg', 'Karl Weiss']
const roles = ['council chair', 'chief engineer', 'union spokesperson', 'harbour master', 'head teacher', 'project manager', 'local resident', 'opposition leader']
const sections = ['Regional', 'Politics', 'Business', 'Transport', 'Environment', 'Health', 'Education', 'Culture', 'Sport', 'Science']
const spanishSentences = [
  'El consejo del puerto aprobó el miércoles la reconstrucción del rompeolas norte antes del próximo invierno.',
  'Los pescadores celebraron la decisión, aunque temen perder sus amarres durante las obras.',
  'Las autoridades ferroviarias anunciaron que los trenes volverán a circular por el valle en primavera.',
  'Los vecinos del barrio antiguo pidieron más información sobre los costes del proyecto.',
  'La escuela abrirá sus puertas en septiembre con dos aulas nuevas y una biblioteca ampliada.',
  'Los agricultores del valle esperan que las lluvias de otoño salven la cosecha.',
  'El hospital regional contratará a doce enfermeras más antes de que termine el año.'
]
// A topic per story, in its headline and first paragraph: what readers search for
// ("funicular subsidy", "glacier survey"). 40 x 40 pairs of words found nowhere else in
// the text, so a topic is in ~1 story in 1,600 (a search for one: a few dozen matches).
const topicWords = ['funicular', 'glacier', 'quarry', 'lighthouse', 'orchard', 'tram', 'lido', 'sawmill', 'vineyard', 'reservoir', 'bakery', 'shipyard', 'observatory', 'cathedral', 'brewery', 'tunnel', 'canal', 'marina', 'hospice', 'creamery', 'foundry', 'lagoon', 'meadow', 'ropeworks', 'smokehouse', 'ironworks', 'ferryman', 'granary', 'kiln', 'watermill', 'icehouse', 'tollbridge', 'boatyard', 'seawall', 'abbey', 'dairy', 'pier', 'fishmarket', 'railyard', 'windmill']
const topicKinds = ['subsidy', 'survey', 'strike', 'inquiry', 'festival', 'closure', 'rescue', 'auction', 'lawsuit', 'expansion', 'restoration', 'tender', 'blockade', 'petition', 'merger', 'audit', 'ceremony', 'evacuation', 'renovation', 'referendum', 'dispute', 'census', 'lottery', 'flooding', 'quarantine', 'sale', 'overhaul', 'ban', 'grant', 'moratorium', 'stocktake', 'report', 'deal', 'loan', 'probe', 'upgrade', 'reopening', 'shutdown', 'review', 'fund']
const firstNames = ['Signe', 'Jonas', 'Petra', 'Aksel', 'Mira', 'Tomas', 'Ines', 'Leif', 'Ana', 'Karl', 'Greta', 'Oskar', 'Lena', 'Pavel', 'Rosa', 'Emil', 'Nadia', 'Viktor', 'Clara', 'Henrik']
const lastNames = ['Aalto', 'Berg', 'Novak', 'Dahl', 'Castell', 'Reiter', 'Varga', 'Moberg', 'Solberg', 'Weiss', 'Lund']
const organizations = ['The Example Times', 'The Example Times', 'The Example Times', 'Continental Press', 'Northern Wire']
const agencies = ['Continental Press', 'Northern Wire', 'The Example Times']
const tagWords = ['harbour', 'rail', 'schools', 'health', 'storms', 'housing', 'energy', 'fishing', 'farming', 'budget', 'elections', 'culture', 'football', 'sailing', 'research', 'tourism', 'roads', 'water', 'forests', 'climate']

/** 400 tags: 20 topic words, and 380 "word place" pairs. */
export const archiveTags: string[] = [...tagWords, ...tagWords.flatMap((word) => places.map((place) => `${word} ${place}`))].slice(0, 400)

export interface ArchiveFacts {
  /** The most common tag (thousands of stories) and the section most stories with it are in. */
  commonTag: string
  commonSection: string
  /** An author with many bylines. */
  busyAuthorId: string
  /** What readers type into a search box: a story's topic (two words, or a phrase), each matching a few dozen stories. */
  searchQueries: string[]
  /** Broad ones: a word or prefix in thousands of stories (reported apart: their cost grows with the matches). */
  broadQueries: string[]
  /** Every archive story was published before this instant (ISO 8601); the stories the bench writes itself, after. */
  publishedBefore: string
}

function id (kind: string, n: number): string {
  // cuid-shaped enough for the API's id pattern: letters and digits
  return `bench${kind}${n.toString(36).padStart(8, '0')}`
}

export interface Archive {
  /** NDJSON bodies for POST /v1/import, authors and images first, each under `linesPerChunk` lines. */
  chunks: () => Generator<string>
  facts: ArchiveFacts
}

export function archive (articleCount: number, { seed = 1, linesPerChunk = 2000 }: { seed?: number, linesPerChunk?: number } = {}): Archive {
  const authorCount = 240
  const imageCount = 200
  const searchQueries = Array.from({ length: 20 }, (_, index) => {
    const topic = `${topicWords[(index * 7) % topicWords.length]!} ${topicKinds[(index * 11) % topicKinds.length]!}`
    return index % 4 === 3 ? `"${topic}"` : topic
  })
  const broadQueries = ['breakwater', 'harb*', 'cosecha lluvias', 'flood barrier']
  const start = Date.parse('2018-11-01T06:00:00Z')
  const span = Date.parse('2026-11-01T06:00:00Z') - start
  // (publication times are spread over the span, each up to an hour later)
  const facts: ArchiveFacts = { commonTag: archiveTags[0]!, commonSection: sections[0]!, busyAuthorId: id('a', 0), searchQueries, broadQueries, publishedBefore: new Date(start + span + 3_600_000).toISOString() }

  function * lines (): Generator<string> {
    const random = generator(seed)
    const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!
    // Zipf-like: index 0 most often, most indexes rarely
    const skewed = (size: number): number => Math.min(size - 1, Math.floor(size * random() ** 3))
    for (let n = 0; n < authorCount; n++) {
      const name = `${firstNames[n % firstNames.length]!} ${lastNames[Math.floor(n / firstNames.length) % lastNames.length]!}${n >= 220 ? ` ${n}` : ''}`
      yield JSON.stringify({ type: 'author', data: { id: id('a', n), slug: `bench-author-${n}`, name, title: 'Staff Writer', organization: organizations[n % organizations.length], bio: `Reports on ${pick(tagWords)} and ${pick(tagWords)} from ${pick(places)}.` } })
    }
    for (let n = 0; n < imageCount; n++) {
      const place = pick(places)
      yield JSON.stringify({ type: 'image', data: { id: id('i', n), url: `https://images.example.org/archive/${n}.jpg`, alt: `A view of ${place} from the water`, caption: `${place}, photographed for the archive (${n}).`, width: 2400, height: 1600, credit: { photographer: `${pick(firstNames)} ${pick(lastNames)}`, agency: pick(agencies) } } })
    }
    for (let n = 0; n < articleCount; n++) {
      const spanish = random() < 0.125
      const place = pick(places)
      const subject = pick(subjects)
      const verb = pick(verbs)
      const object = pick(objects)
      const topic = `${pick(topicWords)} ${pick(topicKinds)}`
      const headline = spanish
        ? `${pick(['Aprobado', 'Aplazado', 'Revisado'])} el plan de ${pick(['puertos', 'escuelas', 'trenes', 'hospitales'])} en ${place} (${n})`
        : `${place} ${topic}: ${subject.toLowerCase()} ${verb} ${object} (${n})`
      const paragraphCount = 6 + Math.floor(random() * 5)
      const body: Array<Record<string, unknown>> = []
      for (let p = 0; p < paragraphCount; p++) {
        const text = spanish
          ? `${pick(spanishSentences)} ${pick(spanishSentences)}`
          : p % 3 === 2
            ? `“${pick(quotes)},” said ${pick(people)}, the ${pick(roles)}, speaking in ${place}.`
            : `${pick(subjects)} ${pick(verbs)} ${pick(objects)} ${pick(clauses)}. ${pick(subjects)} said the decision on ${pick(objects)} would be taken ${pick(clauses)}.`
        body.push({ type: 'paragraph', text: p === 0 && !spanish ? `The ${topic} in ${place} has divided opinion. ${text}` : text })
        if (p === 2) body.push({ type: 'ad_slot', slot: 'mid-1' })
      }
      if (n > 0 && random() < 0.25) body.splice(4, 0, { type: 'related_link', articleId: id('s', Math.floor(random() * n)), text: 'Earlier: how it began' })
      const tags = [...new Set([archiveTags[skewed(archiveTags.length)]!, archiveTags[skewed(archiveTags.length)]!, pick(archiveTags)])]
      const bylineCount = 1 + Math.floor(random() * 3)
      const authors = [...new Set(Array.from({ length: bylineCount }, () => id('a', skewed(authorCount))))]
      const publishedAt = new Date(start + Math.floor(span * n / articleCount) + Math.floor(random() * 3_600_000)).toISOString()
      yield JSON.stringify({
        type: 'article',
        data: {
          id: id('s', n),
          slug: `archive-${n}`,
          headline,
          dek: spanish ? 'Un resumen breve de la noticia para la portada.' : `${subject} ${verb} ${object} ${pick(clauses)}.`,
          section: tags.includes(facts.commonTag) && random() < 0.5 ? facts.commonSection : pick(sections),
          tags,
          dateline: `${place.toUpperCase()}, Norland`,
          language: spanish ? 'es' : 'en',
          status: 'published',
          publishedAt,
          createdAt: publishedAt,
          updatedAt: publishedAt,
          leadImageId: id('i', Math.floor(random() * imageCount)),
          bylines: authors.map((authorId) => ({ authorId, role: 'author' })),
          body
        }
      })
    }
  }

  return {
    facts,
    * chunks () {
      let chunk: string[] = []
      for (const line of lines()) {
        chunk.push(line)
        if (chunk.length >= linesPerChunk) {
          yield `${chunk.join('\n')}\n`
          chunk = []
        }
      }
      if (chunk.length > 0) yield `${chunk.join('\n')}\n`
    }
  }
}
