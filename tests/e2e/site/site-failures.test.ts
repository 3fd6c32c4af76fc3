/**
 * Builds that must fail: a known secret value anywhere in the output, a broken link between
 * runbooks, front matter that would be code, and a symbolic link in the evidence folder. Each
 * error must say where (output file, or runbook file:line:col) and never print the secret itself.
 */
import { existsSync } from 'node:fs';
import { appendFile, mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildSite, SiteBuildError } from '../../../src/site/build.ts';
import { FIXTURE_SECRET, siteWorkspace, SMALL_LOG } from '../../fixtures/site/workspace.ts';

async function failedBuild(configPath: string, outDir: string): Promise<SiteBuildError> {
  const failure = await buildSite({ configPath, outDir }).then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(failure).toBeInstanceOf(SiteBuildError);
  return failure as SiteBuildError;
}

describe('site build failures', () => {
  it('fails when a known secret value reaches the output, naming files but never the value', async () => {
    const workspace = await siteWorkspace();
    try {
      // Pasted into a runbook, and into a hand-filed log (which is embedded and published).
      await appendFile(path.join(workspace.dir, 'content', 'ops', 'plan.md'), `\nPasted by mistake: \`${FIXTURE_SECRET}\`\n`);
      await appendFile(path.join(workspace.evaluationDir, SMALL_LOG), `authorization: Bearer ${FIXTURE_SECRET}\n`);
      const { output, exitCode, message } = await failedBuild(workspace.configPath, workspace.outDir);
      expect(exitCode).not.toBe(0);
      expect(output).toContain('Secret values found in the built site');
      expect(output).toMatch(/ops\/plan\/index\.html: the value of LITELLM_MASTER_KEY \(.*secrets\/site\.env:1\)/);
      expect(output).toContain(`ops/gateway/index.html: the value of LITELLM_MASTER_KEY`);
      expect(output).toContain(`evidence/${SMALL_LOG}: the value of LITELLM_MASTER_KEY`);
      expect(output).not.toContain(FIXTURE_SECRET);
      expect(message).not.toContain(FIXTURE_SECRET);
    } finally {
      await workspace.remove();
    }
  }, 120_000);

  it('fails on a link to a missing runbook or anchor, with file:line:col', async () => {
    const workspace = await siteWorkspace();
    try {
      const gateway = path.join(workspace.dir, 'content', 'ops', 'gateway.md');
      const line = (await readFile(gateway, 'utf8')).split('\n').length;
      await appendFile(gateway, '\nSee [the old plan](old-plan.md) and [phase 9](plan.md#phase-9).\n\nAlso [this](#no-such-section).\n');
      const { output } = await failedBuild(workspace.configPath, workspace.outDir);
      expect(output).toContain('3 broken link(s) in the runbooks:');
      expect(output).toContain(`${gateway}:${line + 1}:5: broken link to old-plan.md: ${path.join(workspace.dir, 'content', 'ops', 'old-plan.md')} does not exist`);
      expect(output).toContain(`${gateway}:${line + 1}:37: broken link to plan.md#phase-9: plan.md has no anchor "phase-9"; its anchors include remediation-plan, phase-1--network--gateway-verification`);
      expect(output).toContain(`${gateway}:${line + 3}:6: broken link to #no-such-section: this page has no anchor "no-such-section"`);
    } finally {
      await workspace.remove();
    }
  }, 120_000);

  it('fails on a missing image with file:line:col, not with Astro\'s error that names no runbook; the image that exists is not reported', async () => {
    const workspace = await siteWorkspace();
    try {
      const gateway = path.join(workspace.dir, 'content', 'ops', 'gateway.md');
      const line = (await readFile(gateway, 'utf8')).split('\n').length;
      await mkdir(path.join(workspace.dir, 'content', 'ops', 'img'), { recursive: true });
      await writeFile(path.join(workspace.dir, 'content', 'ops', 'img', 'here.svg'), '<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>');
      await appendFile(gateway, '\n![here](img/here.svg) and ![topology](img/topology.png)\n');
      const { output } = await failedBuild(workspace.configPath, workspace.outDir);
      expect(output).toContain('1 broken link(s) in the runbooks:');
      expect(output).toContain(`${gateway}:${line + 1}:27: broken image img/topology.png: ${path.join(workspace.dir, 'content', 'ops', 'img', 'topology.png')} does not exist; fix the path, add the file, or remove the image`);
    } finally {
      await workspace.remove();
    }
  }, 120_000);

  it('refuses `---js` front matter with file:1:4, and the code in it never runs', async () => {
    const workspace = await siteWorkspace();
    const ran = path.join(workspace.dir, 'front-matter-ran');
    try {
      const plan = path.join(workspace.dir, 'content', 'ops', 'plan.md');
      const code = `require('node:fs').writeFileSync(${JSON.stringify(ran)}, String(process.env.PATH))`;
      await writeFile(plan, `---js\n{ title: (${code}, 'pwned') }\n---\n${await readFile(plan, 'utf8')}`);
      const { output } = await failedBuild(workspace.configPath, workspace.outDir);
      expect(output).toContain(`${plan}:1:4: front matter in "js" is not accepted`);
      expect(existsSync(ran)).toBe(false);
    } finally {
      await workspace.remove();
    }
  }, 120_000);

  it('refuses to publish evidence through a symbolic link (to a file or a folder outside), naming each link', async () => {
    const workspace = await siteWorkspace();
    try {
      // A file outside the evidence folder: the secrets file itself, and a private folder.
      await mkdir(path.join(workspace.dir, 'private'), { recursive: true });
      await writeFile(path.join(workspace.dir, 'private', 'notes.txt'), 'private notes\n');
      await symlink(path.join(workspace.dir, 'secrets', 'site.env'), path.join(workspace.evaluationDir, 'leak.log'));
      await symlink(path.join(workspace.dir, 'private'), path.join(workspace.evaluationDir, 'private-logs'));
      await appendFile(path.join(workspace.dir, 'content', 'ops', 'plan.md'), '\nSee `projects/litellm/evaluation/leak.log`.\n');
      const { output } = await failedBuild(workspace.configPath, workspace.outDir);
      expect(output).toContain(`${path.join(workspace.evaluationDir, 'leak.log')} is a symbolic link`);
      expect(output).toContain(`${path.join(workspace.evaluationDir, 'private-logs')} is a symbolic link`);
      expect(output).toContain('replace the link with a copy');
      expect(output).not.toContain(FIXTURE_SECRET);
      expect(existsSync(path.join(workspace.outDir, 'evidence', 'leak.log'))).toBe(false);
    } finally {
      await workspace.remove();
    }
  }, 120_000);
});
