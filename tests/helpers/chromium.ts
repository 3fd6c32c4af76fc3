/** Real Chromium (Debian's) through playwright-core, with the flags this offline machine needs. */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { DEFAULT_CHROMIUM, launchChromium as launch } from '../../src/probes/kit/chromium.ts';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? DEFAULT_CHROMIUM;

export function launchChromium(env?: Record<string, string>): Promise<Browser> {
  return launch(CHROMIUM_PATH, { env });
}

/**
 * A fontconfig file that hides the colour emoji font (Debian's fonts-noto-color-emoji) from a
 * browser launched with it as FONTCONFIG_FILE: what a machine without the font renders. The
 * caller removes its folder (`path.dirname`) when done.
 */
export async function fontconfigWithoutEmoji(): Promise<string> {
  const file = path.join(await mkdtemp(path.join(tmpdir(), 'proofbook-fonts-')), 'fonts.conf');
  await writeFile(
    file,
    `<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <selectfont><rejectfont><glob>*NotoColorEmoji*</glob><pattern><patelt name="family"><string>Noto Color Emoji</string></patelt></pattern></rejectfont></selectfont>
</fontconfig>
`,
  );
  return file;
}

/**
 * How the first occurrence of `text` inside `selector` is drawn on screen: a screenshot of just
 * its glyphs, read back through a canvas. `colour` is the share of inked pixels that are
 * strongly coloured — a colour emoji font draws ✅ ❌ ⚠️ 🔄 mostly in colour, while a text
 * font draws them in the text colour (grey) and a missing glyph is a grey box.
 */
const MARGIN = 3;

export async function glyphInk(page: Page, selector: string, text: string): Promise<{ width: number; inked: number; colour: number }> {
  const box = await page.locator(selector).first().evaluate((root, wanted) => {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const at = node.textContent!.indexOf(wanted);
      if (at < 0) continue;
      const range = document.createRange();
      range.setStart(node, at);
      range.setEnd(node, at + wanted.length);
      (node.parentElement ?? root).scrollIntoView({ block: 'center', inline: 'nearest' });
      const rect = range.getBoundingClientRect();
      return { x: rect.x, y: rect.y, width: rect.width, height: rect.height };
    }
    return undefined;
  }, text);
  if (!box || box.width < 1) throw new Error(`"${text}" is not drawn in ${selector}`);
  // A margin of page around the glyphs: the background is read from it.
  const png = await page.screenshot({ clip: { x: box.x - MARGIN, y: box.y - MARGIN, width: box.width + 2 * MARGIN, height: box.height + 2 * MARGIN }, scale: 'css' });
  const counts = await page.evaluate(async ([url, margin]) => {
    const image = new Image();
    image.src = url;
    await image.decode();
    const canvas = new OffscreenCanvas(image.width, image.height);
    const ctx = canvas.getContext('2d')!;
    ctx.drawImage(image, 0, 0);
    const { data } = ctx.getImageData(0, 0, image.width, image.height);
    // The background is the most common colour of the margin: ink is whatever differs from it.
    const key = (i: number) => `${data[i]},${data[i + 1]},${data[i + 2]}`;
    const tally = new Map<string, number>();
    for (let y = 0; y < image.height; y++) {
      for (let x = 0; x < image.width; x++) {
        if (x >= margin && x < image.width - margin && y >= margin && y < image.height - margin) continue;
        const i = (y * image.width + x) * 4;
        tally.set(key(i), (tally.get(key(i)) ?? 0) + 1);
      }
    }
    const background = [...tally].sort((a, b) => b[1] - a[1])[0]![0];
    let inked = 0;
    let colour = 0;
    for (let i = 0; i < data.length; i += 4) {
      if (key(i) === background) continue;
      inked++;
      const [r, g, b] = [data[i]!, data[i + 1]!, data[i + 2]!];
      if (Math.max(r, g, b) - Math.min(r, g, b) > 40) colour++;
    }
    return { inked, colour };
  }, [`data:image/png;base64,${png.toString('base64')}`, MARGIN] as const);
  return { width: box.width, inked: counts.inked, colour: counts.inked ? counts.colour / counts.inked : 0 };
}
