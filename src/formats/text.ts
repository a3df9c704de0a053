// Text made safe for markup: HTML bodies (ninjs) and XML feeds (RSS, Atom).
// Both escape the same five characters; XML 1.0 also forbids most control
// characters outright (a feed reader rejects the whole document for one), so
// they are dropped, as are lone surrogates, which no encoding can carry.

// Allowed by XML 1.0 (§2.2 Char): tab, newline, carriage return, and
// everything from U+0020 up except the surrogates and U+FFFE/U+FFFF.
const notXmlCharacters = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu

/** `text` without the characters XML 1.0 cannot carry. */
export function xmlSafe (text: string): string {
  return text.replace(notXmlCharacters, '')
}

const entities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }

/** Text for element content or a quoted attribute value, in HTML or XML. */
export function escapeMarkup (text: string): string {
  return xmlSafe(text).replace(/[&<>"']/g, (character) => entities[character] ?? character)
}

const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00A0' }

/** The reverse of `escapeMarkup`, for HTML received in an import: named, decimal and hex references. */
export function unescapeMarkup (html: string): string {
  return html.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (reference, name: string) => {
    if (name.startsWith('#')) {
      const code = name[1] === 'x' || name[1] === 'X' ? Number.parseInt(name.slice(2), 16) : Number.parseInt(name.slice(1), 10)
      return code <= 0x10FFFF ? String.fromCodePoint(code) : reference
    }
    return named[name.toLowerCase()] ?? reference
  })
}

/**
 * The text of an HTML fragment. Plain escaped text (what our own bodies hold)
 * comes back exactly; markup from elsewhere loses its tags and the white space
 * that laid it out.
 */
export function textOf (html: string): string {
  if (!/<[^>]*>/.test(html)) return unescapeMarkup(html)
  return unescapeMarkup(html.replace(/<br\s*\/?>/gi, ' ').replace(/<[^>]*>/g, '')).replace(/\s+/g, ' ').trim()
}
