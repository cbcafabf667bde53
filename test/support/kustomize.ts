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
