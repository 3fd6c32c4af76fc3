/** How `init` recognises `secrets.audit` in hand-written runbooks: plan items about secrets, and sections listing `.env` files. */
import { countMatches, headerCells, plainListItems, type ProbeAdoption } from '../kit/adopt.ts';

export const adopt: ProbeAdoption = {
  item: { pattern: /secret|\.env\b|credential/i, keywords: 'secret, .env, credential', rank: 60 },
  region: {
    heading: /\b(secrets?|credentials?|env(?:ironment)? files?)\b/i,
    body: /\.env\b|\bsecrets?\//i,
    isData(block, text) {
      const raw = text.slice(block.position!.start.offset!, block.position!.end.offset!);
      if (block.type === 'table') {
        return countMatches(headerCells(block), /^(file|secrets?|keys?|variables?|source|env)/) >= 1 && /\.env\b/.test(raw);
      }
      if (block.type === 'list') {
        const items = plainListItems(block, text);
        return Boolean(items?.length) && countMatches(items!, /\.env\b/) >= Math.ceil(items!.length / 2);
      }
      return false;
    },
    rank: 40,
  },
};
