/**
 * A minimal Language Server Protocol client over stdio (JSON-RPC 2.0 with Content-Length framing): enough
 * to drive the real yaml-language-server as an editor does — initialize, configure, open a document, ask
 * for completion and hover, and collect the diagnostics it publishes.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';

interface Message {
  jsonrpc: '2.0';
  id?: number | string;
  method?: string;
  params?: unknown;
  result?: unknown;
  error?: { code: number; message: string };
}

export interface Diagnostic {
  message: string;
  severity?: number;
  range: { start: { line: number; character: number } };
  source?: string;
}

export class LspClient {
  private readonly child: ChildProcessWithoutNullStreams;
  private buffer = Buffer.alloc(0);
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  private readonly diagnostics = new Map<string, Diagnostic[]>();
  private readonly diagnosticWaiters: Array<() => void> = [];
  private stderr = '';

  /**
   * Starts the server: `command args` must speak LSP on stdio. `settings` answers the server's
   * `workspace/configuration` requests, section by section.
   */
  constructor(
    command: string,
    args: string[],
    private readonly settings: Record<string, unknown>,
  ) {
    this.child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stdout.on('data', (chunk: Buffer) => this.receive(chunk));
    this.child.stderr.on('data', (chunk: Buffer) => {
      this.stderr += String(chunk);
    });
    this.child.once('exit', (code) => {
      for (const { reject } of this.pending.values()) {
        reject(new Error(`the language server exited (${code}): ${this.stderr}`));
      }
      this.pending.clear();
    });
  }

  request<T>(method: string, params: unknown): Promise<T> {
    const id = this.nextId++;
    this.send({ jsonrpc: '2.0', id, method, params });
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
    });
  }

  notify(method: string, params: unknown): void {
    this.send({ jsonrpc: '2.0', method, params });
  }

  /** The diagnostics last published for `uri`, once `accept` says they are the awaited ones. */
  async diagnosticsFor(
    uri: string,
    accept: (d: Diagnostic[]) => boolean = () => true,
  ): Promise<Diagnostic[]> {
    for (;;) {
      const current = this.diagnostics.get(uri);
      if (current && accept(current)) return current;
      await new Promise<void>((resolve) => this.diagnosticWaiters.push(resolve));
    }
  }

  async stop(): Promise<void> {
    const exited = new Promise<void>((resolve) => {
      if (this.child.exitCode !== null) resolve();
      else this.child.once('exit', () => resolve());
    });
    try {
      await this.request('shutdown', null);
      this.notify('exit', null);
    } catch {
      // already gone
    }
    this.child.stdin.end();
    await exited;
  }

  private send(message: Message): void {
    const body = Buffer.from(JSON.stringify(message), 'utf8');
    this.child.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
    this.child.stdin.write(body);
  }

  private receive(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const headerEnd = this.buffer.indexOf('\r\n\r\n');
      if (headerEnd < 0) return;
      const header = this.buffer.subarray(0, headerEnd).toString('ascii');
      const length = Number(/Content-Length: *(\d+)/i.exec(header)?.[1]);
      if (!Number.isFinite(length)) throw new Error(`bad LSP header: ${header}`);
      if (this.buffer.length < headerEnd + 4 + length) return;
      const body = this.buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString('utf8');
      this.buffer = this.buffer.subarray(headerEnd + 4 + length);
      this.dispatch(JSON.parse(body) as Message);
    }
  }

  private dispatch(message: Message): void {
    if (message.method === undefined && typeof message.id === 'number') {
      const waiting = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (message.error) waiting?.reject(new Error(`${message.error.code}: ${message.error.message}`));
      else waiting?.resolve(message.result);
      return;
    }
    if (message.method === 'textDocument/publishDiagnostics') {
      const { uri, diagnostics } = message.params as { uri: string; diagnostics: Diagnostic[] };
      this.diagnostics.set(uri, diagnostics);
      for (const wake of this.diagnosticWaiters.splice(0)) wake();
      return;
    }
    if (message.id !== undefined && message.method !== undefined) {
      // A request from the server: settings are answered, everything else (registerCapability,
      // workDoneProgress/create…) is accepted with an empty result, as an editor would.
      let result: unknown = null;
      if (message.method === 'workspace/configuration') {
        const { items } = message.params as { items: Array<{ section?: string }> };
        result = items.map((item) => (item.section ? (this.settings[item.section] ?? null) : this.settings));
      }
      this.send({ jsonrpc: '2.0', id: message.id, result });
    }
  }
}
