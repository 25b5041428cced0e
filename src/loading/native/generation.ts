/**
 * What one `load` call learned about the files it evaluated: the per-file
 * hashes and the import edges reported by the hooks (ESM) or read from
 * `module.children` (CommonJS), turned into each entry's `files` list.
 *
 * Reports can keep arriving after `load` resolved (a role that imports lazily,
 * `import('./x.js')` inside a function): they are applied and the modules of
 * the generation get their `files` recomputed in place, until released.
 */
import type { SourcePosition } from '../syntax-errors.js';
import type { LoadedFile, LoadedModule } from '../types.js';
import type { HookReport } from './protocol.js';

export interface FileRecord {
  sha256: string;
  format: string;
}

export class Generation {
  readonly files = new Map<string, FileRecord>();
  readonly edges = new Map<string, Set<string>>();
  /** Hook failures, most recent last (see errors.ts). */
  readonly failures: Array<{ path: string; message: string; position: SourcePosition | undefined }> = [];
  /** Modules returned for this generation; empty until `load` resolves. */
  modules: LoadedModule[] = [];

  constructor(readonly token: string) {}

  addFile(path: string, record: FileRecord): void {
    // First read wins: it is the one Node evaluated for this generation.
    if (!this.files.has(path)) this.files.set(path, record);
  }

  addEdge(from: string, to: string): void {
    let set = this.edges.get(from);
    if (!set) this.edges.set(from, (set = new Set()));
    set.add(to);
  }

  apply(report: HookReport): void {
    switch (report.type) {
      case 'file':
        this.addFile(report.path, { sha256: report.sha256, format: report.format });
        break;
      case 'edge':
        this.addEdge(report.from, report.to);
        break;
      case 'error':
        this.failures.push({
          path: report.path,
          message: report.message,
          position: report.line !== undefined && report.column !== undefined ? { line: report.line, column: report.column } : undefined,
        });
        break;
    }
    // A late report changes what the published modules must list.
    if (report.type !== 'error' && this.modules.length > 0) this.refresh();
  }

  /** The entry's graph: the entry first, then depth-first in import order. */
  filesOf(entry: string): LoadedFile[] {
    const out: LoadedFile[] = [];
    const seen = new Set<string>();
    const visit = (path: string): void => {
      if (seen.has(path)) return;
      seen.add(path);
      const record = this.files.get(path);
      if (!record) return;
      // Only files that were evaluated in this generation are listed, so
      // `imports` never names a file missing from `files`.
      const imports = [...(this.edges.get(path) ?? [])].filter((to) => this.files.has(to));
      out.push({ path, sha256: record.sha256, imports });
      for (const to of imports) visit(to);
    };
    visit(entry);
    return out;
  }

  refresh(): void {
    for (const module of this.modules) {
      const files = this.filesOf(module.entry);
      module.files.splice(0, module.files.length, ...files);
    }
  }
}
