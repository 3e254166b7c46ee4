import { afterAll, afterEach, beforeAll } from 'vitest';
import { buildActionBundle } from './build.js';

/**
 * The hooks every file that runs the built action needs: the bundle is built once for the file (building
 * takes seconds, so not once a test) and removed after it, and the world each test made is closed after
 * that test. `currentWorld` reads the file's own world variable, which each test reassigns. Returns a
 * reader of the bundle's path, valid inside tests.
 */
export function useBuiltAction(currentWorld: () => { close(): Promise<void> } | undefined): () => string {
  let built: { bundle: string; cleanup: () => void } | undefined;
  beforeAll(() => {
    built = buildActionBundle();
  }, 60_000);
  afterAll(() => built?.cleanup());
  afterEach(async () => {
    await currentWorld()?.close();
  });
  return () => {
    if (!built) throw new Error('the action bundle is read before beforeAll built it');
    return built.bundle;
  };
}
