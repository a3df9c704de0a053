// An article as schema.org NewsArticle in JSON-LD, what search engines read
// from a story page: a pure function of the Article, like ninjs.ts.
//
//   url and mainEntityOfPage (the story's page, when STORY_URL_TEMPLATE
//   names it), headline, alternativeHeadline (SEO title), description (dek), articleBody
//   (text of the body), articleSection, keywords (tags), inLanguage,
//   workTranslation / translationOfWork (the story's other language versions), dateline,
//   dateCreated / datePublished / dateModified, author (bylines with role
//   author or reporting) and contributor (the other roles) as Person with
//   affiliation, image (lead image first, then the body's) as ImageObject
//   with caption, creditText, creator (photographer), copyrightHolder
//   (agency), copyrightNotice and usageInfo (licence).
import type { Article, Byline } from '../schemas/article.ts'
import type { Image } from '../schemas/image.ts'
import type { NewsArticleJsonLd } from '../schemas/formats.ts'
import { articleUri, bodyText, imageUri } from './article-html.ts'

type Person = NewsArticleJsonLd['author'][number]
type ImageObject = NonNullable<NewsArticleJsonLd['image']>[number]

function defined<T extends object> (object: T): T {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined && value !== null)) as T
}

function person ({ author }: Byline): Person {
  return defined({
    '@type': 'Person' as const,
    name: author.name,
    jobTitle: author.title ?? undefined,
    url: author.url ?? undefined,
    affiliation: author.organization === null ? undefined : { '@type': 'Organization' as const, name: author.organization }
  })
}

function imageObject (image: Image): ImageObject {
  const { photographer, agency, copyright, license } = image.credit
  return defined({
    '@type': 'ImageObject' as const,
    '@id': imageUri(image.id),
    contentUrl: image.url,
    url: image.url,
    width: image.width ?? undefined,
    height: image.height ?? undefined,
    caption: image.caption ?? undefined,
    description: image.alt ?? undefined,
    creditText: image.creditLine ?? undefined,
    creator: photographer === null ? undefined : { '@type': 'Person' as const, name: photographer },
    copyrightHolder: agency === null ? undefined : { '@type': 'Organization' as const, name: agency },
    copyrightNotice: copyright ?? undefined,
    usageInfo: license ?? undefined
  })
}

const authorRoles = new Set<Byline['role']>(['author', 'reporting'])

/** `storyUrl`: the story's page, for `url` and `mainEntityOfPage` (search engines tie the markup to it). */
const creativeWorkStatuses = { draft: 'Draft', scheduled: 'Scheduled', published: 'Published', archived: 'Archived' } as const

type WorkReference = NonNullable<NewsArticleJsonLd['translationOfWork']>

function work (translation: Article['translations'][number]): WorkReference {
  return { '@type': 'NewsArticle', '@id': articleUri(translation.id), inLanguage: translation.language, headline: translation.headline }
}

/**
 * A translation group's original is the version whose id the group took (see
 * translations.ts): it names its translations, each translation names it.
 * Versions of a group whose original is gone (or not visible) name neither.
 */
function translationLinks (article: Article): Pick<NewsArticleJsonLd, 'workTranslation' | 'translationOfWork'> {
  if (article.translationGroupId === null || article.translations.length === 0) return {}
  if (article.translationGroupId === article.id) return { workTranslation: article.translations.map(work) }
  const original = article.translations.find((translation) => translation.id === article.translationGroupId)
  return original === undefined ? {} : { translationOfWork: work(original) }
}

export function toJsonLd (article: Article, storyUrl?: string): NewsArticleJsonLd {
  const images = [
    ...(article.leadImage === null ? [] : [article.leadImage]),
    ...article.body.flatMap((block) => block.type === 'image' && block.imageId !== article.leadImageId ? [block.image] : [])
  ]
  const contributors = article.bylines.filter((byline) => !authorRoles.has(byline.role))
  return defined({
    '@context': 'https://schema.org' as const,
    '@type': 'NewsArticle' as const,
    '@id': articleUri(article.id),
    url: storyUrl,
    mainEntityOfPage: storyUrl,
    identifier: article.id,
    headline: article.headline,
    alternativeHeadline: article.seoTitle ?? undefined,
    description: article.dek ?? undefined,
    articleBody: bodyText(article),
    articleSection: article.section ?? undefined,
    keywords: article.tags,
    inLanguage: article.language,
    ...translationLinks(article),
    dateCreated: article.createdAt,
    datePublished: article.publishedAt ?? undefined,
    // The update readers are told of (an editor's substantive update), else the last change.
    dateModified: article.displayUpdatedAt ?? article.updatedAt,
    dateline: article.dateline ?? undefined,
    creativeWorkStatus: creativeWorkStatuses[article.status],
    correction: article.corrections.length === 0 ? undefined : article.corrections.map((correction) => ({ '@type': 'CorrectionComment' as const, text: correction.text, datePublished: correction.date })),
    author: article.bylines.filter((byline) => authorRoles.has(byline.role)).map(person),
    contributor: contributors.length === 0 ? undefined : contributors.map(person),
    image: images.length === 0 ? undefined : images.map(imageObject)
  })
}
