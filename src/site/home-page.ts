/**
 * The site's landing page, used when the runbooks have no `index.md` of their own:
 * without it the site root (where Starlight's header links) would be a 404.
 */
export interface PageLink {
  id: string;
  title: string;
}

export const HOME_ID = 'index';
export const HOME_TITLE = 'Runbooks';

/** Markdown listing every page, one section per project folder. `base` ends with "/". */
export function homeMarkdown(pages: readonly PageLink[], base: string): string {
  const groups = new Map<string, PageLink[]>();
  for (const page of [...pages].sort((a, b) => a.id.localeCompare(b.id))) {
    const project = page.id.includes('/') ? page.id.split('/')[0]! : '';
    groups.set(project, [...(groups.get(project) ?? []), page]);
  }
  const sections = [...groups].map(([project, links]) => {
    const items = links.map((page) => `- [${escapeLinkText(page.title)}](${base}${page.id}/)`).join('\n');
    return project ? `## ${project}\n\n${items}` : items;
  });
  return ['Runbooks published from this workspace, grouped by project.', ...sections].join('\n\n') + '\n';
}

function escapeLinkText(text: string): string {
  return text.replace(/[\\[\]]/g, '\\$&');
}
