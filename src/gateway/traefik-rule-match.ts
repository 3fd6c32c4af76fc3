/**
 * Whether a Traefik rule matches one request, and which part of it did not: teams gate LiteLLM's
 * routers on the key (`Host(…) && HeaderRegexp(\`Authorization\`, \`^Bearer\s+.+\`)`), so a request
 * without the header gets Traefik's 404 although routers for the host exist. Probes use this to
 * say which router and which matcher refused a request, instead of "no router for this host".
 *
 * What the request does not say (its path, its client IP…) leaves a matcher undecided: Kleene
 * logic, as for hosts in ./traefik-rules.ts.
 */
import { ruleMatchesHost, type RuleNode } from './traefik-rules.ts';

/** What is known of a request; a field left out is unknown. Header names in any case. */
export interface RuleRequest {
  host?: string;
  path?: string;
  method?: string;
  headers?: Record<string, string>;
}

type Syntax = 'v2' | 'v3';
type Matcher = Extract<RuleNode, { type: 'matcher' }>;

const HEADER_MATCHERS = ['header', 'headerregexp', 'headers', 'headersregexp'];

/** A Go regexp as a JS one: `(?i)` up front becomes the `i` flag; undefined when JS cannot read it. */
function goRegexp(pattern: string): RegExp | undefined {
  const insensitive = pattern.startsWith('(?i)');
  try {
    return new RegExp(insensitive ? pattern.slice(4) : pattern, insensitive ? 'i' : '');
  } catch {
    return undefined;
  }
}

/** The request's values of a header (matched without case, as Traefik canonicalises names). */
function headerValues(request: RuleRequest, name: string): string[] | undefined {
  if (!request.headers) return undefined;
  const wanted = name.toLowerCase();
  return Object.entries(request.headers).filter(([key]) => key.toLowerCase() === wanted).map(([, value]) => value);
}

function matchMatcher(matcher: Matcher, request: RuleRequest, syntax: Syntax): boolean | undefined {
  const name = matcher.name.toLowerCase();
  const [first = '', second = ''] = matcher.args;
  if (name.startsWith('host')) return request.host === undefined ? undefined : ruleMatchesHost(matcher, request.host, syntax);
  if (HEADER_MATCHERS.includes(name)) {
    const values = headerValues(request, first);
    if (values === undefined) return undefined;
    if (!name.endsWith('regexp')) return values.includes(second);
    const regexp = goRegexp(second);
    return regexp ? values.some((v) => regexp.test(v)) : undefined;
  }
  if (name === 'method') return request.method === undefined ? undefined : matcher.args.some((m) => m.toUpperCase() === request.method!.toUpperCase());
  if (request.path === undefined) return undefined;
  const path = request.path;
  // v2's Path/PathPrefix take `{name:regexp}` templates: undecided rather than guessed.
  if ((name === 'path' || name === 'pathprefix') && matcher.args.some((a) => syntax === 'v2' && a.includes('{'))) return undefined;
  if (name === 'path') return matcher.args.includes(path);
  if (name === 'pathprefix') return matcher.args.some((prefix) => path.startsWith(prefix));
  if (name === 'pathregexp') {
    const regexp = goRegexp(first);
    return regexp ? regexp.test(path) : undefined;
  }
  return undefined; // ClientIP, Query…: the request does not say
}

/** Whether the rule matches the request: true, false, or undefined when what is unknown decides. */
export function ruleMatchesRequest(node: RuleNode, request: RuleRequest, syntax: Syntax = 'v3'): boolean | undefined {
  switch (node.type) {
    case 'matcher':
      return matchMatcher(node, request, syntax);
    case 'not': {
      const value = ruleMatchesRequest(node.operand, request, syntax);
      return value === undefined ? undefined : !value;
    }
    case 'and': {
      const left = ruleMatchesRequest(node.left, request, syntax);
      const right = ruleMatchesRequest(node.right, request, syntax);
      if (left === false || right === false) return false;
      return left === true && right === true ? true : undefined;
    }
    case 'or': {
      const left = ruleMatchesRequest(node.left, request, syntax);
      const right = ruleMatchesRequest(node.right, request, syntax);
      if (left === true || right === true) return true;
      return left === false && right === false ? false : undefined;
    }
  }
}

/** A matcher as a rule writes it: Header(`Authorization`, `Bearer x`). */
export function matcherText(matcher: Matcher): string {
  return `${matcher.name}(${matcher.args.map((a) => `\`${a}\``).join(', ')})`;
}

/** The part of a rule that made it refuse the request, and the header matchers among it. */
export interface RuleMismatch {
  /** E.g. HeaderRegexp(`Authorization`, `^Bearer\s+.+`), or (Path(`/`) || PathPrefix(`/ui`)). */
  text: string;
  /** The header matchers that did not match, with what the request carried. */
  headers: { matcher: string; header: string; sent: boolean }[];
}

/** Why the rule does not match the request (undefined when it matches or cannot tell). */
export function explainMismatch(node: RuleNode, request: RuleRequest, syntax: Syntax = 'v3'): RuleMismatch | undefined {
  if (ruleMatchesRequest(node, request, syntax) !== false) return undefined;
  const headers: RuleMismatch['headers'] = [];
  const explain = (n: RuleNode, parent: RuleNode['type'] | undefined): string => {
    switch (n.type) {
      case 'matcher': {
        if (HEADER_MATCHERS.includes(n.name.toLowerCase())) {
          const header = n.args[0] ?? '';
          headers.push({ matcher: matcherText(n), header, sent: (headerValues(request, header) ?? []).length > 0 });
        }
        return matcherText(n);
      }
      case 'not':
        return `!${n.operand.type === 'matcher' ? matcherText(n.operand) : `(${wholeText(n.operand)})`}`;
      case 'and': {
        // Only the operands that failed refused the request.
        const failed = [n.left, n.right].filter((side) => ruleMatchesRequest(side, request, syntax) === false).map((side) => explain(side, 'and'));
        return failed.join(' && ');
      }
      case 'or': {
        const text = `${explain(n.left, 'or')} || ${explain(n.right, 'or')}`;
        return parent === 'and' ? `(${text})` : text;
      }
    }
  };
  return { text: explain(node, undefined), headers };
}

/** The whole rule (or part) as text. */
function wholeText(node: RuleNode): string {
  if (node.type === 'matcher') return matcherText(node);
  if (node.type === 'not') return `!${node.operand.type === 'matcher' ? matcherText(node.operand) : `(${wholeText(node.operand)})`}`;
  const joined = `${wholeText(node.left)} ${node.type === 'and' ? '&&' : '||'} ${wholeText(node.right)}`;
  return node.type === 'or' ? `(${joined})` : joined;
}
