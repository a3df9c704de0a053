// An HTML body (ninjs `bodies`) read back into body blocks. Our own bodies
// (article-html.ts) come back block for block; HTML from elsewhere is read
// for what it shows: each top-level paragraph, heading, quote or figure one
// block, other elements' text a paragraph, markup inside them dropped.
// Not a general HTML parser: top-level elements of the same name do not nest
// in a news body, and nothing here runs or keeps the markup.
import { textOf, unescapeMarkup } from './text.ts'

export type ParsedBlock =
  | { type: 'paragraph', text: string }
  | { type: 'heading', text: string, level: number }
  | { type: 'quote', text: string, attribution: string | null }
  | { type: 'figure', association: string | null, src: string | null }
  | { type: 'ad_slot', slot: string | null }
  | { type: 'related_link', association: string | null, href: string, text: string }

function attribute (attributes: string, name: string): string | null {
  const match = new RegExp(`(?:^|\\s)${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`, 'i').exec(attributes)
  return match === null ? null : unescapeMarkup(match[1] ?? match[2] ?? '')
}

const topLevel = /<(p|h[1-6]|blockquote|figure|div|ul|ol|pre|aside|section)\b([^>]*)>([\s\S]*?)<\/\1\s*>/gi

function blockOf (tag: string, attributes: string, inner: string): ParsedBlock | null {
  const classes = (attribute(attributes, 'class') ?? '').split(/\s+/)
  if (tag === 'div' && classes.includes('ad-slot')) return { type: 'ad_slot', slot: attribute(attributes, 'data-slot') }
  if (tag === 'p' && classes.includes('related-link')) {
    const link = /<a\b([^>]*)>([\s\S]*?)<\/a\s*>/i.exec(inner)
    const href = link === null ? null : attribute(link[1] ?? '', 'href')
    if (link !== null && href !== null) return { type: 'related_link', association: attribute(attributes, 'data-association'), href, text: textOf(link[2] ?? '') }
  }
  if (/^h[1-6]$/.test(tag)) return { type: 'heading', text: textOf(inner), level: Math.max(2, Number(tag[1])) }
  if (tag === 'blockquote') {
    const footer = /<footer\b[^>]*>([\s\S]*?)<\/footer\s*>/i.exec(inner)
    const quoted = footer === null ? inner : inner.replace(footer[0], '')
    const paragraph = /^\s*<p\b[^>]*>([\s\S]*)<\/p\s*>\s*$/i.exec(quoted)
    return { type: 'quote', text: textOf(paragraph?.[1] ?? quoted), attribution: footer === null ? null : textOf(footer[1] ?? '') }
  }
  if (tag === 'figure') {
    const image = /<img\b([^>]*)>/i.exec(inner)
    return { type: 'figure', association: attribute(attributes, 'data-association'), src: image === null ? null : attribute(image[1] ?? '', 'src') }
  }
  return { type: 'paragraph', text: textOf(inner) }
}

export function parseBodyHtml (html: string): ParsedBlock[] {
  const blocks: ParsedBlock[] = []
  for (const match of html.matchAll(topLevel)) {
    const block = blockOf((match[1] ?? '').toLowerCase(), match[2] ?? '', match[3] ?? '')
    if (block !== null && !(block.type !== 'figure' && block.type !== 'ad_slot' && block.text.trim() === '')) blocks.push(block)
  }
  return blocks
}

/** A plain-text body: a paragraph per block of lines, blank lines between. */
export function parseBodyText (text: string): ParsedBlock[] {
  return text.split(/\n\s*\n/).map((paragraph) => paragraph.trim()).filter((paragraph) => paragraph !== '').map((paragraph) => ({ type: 'paragraph', text: paragraph }))
}
