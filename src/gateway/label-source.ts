/**
 * What a compose file or a `docker run` script says about Traefik: its services, networks and
 * labels, each with its line, and what is wrong with the file itself. Both parsers
 * (./compose-file.ts, ./docker-run-script.ts) produce this shape; ./read-labels.ts picks one.
 */

export interface Label {
  service: string;
  key: string;
  value: string;
  file: string;
  line: number;
}

/** A compose service (or one `docker run` command) and what Traefik's routing depends on. */
export interface ComposeServiceInfo {
  name: string;
  line: number;
  /** Line of the service's `labels:` key (compose) or of its `docker run` (script). */
  labelsLine?: number;
  image?: string;
  /** Networks the service joins; undefined when it names none (compose: `default`, docker run: `bridge`). */
  networks?: string[];
  networkMode?: string;
}

/** A top-level compose network. */
export interface NetworkInfo {
  key: string;
  /** `name:` of the network, when set. */
  name?: string;
  external: boolean;
  line: number;
}

/** Something wrong with the file itself (not with the routing it declares). */
export interface SourceProblem {
  severity: 'fail' | 'warn';
  code: string;
  line: number;
  /** 1-based column, when known (the message says it too). */
  column?: number;
  message: string;
}

/** Everything read from one compose file or `docker run` script. */
export interface LabelSource {
  file: string;
  format: 'compose' | 'docker-run' | 'labels';
  services: ComposeServiceInfo[];
  networks: NetworkInfo[];
  labels: Label[];
  problems: SourceProblem[];
  /** False when the file could not be read as this format at all (invalid YAML, no services, no docker run). */
  usable: boolean;
}
