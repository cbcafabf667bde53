// JSON schemas for kubeconform, generated offline from the real Kubernetes OpenAPI definitions
// (api/openapi-spec/swagger.json of the k8s.io/kubernetes module), the way openapi2jsonschema
// --kubernetes --strict makes them: one file per kind, unknown fields rejected.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';

type Schema = Record<string, unknown>;

/** Rewrites one schema node: strict objects, int-or-string and quantities as YAML writes them. */
function convert(node: unknown, refPrefix: string): unknown {
  if (Array.isArray(node)) return node.map((item) => convert(item, refPrefix));
  if (node === null || typeof node !== 'object') return node;
  const schema: Schema = {};
  for (const [key, value] of Object.entries(node as Schema)) {
    schema[key] = key === '$ref' && typeof value === 'string' ? value.replace('#/definitions/', `${refPrefix}#/definitions/`) : convert(value, refPrefix);
  }
  if (schema.format === 'int-or-string' || schema['x-kubernetes-int-or-string'] === true) {
    delete schema.type;
    delete schema.format;
    schema.oneOf = [{ type: 'string' }, { type: 'integer' }];
  }
  // A CRD's field that keeps what it is given (x-kubernetes-preserve-unknown-fields) is open.
  const preservesUnknown = schema['x-kubernetes-preserve-unknown-fields'] === true;
  // A map of property names is no schema, even when it has properties called "properties" and "type"
  // (JSONSchemaProps does): a schema's type is a string.
  const isSchema = schema.type === undefined || typeof schema.type === 'string';
  // Like kubectl's validation: an object with declared properties accepts no others.
  if (isSchema && schema.properties && schema.additionalProperties === undefined && !preservesUnknown) schema.additionalProperties = false;
  // The API server takes an optional field set to null as not set (`annotations:` with nothing after
  // it is such a null); a required one must have a value.
  if (isSchema && schema.properties) {
    const required = new Set((schema.required ?? []) as string[]);
    schema.properties = Object.fromEntries(
      Object.entries(schema.properties as Schema).map(([name, property]) => [name, required.has(name) ? property : { anyOf: [property, { type: 'null' }] }]),
    );
  }
  return schema;
}

/** `deployment-apps-v1.json`, `service-v1.json`: kubeconform's `{{ .ResourceKind }}{{ .KindSuffix }}.json`. */
export function schemaFileName(kind: string, group: string, version: string): string {
  const groupPart = group ? `-${group.split('.')[0]}` : '';
  return `${kind.toLowerCase()}${groupPart}-${version}.json`;
}

export function writeKubernetesSchemas(swaggerFile: string, outputDir: string) {
  const swagger = JSON.parse(readFileSync(swaggerFile, 'utf8')) as { definitions: Record<string, Schema> };
  mkdirSync(outputDir, { recursive: true });
  const definitions = convert(swagger.definitions, '') as Record<string, Schema>;
  // Quantities are strings in the API, but YAML may give them as numbers (cpu: 1).
  definitions['io.k8s.apimachinery.pkg.api.resource.Quantity'] = {
    ...definitions['io.k8s.apimachinery.pkg.api.resource.Quantity'],
    type: undefined,
    oneOf: [{ type: 'string' }, { type: 'number' }],
  };
  writeFileSync(path.join(outputDir, '_definitions.json'), JSON.stringify({ definitions }));
  for (const definition of Object.values(swagger.definitions)) {
    const kinds = (definition['x-kubernetes-group-version-kind'] ?? []) as { group: string; kind: string; version: string }[];
    for (const { group, kind, version } of kinds) {
      const apiVersion = group ? `${group}/${version}` : version;
      const schema = convert(definition, '_definitions.json') as Schema;
      const properties = { ...(schema.properties as Schema) };
      // Only this kind's own apiVersion and kind pass.
      properties.apiVersion = { type: 'string', enum: [apiVersion] };
      properties.kind = { type: 'string', enum: [kind] };
      writeFileSync(path.join(outputDir, schemaFileName(kind, group, version)), JSON.stringify({ ...schema, properties }));
    }
  }
}

interface CustomResourceDefinition {
  kind?: string;
  spec?: { group: string; names: { kind: string }; versions: { name: string; served: boolean; schema?: { openAPIV3Schema?: Schema } }[] };
}

/** Schemas for the kinds a CustomResourceDefinition file defines (the Gateway API's HTTPRoute), from each
 * served version's openAPIV3Schema, as strict as the Kubernetes ones: the API server checks the same. */
export function writeCrdSchemas(crdFile: string, outputDir: string): string[] {
  const written: string[] = [];
  for (const document of parseAllDocuments(readFileSync(crdFile, 'utf8'))) {
    const crd = document.toJS() as CustomResourceDefinition | null;
    if (crd?.kind !== 'CustomResourceDefinition' || !crd.spec) continue;
    const { group, names, versions } = crd.spec;
    for (const version of versions.filter((candidate) => candidate.served && candidate.schema?.openAPIV3Schema)) {
      const schema = convert(version.schema!.openAPIV3Schema, '') as Schema;
      const properties = { ...(schema.properties as Schema) };
      properties.apiVersion = { type: 'string', enum: [`${group}/${version.name}`] };
      properties.kind = { type: 'string', enum: [names.kind] };
      const file = schemaFileName(names.kind, group, version.name);
      writeFileSync(path.join(outputDir, file), JSON.stringify({ ...schema, properties }));
      written.push(file);
    }
  }
  return written;
}
