import type { SandboxResponse } from '../types.js';
import { invalid } from './answers.js';
import type { PlatformWorld } from './world.js';

/**
 * People fields must name someone the tracker knows: assigning a ticket to a misspelt handle would strand it
 * as surely as not reassigning it, so the service refuses.
 */
export function unknownUser(world: PlatformWorld, field: string, handle: string): SandboxResponse | null {
  return world.users.includes(handle)
    ? null
    : invalid(`'${field}' names '${handle}', who is not a user of the platform`);
}
