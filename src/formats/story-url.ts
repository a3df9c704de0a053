// Where readers read a story: the newsroom's own page when STORY_URL_TEMPLATE
// names it (the feeds' links, JSON-LD's url), else nothing a format can claim.

/** The story's page from a template with `{slug}` and/or `{id}` (see STORY_URL_TEMPLATE in config.ts). */
export function storyUrlFrom (template: string, story: { id: string, slug: string }): string {
  return template.replaceAll('{slug}', story.slug).replaceAll('{id}', encodeURIComponent(story.id))
}
