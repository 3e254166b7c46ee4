/**
 * The release workflow cannot run here (it publishes to npm and pushes tags), so its design is pinned by
 * tests: actionlint and the common policy (policy.test.ts) plus what a release must guarantee — the version
 * pull request and the publication apart, provenance, the action's major tag moved, dist/ checked first.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isRecord, jobs, loadWorkflows, type Node, steps, triggers } from './policy.js';

const root = resolve(import.meta.dirname, '../..');
const workflow = loadWorkflows(join(root, '.github/workflows')).find((w) => w.file === 'release.yml');
if (!workflow) throw new Error('.github/workflows/release.yml is missing');
const job = (name: string): Node => {
  const found = jobs(workflow).find(([id]) => id === name)?.[1];
  if (!found) throw new Error(`release.yml has no job ${name}`);
  return found;
};
const stepsOf = (name: string) =>
  steps(workflow)
    .filter((s) => s.job === name)
    .map((s) => s.step);
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

describe('release.yml', () => {
  it('runs on pushes to main only, one release at a time, never cancelled halfway', () => {
    expect(triggers(workflow)).toEqual(['push']);
    expect((workflow.doc.on as Node).push).toEqual({ branches: ['main'] });
    expect(workflow.doc.concurrency).toEqual({ group: 'release', 'cancel-in-progress': false });
  });

  it('versions through changesets in a pull request, without publishing from that job', () => {
    const action = stepsOf('version').find((s) => String(s.uses).startsWith('changesets/action@'));
    expect(action?.with).toMatchObject({ 'version-script': 'npm run version-packages' });
    expect(Object.keys(action?.with as Node)).not.toContain('publish-script');
    expect(JSON.stringify(stepsOf('version'))).not.toContain('npm publish');
    expect(job('version').permissions).toEqual({ contents: 'write', 'pull-requests': 'write' });
  });

  it('publishes only once no changeset is pending, and only from the publish job', () => {
    const publish = job('publish');
    expect(publish.needs).toBe('version');
    expect(publish.if).toBe("needs.version.outputs.pending == 'false'");
    expect((job('version').outputs as Node).pending).toBe(`\${{ steps.changesets.outputs.has-changesets }}`);
    expect(publish.permissions).toEqual({ contents: 'write', 'id-token': 'write' });
  });

  it('runs every check, dist/ included, before it publishes or tags', () => {
    const runs = stepsOf('publish').map((s) => String(s.run ?? ''));
    const check = runs.indexOf('bash .ci/run');
    const publish = runs.findIndex((r) => r.includes('npm publish'));
    const tag = runs.findIndex((r) => r.includes('git tag'));
    expect(check).toBeGreaterThanOrEqual(0);
    expect(check).toBeLessThan(publish);
    expect(check).toBeLessThan(tag);
    expect(readFileSync(join(root, '.ci/run'), 'utf8')).toMatch(/^npm run check-dist\b/m);
  });

  it('publishes with provenance, and a re-run skips what is done', () => {
    const publish = stepsOf('publish').find((s) => String(s.run ?? '').includes('npm publish'));
    expect(publish?.run).toBe('npm publish --provenance --access public');
    expect(publish?.if).toBe("steps.state.outputs.published == 'false'");
    expect(pkg.publishConfig).toEqual({ access: 'public', provenance: true });
  });

  it('tags vX.Y.Z and moves the action’s major tag vX to the same commit', () => {
    const tag = stepsOf('publish').find((s) => String(s.run ?? '').includes('git tag'));
    expect(tag?.if).toBe("steps.state.outputs.tagged == 'false'");
    const script = String(tag?.run);
    expect(script).toContain(`major="v\${VERSION%%.*}"`);
    expect(script).toContain('git tag "v$VERSION"');
    expect(script).toContain('git tag --force "$major"');
    expect(script).toContain('"+refs/tags/$major"');
    expect(isRecord(tag?.env) && tag.env.VERSION).toBe(`\${{ steps.state.outputs.version }}`);
  });

  it('the version pull request carries the new version into the CLI and a rebuilt dist/', () => {
    const script = String(pkg.scripts['version-packages']);
    expect(script.indexOf('changeset version')).toBe(0);
    expect(script.indexOf('node scripts/sync-version.mjs')).toBeGreaterThan(0);
    expect(script.indexOf('npm run build')).toBeGreaterThan(script.indexOf('node scripts/sync-version.mjs'));
  });
});
