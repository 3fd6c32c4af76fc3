/**
 * The evidence is staged beside the output while the pages render (src/site/evidence.ts): the
 * staged copy holds exactly the regular files that will be published, a link stops it, and the
 * secret scan can read it then and skip it in the output.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stageEvidence, UnsafeEvidenceError } from '../../../src/site/evidence.ts';
import { scanForSecrets } from '../../../src/site/secret-scan.ts';

const SECRET = { value: 'sk-stage-test-0123456789abcdef', name: 'KEY (test.env:1)' };

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'proofbook-stage-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function evidence(name: string, files: Record<string, string>): Promise<string> {
  const root = path.join(dir, name, 'evaluation');
  for (const [file, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, file)), { recursive: true });
    await writeFile(path.join(root, file), content);
  }
  return root;
}

describe('stageEvidence', () => {
  it('copies the regular files beside the output and leaves out what a browser would run', async () => {
    const root = await evidence('plain', { 'probe/a.json': '{"ok":true}\n', 'report.html': '<script></script>', 'notes/x.log': 'log\n' });
    const staged = stageEvidence(root, path.join(dir, 'plain', 'site'));
    const staging = (await staged.dir)!;
    expect(path.dirname(staging)).toBe(path.join(dir, 'plain'));
    expect(await staged.leftOut).toEqual(['report.html']);
    const files = (await readdir(path.join(staging, 'evidence'), { recursive: true })).map(String).sort();
    expect(files).toEqual(['notes', 'notes/x.log', 'probe', 'probe/a.json']);
    expect(await readFile(path.join(staging, 'evidence', 'probe', 'a.json'), 'utf8')).toBe('{"ok":true}\n');
  });

  it('refuses a folder with a symbolic link, copying nothing', async () => {
    const root = await evidence('linked', { 'a.json': '{}' });
    await symlink('/etc/hostname', path.join(root, 'leak.log'));
    const staged = stageEvidence(root, path.join(dir, 'linked', 'site'));
    await expect(staged.dir).rejects.toBeInstanceOf(UnsafeEvidenceError);
    expect((await readdir(path.join(dir, 'linked'))).filter((f) => f.includes('evidence'))).toEqual([]);
  });

  it('has nothing to stage without an evidence folder', async () => {
    expect(await stageEvidence(path.join(dir, 'none', 'evaluation'), path.join(dir, 'none', 'site')).dir).toBeUndefined();
  });
});

describe('scanForSecrets with a staged folder', () => {
  it('finds a secret in the staged copy, and skips that folder in the output', async () => {
    const root = await evidence('secret', { 'pasted.log': `key=${SECRET.value}\n` });
    const staging = (await stageEvidence(root, path.join(dir, 'secret', 'site')).dir)!;
    expect(await scanForSecrets(staging, [SECRET])).toEqual([{ file: 'evidence/pasted.log', secret: SECRET.name, form: 'as written' }]);
    const out = path.join(dir, 'secret', 'site');
    await mkdir(path.join(out, 'evidence'), { recursive: true });
    await writeFile(path.join(out, 'evidence', 'pasted.log'), SECRET.value);
    await writeFile(path.join(out, 'evidence-notes.html'), SECRET.value);
    expect(await scanForSecrets(out, [SECRET], { skip: 'evidence' })).toEqual([{ file: 'evidence-notes.html', secret: SECRET.name, form: 'as written' }]);
    expect(existsSync(staging)).toBe(true);
  });

  it('reads again only files that changed since an earlier scan of the same output', async () => {
    const out = path.join(dir, 'seen', 'site');
    await mkdir(out, { recursive: true });
    await writeFile(path.join(out, 'a.html'), 'clean');
    await writeFile(path.join(out, 'b.html'), 'clean');
    const seen = new Map<string, string>();
    expect(await scanForSecrets(out, [SECRET], { seen })).toEqual([]);
    expect([...seen.keys()].sort()).toEqual(['a.html', 'b.html']);
    // Written after the early scan: a changed page and a new file are read; the unchanged one is not.
    await writeFile(path.join(out, 'b.html'), `changed ${SECRET.value}`);
    await writeFile(path.join(out, 'c.json'), SECRET.value);
    expect((await scanForSecrets(out, [SECRET], { seen })).sort((x, y) => x.file.localeCompare(y.file))).toEqual([
      { file: 'b.html', secret: SECRET.name, form: 'as written' },
      { file: 'c.json', secret: SECRET.name, form: 'as written' },
    ]);
  });
});
