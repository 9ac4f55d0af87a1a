import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { requireTool, run } from './files';

export interface Certificate {
  certFile: string;
  keyFile: string;
  /** PEM, for clients to trust (the tests verify TLS instead of switching verification off). */
  pem: string;
}

/** A self-signed certificate for 127.0.0.1 and localhost, valid one day. */
export function makeCertificate(dir: string): Certificate {
  const openssl = requireTool('openssl', 'openssl');
  const certFile = join(dir, 'tls.crt');
  const keyFile = join(dir, 'tls.key');
  const made = run(openssl, [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-subj',
    '/CN=localhost',
    '-days',
    '1',
    '-addext',
    'subjectAltName=IP:127.0.0.1,DNS:localhost',
    '-keyout',
    keyFile,
    '-out',
    certFile,
  ]);
  if (made.status !== 0) throw new Error(`openssl req failed:\n${made.stderr}`);
  return { certFile, keyFile, pem: readFileSync(certFile, 'utf8') };
}
