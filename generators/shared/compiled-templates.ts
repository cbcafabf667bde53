// Our templates as functions, by their path under templates/. The built package's bundle holds each
// one compiled when the package was built (tools/compile-templates.ts writes this module's bundled
// source); run from source there are none, and yeoman compiles each template as it renders it.

/** A template compiled by EJS: its data (the variables it reads), the escape of `<%= %>`, and `include`. */
export type CompiledTemplate = (locals: object, escapeFn: (value: unknown) => string, include: (file: string, data?: object) => string) => string;

export const compiledTemplates: Readonly<Record<string, CompiledTemplate>> = {};
