import type { SandboxResponse } from '../types.js';
import { invalid } from './errors.js';
import type { PlatformState } from './model.js';

/**
 * People fields must name someone the tracker knows: assigning a ticket to a misspelt handle would strand it
 * as surely as not reassigning it, so the service refuses.
 */
export function unknownUser(state: PlatformState, field: string, handle: string): SandboxResponse | null {
  return state.users.includes(handle)
    ? null
    : invalid(`'${field}' names '${handle}', who is not a user of the platform`);
}
