/**
 * Why an Open WebUI cell of another host is a `skip`: an Open WebUI instance reaches the gateway
 * through the one host its `.env` (and its admin settings) name; the other hosts' cells say so.
 */
export function oneHostOnly(host: string, other: string, envFile: string): string {
  return `this Open WebUI is set up against ${host} only (${envFile || 'probes."openwebui.config".host'}); nothing of it goes through ${other}`;
}
