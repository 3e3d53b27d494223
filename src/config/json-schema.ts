import { z } from 'zod';
import { configSchema } from './schema.js';

/** JSON Schema of what a person writes in the YAML file (the input side of the zod schema), for editors. */
export function configJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return { ...schema, title: 'watchdesk configuration' };
}
