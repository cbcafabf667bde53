// How raw answers (typed, passed as options, saved in .yo-rc.json) are checked and turned into
// values: each returns the value, or the problem as a phrase the error and the prompt show.
import { findStack } from '../../stacks/registry.ts';
import type { Answers } from './answers.ts';

const DNS_1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** A DNS-1123 label answer: its check, and the same rule as JSON Schema (for forms that ask it). */
export function dnsLabel(what: string, maxLength = 63, why = 'a DNS-1123 label has at most 63') {
  return {
    parse: (raw: unknown) => {
      const value = String(raw).trim();
      if (value.length > maxLength) return { problem: `${what} is ${value.length} characters long; ${why}` };
      if (!DNS_1123_LABEL.test(value)) {
        return {
          problem: `${what} must be a DNS-1123 label: lowercase letters, digits and '-', starting and ending with a letter or digit`,
        };
      }
      return { value };
    },
    schema: { type: 'string' as const, pattern: DNS_1123_LABEL.source, maxLength },
  };
}

/** Derives a valid app name from a directory name (`My_Service` -> `my-service`). */
export function toDnsLabel(text: string): string {
  const label = text
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63)
    .replace(/-+$/g, '');
  return label || 'service';
}

/** `tcp`, or an absolute HTTP path. */
export function probePath(what: string) {
  return (raw: unknown) => {
    const value = String(raw).trim();
    if (value === 'tcp' || /^\/[\x21-\x7e]*$/.test(value)) return { value };
    return { problem: `${what} "${value}" is neither an HTTP path starting with / nor tcp` };
  };
}

/**
 * A command as program and arguments, split like a shell would split simple words ('single' and
 * "double" quotes group words). Anything else a shell does (variables, &&, pipes) is refused:
 * the image starts the program directly, so that signals reach it.
 */
export function commandWords(text: string): { words: string[] } | { problem: string } {
  const words: string[] = [];
  let current: string | undefined;
  let quote: string | undefined;
  for (const char of text.trim()) {
    if (quote) {
      if (char === quote) quote = undefined;
      else current = (current ?? '') + char;
    } else if (char === '"' || char === "'") {
      quote = char;
      current ??= '';
    } else if (/\s/.test(char)) {
      if (current !== undefined) words.push(current);
      current = undefined;
    } else if ('$`|&;<>(){}*?~\\'.includes(char)) {
      return { problem: `it uses the shell ("${char}"), and the image starts the program directly, without one` };
    } else {
      current = (current ?? '') + char;
    }
  }
  if (quote) return { problem: `a ${quote} quote is not closed` };
  if (current !== undefined) words.push(current);
  return words.length > 0 ? { words } : { problem: 'it is empty' };
}

export function startCommand(raw: unknown, answers: Partial<Answers>) {
  const text = String(raw).trim();
  const split = commandWords(text);
  const checked = 'words' in split ? findStack(answers.language ?? '')?.retrofit.command?.(split.words) : split;
  if (checked && 'problem' in checked) {
    return {
      problem: `the start command "${text}" cannot start the service: ${checked.problem}; give the program and its arguments, e.g. ${START_EXAMPLES[answers.language ?? ''] ?? 'node server.js'}`,
    };
  }
  return { value: text };
}

/** What a start command looks like, per language that runs one. */
const START_EXAMPLES: Record<string, string> = { node: '"node dist/server.js"', python: '"python -m app" or "gunicorn app:app --bind 0.0.0.0:8000"' };

export function oneOf(what: string, allowed: () => string[]) {
  return (raw: unknown) => {
    const value = String(raw).trim();
    const values = allowed();
    return values.includes(value) ? { value } : { problem: `${what} "${value}" is not offered; choose one of: ${values.join(', ')}` };
  };
}

export function versionsOf(answers: Partial<Answers>): string[] {
  return findStack(answers.language ?? '')?.versions.map((v) => v.version) ?? [];
}

// Image repositories: `[host[:port]/]path` with lowercase path components, no tag or digest.
export const IMAGE_REPOSITORY = /^(?:[a-zA-Z0-9.-]+(?::[0-9]+)?\/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;

/**
 * A Backstage entity reference answer, `[kind:][namespace/]name` of one of `kinds`: the namespace as
 * the catalog allows it (lowercase, '-'), the name up to 63 letters, digits and '-', '_' or '.'. Its
 * check, and the same rule as JSON Schema; empty is allowed when `optional`.
 */
export function entityRef(what: string, kinds: readonly string[], example: string, optional = false) {
  const pattern = new RegExp(`^(?:(?:${kinds.join('|')}):)?(?:[a-z0-9]+(?:-[a-z0-9]+)*/)?[A-Za-z0-9](?:[-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$`);
  return {
    parse: (raw: unknown) => {
      const value = String(raw ?? '').trim();
      if ((optional && value === '') || pattern.test(value)) return { value };
      return { problem: `${what} "${value}" is not a Backstage entity reference like ${example}` };
    },
    schema: { type: 'string' as const, pattern: optional ? `^$|${pattern.source}` : pattern.source },
  };
}

// A host name as Ingress and HTTPRoute take it: a DNS-1123 subdomain with at least one dot, no wildcard.
const HOST_NAME = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+$/;

/** The host the service is reached at from outside the cluster (orders.example.com). */
export function hostName(what: string) {
  return {
    parse: (raw: unknown) => {
      const value = String(raw).trim();
      if (HOST_NAME.test(value)) return { value };
      return { problem: `${what} "${value}" is not a DNS name like orders.example.com (lowercase labels joined by dots, no wildcard, no scheme or port)` };
    },
    schema: { type: 'string' as const, pattern: HOST_NAME.source, maxLength: 253 },
  };
}

// `[namespace/]name`, both DNS-1123 labels: how an HTTPRoute names the Gateway it attaches to.
const GATEWAY_REF = /^(?:[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?\/)?[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?$/;

/** The parent Gateway of an HTTPRoute, `[namespace/]name`; without a namespace, the route's own. */
export function gatewayRef(what: string) {
  return {
    parse: (raw: unknown) => {
      const value = String(raw).trim();
      if (GATEWAY_REF.test(value)) return { value };
      return { problem: `${what} "${value}" is not a Gateway reference like gateway-system/public or public (namespace/name, DNS-1123 labels)` };
    },
    schema: { type: 'string' as const, pattern: GATEWAY_REF.source },
  };
}
