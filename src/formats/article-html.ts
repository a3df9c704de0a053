// An article's body as an HTML fragment, for formats that carry a body as
// markup (ninjs `bodies`). One element per block, in order, so that an import
// (ninjs-import.ts) reads our own bodies back block for block:
//
//   paragraph     <p>text</p>
//   heading       <h2>…<h6>
//   quote         <blockquote><p>text</p><footer>attribution</footer></blockquote>
//   image         <figure data-association="image-1"><img src alt width height><figcaption>caption <small class="credit">credit</small></figcaption></figure>
//   ad_slot       <div class="ad-slot" data-slot="mid-1"></div>
//   related_link  <p class="related-link" data-association="related-1"><a href="…">text</a></p>
import type { Article, Block } from '../schemas/article.ts'
import type { Image } from '../schemas/image.ts'
import { escapeMarkup as e } from './text.ts'

export const articleUriPrefix = 'urn:cms:article:'
export const imageUriPrefix = 'urn:cms:image:'

/** The stable identifier of one of our stories, in every format (and the RSS guid). */
export const articleUri = (id: string): string => `${articleUriPrefix}${id}`
export const imageUri = (id: string): string => `${imageUriPrefix}${id}`

/** Where a related link points: the URL of an external story, the URI of one of ours. */
export function relatedLinkHref (block: Extract<Block, { type: 'related_link' }>): string {
  return block.articleId !== null ? articleUri(block.articleId) : block.url ?? ''
}

/** The names the body's images and related links have as ninjs associations, by block id. */
export function associationNames (body: Block[]): Map<string, string> {
  const names = new Map<string, string>()
  let images = 0
  let links = 0
  for (const block of body) {
    if (block.type === 'image') names.set(block.id, `image-${++images}`)
    if (block.type === 'related_link') names.set(block.id, `related-${++links}`)
  }
  return names
}

function figure (image: Image, association: string): string {
  const size = `${image.width === null ? '' : ` width="${image.width}"`}${image.height === null ? '' : ` height="${image.height}"`}`
  const caption = image.caption === null ? '' : e(image.caption)
  const credit = image.creditLine === null ? '' : `${caption === '' ? '' : ' '}<small class="credit">${e(image.creditLine)}</small>`
  const figcaption = caption === '' && credit === '' ? '' : `<figcaption>${caption}${credit}</figcaption>`
  return `<figure data-association="${association}"><img src="${e(image.url)}" alt="${e(image.alt ?? '')}"${size}>${figcaption}</figure>`
}

function blockHtml (block: Block, names: Map<string, string>): string {
  switch (block.type) {
    case 'paragraph': return `<p>${e(block.text)}</p>`
    case 'heading': return `<h${block.level}>${e(block.text)}</h${block.level}>`
    case 'quote': return `<blockquote><p>${e(block.text)}</p>${block.attribution === null ? '' : `<footer>${e(block.attribution)}</footer>`}</blockquote>`
    case 'image': return figure(block.image, names.get(block.id) ?? '')
    case 'ad_slot': return `<div class="ad-slot"${block.slot === null ? '' : ` data-slot="${e(block.slot)}"`}></div>`
    case 'related_link': return `<p class="related-link" data-association="${names.get(block.id) ?? ''}"><a href="${e(relatedLinkHref(block))}">${e(block.text)}</a></p>`
  }
}

/** The body as HTML, one line per block. */
export function bodyHtml (article: Pick<Article, 'body'>): string {
  const names = associationNames(article.body)
  return article.body.map((block) => blockHtml(block, names)).join('\n')
}

/** The body as plain text (paragraphs, headings and quotes), blank lines between blocks. */
export function bodyText (article: Pick<Article, 'body'>): string {
  return article.body.flatMap((block) => {
    if (block.type === 'paragraph' || block.type === 'heading') return [block.text]
    if (block.type === 'quote') return [block.attribution === null ? block.text : `${block.text} — ${block.attribution}`]
    return []
  }).join('\n\n')
}

/** "A and B", "A, B and C": the byline's authors (role author), as a byline prints them. */
export function bylineText (article: Pick<Article, 'bylines'>): string | undefined {
  const names = article.bylines.filter((byline) => byline.role === 'author').map((byline) => byline.author.name)
  if (names.length === 0) return undefined
  return names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} and ${names.at(-1) ?? ''}`
}
