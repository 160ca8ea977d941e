import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { requireProgram } from '../which.ts';

const run = promisify(execFile);

export interface ClusterPki {
  readonly caCert: string;
  readonly caCertPem: string;
  readonly serverCert: string;
  readonly serverKey: string;
  readonly saKey: string;
  readonly saPub: string;
}

/**
 * A fresh CA per cluster (so two clusters never trust each other's certificates), a serving certificate
 * for 127.0.0.1 and the in-cluster names, and the service-account signing key pair.
 */
export async function createPki(dir: string): Promise<ClusterPki> {
  const openssl = requireProgram('openssl', "install it with 'apt-get install openssl'");
  const p = (f: string): string => join(dir, f);
  const ossl = (...args: string[]): Promise<unknown> => run(openssl, args, { cwd: dir });
  await ossl(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '3650',
    '-subj',
    `/CN=capstan-test-ca-${Date.now()}`,
    '-keyout',
    p('ca.key'),
    '-out',
    p('ca.crt'),
  );
  await ossl(
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-subj',
    '/CN=kube-apiserver',
    '-keyout',
    p('apiserver.key'),
    '-out',
    p('apiserver.csr'),
  );
  await writeFile(
    p('apiserver.ext'),
    'subjectAltName=IP:127.0.0.1,IP:10.96.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local\n' +
      'extendedKeyUsage=serverAuth\nkeyUsage=digitalSignature,keyEncipherment\n',
  );
  await ossl(
    'x509',
    '-req',
    '-in',
    p('apiserver.csr'),
    '-CA',
    p('ca.crt'),
    '-CAkey',
    p('ca.key'),
    '-CAcreateserial',
    '-days',
    '3650',
    '-out',
    p('apiserver.crt'),
    '-extfile',
    p('apiserver.ext'),
  );
  await ossl('genrsa', '-out', p('sa.key'), '2048');
  await ossl('rsa', '-in', p('sa.key'), '-pubout', '-out', p('sa.pub'));
  return {
    caCert: p('ca.crt'),
    caCertPem: await readFile(p('ca.crt'), 'utf8'),
    serverCert: p('apiserver.crt'),
    serverKey: p('apiserver.key'),
    saKey: p('sa.key'),
    saPub: p('sa.pub'),
  };
}
