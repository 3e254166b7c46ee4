import { validate as validateConfigSchema } from '../generated/config-schema.generated.js';
import { validate as validateHandoverSchema } from '../generated/handover-schema.generated.js';

/**
 * The schemas of schemas/, compiled ahead of time by scripts/gen-validators.mjs: the ajv compiler is
 * never loaded at run time. Generated with `verbose`, so errors carry their schema node, whose
 * description and examples make the messages.
 */
export const HANDOVER_SCHEMA = { validate: validateHandoverSchema };
export const CONFIG_SCHEMA = { validate: validateConfigSchema };
