/**
 * A deterministic corpus of realistic hand-written runbooks (10–40 KB each: headings, padded
 * and compact tables, emoji inside and outside the BMP, nested lists, checkboxes, code fences,
 * raw HTML), each with generated regions and plan items bound to probes.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** Small, seedable PRNG (mulberry32) so every run builds the same corpus. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = 'gateway route traefik litellm mcp server catalog token header postgres filesystem restart verify evidence host lan external entrypoint certificate secret rotate client codex webui vscode'.split(' ');

export function runbook(index: number): string {
  const rnd = random(index + 1);
  const pick = <T>(list: T[]) => list[Math.floor(rnd() * list.length)]!;
  const sentence = (n: number) => Array.from({ length: n }, () => pick(WORDS)).join(' ');
  const target = 10_000 + Math.floor(rnd() * 30_000);
  const parts: string[] = [`# Runbook ${index}: ${sentence(3)}`, '', `*Hand-written notes* for __${pick(WORDS)}__ — 🚀 𝔘 ⚠️.`, ''];
  let section = 0;
  while (parts.join('\n').length < target) {
    section++;
    parts.push(`## Section ${section} – ${sentence(2)}`, '');
    parts.push(`${sentence(12)}, see \`projects/litellm/${pick(WORDS)}.md\` and [notes](../notes/${pick(WORDS)}.md).`);
    parts.push('* star bullet ' + sentence(5), '  * nested ' + sentence(4), '    - [ ] deep task ' + sentence(3), '* __bold__ item 🧪', '');
    parts.push('| Check       | Host | Status        |', '|-------------|------|---------------|');
    for (let r = 0; r < 4; r++) parts.push(`| ${pick(WORDS).padEnd(11)} | lan  | ${pick(['✅ Working', '⚠️ Pending', '❌ Down'])}    |`);
    parts.push('', '|a|b|', '|-|-|', `|${pick(WORDS)}|${pick(WORDS)}|`, '');
    parts.push('```bash', `curl -s http://litellm.linuxserver.lan/${pick(WORDS)} \\`, `  -H "x-mcp-servers: mcp_postgres" # <!-- proofbook:start not-a-region -->`, '```', '');
    parts.push(`<details><summary>${sentence(2)}</summary>`, '', `Raw <b>HTML</b> ${sentence(6)}`, '', '</details>', '');
    parts.push(`1. Verify ${sentence(4)}, gateway catalog. ✅ Completed 2025-09-18.`, `2. Escaped \\* and \\_ in ${sentence(3)}. ⚠️ Pending.`, '');
    if (section === 2) parts.push('<!-- proofbook:start mcp.catalog -->', '_placeholder_', '<!-- proofbook:end mcp.catalog -->', '');
    if (section === 4) parts.push('- [ ] Run scripted curl (SSE) test capturing tool catalog events <!-- proof: mcp.catalog -->', '');
  }
  parts.push(`*Last Updated: 2025-09-18*`);
  return parts.join(rnd() < 0.3 ? '\r\n' : '\n') + (rnd() < 0.5 ? '\n' : '');
}

export async function writeCorpus(dir: string, count: number): Promise<string[]> {
  const files: string[] = [];
  for (let i = 0; i < count; i++) {
    const file = path.join(dir, `team-${i % 20}`, `runbook-${i}.md`);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, runbook(i));
    files.push(file);
  }
  return files;
}
