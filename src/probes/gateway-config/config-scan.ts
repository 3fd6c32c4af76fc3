/**
 * What every check of LiteLLM's config.yaml shares: the config, the findings (pointing into the
 * file), the facts being filled in, the run's redactor (secrets found inline are added to it, and
 * the runner scrubs the outcome with it) and the line of a node.
 */
import type { LineCounter, Node } from 'yaml';
import type { Config } from '../config.ts';
import type { Findings } from '../kit/findings.ts';
import type { EnvEntry } from '../../secrets/env-files.ts';
import type { Redactor } from '../../secrets/redactor.ts';
import type { GatewayConfigFacts } from './facts.ts';
import type { ExpectedServer, GatewayConfigOptions } from './options.ts';

export interface ConfigScan {
  config: Config;
  options: GatewayConfigOptions;
  /** The secrets files' entries. */
  secrets: EnvEntry[];
  /** config.yaml as findings name it. */
  shown: string;
  /** How findings and facts name any file. */
  show(file: string): string;
  findings: Findings;
  facts: GatewayConfigFacts;
  /** The run's redactor: secret values found written into config.yaml are added to it, so nothing the probe returns shows them. */
  redactor: Redactor;
  /** The servers that must be registered, and where that expectation comes from (for messages). */
  expected: Record<string, ExpectedServer>;
  expectationsFrom: string;
  /** The line a node starts on; `fallback` for a node without a position. */
  lineOf(node: Node | undefined | null, fallback?: number): number;
  /** config.yaml as read, for positions inside a value. */
  text: string;
  /** The 1-based line and column of a character offset into `text`. */
  positionOf(offset: number): { line: number; column: number };
}

/** `positionOf` for a document parsed with `lineCounter`. */
export function positionReader(lineCounter: LineCounter): ConfigScan['positionOf'] {
  return (offset) => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
}

/** `lineOf` for a document parsed with `lineCounter`. */
export function lineReader(lineCounter: LineCounter): ConfigScan['lineOf'] {
  return (node, fallback = 1) => (node?.range ? lineCounter.linePos(node.range[0]).line : fallback);
}
