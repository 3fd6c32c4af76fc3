/**
 * What `openwebui.list` and `openwebui.invoke` take from the config: where Open WebUI is and the
 * admin token's variable (their own options, else `openwebui.list`'s, else `openwebui.config`'s
 * `live`), and the gateway host, port policy, MCP endpoint and servers `openwebui.config` names.
 */
import type { Host } from '../../config/schema.ts';
import { gatewayMcp } from '../../config/gateway-mcp.ts';
import type { Config } from '../config.ts';
import { endpointFor, type PortPolicy } from '../kit/client-shared.ts';
import type { OpenWebuiAccess } from '../kit/openwebui-api.ts';
import { siblingOptions } from '../kit/sibling-options.ts';
import { OpenWebuiConfigOptionsSchema } from '../openwebui-config/options.ts';
import { OpenWebuiListOptionsSchema, type OpenWebuiListOptions } from './options.ts';

export interface OpenWebuiSettings {
  /** Undefined when no URL is configured anywhere (the probe is skipped). */
  access?: OpenWebuiAccess;
  /** Which option to fix for the URL. */
  urlOption: string;
  hostName: string;
  /** Undefined when `hostName` is not in `hosts`. */
  host?: Host;
  ports: PortPolicy;
  endpoint?: string;
  knownServers: string[];
}

export function openWebuiSettings(config: Config, id: string, own: Partial<Pick<OpenWebuiListOptions, 'url' | 'tokenEnvVar' | 'requestTimeoutMs'>>): OpenWebuiSettings {
  const list: Partial<OpenWebuiListOptions> = id === 'openwebui.list' ? {} : siblingOptions(config, 'openwebui.list', OpenWebuiListOptionsSchema);
  const configOptions = siblingOptions(config, 'openwebui.config', OpenWebuiConfigOptionsSchema);
  const live = configOptions.live;
  const url = own.url ?? list.url ?? live?.url;
  const urlOption = own.url ? `probes."${id}".url` : list.url ? 'probes."openwebui.list".url' : live?.url ? 'probes."openwebui.config".live.url' : `probes."${id}".url`;
  const gateway = gatewayMcp(config);
  const host = config.hosts.find((h) => h.name === configOptions.host);
  return {
    ...(url
      ? {
          access: {
            url,
            tokenEnvVar: own.tokenEnvVar ?? list.tokenEnvVar ?? live?.tokenEnvVar ?? 'OPENWEBUI_ADMIN_TOKEN',
            requestTimeoutMs: own.requestTimeoutMs ?? list.requestTimeoutMs ?? live?.requestTimeoutMs ?? 15_000,
          },
        }
      : {}),
    urlOption,
    hostName: configOptions.host,
    ...(host ? { host, endpoint: endpointFor(host, configOptions.mcpPath ?? gateway.path) } : {}),
    ports: configOptions.ports,
    knownServers: configOptions.servers ?? gateway.servers,
  };
}
