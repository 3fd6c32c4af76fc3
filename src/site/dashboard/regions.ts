/**
 * Where each probe's evidence shows up in the runbooks: every `<!-- proofbook:start ID -->`
 * region, as a link to its page and the nearest heading above it.
 */
import { headingBefore, pageHref, pageRegions, type OutlinedPage } from './pages.ts';

export interface RegionLink {
  href: string;
  /** `Page title › Heading` */
  label: string;
}

export function regionLinks(pages: OutlinedPage[], base: string): Map<string, RegionLink[]> {
  const links = new Map<string, RegionLink[]>();
  for (const page of pages) {
    const regions = pageRegions(page);
    if (!regions) continue; // a malformed region is refresh-docs' error to report, not the site's
    for (const region of regions) {
      const heading = headingBefore(page, region.markerStart);
      const list = links.get(region.id) ?? [];
      list.push({ href: pageHref(base, page, heading), label: heading ? `${page.title} › ${heading.text}` : page.title });
      links.set(region.id, list);
    }
  }
  return links;
}
