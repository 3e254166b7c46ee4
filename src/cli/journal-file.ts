import { closeSync, openSync, renameSync, writeFileSync, writeSync } from 'node:fs';
import { renderJournalJson } from '../journal/index.js';
import type { Journal, JournalAction } from '../journal/types.js';

/**
 * The --journal file of a run still going, kept as one whole JSON document after every action at a
 * cost that does not grow with the run: the header and the actions so far are written beside the file
 * and renamed over it (atomic) whenever a header field changes, which happens a few times at the
 * start; each later action is written over the document's closing `]}` together with a new closing,
 * one small positioned write, so the file stays valid JSON and a run killed at any point leaves every
 * action recorded before the kill. (Rewriting the whole file per action would write gigabytes for a
 * handover of thousands of items.) The finished journal is written whole, atomically, by `finish`.
 */
export class JournalFile {
  private fd: number | null = null;
  private header = '';
  private written = 0;
  /** Where the closing `\n  ]\n}\n` of the document starts. */
  private tail = 0;

  constructor(private readonly path: string) {}

  /** The journal so far (a snapshot whose actions are in the order they happened). */
  update(journal: Journal): void {
    // A running journal's `finishedAt` is the recorder's clock, new at every action: it is not a change
    // of the header (the finished journal carries the real one), or every action would rewrite the file.
    const { actions, finishedAt: _running, ...fields } = journal;
    const header = JSON.stringify(fields);
    if (header !== this.header || this.fd === null || actions.length < this.written) {
      this.rewrite(journal);
      this.header = header;
      return;
    }
    if (actions.length === this.written) return;
    const fresh = actions.slice(this.written).map(actionText);
    const text = `${this.written === 0 ? '\n' : ',\n'}${fresh.join(',\n')}${CLOSING}`;
    writeSync(this.fd, text, this.tail);
    this.tail += Buffer.byteLength(text) - CLOSING.length;
    this.written = actions.length;
  }

  /** The finished journal, sorted and whole, in place of the running one. */
  finish(journal: Journal): void {
    this.close();
    writeWhole(this.path, renderJournalJson(journal));
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }

  private rewrite(journal: Journal): void {
    const { actions, ...fields } = journal;
    const head = JSON.stringify(fields, null, 2).replace(/\n}$/, ',\n  "actions": [');
    const body = actions.map(actionText).join(',\n');
    const text = `${head}${actions.length > 0 ? `\n${body}` : ''}${CLOSING}`;
    this.close();
    writeWhole(this.path, text);
    this.fd = openSync(this.path, 'r+');
    this.written = actions.length;
    this.tail = Buffer.byteLength(text) - CLOSING.length;
  }
}

const CLOSING = '\n  ]\n}\n';

function actionText(action: JournalAction): string {
  return `    ${JSON.stringify(action)}`;
}

/** Beside the file, then renamed over it (a rename is atomic): a kill mid-write leaves the previous one. */
function writeWhole(path: string, text: string): void {
  const partial = `${path}.partial`;
  writeFileSync(partial, text);
  renameSync(partial, path);
}
