import type { SandboxResponse } from '../types.js';

/** GitHub's REST documentation root, which every error answer links to. */
export const DOCS = 'https://docs.github.com/rest';

/** Every GitHub REST error: `{message, documentation_url, status}` plus any extra fields. */
export function githubError(
  status: number,
  message: string,
  docs = DOCS,
  extra: object = {},
): SandboxResponse {
  return { status, body: { message, ...extra, documentation_url: docs, status: String(status) } };
}

export const notFound = (docs?: string) => githubError(404, 'Not Found', docs);

export function validationFailed(
  resource: string,
  field: string,
  message: string,
  docs: string,
): SandboxResponse {
  return githubError(422, 'Validation Failed', docs, {
    errors: [{ resource, code: 'custom', field, message }],
  });
}
