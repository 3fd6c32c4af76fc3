/**
 * Makes the lab's TLS material with openssl: a throwaway CA and a server certificate whose
 * SANs are the https hostnames. Proofbook trusts the CA through the host's `caFile`.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';

export interface LabCertificates {
  caFile: string;
  certFile: string;
  keyFile: string;
}

export async function makeCertificates(certDir: string, hostnames: string[]): Promise<LabCertificates> {
  await mkdir(certDir, { recursive: true });
  const file = (name: string) => path.join(certDir, name);
  const caKey = file('ca-key.pem');
  const caFile = file('ca.pem');
  const keyFile = file('server-key.pem');
  const csr = file('server.csr');
  const certFile = file('server.pem');
  const extFile = file('server.ext');
  const openssl = (...args: string[]) => execa('openssl', args, { cwd: certDir });

  await openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '30', '-subj', '/CN=Proofbook lab CA',
    '-keyout', caKey, '-out', caFile);
  await openssl('req', '-newkey', 'rsa:2048', '-nodes', '-subj', `/CN=${hostnames[0] ?? 'localhost'}`,
    '-keyout', keyFile, '-out', csr);
  await writeFile(extFile, `subjectAltName=${hostnames.map((h) => `DNS:${h}`).join(',')}\n`);
  await openssl('x509', '-req', '-in', csr, '-CA', caFile, '-CAkey', caKey, '-CAcreateserial', '-days', '30',
    '-extfile', extFile, '-out', certFile);
  return { caFile, certFile, keyFile };
}
