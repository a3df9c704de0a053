import { z } from 'zod'
import { CountParam, HttpUrl, Id, ListQuery, Timestamp, countedPageOf, optionalText, readOnly, versionField } from './common.ts'

export const ImageCredit = z.object({
  photographer: z.string().nullable(),
  agency: z.string().nullable(),
  copyright: z.string().nullable(),
  license: z.string().nullable()
}).meta({ id: 'ImageCredit' })

export const Image = z.object({
  id: Id,
  url: z.string(),
  alt: z.string().nullable(),
  caption: z.string().nullable(),
  width: z.number().int().nullable(),
  height: z.number().int().nullable(),
  credit: ImageCredit,
  creditLine: z.string().nullable().meta({
    description: 'The credit as a reader sees it: "Photographer / Agency", or whichever part exists',
    example: 'Ines Varga / Continental Press'
  }),
  version: versionField('the image'),
  createdAt: Timestamp,
  updatedAt: Timestamp
}).meta({ id: 'Image', description: 'A picture with its caption and credit' })
export type Image = z.infer<typeof Image>

export const ImageCreditInput = z.strictObject({
  photographer: optionalText(200, 'Who took the picture'),
  agency: optionalText(200, 'Agency, pool or distributor'),
  copyright: optionalText(300, 'Copyright notice'),
  license: optionalText(300, 'Usage terms or licence')
})

const dimension = z.number().int().min(1).max(100_000).nullable().optional()

export const imageFields = {
  url: HttpUrl.meta({ description: 'Where the picture is served from (http or https)' }),
  alt: optionalText(1000, 'Plain description of the picture for screen readers'),
  caption: optionalText(5000, 'Caption: who, what, when, where'),
  width: dimension,
  height: dimension,
  credit: ImageCreditInput.optional(),
  // What a GET adds: a response can be edited and sent back as it is.
  id: readOnly(Id),
  creditLine: readOnly(z.string().nullable()),
  version: readOnly(z.number().int()),
  createdAt: readOnly(Timestamp),
  updatedAt: readOnly(Timestamp)
}

const imageExample = {
  url: 'https://images.example.org/2026/11/ridge-line-train.jpg',
  alt: 'A red passenger train crossing a stone viaduct above a river valley',
  caption: 'The first passenger train in eight months crosses the Aldern viaduct on Monday.',
  width: 2048,
  height: 1365,
  credit: { photographer: 'Ines Varga', agency: 'Continental Press' }
}

export const ImageCreate = z.strictObject(imageFields).meta({ id: 'ImageCreate', examples: [imageExample] })
export type ImageCreate = z.infer<typeof ImageCreate>

export const ImageReplace = z.strictObject(imageFields).meta({ id: 'ImageReplace', examples: [imageExample] })

export const ImageUpdate = z.strictObject(imageFields).partial()
  .meta({ id: 'ImageUpdate', examples: [{ caption: 'A corrected caption.', credit: { agency: 'Pool' } }] })
export type ImageUpdate = z.infer<typeof ImageUpdate>

export const imageSorts = ['-createdAt', 'createdAt'] as const
export type ImageSort = (typeof imageSorts)[number]

export const ImageListQuery = ListQuery.extend({
  photographer: z.string().min(1).max(200).optional().meta({ description: 'Only pictures credited to this photographer (exact)', example: 'Ines Varga' }),
  agency: z.string().min(1).max(200).optional().meta({ description: 'Only pictures credited to this agency (exact)', example: 'Continental Press' }),
  caption: z.string().trim().min(1).max(200).optional().meta({ description: 'Only pictures whose caption or alt text contains this, in any case (on SQLite, case is ignored for the letters A–Z only)', example: 'viaduct' }),
  sort: z.enum(imageSorts).optional().meta({ description: 'The order: `-createdAt` (newest first, the default) or `createdAt`; ties are broken by id. A cursor belongs to the order and filters it was issued under: with any other, 400', example: 'createdAt' }),
  count: CountParam
})
export type ImageListQuery = z.infer<typeof ImageListQuery>
export const ImagePage = countedPageOf(Image).meta({ id: 'ImagePage' })
