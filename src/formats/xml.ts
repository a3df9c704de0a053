// A very small XML writer for the feeds: elements are strings built by
// `element`, which escapes every attribute value and every text it is given
// (see text.ts), so no caller concatenates markup by hand. Small enough to
// test whole; a library would bring a DOM or a streaming API the feeds do not need.
import { escapeMarkup } from './text.ts'

export type Attributes = Record<string, string | number | undefined>

/** Escaped, XML-safe markup: what `element` returns and accepts as children. */
export class Markup {
  constructor (readonly xml: string) {}
  toString (): string { return this.xml }
}

const namePattern = /^[A-Za-z_][\w.-]*(:[A-Za-z_][\w.-]*)?$/

function attributesOf (attributes: Attributes): string {
  return Object.entries(attributes)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(([name, value]) => {
      if (!namePattern.test(name)) throw new Error(`not an XML attribute name: ${name}`)
      return ` ${name}="${escapeMarkup(String(value))}"`
    })
    .join('')
}

/**
 * `<name attributes>content</name>`: a string content is text (escaped); a
 * list is child elements (undefined entries left out); no content is an empty element.
 */
export function element (name: string, attributes: Attributes = {}, content?: string | Array<Markup | undefined>): Markup {
  if (!namePattern.test(name)) throw new Error(`not an XML element name: ${name}`)
  const open = `${name}${attributesOf(attributes)}`
  if (content === undefined) return new Markup(`<${open}/>`)
  const inner = typeof content === 'string' ? escapeMarkup(content) : content.filter((child) => child !== undefined).join('')
  return new Markup(`<${open}>${inner}</${name}>`)
}

/** A whole document: the declaration, then the root element. */
export function xmlDocument (root: Markup): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${root.xml}\n`
}
