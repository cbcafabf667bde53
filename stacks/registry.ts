import go from './go.ts';
import java from './java.ts';
import node from './node.ts';
import python from './python.ts';
import rust from './rust.ts';
import type { ImageFamily, Stack } from './types.ts';

/** Every language the generator offers, in prompt order. */
export const STACKS: readonly Stack[] = [node, python, go, java, rust];

export function findStack(language: string): Stack | undefined {
  return STACKS.find((stack) => stack.language === language);
}

export function languages(): string[] {
  return STACKS.map((stack) => stack.language);
}

/** Replaces `{version}` in an image pattern. */
export function imageRef(pattern: string, version: string): string {
  return pattern.replaceAll('{version}', version);
}

/** The same pattern as the Dockerfile writes it, with the version ARG in place of the version. */
export function imageRefWithArg(pattern: string, versionArg: string): string {
  return pattern.replaceAll('{version}', `\${${versionArg}}`);
}

export function familiesFor(stack: Stack, version: string): readonly ImageFamily[] {
  return stack.versions.find((v) => v.version === version)?.families ?? [];
}

export type { ImageFamily, Stack } from './types.ts';
export { IMAGE_FAMILIES } from './types.ts';

/** tini's arguments before the service: exit codes that mean a clean stop on a signal become 0. */
export function tiniArguments(stack: Stack): string[] {
  return [...stack.signalExitCodes.flatMap((code) => ['-e', String(code)]), '--'];
}

/** Stack text for one runtime version: `{version}` (3.13), `{versionTuple}` (3, 13) and `{toolchain}` (the exact release) filled in. */
export function forVersion(stack: Stack, version: string, text: string): string {
  const toolchain = stack.versions.find((runtime) => runtime.version === version)?.toolchain ?? version;
  return text.replaceAll('{versionTuple}', version.split('.').join(', ')).replaceAll('{version}', version).replaceAll('{toolchain}', toolchain);
}

/** The stack's commands for one runtime version (see forVersion). */
export function stackCommands(stack: Stack, version: string): Stack['commands'] {
  return Object.fromEntries(Object.entries(stack.commands).map(([name, command]) => [name, forVersion(stack, version, command)])) as Stack['commands'];
}
