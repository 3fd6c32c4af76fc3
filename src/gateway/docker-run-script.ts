/**
 * Reads the `docker run` commands of a shell script (`--label`, `--name`, `--network`, the image),
 * with the line of each label: for gateways started by a script instead of compose.
 */
import type { ComposeServiceInfo, Label, LabelSource } from './label-source.ts';

interface ShellWord {
  text: string;
  line: number;
}

/** `docker run` flags that take no value; every other flag takes one (`--flag value` or `--flag=value`). */
const DOCKER_BOOLEAN_FLAGS = new Set([
  '--detach', '--interactive', '--tty', '--rm', '--init', '--privileged', '--read-only', '--publish-all',
  '--no-healthcheck', '--oom-kill-disable', '--sig-proxy', '--disable-content-trust', '--help', '--quiet', '--use-api-socket',
]);
const DOCKER_BOOLEAN_SHORT = new Set(['d', 'i', 't', 'P', 'q']);

/**
 * Reads `docker run … --label "k=v" \` commands (also `-l k=v`, `--label=k=v`, `docker container run`,
 * `docker create`, `podman run`). Each command becomes a service named by `--name` (else its image).
 */
export function parseDockerRunScript(text: string, file: string): LabelSource {
  const source: LabelSource = { file, format: 'docker-run', services: [], networks: [], labels: [], problems: [], usable: false };
  const { commands, problem } = splitShell(text);
  if (problem) {
    source.problems.push({ severity: 'fail', code: 'docker-run.syntax', line: problem.line, message: problem.message });
    return source;
  }

  for (const words of commands) {
    const start = dockerRunStart(words);
    if (start < 0) continue;
    const info: ComposeServiceInfo = { name: '', line: words[start]!.line, labelsLine: words[start]!.line };
    const labels: Label[] = [];
    let i = start;
    const valueOf = (flag: string, attached: string | undefined): ShellWord | undefined => {
      if (attached !== undefined) return { text: attached, line: words[i]!.line };
      const next = words[i + 1];
      if (!next) {
        source.problems.push({ severity: 'fail', code: 'docker-run.syntax', line: words[i]!.line, message: `${flag} has no value` });
        return undefined;
      }
      i++;
      return next;
    };
    for (; i < words.length; i++) {
      const word = words[i]!.text;
      if (word === '--') {
        i++;
        break;
      }
      if (!word.startsWith('-') || word === '-') break; // the image
      let flag: string;
      let attached: string | undefined;
      if (word.startsWith('--')) {
        const eq = word.indexOf('=');
        flag = eq < 0 ? word : word.slice(0, eq);
        attached = eq < 0 ? undefined : word.slice(eq + 1);
        if (DOCKER_BOOLEAN_FLAGS.has(flag)) continue;
      } else {
        // Short flags: a cluster of boolean ones (-dit), or one that takes a value (-l k=v, -lk=v).
        const letters = word.slice(1);
        const firstValued = [...letters].findIndex((c) => !DOCKER_BOOLEAN_SHORT.has(c));
        if (firstValued < 0) continue;
        flag = `-${letters[firstValued]}`;
        const rest = letters.slice(firstValued + 1);
        attached = rest ? rest.replace(/^=/, '') : undefined;
      }
      const value = valueOf(flag, attached);
      if (!value) continue;
      if (flag === '--label' || flag === '-l') {
        const eq = value.text.indexOf('=');
        const key = (eq < 0 ? value.text : value.text.slice(0, eq)).trim();
        labels.push({ service: '', key, value: eq < 0 ? '' : value.text.slice(eq + 1).trim(), file, line: value.line });
      } else if (flag === '--name') info.name = value.text;
      else if (flag === '--network' || flag === '--net') (info.networks ??= []).push(value.text.split(',')[0]!.replace(/^name=/, ''));
      else if (flag === '--label-file') {
        source.problems.push({
          severity: 'warn',
          code: 'docker-run.label-file',
          line: value.line,
          message: `labels from --label-file ${value.text} are not read; put the Traefik labels on --label lines to have them checked`,
        });
      }
    }
    if (i < words.length) info.image = words[i]!.text;
    info.name ||= (info.image ?? 'container').replace(/[:@].*$/, '').split('/').pop()!;
    if (info.networks?.length === 1 && ['host', 'none'].includes(info.networks[0]!)) info.networkMode = info.networks[0];
    for (const label of labels) label.service = info.name;
    source.services.push(info);
    source.labels.push(...labels);
  }
  // `docker network connect traefik-net litellm` after the run attaches the container to another network.
  for (const words of commands) {
    const connect = networkConnect(words);
    const service = connect && source.services.find((s) => s.name === connect.container);
    if (service && !service.networks?.includes(connect.network)) (service.networks ??= []).push(connect.network);
  }
  if (source.services.length === 0) {
    source.problems.push({
      severity: 'fail',
      code: 'docker-run.none',
      line: 1,
      message: 'no `docker run` command found; point gateway.composeFile at the compose file or script that starts LiteLLM',
    });
  } else source.usable = true;
  return source;
}

/** `docker network connect [--alias a] [--ip x] <network> <container>`: the network and the container. */
function networkConnect(words: ShellWord[]): { network: string; container: string } | undefined {
  const at = words.findIndex((w, i) => ['docker', 'podman'].includes(w.text.split('/').pop()!) && words[i + 1]?.text === 'network' && words[i + 2]?.text === 'connect');
  if (at < 0) return undefined;
  const operands: string[] = [];
  for (let i = at + 3; i < words.length; i++) {
    const word = words[i]!.text;
    if (word.startsWith('--') && !word.includes('=')) i++; // --alias a, --ip x, --link c, --driver-opt o
    else if (!word.startsWith('-')) operands.push(word);
  }
  return operands.length >= 2 ? { network: operands[0]!, container: operands[1]! } : undefined;
}

/** Index of the first option after `docker run` / `docker container run` / `docker create` / `podman run`, or -1. */
function dockerRunStart(words: ShellWord[]): number {
  for (let i = 0; i < words.length; i++) {
    const command = words[i]!.text.split('/').pop();
    if (command !== 'docker' && command !== 'podman') continue;
    let j = i + 1;
    if (words[j]?.text === 'container') j++;
    if (words[j]?.text === 'run' || words[j]?.text === 'create') return j + 1;
  }
  return -1;
}

/**
 * Splits a shell script into simple commands of unquoted words, each with the line it starts on.
 * Handles quotes, backslash escapes, line continuations, comments and `; && || | &` separators;
 * enough for the scripts that start containers, not a full shell.
 */
function splitShell(text: string): { commands: ShellWord[][]; problem?: { line: number; message: string } } {
  const commands: ShellWord[][] = [];
  let words: ShellWord[] = [];
  let word: ShellWord | undefined;
  let line = 1;
  const endWord = () => {
    if (word) words.push(word);
    word = undefined;
  };
  const endCommand = () => {
    endWord();
    if (words.length) commands.push(words);
    words = [];
  };
  const append = (s: string) => {
    word ??= { text: '', line };
    word.text += s;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\\') {
      const next = text[i + 1];
      if (next === '\n') line++;
      else if (next === '\r' && text[i + 2] === '\n') {
        line++;
        i++;
      } else if (next !== undefined) append(next);
      i++;
    } else if (c === '\n') {
      endCommand();
      line++;
    } else if (c === ' ' || c === '\t' || c === '\r') endWord();
    else if (c === '#' && !word) {
      while (i + 1 < text.length && text[i + 1] !== '\n') i++;
    } else if (c === ';' || c === '|' || c === '&') {
      endCommand();
      if ((c === '|' || c === '&') && text[i + 1] === c) i++;
    } else if (c === "'") {
      const startLine = line;
      const close = text.indexOf("'", i + 1);
      if (close < 0) return { commands, problem: { line: startLine, message: 'unclosed single quote; close it' } };
      const part = text.slice(i + 1, close);
      word ??= { text: '', line };
      word.text += part;
      line += part.split('\n').length - 1;
      i = close;
    } else if (c === '"') {
      const startLine = line;
      word ??= { text: '', line };
      let j = i + 1;
      for (; j < text.length && text[j] !== '"'; j++) {
        const d = text[j]!;
        if (d === '\\' && '"\\$`\n'.includes(text[j + 1] ?? '')) {
          if (text[j + 1] === '\n') line++;
          else word.text += text[j + 1];
          j++;
        } else {
          if (d === '\n') line++;
          word.text += d;
        }
      }
      if (j >= text.length) return { commands, problem: { line: startLine, message: 'unclosed double quote; close it' } };
      i = j;
    } else append(c);
  }
  endCommand();
  return { commands };
}
