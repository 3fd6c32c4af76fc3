/**
 * The site's secret scan runs in Astro's last build hooks, while Astro removes its temporary
 * `.prerender/` folder: a folder or file that vanishes mid-scan is not served and must not fail
 * the build (a second `npm run demo`, with last run's dist/ in place, failed with ENOENT on
 * `.prerender/_astro`). What stays is still scanned.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { scanForSecrets } from '../../../src/site/secret-scan.ts';

let dir: string;
afterEach(async () => rm(dir, { recursive: true, force: true }));

const SECRET = { value: 'sk-vanishing-secret-0123456789abcdef', name: 'LITELLM_MASTER_KEY' };

async function tree(): Promise<void> {
  for (let folder = 0; folder < 40; folder++) {
    const sub = path.join(dir, '.prerender', `_astro${folder}`, 'chunks');
    await mkdir(sub, { recursive: true });
    for (let file = 0; file < 10; file++) await writeFile(path.join(sub, `${file}.mjs`), 'export {};\n');
  }
}

describe('scanForSecrets while a folder vanishes', () => {
  it('finishes, and still finds a leak in what stays', async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'proofbook-vanish-'));
    await writeFile(path.join(dir, 'index.html'), `<p>${SECRET.value}</p>`);
    for (let round = 0; round < 15; round++) {
      await tree();
      // Removed while the scan lists and reads (as Astro does with .prerender/).
      const [leaks] = await Promise.all([scanForSecrets(dir, [SECRET]), rm(path.join(dir, '.prerender'), { recursive: true, force: true })]);
      expect(leaks).toEqual([expect.objectContaining({ file: 'index.html', secret: 'LITELLM_MASTER_KEY' })]);
    }
  });
});
