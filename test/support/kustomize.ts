// The manifests an overlay renders to, with the real kubectl, as plain objects.
import path from 'node:path';
import { execa } from 'execa';
import { parseAllDocuments } from 'yaml';

export type Manifest = {
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: any;
  data?: Record<string, string>;
};

export async function renderOverlay(projectDir: string, overlay: string): Promise<Manifest[]> {
  const { stdout } = await execa('kubectl', ['kustomize', path.join(projectDir, 'k8s', 'overlays', overlay)]);
  return parseAllDocuments(stdout).map((document) => document.toJS() as Manifest);
}

/** kustomize names a generated ConfigMap with a hash of its content, and the Deployment after it: the
 * objects as the other manifests formats name them. */
export function withoutConfigMapHash(manifests: Manifest[]): Manifest[] {
  return JSON.parse(JSON.stringify(manifests).replace(/"([a-z0-9-]+-config)-[a-z0-9]{10}"/g, '"$1"')) as Manifest[];
}
