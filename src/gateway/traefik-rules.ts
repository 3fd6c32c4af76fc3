/**
 * Traefik router rules: a parser (matchers with quoted arguments, `!`, `&&`, `||`, parentheses),
 * which hosts a rule names or can match (v2 and v3 syntax), and what Traefik would reject.
 */

export type RuleNode =
  | { type: 'matcher'; name: string; args: string[]; position: number }
  | { type: 'not'; operand: RuleNode }
  | { type: 'and' | 'or'; left: RuleNode; right: RuleNode };

export class RuleSyntaxError extends Error {
  /** 1-based character of the rule where the problem is. */
  readonly position: number;
  constructor(message: string, position: number) {
    super(message);
    this.name = 'RuleSyntaxError';
    this.position = position;
  }
}

interface RuleToken {
  kind: 'ident' | 'string' | '(' | ')' | ',' | '&&' | '||' | '!' | 'end';
  value: string;
  /** 1-based. */
  position: number;
}

function tokenizeRule(rule: string): RuleToken[] {
  const tokens: RuleToken[] = [];
  let i = 0;
  while (i < rule.length) {
    const c = rule[i]!;
    const position = i + 1;
    if (/\s/.test(c)) i++;
    else if (c === '`') {
      const close = rule.indexOf('`', i + 1);
      if (close < 0) throw new RuleSyntaxError(`unclosed backtick at character ${position}`, position);
      tokens.push({ kind: 'string', value: rule.slice(i + 1, close), position });
      i = close + 1;
    } else if (c === '"') {
      let value = '';
      let j = i + 1;
      for (; j < rule.length && rule[j] !== '"'; j++) {
        if (rule[j] === '\\' && j + 1 < rule.length) j++;
        value += rule[j];
      }
      if (j >= rule.length) throw new RuleSyntaxError(`unclosed double quote at character ${position}`, position);
      tokens.push({ kind: 'string', value, position });
      i = j + 1;
    } else if (c === "'") {
      throw new RuleSyntaxError(`single quote at character ${position}; Traefik rule values go in backticks`, position);
    } else if (c === '&' || c === '|') {
      if (rule[i + 1] !== c) throw new RuleSyntaxError(`lone "${c}" at character ${position}; use "${c}${c}"`, position);
      tokens.push({ kind: c === '&' ? '&&' : '||', value: c + c, position });
      i += 2;
    } else if ('(),!'.includes(c)) {
      tokens.push({ kind: c as '(' | ')' | ',' | '!', value: c, position });
      i++;
    } else if (/[A-Za-z]/.test(c)) {
      const match = /^[A-Za-z][A-Za-z0-9_]*/.exec(rule.slice(i))![0];
      tokens.push({ kind: 'ident', value: match, position });
      i += match.length;
    } else {
      throw new RuleSyntaxError(`unexpected "${c}" at character ${position}`, position);
    }
  }
  tokens.push({ kind: 'end', value: '', position: rule.length + 1 });
  return tokens;
}

/** Parses a Traefik router rule: matchers with quoted arguments, `!`, `&&`, `||` and parentheses. */
export function parseRule(rule: string): RuleNode {
  const tokens = tokenizeRule(rule);
  let index = 0;
  const peek = () => tokens[index]!;
  const next = () => tokens[index++]!;
  const describeToken = (t: RuleToken) => (t.kind === 'end' ? 'the end of the rule' : `"${t.value}"`);

  // `||` binds looser than `&&`; both group from the left.
  const parseChain = (operator: '||' | '&&', type: 'or' | 'and', parseOperand: () => RuleNode): RuleNode => {
    let left = parseOperand();
    while (peek().kind === operator) {
      next();
      left = { type, left, right: parseOperand() };
    }
    return left;
  };
  const parseOr = (): RuleNode => parseChain('||', 'or', parseAnd);
  const parseAnd = (): RuleNode => parseChain('&&', 'and', parseUnary);
  const parseUnary = (): RuleNode => {
    if (peek().kind === '!') {
      next();
      return { type: 'not', operand: parseUnary() };
    }
    const token = next();
    if (token.kind === '(') {
      const inner = parseOr();
      const close = next();
      if (close.kind !== ')') {
        throw new RuleSyntaxError(
          `"(" at character ${token.position} is never closed (found ${describeToken(close)} at character ${close.position})`,
          token.position,
        );
      }
      return inner;
    }
    if (token.kind !== 'ident') {
      throw new RuleSyntaxError(
        `expected a matcher such as Host(\`…\`) at character ${token.position}, found ${describeToken(token)}`,
        token.position,
      );
    }
    const open = next();
    if (open.kind !== '(') {
      throw new RuleSyntaxError(`expected "(" after ${token.value} at character ${open.position}`, open.position);
    }
    const args: string[] = [];
    if (peek().kind !== ')') {
      for (;;) {
        const arg = next();
        if (arg.kind !== 'string') {
          throw new RuleSyntaxError(
            `expected a quoted value in ${token.value}(…) at character ${arg.position}, found ${describeToken(arg)}`,
            arg.position,
          );
        }
        args.push(arg.value);
        if (peek().kind !== ',') break;
        next();
      }
    }
    const close = next();
    if (close.kind !== ')') {
      throw new RuleSyntaxError(
        `${token.value}( at character ${open.position} is never closed (found ${describeToken(close)} at character ${close.position})`,
        open.position,
      );
    }
    return { type: 'matcher', name: token.value, args, position: token.position };
  };

  const tree = parseOr();
  const rest = peek();
  if (rest.kind !== 'end') {
    const what = rest.kind === ')' ? '")" without a matching "("' : `${describeToken(rest)}; join matchers with && or ||`;
    throw new RuleSyntaxError(`unexpected ${what} at character ${rest.position}`, rest.position);
  }
  return tree;
}

/** The rule's tree, or undefined when there is no rule or it does not parse. */
export function tryParseRule(rule: string | undefined): RuleNode | undefined {
  if (rule === undefined) return undefined;
  try {
    return parseRule(rule);
  } catch {
    return undefined;
  }
}

/** Every matcher of a rule tree, in order. */
export function matchersOf(node: RuleNode): Extract<RuleNode, { type: 'matcher' }>[] {
  if (node.type === 'matcher') return [node];
  if (node.type === 'not') return matchersOf(node.operand);
  return [...matchersOf(node.left), ...matchersOf(node.right)];
}

/** Hostnames named by `Host(...)` matchers in a rule, e.g. Host(`a`) || Host(`b`, `c`). */
export function hostsInRule(rule: string): string[] {
  try {
    return matchersOf(parseRule(rule))
      .filter((m) => m.name.toLowerCase() === 'host')
      .flatMap((m) => m.args);
  } catch {
    const hosts: string[] = [];
    for (const match of rule.matchAll(/Host\(([^)]*)\)/g)) {
      for (const quoted of match[1]!.matchAll(/[`"']([^`"']+)[`"']/g)) hosts.push(quoted[1]!);
    }
    return hosts;
  }
}

const normaliseHost = (host: string) => host.trim().toLowerCase().replace(/\.$/, '');

/** A JS RegExp for a HostRegexp argument: v3 takes a Go regexp, v2 a `{name:regexp}` template. */
function hostRegexp(pattern: string, syntax: 'v2' | 'v3'): RegExp | undefined {
  try {
    if (syntax === 'v3') return new RegExp(pattern, 'i');
    let source = '';
    for (const part of pattern.split(/(\{[^}]*\})/)) {
      if (part.startsWith('{') && part.endsWith('}')) {
        const colon = part.indexOf(':');
        source += colon < 0 ? '[^.]+' : `(?:${part.slice(colon + 1, -1)})`;
      } else source += part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    }
    return new RegExp(`^${source}$`, 'i');
  } catch {
    return undefined;
  }
}

/**
 * Whether a rule can match requests for `hostname`: true/false when the Host matchers decide it,
 * undefined ("depends") when other matchers (paths, headers, …) decide. Kleene logic.
 */
export function ruleMatchesHost(node: RuleNode, hostname: string, syntax: 'v2' | 'v3' = 'v3'): boolean | undefined {
  const host = normaliseHost(hostname);
  switch (node.type) {
    case 'matcher': {
      const name = node.name.toLowerCase();
      if (name === 'host' || name === 'hostheader') return node.args.some((a) => normaliseHost(a) === host);
      if (name === 'hostregexp') {
        const results = node.args.map((a) => hostRegexp(a, syntax)?.test(host));
        if (results.some((r) => r === true)) return true;
        return results.every((r) => r === false) ? false : undefined;
      }
      return undefined;
    }
    case 'not': {
      const value = ruleMatchesHost(node.operand, hostname, syntax);
      return value === undefined ? undefined : !value;
    }
    case 'and': {
      const left = ruleMatchesHost(node.left, hostname, syntax);
      const right = ruleMatchesHost(node.right, hostname, syntax);
      if (left === false || right === false) return false;
      return left === true && right === true ? true : undefined;
    }
    case 'or': {
      const left = ruleMatchesHost(node.left, hostname, syntax);
      const right = ruleMatchesHost(node.right, hostname, syntax);
      if (left === true || right === true) return true;
      return left === false && right === false ? false : undefined;
    }
  }
}

/** True when a Host/HostRegexp matcher outside any `!` names `hostname`. */
export function ruleNamesHost(node: RuleNode, hostname: string, syntax: 'v2' | 'v3' = 'v3', negated = false): boolean {
  if (node.type === 'not') return ruleNamesHost(node.operand, hostname, syntax, !negated);
  if (node.type !== 'matcher') {
    return ruleNamesHost(node.left, hostname, syntax, negated) || ruleNamesHost(node.right, hostname, syntax, negated);
  }
  return !negated && /^host/i.test(node.name) && ruleMatchesHost(node, hostname, syntax) === true;
}

/** Matchers and how many arguments each takes, per rule syntax (`[min, max]`). */
export const RULE_MATCHERS: Record<'v2' | 'v3', Record<string, [number, number]>> = {
  v3: {
    ClientIP: [1, 1],
    Method: [1, 1],
    Host: [1, 1],
    HostRegexp: [1, 1],
    Path: [1, 1],
    PathRegexp: [1, 1],
    PathPrefix: [1, 1],
    Header: [2, 2],
    HeaderRegexp: [2, 2],
    Query: [1, 2],
    QueryRegexp: [1, 2],
  },
  v2: {
    ClientIP: [1, Infinity],
    Method: [1, Infinity],
    Host: [1, Infinity],
    HostHeader: [1, Infinity],
    HostRegexp: [1, Infinity],
    Path: [1, Infinity],
    PathPrefix: [1, Infinity],
    Headers: [2, 2],
    HeadersRegexp: [2, 2],
    Query: [1, Infinity],
  },
};

/** Problems Traefik would reject the rule for: unknown matchers and wrong argument counts. */
export function ruleMatcherProblems(node: RuleNode, syntax: 'v2' | 'v3'): string[] {
  const table = RULE_MATCHERS[syntax];
  const problems: string[] = [];
  for (const matcher of matchersOf(node)) {
    const known = Object.keys(table).find((k) => k === matcher.name || k.toLowerCase() === matcher.name);
    if (!known) {
      const other = Object.keys(RULE_MATCHERS[syntax === 'v3' ? 'v2' : 'v3']).find((k) => k === matcher.name);
      problems.push(
        other
          ? `${matcher.name}() at character ${matcher.position} is ${syntax === 'v3' ? 'Traefik v2' : 'Traefik v3'} syntax, not ${syntax}`
          : `unknown matcher ${matcher.name}() at character ${matcher.position} (known: ${Object.keys(table).join(', ')})`,
      );
      continue;
    }
    const [min, max] = table[known]!;
    const count = matcher.args.length;
    if (count < min || count > max) {
      const expected = min === max ? `${min}` : max === Infinity ? `at least ${min}` : `${min} or ${max}`;
      problems.push(`${known}() at character ${matcher.position} has ${count} value${count === 1 ? '' : 's'}; ${syntax} rules expect ${expected}`);
    }
  }
  return problems;
}
