/**
 * How `init` recognises `secrets.audit` in hand-written runbooks: plan items about secrets, and
 * sections listing the gateway's `.env` files. A list of environment variables, or of another
 * service's `.env` files, is not the gateway's secrets list.
 */
import { countMatches, headerCells, namesAny, plainListItems, type ProbeAdoption } from '../kit/adopt.ts';

export const adopt: ProbeAdoption = {
  item: { pattern: /secret|\.env\b|credential/i, keywords: 'secret, .env, credential', rank: 60 },
  region: {
    heading: /\b(secrets?|credentials?|env(?:ironment)? files?)\b/i,
    body: /\.env\b|\bsecrets?\//i,
    isData(block, text, gateway) {
      const raw = text.slice(block.position!.start.offset!, block.position!.end.offset!);
      // The gateway's own secrets files (when they are known), or its service's name beside the files.
      const ours = gateway.secretsFiles.length || gateway.services.length ? namesAny(raw, [...gateway.secretsFiles, ...gateway.services]) : true;
      if (block.type === 'table') {
        return countMatches(headerCells(block), /^(file|secrets?|keys?|variables?|source|env)/) >= 1 && /\.env\b/.test(raw) && ours;
      }
      if (block.type === 'list') {
        const items = plainListItems(block, text);
        return Boolean(items?.length) && countMatches(items!, /\.env\b/) >= Math.ceil(items!.length / 2) && ours;
      }
      return false;
    },
    rank: 40,
  },
};
