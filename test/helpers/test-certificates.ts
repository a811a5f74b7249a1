import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface TestCertificates {
  /** The CA that signed the server certificate. */
  caFile: string;
  /** A CA that signed nothing the server presents. */
  otherCaFile: string;
  serverCertFile: string;
  serverKeyFile: string;
}

const openssl = (args: string[], cwd: string) => execFileSync('openssl', args, { cwd, stdio: 'pipe' });

/** A CA and a server certificate for localhost / 127.0.0.1 signed by it, plus an unrelated CA, made with openssl in `folder`. */
export function makeTestCertificates(folder: string): TestCertificates {
  for (const name of ['ca', 'other-ca']) {
    openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2',
      '-subj', `/CN=compliance-test-${name}`, '-keyout', `${name}.key`, '-out', `${name}.crt`], folder);
  }
  openssl(['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-subj', '/CN=localhost',
    '-keyout', 'server.key', '-out', 'server.csr'], folder);
  writeFileSync(join(folder, 'server.ext'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\n');
  openssl(['x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '2',
    '-extfile', 'server.ext', '-out', 'server.crt'], folder);
  return {
    caFile: join(folder, 'ca.crt'),
    otherCaFile: join(folder, 'other-ca.crt'),
    serverCertFile: join(folder, 'server.crt'),
    serverKeyFile: join(folder, 'server.key'),
  };
}
