import type { z } from 'zod';
import type { ConfigIssue } from '../errors.js';
import { redactUrl } from '../feeds/redact-url.js';

/**
 * One zod issue as a person reads it: the path inside the file, what was expected in plain words
 * ("a number of at least 1024", "a whole number", "an http(s) URL") and what was found. zod's
 * own messages ("Too small: expected number to be >=1024", "must match pattern /^\s*\d+…/") are
 * written for programmers.
 */
export function describeIssue(issue: z.core.$ZodIssue): ConfigIssue {
  const path = issue.path.map(String).join('.');
  const found = describeFound((issue as { input?: unknown }).input);
  switch (issue.code) {
    case 'unrecognized_keys':
      return {
        path,
        expected: 'only known keys',
        found: `unknown key(s) ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}`,
      };
    case 'invalid_type':
      return { path, expected: TYPE_WORDS[issue.expected] ?? issue.expected, found };
    case 'invalid_value':
      return { path, expected: `one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`, found };
    case 'too_small':
    case 'too_big':
      return { path, expected: customOr(issue.message, () => boundWords(issue)), found };
    case 'invalid_format':
      return { path, expected: customOr(issue.message, () => formatWords(issue.format)), found };
    case 'invalid_key': {
      // A record key that breaks its rule: the rule's own message says what a key should look like.
      const inner = issue.issues[0];
      return { path, expected: inner ? describeIssue({ ...inner, path: [] }).expected : 'a valid key', found };
    }
    case 'invalid_union': {
      if (!isGeneric(issue.message)) return { path, expected: issue.message, found };
      const options = issue.errors.map((branch) => (branch[0] ? describeIssue(branch[0]).expected : '?'));
      return { path, expected: [...new Set(options)].join(' or '), found };
    }
    default:
      return { path, expected: plain(issue.message), found };
  }
}

export function describeFound(value: unknown): string {
  if (value === undefined) return 'nothing (missing)';
  if (value === null) return 'null';
  if (typeof value === 'string') {
    // A rejected feed URL may still hold a password or token; the message is printed and logged.
    const shown = redactUrl(value);
    return JSON.stringify(shown.length > 80 ? `${shown.slice(0, 77)}...` : shown);
  }
  if (Array.isArray(value)) return value.length === 0 ? 'an empty list' : `a list of ${value.length}`;
  if (typeof value === 'object') return 'a mapping';
  return `${typeof value} ${String(value)}`;
}

const TYPE_WORDS: Record<string, string> = {
  number: 'a number',
  int: 'a whole number',
  string: 'text',
  boolean: 'true or false',
  object: 'a mapping (key: value lines)',
  array: 'a list',
  record: 'a mapping (key: value lines)',
};

const FORMAT_WORDS: Record<string, string> = {
  url: 'a URL such as https://example.org/',
  email: 'an email address',
  regex: 'text in the documented format',
};

function formatWords(format: string): string {
  return FORMAT_WORDS[format] ?? `a valid ${format}`;
}

function boundWords(issue: z.core.$ZodIssueTooSmall | z.core.$ZodIssueTooBig): string {
  const small = issue.code === 'too_small';
  const limit = Number(small ? (issue as z.core.$ZodIssueTooSmall).minimum : (issue as z.core.$ZodIssueTooBig).maximum);
  const inclusive = issue.inclusive !== false;
  const bound = small ? (inclusive ? 'at least' : 'more than') : inclusive ? 'at most' : 'less than';
  switch (issue.origin) {
    case 'string':
      return small && limit === 1 && inclusive ? 'non-empty text' : `text of ${bound} ${limit} characters`;
    case 'array':
    case 'set':
      return small && limit === 1 && inclusive
        ? 'a list with at least one entry'
        : `a list of ${bound} ${limit} entries`;
    default:
      return `a number of ${bound} ${limit}`;
  }
}

/** zod's built-in messages start like these; anything else is a message the schema wrote for people. */
function isGeneric(message: string): boolean {
  return /^(Invalid|Too small|Too big|Expected)\b/i.test(message);
}

function customOr(message: string, fallback: () => string): string {
  return isGeneric(message) ? fallback() : message;
}

function plain(message: string): string {
  return message.replace(/^Invalid input: expected /i, '').replace(/^Invalid /, 'a valid ');
}
