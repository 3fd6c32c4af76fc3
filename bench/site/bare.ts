/**
 * bench/site's baseline: a bare Astro + Starlight project with the same runbooks as pages —
 * `starlight({ title })` and Starlight's own `docsLoader()` over src/content/docs, nothing else.
 *
 * Each runbook is copied with a `title` front matter (Starlight requires one) taken from its
 * first `#` heading, which is cut from the body — exactly what Proofbook's loader does
 * (src/site/title.ts), so both sites render the same Markdown.
 *
 * The project lives in a temp folder below bench/site/ and has no node_modules of its own: it
 * resolves Proofbook's by walking up, and runs the same astro binary on the same Node. (A temp
 * folder under /tmp with a symlinked node_modules does not build: Astro takes Starlight's
 * .astro files, then outside the root with no common ancestor, for root-relative paths.)
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { SITE_PROJECT_ROOT } from '../../src/site/build.ts';
import { extractTitle } from '../../src/site/title.ts';

export interface BareProject {
  dir: string;
  outDir: string;
}

export async function createBareProject(dir: string, contentDir: string, runbooks: readonly string[]): Promise<BareProject> {
  const docs = path.join(dir, 'src', 'content', 'docs');
  await mkdir(docs, { recursive: true });
  // Its dependencies as in Proofbook's package.json: Astro reads them to know that Starlight ships .astro files to bundle.
  const { dependencies } = JSON.parse(await readFile(path.join(SITE_PROJECT_ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
  const pkg = { name: 'bench-site-bare', private: true, type: 'module', dependencies: { '@astrojs/starlight': dependencies['@astrojs/starlight'], astro: dependencies.astro } };
  await writeFile(path.join(dir, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
  // As Starlight's starter has it; it also keeps Vite from picking up Proofbook's tsconfig.json above.
  await writeFile(path.join(dir, 'tsconfig.json'), `${JSON.stringify({ extends: 'astro/tsconfigs/strict', include: ['.astro/types.d.ts', '**/*'], exclude: ['dist'] }, null, 2)}\n`);
  await writeFile(
    path.join(dir, 'astro.config.mjs'),
    [
      "import starlight from '@astrojs/starlight';",
      "import { defineConfig } from 'astro/config';",
      '',
      "export default defineConfig({ integrations: [starlight({ title: 'Bare Starlight' })] });",
      '',
    ].join('\n'),
  );
  await writeFile(
    path.join(dir, 'src', 'content.config.ts'),
    [
      "import { defineCollection } from 'astro:content';",
      "import { docsLoader } from '@astrojs/starlight/loaders';",
      "import { docsSchema } from '@astrojs/starlight/schema';",
      '',
      'export const collections = { docs: defineCollection({ loader: docsLoader(), schema: docsSchema() }) };',
      '',
    ].join('\n'),
  );
  for (const file of runbooks) {
    const { title, body } = extractTitle(await readFile(file, 'utf8'));
    const target = path.join(docs, path.relative(contentDir, file));
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, `---\ntitle: ${JSON.stringify(title ?? path.basename(file, '.md'))}\n---\n${body}`);
  }
  return { dir, outDir: path.join(dir, 'dist') };
}

/** `astro build` in the bare project, with Proofbook's astro binary (and its Node 22). */
export async function buildBare(project: BareProject): Promise<void> {
  const result = await execa('astro', ['build'], {
    cwd: project.dir,
    preferLocal: true,
    localDir: SITE_PROJECT_ROOT,
    env: { NODE_ENV: 'production', ASTRO_TELEMETRY_DISABLED: '1' },
    stdin: 'ignore',
    all: true,
    reject: false,
  });
  if (result.failed) {
    const tail = (result.all ?? result.message).trim().split('\n').slice(-40).join('\n');
    throw new Error(`bare Starlight build failed: \`${result.command}\` in ${project.dir} exited with ${result.exitCode ?? 'no exit code'}.\n${tail}`);
  }
}
