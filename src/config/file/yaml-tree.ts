/**
 * The YAML text as a tree of nodes with their offsets: the yaml package's
 * parser (CST) and composer, with the depth checked in between. The parser
 * keeps its own stack and takes any nesting; the composer recurses, so a file
 * nested 10 000 levels deep is refused on the CST before it is composed.
 * @module
 */
import { CST, Composer, LineCounter, Parser, type Document, type ParsedNode } from 'yaml';
import type { Position } from './text.js';
import { keyPath } from '../key-path.js';

export type Tree = Document.Parsed<ParsedNode>;

/** A problem found in the text, at an offset; `path` when it is known without the tree. */
export interface TextProblem {
  offset: number;
  message: string;
  code?: string;
  path?: string;
}

export interface ParsedText {
  /** Every YAML document of the file (one, unless the file has `---` twice); at least one. */
  documents: Tree[];
  /** Offsets of each document's start in the text. */
  starts: number[];
  problems: TextProblem[];
  position(offset: number): Position;
}

export function parseYaml(text: string, options: { json: boolean; maxDepth: number }): ParsedText {
  const lineCounter = new LineCounter();
  const tokens = Array.from(new Parser(lineCounter.addNewLine).parse(text));
  const position = (offset: number): Position => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  const tooDeep = deepest(tokens, options.maxDepth);
  if (tooDeep) {
    const problem = { offset: tooDeep.offset, path: tooDeep.path, message: `nested more than ${options.maxDepth} levels deep (the limit)` };
    return { documents: [], starts: [], problems: [problem], position };
  }
  const composer = new Composer({
    schema: options.json ? 'json' : 'core',
    // Keys are strings (`404:` is the key "404"); a list or mapping as a key is an error.
    stringKeys: true,
    // yaml compares each new key with every earlier one (60 000 hosts: minutes); the tree walk
    // of parse.ts finds duplicates with a Set instead.
    uniqueKeys: false,
    prettyErrors: false,
    strict: true,
    lineCounter,
  });
  const documents = Array.from(composer.compose(tokens, true, text.length));
  const starts = tokens.filter((t) => t.type === 'document').map((t) => t.offset);
  const problems: TextProblem[] = [];
  for (const doc of documents) {
    for (const e of [...doc.errors, ...doc.warnings]) problems.push({ offset: e.pos[0], code: e.code, message: e.message });
  }
  return { documents, starts, problems, position };
}

/**
 * The first collection nested deeper than `max`, walking the CST with a stack
 * of its own; its offset and the keys above it (for the message).
 */
function deepest(tokens: CST.Token[], max: number): { offset: number; path: string } | undefined {
  const stack: { token: CST.Token; depth: number; path: string }[] = tokens.map((token) => ({ token, depth: 0, path: '' }));
  while (stack.length > 0) {
    const { token, depth, path } = stack.pop()!;
    switch (token.type) {
      case 'document':
        if (token.value) stack.push({ token: token.value, depth, path });
        break;
      case 'block-map':
      case 'block-seq':
      case 'flow-collection': {
        if (depth + 1 > max) return { offset: token.offset, path };
        const isMap = token.type !== 'block-seq' && !(token.type === 'flow-collection' && token.start.source === '[');
        token.items.forEach((item, index) => {
          const key = 'key' in item && item.key ? item.key : undefined;
          const name = isMap ? (key ? keyText(key) : '') : String(index);
          const at = keyPath(path, name);
          if (key) stack.push({ token: key, depth: depth + 1, path: at });
          if (item.value) stack.push({ token: item.value, depth: depth + 1, path: at });
        });
        break;
      }
      default:
        break;
    }
  }
  return undefined;
}

function keyText(token: CST.Token): string {
  try {
    return CST.resolveAsScalar(token)?.value ?? '';
  } catch {
    return '';
  }
}
