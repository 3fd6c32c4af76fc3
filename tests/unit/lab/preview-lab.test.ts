/**
 * The second lab of an upgrade preview is the first one re-pointed: other ports, its own runtime
 * folder and evidence folder, the same team files; what the team deploys (the labels' port) kept.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { previewLab } from '../../../src/lab/preview-lab.ts';
import { loadConfig } from '../../../src/probes/config.ts';

const REPO = path.resolve(import.meta.dirname, '..', '..', '..');

describe('previewLab', async () => {
  const config = await loadConfig(path.join(REPO, 'proofbook.config.yaml'));
  const preview = await previewLab(config, '1.110.2');
  const probes = preview.config.probes as Record<string, Record<string, unknown>>;
  const port = (url: string) => Number(new URL(url).port);

  it('moves every loopback port of the first lab and keeps the labels’ LiteLLM port', () => {
    const firstPorts = [...config.hosts.map((h) => port(h.url)), config.lab.traefikApiPort, config.lab.openwebuiPort];
    const secondPorts = [...preview.config.hosts.map((h) => port(h.url)), preview.config.lab.traefikApiPort, preview.config.lab.openwebuiPort];
    for (const second of secondPorts) expect(firstPorts).not.toContain(second);
    expect(new Set(secondPorts).size).toBe(secondPorts.length);
    expect(preview.config.hosts.map((h) => new URL(h.url).hostname)).toEqual(config.hosts.map((h) => new URL(h.url).hostname));
    expect(preview.config.lab.litellmPort).toBe(config.lab.litellmPort);
    expect(firstPorts).not.toContain(preview.litellmPort);
    expect(port(String(probes['openwebui.list']!.url))).toBe(preview.config.lab.openwebuiPort);
    expect(preview.config.hostByName('lan').url).toBe(preview.config.hosts[0]!.url);
  });

  it('points the runtime folder’s files at its own folder, evidence under upgrade-preview/<version>/', () => {
    const runtime = path.join(REPO, '.lab-preview-1.110.2');
    expect(preview.config.lab.runtimeDir).toBe(runtime);
    expect(preview.config.lab.litellmVersion).toBe('1.110.2');
    expect(preview.config.secretsFiles.every((f) => f.startsWith(`${runtime}/`))).toBe(true);
    expect(preview.config.hosts[1]!.caFile).toBe(path.join(runtime, 'certs', 'ca.pem'));
    expect(probes['codex.config']!.codexHome).toBe('.lab-preview-1.110.2/codex');
    expect(probes['vscode.list']!.file).toBe('.lab-preview-1.110.2/vscode/.vscode/mcp.json');
    expect(preview.config.evaluationDir).toBe(path.join(REPO, 'evaluation', 'upgrade-preview', '1.110.2'));
    // The team's files are the same.
    expect(preview.config.gateway).toEqual(config.gateway);
    expect(probes['vscode.config']!.files).toEqual((config.probes as Record<string, Record<string, unknown>>)['vscode.config']!.files);
    expect(preview.config.runbooks).toEqual(config.runbooks);
  });

  it('maps the second lab’s text back onto the first’s, to compare findings', () => {
    const second = preview.config.hosts[0]!.url;
    expect(preview.normalise(`no key: HTTP 401 at ${second}/mcp/ (.lab-preview-1.110.2/secrets/litellm.env)`)).toBe(
      `no key: HTTP 401 at ${config.hosts[0]!.url}/mcp/ (.lab/secrets/litellm.env)`,
    );
    // A longer number that merely starts with a moved port is not a port.
    const moved = String(port(second));
    expect(preview.normalise(`:${moved}9`)).toBe(`:${moved}9`);
  });
});
