// Unit tests of slug derivation: slugify (text → lowercase-kebab) and
// deriveFreeSlug (the first of base, base-2, base-3… that is not taken).
import t from 'tap'
import { deriveFreeSlug, slugify } from '../../src/services/slug.ts'

const slugShape = /^[a-z0-9]+(?:-[a-z0-9]+)*$/ // the Slug schema's pattern (src/schemas/common.ts)

t.test('slugify lowercases and joins words with single dashes', async (t) => {
  t.equal(slugify('Valley Rail Line Reopens'), 'valley-rail-line-reopens')
  t.equal(slugify('  Leading and trailing  '), 'leading-and-trailing')
  t.equal(slugify('Many     spaces\tand\nnewlines'), 'many-spaces-and-newlines')
  t.equal(slugify('--Already-kebab--case--'), 'already-kebab-case')
  t.equal(slugify('COVID-19 cases fall 12% in 2026'), 'covid-19-cases-fall-12-in-2026')
  t.equal(slugify(''), '')
})

t.test('slugify drops accents', async (t) => {
  t.equal(slugify('Zoë Ångström-Nakamura'), 'zoe-angstrom-nakamura')
  t.equal(slugify('Crème brûlée à São Paulo'), 'creme-brulee-a-sao-paulo')
  t.equal(slugify('Ärzte für Öl'), 'arzte-fur-ol')
  t.equal(slugify('naïve café'), 'naive-cafe')
  t.equal(slugify('Dvořák in Kraków'), 'dvorak-in-krakow')
  t.equal(slugify('ÉCOLE'), 'ecole', 'capital accented letters too')
  t.equal(slugify('Cafe\u0301'), 'cafe', 'combining accents already split off')
  t.equal(slugify('ﬁnance in Ｔｏｋｙｏ'), 'finance-in-tokyo', 'ligatures and full-width letters are folded')
})

t.test('slugify keeps Latin letters that have no accent to drop (ø, ß, æ, ł, đ, œ)', async (t) => {
  // NFKD does not decompose these, so they must be transliterated rather than
  // treated as punctuation ("Mørk" is not "m-rk"); the demo article quotes a Hanna Mørk.
  t.equal(slugify('Hanna Mørk'), 'hanna-mork')
  t.equal(slugify('Straße'), 'strasse')
  t.equal(slugify('Æsir'), 'aesir')
  t.equal(slugify('Łódź'), 'lodz')
  t.equal(slugify('Đorđe'), 'dorde')
  t.equal(slugify('Œuvre'), 'oeuvre')
})

t.test('slugify removes apostrophes and quotes instead of splitting the word', async (t) => {
  t.equal(slugify("The world's longest bridge"), 'the-worlds-longest-bridge')
  t.equal(slugify('The world’s longest bridge'), 'the-worlds-longest-bridge', 'typographic apostrophe')
  t.equal(slugify("Don't panic"), 'dont-panic')
  t.equal(slugify('"Quoted" headline'), 'quoted-headline')
  t.equal(slugify('O’Brien and D\'Arcy'), 'obrien-and-darcy')
})

t.test('slugify turns punctuation into a single dash', async (t) => {
  t.equal(slugify('Breaking: markets fall!'), 'breaking-markets-fall')
  t.equal(slugify('Q&A — what next?'), 'q-a-what-next')
  t.equal(slugify('C++ & C#'), 'c-c')
  t.equal(slugify('rock/paper/scissors'), 'rock-paper-scissors')
  t.equal(slugify('a.b,c;d(e)f[g]h'), 'a-b-c-d-e-f-g-h')
  t.equal(slugify('!!!'), '', 'nothing but punctuation is empty')
})

t.test('slugify cuts long text at a word boundary, at most 80 characters', async (t) => {
  const headline = 'Ferry service to the Halvard Islands resumes as three-week strike ends with a pay deal agreed overnight by crews and the state operator'
  const slug = slugify(headline)
  t.ok(slug.length <= 80, `at most 80 characters (${slug.length})`)
  t.ok(slug.length > 60, 'but not much shorter')
  t.match(slug, slugShape, 'a valid slug, with no trailing dash')
  const full = 'ferry-service-to-the-halvard-islands-resumes-as-three-week-strike-ends-with-a-pay-deal-agreed-overnight-by-crews-and-the-state-operator'
  t.ok(full.startsWith(slug), `a prefix of the uncut slug (${slug})`)
  t.equal(full.charAt(slug.length), '-', 'the cut falls between two words')

  // Exactly 80 characters is not cut.
  const eighty = `${'a'.repeat(39)} ${'b'.repeat(40)}`
  t.equal(slugify(eighty), `${'a'.repeat(39)}-${'b'.repeat(40)}`)
  t.equal(slugify(eighty).length, 80)

  // One long word with no boundary in reach is cut hard, without a trailing dash.
  t.equal(slugify('x'.repeat(200)), 'x'.repeat(80))
  t.equal(slugify(`${'y'.repeat(30)} ${'z'.repeat(100)}`), `${'y'.repeat(30)}-${'z'.repeat(49)}`, 'no boundary past half the length: hard cut')
  t.equal(slugify(`${'y'.repeat(79)} ${'z'.repeat(100)}`), 'y'.repeat(79), 'a cut just after a dash leaves no dash behind')
})

t.test('slugify keeps a last word that ends exactly at the 80-character limit', async (t) => {
  // 50 + 1 + 29 = 80 characters of whole words, then more: nothing needs to be dropped.
  const text = `${'a'.repeat(50)} ${'b'.repeat(29)} ${'c'.repeat(10)}`
  t.equal(slugify(text), `${'a'.repeat(50)}-${'b'.repeat(29)}`)
})

t.test('slugify gives an empty string for text without Latin letters or digits', async (t) => {
  t.equal(slugify('김민지'), '')
  t.equal(slugify('北京'), '')
  t.equal(slugify('Москва'), '')
  t.equal(slugify('Αθήνα'), '')
  t.equal(slugify('مرحبا'), '')
  t.equal(slugify('🙂🙂'), '')
  t.equal(slugify('Москва 2026'), '2026', 'digits survive')
  t.equal(slugify('Tokyo 東京'), 'tokyo', 'Latin parts survive')
})

t.test('slugify always yields a valid slug or nothing, and is idempotent', async (t) => {
  const samples = ['Zoë', "it's", '  ', '-', 'a--b', 'ÀÉÎÕÜ', 'x'.repeat(300), '1/2', 'Tab\tbed', 'Hello, World! 2026', 'a'.repeat(41) + ' b ' + 'c'.repeat(60)]
  for (const sample of samples) {
    const slug = slugify(sample)
    t.ok(slug === '' || slugShape.test(slug), `${JSON.stringify(sample.slice(0, 30))} → ${JSON.stringify(slug.slice(0, 30))} is a valid slug`)
    t.ok(slug.length <= 80)
    t.equal(slugify(slug), slug, 'slugifying a slug changes nothing')
  }
})

/** A takenWithPrefix over a fixed set, recording the prefixes it was asked for. */
function takenFrom (slugs: string[]): { lookup: (prefix: string) => Promise<string[]>, asked: string[] } {
  const asked: string[] = []
  return {
    asked,
    lookup: async (prefix) => {
      asked.push(prefix)
      return slugs.filter((slug) => slug.startsWith(prefix))
    }
  }
}

t.test('deriveFreeSlug returns the slugified text when it is free', async (t) => {
  const taken = takenFrom(['other-story', 'sam-leeds'])
  t.equal(await deriveFreeSlug('Sam Lee', 'author', taken.lookup), 'sam-lee')
  t.same(taken.asked, ['sam-lee'], 'asks once, for the base slug')
})

t.test('deriveFreeSlug appends -2, -3… when taken', async (t) => {
  t.equal(await deriveFreeSlug('Sam Lee', 'author', takenFrom(['sam-lee']).lookup), 'sam-lee-2')
  t.equal(await deriveFreeSlug('Sam Lee', 'author', takenFrom(['sam-lee', 'sam-lee-2']).lookup), 'sam-lee-3')
  t.equal(await deriveFreeSlug('Sam Lee', 'author', takenFrom(['sam-lee', 'sam-lee-2', 'sam-lee-3', 'sam-lee-4']).lookup), 'sam-lee-5')
  t.equal(await deriveFreeSlug('Sam Lee', 'author', takenFrom(['sam-lee', 'sam-lee-3']).lookup), 'sam-lee-2', 'the first free suffix')
  t.equal(await deriveFreeSlug('Sam Lee', 'author', takenFrom(['sam-lee', 'sam-lee-2', 'sam-leeds', 'sam-lee-2-3']).lookup), 'sam-lee-3',
    'other slugs sharing the prefix do not matter')
  t.equal(await deriveFreeSlug('Sam Lee', 'author', takenFrom(['sam-lee-2']).lookup), 'sam-lee', 'a free base wins over suffixes')
  const many = ['budget', ...Array.from({ length: 48 }, (_, i) => `budget-${i + 2}`)]
  t.equal(await deriveFreeSlug('Budget!', 'article', takenFrom(many).lookup), 'budget-50')
})

t.test('deriveFreeSlug falls back when the text gives no slug', async (t) => {
  const taken = takenFrom([])
  t.equal(await deriveFreeSlug('김민지', 'author', taken.lookup), 'author')
  t.same(taken.asked, ['author'], 'looks up the fallback, not an empty prefix')
  t.equal(await deriveFreeSlug('北京', 'article', takenFrom(['article']).lookup), 'article-2')
  t.equal(await deriveFreeSlug('!!!', 'article', takenFrom(['article', 'article-2']).lookup), 'article-3')
  t.equal(await deriveFreeSlug('', 'article', takenFrom([]).lookup), 'article')
})

t.test('deriveFreeSlug passes lookup failures on', async (t) => {
  await t.rejects(deriveFreeSlug('Sam Lee', 'author', async () => { throw new Error('database is down') }), { message: 'database is down' })
})
