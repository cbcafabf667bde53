// Reading a Backstage template's form as the scaffolder does: the values a user who changes nothing
// submits, every field a page can show, and a step's input rendered with the submitted values.
import assert from 'node:assert/strict';

export type FormSchema = {
  properties?: Record<string, Record<string, unknown>>;
  required?: string[];
  dependencies?: Record<string, { oneOf: FormSchema[] }>;
};

/** The branch of a `dependencies` oneOf that the chosen value selects. */
function branchFor(dependency: { oneOf: FormSchema[] }, name: string, value: unknown): FormSchema | undefined {
  return dependency.oneOf.find((branch) => (branch.properties?.[name]?.enum as unknown[] | undefined)?.includes(value));
}

/** The form's values once `given` are typed and every other field keeps its default (as the form fills them). */
export function formValues(form: FormSchema, given: Record<string, unknown> = {}): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  const fill = (schema: FormSchema) => {
    for (const [name, property] of Object.entries(schema.properties ?? {})) {
      if (name in given) values[name] = given[name];
      else if (!(name in values) && property.default !== undefined) values[name] = property.default;
    }
    for (const [name, dependency] of Object.entries(schema.dependencies ?? {})) {
      const branch = branchFor(dependency, name, values[name]);
      if (branch) fill(branch);
    }
  };
  fill(form);
  return values;
}

/** Every field name the form can show, whatever is chosen. */
export function formFields(form: FormSchema): Set<string> {
  const names = new Set(Object.keys(form.properties ?? {}));
  for (const dependency of Object.values(form.dependencies ?? {})) {
    for (const branch of dependency.oneOf) for (const name of formFields(branch)) names.add(name);
  }
  return names;
}

/**
 * A step's input with `${{ parameters.<name> }}` replaced by the submitted value. Only whole-value
 * references are used by our template (checked here): Backstage keeps such a value's type, and an
 * empty one becomes undefined, which leaves the option out.
 */
export function renderInput(input: unknown, parameters: Record<string, unknown>): unknown {
  if (typeof input === 'string') {
    if (!input.includes('${{')) return input;
    const reference = /^\$\{\{ parameters\.(\w+) \}\}$/.exec(input);
    assert.ok(reference, `the step uses an expression the test does not render: ${input}`);
    const value = parameters[reference[1]!];
    return value === '' ? undefined : value;
  }
  if (Array.isArray(input)) return input.map((item) => renderInput(item, parameters));
  if (input && typeof input === 'object') {
    return Object.fromEntries(
      Object.entries(input)
        .map(([key, value]) => [key, renderInput(value, parameters)])
        .filter(([, value]) => value !== undefined),
    );
  }
  return input;
}
