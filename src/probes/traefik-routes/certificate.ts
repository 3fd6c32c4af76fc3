/**
 * The certificate Traefik serves for an https host: fetched like a client of the host would
 * (SNI = hostname), kept even when it does not verify, so the finding can say what is wrong with
 * it: expired, not yet valid, expiring soon, not covering the name, or not trusted.
 */
import { readFileSync } from 'node:fs';
import type { X509Certificate } from 'node:crypto';
import tls from 'node:tls';
import type { Host } from '../../config/schema.ts';
import { displayPath } from '../../fs/paths.ts';
import type { Findings } from '../kit/findings.ts';
import { connectionHint, errorText, requestSignal } from '../kit/live-http.ts';
import type { ProbeContext, TranscriptEntry } from '../types.ts';
import type { RouteCertificateFact, RouteHostFact } from './facts.ts';

/** Node's verification errors that the state and name checks already report. */
const REPORTED_ELSEWHERE = ['CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID', 'ERR_TLS_CERT_ALTNAME_INVALID'];

/**
 * Inspects the certificate of an https host into `fact.certificate` (or `fact.certificateError`),
 * with findings for what is wrong; the TLS handshake goes to `transcript`.
 */
export async function checkCertificate(
  host: Host,
  fact: RouteHostFact,
  context: ProbeContext,
  options: { requestTimeoutMs: number; certWarnDays: number },
  findings: Findings,
  transcript: TranscriptEntry[],
): Promise<void> {
  const where = `${host.name} (${host.url})`;
  const url = new URL(host.url);
  try {
    const inspected = await inspectCertificate(host, context, options.requestTimeoutMs);
    transcript.push(inspected.entry);
    const cert = certificateFact(inspected.certificate, inspected.verifyError, url.hostname, options.certWarnDays);
    fact.certificate = cert;
    const about = `the certificate Traefik serves for ${url.hostname} (subject ${cert.subject}, issuer ${cert.issuer}, SAN ${cert.san.join(', ') || 'none'})`;
    if (cert.state === 'expired') {
      findings.fail('cert.expired', `${where}: ${about} expired on ${cert.validTo.slice(0, 10)}; renew it and point Traefik's tls.certificates (or certresolver) at the new one`);
    } else if (cert.state === 'not-yet-valid') {
      findings.fail('cert.not-yet-valid', `${where}: ${about} is not valid before ${cert.validFrom.slice(0, 10)} (check the clock)`);
    } else if (cert.state === 'expiring') {
      findings.warn('cert.expiring', `${where}: ${about} expires on ${cert.validTo.slice(0, 10)}, within the ${options.certWarnDays}-day warning window; renew it`);
    }
    if (!cert.matchesHost) {
      const fallback = /TRAEFIK DEFAULT CERT/i.test(cert.subject) ? ' — it is Traefik\'s default certificate: no configured certificate covers this name' : '';
      findings.fail('cert.name', `${where}: ${about} does not cover ${url.hostname}${fallback}`);
    }
    if (!cert.trusted && cert.verifyError && !REPORTED_ELSEWHERE.includes(cert.verifyError)) {
      const trust = host.caFile ? `the host's caFile ${displayPath(context.config.rootDir, host.caFile)}` : 'the system CAs';
      findings.fail('cert.untrusted', `${where}: ${about} does not verify against ${trust}: ${cert.verifyError}`);
    }
  } catch (error) {
    context.signal.throwIfAborted();
    fact.certificateError = errorText(error);
    findings.fail(
      'cert.unavailable',
      `${where}: no TLS handshake with ${url.hostname}:${tlsPort(url)}: ${fact.certificateError} — ${connectionHint(host, fact.certificateError)}`,
    );
  }
}

function tlsPort(url: URL): number {
  return Number(url.port || 443);
}

/** Connects like a client of this host would (SNI = hostname) and keeps the peer certificate even when it does not verify. */
async function inspectCertificate(
  host: Host,
  context: ProbeContext,
  timeoutMs: number,
): Promise<{ certificate: X509Certificate; verifyError?: string; entry: TranscriptEntry }> {
  const url = new URL(host.url);
  const port = tlsPort(url);
  const address = host.resolveTo ?? url.hostname;
  const ca = host.caFile ? readFileSync(host.caFile, 'utf8') : undefined;
  const signal = requestSignal(context, timeoutMs);
  const at = new Date().toISOString();
  const started = performance.now();
  signal.throwIfAborted();
  const socket = tls.connect({ host: address, port, servername: url.hostname, ...(ca ? { ca } : {}), rejectUnauthorized: false });
  socket.on('error', () => {}); // errors are handled below; none may escape after the handshake
  try {
    await new Promise<void>((resolve, reject) => {
      const onAbort = () => reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
      signal.addEventListener('abort', onAbort, { once: true });
      socket.once('secureConnect', () => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      });
      socket.once('error', (error) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      });
    });
    const certificate = socket.getPeerX509Certificate();
    if (!certificate) throw new Error('the server sent no certificate');
    const verifyError = socket.authorized ? undefined : String(socket.authorizationError ?? 'not verified');
    const entry: TranscriptEntry = {
      at,
      kind: 'tls',
      address: `${address}:${port}`,
      servername: url.hostname,
      caFile: host.caFile,
      protocol: socket.getProtocol(),
      authorized: socket.authorized,
      ...(verifyError ? { authorizationError: verifyError } : {}),
      subject: certificate.subject,
      issuer: certificate.issuer,
      subjectAltName: certificate.subjectAltName,
      validFrom: certificate.validFrom,
      validTo: certificate.validTo,
      serialNumber: certificate.serialNumber,
      fingerprint256: certificate.fingerprint256,
      durationMs: Math.round(performance.now() - started),
    };
    return { certificate, ...(verifyError ? { verifyError } : {}), entry };
  } finally {
    socket.destroy();
  }
}

function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function certificateFact(certificate: X509Certificate, verifyError: string | undefined, hostname: string, warnDays: number): RouteCertificateFact {
  const validFrom = new Date(certificate.validFrom);
  const validTo = new Date(certificate.validTo);
  const now = Date.now();
  const state: RouteCertificateFact['state'] =
    validTo.getTime() <= now
      ? 'expired'
      : validFrom.getTime() > now
        ? 'not-yet-valid'
        : validTo.getTime() - now < warnDays * 86_400_000
          ? 'expiring'
          : 'valid';
  const san = (certificate.subjectAltName ?? '')
    .split(/,\s*/)
    .filter(Boolean)
    .map((entry) => entry.replace(/^DNS:/, ''));
  return {
    subject: certificate.subject.replaceAll('\n', ', '),
    issuer: certificate.issuer.replaceAll('\n', ', '),
    san,
    validFrom: isoSeconds(validFrom),
    validTo: isoSeconds(validTo),
    matchesHost: certificate.checkHost(hostname) !== undefined,
    trusted: verifyError === undefined,
    ...(verifyError ? { verifyError } : {}),
    state,
  };
}
