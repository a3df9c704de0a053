import { columnValue, type WriteMode } from './write-mode.ts'
import type { Image as ImageRow } from '../generated/sqlite/client.ts'
import type { Image, ImageCreate, ImageUpdate } from '../schemas/image.ts'

/** "Photographer / Agency", or whichever part exists; null when neither does. */
export function creditLine (photographer: string | null, agency: string | null): string | null {
  const parts = [photographer, agency].filter((part): part is string => part !== null && part.trim() !== '')
  return parts.length > 0 ? parts.join(' / ') : null
}

export function toImage (row: ImageRow): Image {
  return {
    id: row.id,
    url: row.url,
    alt: row.alt,
    caption: row.caption,
    width: row.width,
    height: row.height,
    credit: {
      photographer: row.creditPhotographer,
      agency: row.creditAgency,
      copyright: row.creditCopyright,
      license: row.creditLicense
    },
    creditLine: creditLine(row.creditPhotographer, row.creditAgency),
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString()
  }
}

/**
 * Columns from a create/replace (absent → null) or a patch (absent → untouched;
 * a partial `credit` changes only the parts it names).
 */
export function imageColumns (input: ImageCreate | ImageUpdate, mode: WriteMode) {
  const pick = <T>(value: T | undefined): T | null | undefined => columnValue(value, mode)
  const credit = input.credit ?? (mode === 'replace' ? {} : undefined)
  return {
    ...(input.url !== undefined && { url: input.url }),
    alt: pick(input.alt),
    caption: pick(input.caption),
    width: pick(input.width),
    height: pick(input.height),
    ...(credit !== undefined && {
      creditPhotographer: pick(credit.photographer),
      creditAgency: pick(credit.agency),
      creditCopyright: pick(credit.copyright),
      creditLicense: pick(credit.license)
    })
  }
}
