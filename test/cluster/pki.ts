// Certificates and keys of the test cluster, made with openssl: one CA signs the API server's serving
// certificate and a client certificate per component; the service-account tokens have a key pair.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';

export interface ClientIdentity {
  /** The user name the API server sees (RBAC and the Node authorizer read it). */
  user: string;
  groups?: string[];
}

export interface ClusterPki {
  dir: string;
  ca: { cert: string; key: string };
  apiserver: { cert: string; key: string };
  serviceAccount: { publicKey: string; privateKey: string };
  client(name: string): { cert: string; key: string };
}

async function ecKey(file: string) {
  await execa('openssl', ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', file]);
}

/** Signs a certificate for `subject` with the CA; `extensions` is an openssl extension section. */
async function signed(dir: string, name: string, subject: string, extensions: string, ca: { cert: string; key: string }) {
  const key = path.join(dir, `${name}.key`);
  const cert = path.join(dir, `${name}.crt`);
  const csr = path.join(dir, `${name}.csr`);
  const extFile = path.join(dir, `${name}.ext`);
  await ecKey(key);
  await execa('openssl', ['req', '-new', '-key', key, '-subj', subject, '-out', csr]);
  writeFileSync(extFile, `[ext]\n${extensions}\n`);
  await execa('openssl', [
    'x509',
    '-req',
    '-in',
    csr,
    '-CA',
    ca.cert,
    '-CAkey',
    ca.key,
    '-CAcreateserial',
    '-days',
    '2',
    '-out',
    cert,
    '-extfile',
    extFile,
    '-extensions',
    'ext',
  ]);
  return { cert, key };
}

export async function createPki(dir: string, options: { nodeIp: string; serviceIp: string; clients: Record<string, ClientIdentity> }): Promise<ClusterPki> {
  mkdirSync(dir, { recursive: true });
  const ca = { cert: path.join(dir, 'ca.crt'), key: path.join(dir, 'ca.key') };
  await ecKey(ca.key);
  await execa('openssl', ['req', '-x509', '-new', '-key', ca.key, '-subj', '/CN=k8s-app-test-ca', '-days', '2', '-out', ca.cert]);

  const names = ['kubernetes', 'kubernetes.default', 'kubernetes.default.svc', 'kubernetes.default.svc.cluster.local', 'localhost'];
  const ips = ['127.0.0.1', options.nodeIp, options.serviceIp];
  const apiserver = await signed(
    dir,
    'apiserver',
    '/CN=kube-apiserver',
    [
      'basicConstraints=CA:FALSE',
      'keyUsage=digitalSignature,keyEncipherment',
      'extendedKeyUsage=serverAuth',
      `subjectAltName=${[...names.map((name) => `DNS:${name}`), ...ips.map((ip) => `IP:${ip}`)].join(',')}`,
    ].join('\n'),
    ca,
  );
  for (const [name, identity] of Object.entries(options.clients)) {
    const subject = `${(identity.groups ?? []).map((group) => `/O=${group}`).join('')}/CN=${identity.user}`;
    await signed(dir, name, subject, 'basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=clientAuth', ca);
  }

  const serviceAccount = { privateKey: path.join(dir, 'sa.key'), publicKey: path.join(dir, 'sa.pub') };
  await ecKey(serviceAccount.privateKey);
  await execa('openssl', ['pkey', '-in', serviceAccount.privateKey, '-pubout', '-out', serviceAccount.publicKey]);

  return { dir, ca, apiserver, serviceAccount, client: (name) => ({ cert: path.join(dir, `${name}.crt`), key: path.join(dir, `${name}.key`) }) };
}

/** A kubeconfig for one client certificate, talking to the API server at `server`. */
export function writeKubeconfig(file: string, server: string, pki: ClusterPki, client: string) {
  const { cert, key } = pki.client(client);
  writeFileSync(
    file,
    [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      '  - name: test',
      '    cluster:',
      `      server: ${server}`,
      `      certificate-authority: ${pki.ca.cert}`,
      'users:',
      `  - name: ${client}`,
      '    user:',
      `      client-certificate: ${cert}`,
      `      client-key: ${key}`,
      'contexts:',
      '  - name: test',
      '    context:',
      '      cluster: test',
      `      user: ${client}`,
      'current-context: test',
      '',
    ].join('\n'),
  );
}
