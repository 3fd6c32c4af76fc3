/**
 * Reads the services, networks and labels of a docker-compose file, with the line of each, as
 * docker compose reads them: anchors and aliases resolved, `<<:` merges with the merging map's
 * own keys winning, list-form and map-form labels.
 */
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node, type YAMLMap } from 'yaml';
import type { ComposeServiceInfo, LabelSource } from './label-source.ts';

/** The parsed file and what every reader of its nodes needs: lines, aliases resolved, where to put results. */
interface ComposeReader {
  source: LabelSource;
  lineOf(node: unknown): number;
  resolve(node: unknown): unknown;
}

export function parseComposeText(text: string, file: string): LabelSource {
  const source: LabelSource = { file, format: 'compose', services: [], networks: [], labels: [], problems: [], usable: false };
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false });
  if (document.errors.length > 0) {
    const problem = document.errors[0]!;
    const { line, col } = lineCounter.linePos(problem.pos[0]);
    source.problems.push({
      severity: 'fail',
      code: 'compose.invalid-yaml',
      line,
      column: col,
      message: `invalid YAML at column ${col}: ${problem.message.split('\n')[0]}; fix the syntax (docker compose cannot read this file either)`,
    });
    return source;
  }
  const reader: ComposeReader = {
    source,
    lineOf: (node) => {
      const range = (node as Node | null | undefined)?.range;
      return range ? lineCounter.linePos(range[0]).line : 1;
    },
    resolve: (node) => (isAlias(node) ? node.resolve(document as Document) : node),
  };

  const servicesNode = reader.resolve(document.get('services', true));
  if (!isMap(servicesNode)) {
    source.problems.push({
      severity: 'fail',
      code: 'compose.no-services',
      line: isMap(document.contents) ? reader.lineOf(document.contents) : 1,
      message: 'no `services:` map; point gateway.composeFile at the docker-compose file that runs LiteLLM',
    });
    return source;
  }
  source.usable = true;
  const networksNode = reader.resolve(document.get('networks', true));
  if (isMap(networksNode)) readNetworks(reader, networksNode);
  readServices(reader, servicesNode);
  return source;
}

/** The top-level `networks:`: each key, its `name:` and whether it is external. */
function readNetworks({ source, lineOf, resolve }: ComposeReader, networksNode: YAMLMap): void {
  for (const pair of networksNode.items) {
    if (!isScalar(pair.key)) continue;
    const value = resolve(pair.value);
    const name = isMap(value) ? resolve(value.get('name', true)) : undefined;
    const external = isMap(value) ? resolve(value.get('external', true)) : undefined;
    source.networks.push({
      key: String(pair.key.value),
      name: isScalar(name) && name.value != null ? String(name.value) : undefined,
      external: isScalar(external) ? external.value === true || String(external.value) === 'true' : isMap(external),
      line: lineOf(pair.key),
    });
  }
}

/** Every service: its image, networks and network mode, and its labels. */
function readServices(reader: ComposeReader, servicesNode: YAMLMap): void {
  const { source, lineOf, resolve } = reader;
  for (const pair of servicesNode.items) {
    if (!isScalar(pair.key)) continue;
    const service = String(pair.key.value);
    const body = resolve(pair.value);
    const info: ComposeServiceInfo = { name: service, line: lineOf(pair.key) };
    source.services.push(info);
    if (!isMap(body)) continue;

    const image = resolve(body.get('image', true));
    if (isScalar(image) && image.value != null) info.image = String(image.value);
    const networkMode = resolve(body.get('network_mode', true));
    if (isScalar(networkMode) && networkMode.value != null) info.networkMode = String(networkMode.value);
    const networks = resolve(body.get('networks', true));
    if (isSeq(networks)) {
      info.networks = networks.items.map((n) => {
        const item = resolve(n);
        return String(isScalar(item) ? item.value : item);
      });
    }
    else if (isMap(networks)) info.networks = networks.items.map((n) => String(isScalar(n.key) ? n.key.value : n.key));

    const labelsPair = body.items.find((p) => isScalar(p.key) && p.key.value === 'labels');
    if (!labelsPair) continue;
    info.labelsLine = lineOf(labelsPair.key);
    readLabelsNode(reader, resolve(labelsPair.value), service);
  }
}

/** A service's `labels:`, list or map form. `overridden`: keys set explicitly by the map that merges this one (they win over merged keys). */
function readLabelsNode(reader: ComposeReader, node: unknown, service: string, overridden: Set<string> = new Set()): void {
  const { source, lineOf, resolve } = reader;
  const file = source.file;
  if (isSeq(node)) {
    // List form: "- traefik.http.routers.x.rule=Host(`h`)"
    for (const raw of node.items) {
      const item = resolve(raw);
      if (isMap(item)) {
        source.problems.push({
          severity: 'fail',
          code: 'label.not-a-string',
          line: lineOf(item),
          message:
            'this labels list item is a map (`key: value`), which docker compose rejects; ' +
            'quote it as "key=value" or turn `labels:` into a map',
        });
        continue;
      }
      if (!isScalar(item) || item.value == null) continue;
      const text = String(item.value);
      const eq = text.indexOf('=');
      if (eq < 0) {
        if (text.trim().startsWith('traefik.')) {
          source.problems.push({
            severity: 'warn',
            code: 'label.no-value',
            line: lineOf(item),
            message: `label "${text.trim()}" has no "=" and so an empty value; write it as "${text.trim()}=<value>"`,
          });
        }
        continue;
      }
      source.labels.push({ service, key: text.slice(0, eq).trim(), value: text.slice(eq + 1).trim(), file, line: lineOf(item) });
    }
  } else if (isMap(node)) {
    // Map form: "traefik.http.routers.x.rule: Host(`h`)"; `<<: *anchor` merges another map,
    // whose keys yield to the ones this map sets itself (YAML merge-key semantics).
    const own = new Set(node.items.filter((i) => isScalar(i.key) && i.key.value !== '<<').map((i) => String((i.key as { value: unknown }).value)));
    const keep = new Set([...overridden, ...own]);
    for (const item of node.items) {
      if (!isScalar(item.key)) continue;
      if (item.key.value === '<<') {
        const merged = resolve(item.value);
        for (const part of isSeq(merged) ? merged.items.map(resolve) : [merged]) readLabelsNode(reader, part, service, keep);
        continue;
      }
      if (overridden.has(String(item.key.value))) continue;
      const value = resolve(item.value);
      source.labels.push({
        service,
        key: String(item.key.value),
        value: isScalar(value) && value.value != null ? String(value.value) : '',
        file,
        line: lineOf(item.key),
      });
    }
  }
}
