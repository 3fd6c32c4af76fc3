/**
 * How `init` recognises `traefik.labels` in hand-written runbooks: plan items about routing, and
 * routing sections (a hosts/routers table, a pasted label block) — the gateway's, naming its
 * hosts, routers or compose service, not another service's.
 */
import type { Code } from 'mdast';
import { countMatches, headerCells, namesAny, type ProbeAdoption } from '../kit/adopt.ts';

export const adopt: ProbeAdoption = {
  item: {
    pattern: /traefik label|\blabels?\b[^.;]*\b(compose|traefik)\b|docker-compose|\brout(?:ing|ers?)\b/i,
    keywords: 'Traefik label(s), labels … compose, docker-compose, routing, router',
    rank: 10,
  },
  region: {
    heading: /\b(rout(?:e|es|ing|ers?)|traefik|reverse[\s-]proxy|ingress|hostnames?|entry ?points?)\b/i,
    body: /traefik|label|router|entry ?point|Host\(|hostname/i,
    isData(block, text, gateway) {
      const raw = text.slice(block.position!.start.offset!, block.position!.end.offset!);
      const known = [...gateway.hosts, ...gateway.services];
      const ours = known.length ? namesAny(raw, known) : true;
      if (block.type === 'table') return countMatches(headerCells(block), /^(hosts?|hostname|router|entry ?points?|rule|service|port|tls|url)\b/) >= 2 && ours;
      if (block.type === 'code') return /traefik\.http\.routers\./.test((block as Code).value) && ours;
      return false;
    },
    rank: 10,
  },
};
