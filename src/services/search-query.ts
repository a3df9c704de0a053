// What a reader types into a search box, parsed into terms, and the engines'
// query strings built from those terms alone: the typed text itself never
// reaches FTS5's MATCH or PostgreSQL's to_tsquery, whose own syntax (quotes,
// `*`, `:`, `&|!()`, NEAR, AND/OR/NOT, column filters) would otherwise turn a
// stray character into a syntax error or an operator the reader did not mean.
//
// The language, documented in the route (src/schemas/search.ts):
//   ferry harbour       every word must match (AND)
//   "night ferry"       a phrase: these words, in this order
//   harb*               words that begin so
//   -strike             leave out stories with this word (or -"a phrase")
// Everything else is a separator. A word with inner punctuation ("e-mail",
// "don't") is a phrase of its parts, as both engines index it.
import { validationFailed } from '../errors.ts'

export interface SearchTerm {
  /** The term's words (letters and digits), in order: more than one is a phrase. */
  words: string[]
  /** Matches words that begin with the last word. */
  prefix: boolean
  /** Leaves out the articles that match it. */
  exclude: boolean
}

export interface ParsedSearch {
  terms: SearchTerm[]
}

/** More than this many terms is refused (a pasted paragraph is not a search). */
export const maxTerms = 32
/** Longer words are refused: PostgreSQL refuses lexemes of over 2 kB, and no word is this long. */
export const maxWordLength = 100

const wordPattern = /[\p{L}\p{N}\p{M}]+/gu
// A token: a quoted phrase (its closing quote optional, a `*` after it), or a run of anything but spaces and quotes.
const tokenPattern = /(-?)(?:["“”„]([^"“”„]*)(?:["“”„](\*?)|$)|([^\s"“”„]+))/gu

function invalidQuery (message: string) {
  return validationFailed([{ path: 'query.q', message }], 'Invalid search')
}

/** Parses the `q` of a search; a query that has nothing to find is a 400 naming `query.q`. */
export function parseSearch (text: string): ParsedSearch {
  const terms: SearchTerm[] = []
  for (const match of text.matchAll(tokenPattern)) {
    const [, minus, phrase, starAfterPhrase, bare] = match
    const body = phrase ?? bare!
    const words = (body.match(wordPattern) ?? []).map((word) => word.toLowerCase())
    if (words.length === 0) continue // punctuation, emoji, a lone `*` or `-`
    const tooLong = words.find((word) => word.length > maxWordLength)
    if (tooLong !== undefined) throw invalidQuery(`words of at most ${maxWordLength} characters (one has ${tooLong.length})`)
    terms.push({
      words,
      // `harb*`: the `*` right after the word; a phrase's applies to its last word.
      prefix: phrase === undefined ? /[\p{L}\p{N}\p{M}]\*+$/u.test(body) : starAfterPhrase === '*' || /\*\s*$/.test(body),
      // `-word`: a minus before the token; in a word ("well-known") it is a separator.
      exclude: minus === '-'
    })
  }
  if (terms.length > maxTerms) throw invalidQuery(`at most ${maxTerms} words or phrases (this has ${terms.length})`)
  if (terms.length === 0) throw invalidQuery('has no word to search for: give at least one word of letters or digits')
  if (terms.every((term) => term.exclude)) throw invalidQuery('only leaves words out (-word): give at least one word to search for')
  return { terms }
}

/**
 * The FTS5 query: each term a quoted string (a phrase when it has several
 * words), `*` after it for a prefix, `NOT` before an excluded one. FTS5
 * tokenizes a quoted string as it tokenized the text, case and diacritics included.
 * @see https://www.sqlite.org/fts5.html#full_text_query_syntax
 */
export function toFts5Match ({ terms }: ParsedSearch): string {
  const quoted = (term: SearchTerm): string => `"${term.words.join(' ').replaceAll('"', '""')}"${term.prefix ? ' *' : ''}`
  const wanted = terms.filter((term) => !term.exclude).map(quoted).join(' AND ')
  const unwanted = terms.filter((term) => term.exclude).map((term) => ` NOT ${quoted(term)}`).join('')
  return `${wanted}${unwanted}`
}

/**
 * The tsquery text for `to_tsquery(config, …)`: each term a quoted value
 * (to_tsquery normalizes it with the configuration, stemming included, and
 * makes a phrase, `<->`, of several words), `:*` for a prefix, `!` to exclude,
 * all joined with `&`. Words are letters and digits only: nothing to escape.
 * @see https://www.postgresql.org/docs/current/datatype-textsearch.html#DATATYPE-TSQUERY
 */
export function toTsquery ({ terms }: ParsedSearch): string {
  return terms.map((term) => `${term.exclude ? '!' : ''}'${term.words.join(' ')}'${term.prefix ? ':*' : ''}`).join(' & ')
}
