/**
 * What a module asks for at run time, read from the AST of the code that will
 * actually run (swc's CommonJS output, or the CommonJS source as is).
 *
 * Why the output and not the source: TypeScript imports used only as types are
 * dropped by the transform; reading the source would add edges (and
 * resolution failures) for files that are never loaded.
 * @module
 */
import type { Program } from '@swc/core';

export interface ModuleRequest {
  specifier: string;
  /** Only reached through `import()`: evaluated when called, not with the graph. */
  dynamic: boolean;
}

export interface Analysis {
  /** Literal `require('x')` and `import('x')` specifiers, in source order, each once. */
  requests: ModuleRequest[];
  /** Byte offsets of every `import` keyword of a dynamic import, to be rewritten. */
  dynamicImportOffsets: number[];
  /** An `await` (or `for await`) outside any function: unrepresentable in CommonJS. */
  topLevelAwait: boolean;
}

/** Nodes that open a new function scope, where `await` is no longer top-level. */
const FUNCTION_SCOPES = new Set([
  'FunctionDeclaration',
  'FunctionExpression',
  'ArrowFunctionExpression',
  'ClassMethod',
  'PrivateMethod',
  'Constructor',
  'GetterProperty',
  'SetterProperty',
  'MethodProperty',
  'ClassProperty',
  'PrivateProperty',
  'StaticBlock',
]);

type Node = { type?: unknown; [key: string]: unknown };

export function analyze(program: Program): Analysis {
  const requests = new Map<string, ModuleRequest>();
  const dynamicImportOffsets: number[] = [];
  let topLevelAwait = false;

  const visit = (value: unknown, inFunction: boolean): void => {
    if (Array.isArray(value)) {
      for (const item of value) visit(item, inFunction);
      return;
    }
    if (value === null || typeof value !== 'object') return;
    const node = value as Node;
    const type = node.type;
    if (type === 'CallExpression') {
      const callee = node.callee as Node;
      const specifier = literalArgument(node.arguments);
      if (callee.type === 'Import') {
        // swc spans are 1-based byte positions within this one parse.
        dynamicImportOffsets.push((callee.span as { start: number }).start - 1);
        if (specifier !== undefined && !requests.has(specifier)) requests.set(specifier, { specifier, dynamic: true });
      } else if (callee.type === 'Identifier' && callee.value === 'require' && specifier !== undefined) {
        // A static require wins over an earlier dynamic import of the same file.
        requests.set(specifier, { specifier, dynamic: false });
      }
    } else if (!inFunction && (type === 'AwaitExpression' || (type === 'ForOfStatement' && node.await === true))) {
      topLevelAwait = true;
    }
    const nested = inFunction || (typeof type === 'string' && FUNCTION_SCOPES.has(type));
    for (const key in node) {
      if (key === 'span' || key === 'type') continue;
      const child = node[key];
      if (child !== null && typeof child === 'object') visit(child, nested);
    }
  };
  visit(program.body, false);
  return { requests: [...requests.values()], dynamicImportOffsets, topLevelAwait };
}

/** The first argument when it is a plain string (or a template without `${}`). */
function literalArgument(args: unknown): string | undefined {
  if (!Array.isArray(args) || args.length === 0) return undefined;
  const first = args[0] as { spread?: unknown; expression?: Node };
  if (first.spread || !first.expression) return undefined;
  const expr = first.expression;
  if (expr.type === 'StringLiteral') return expr.value as string;
  if (expr.type === 'TemplateLiteral') {
    const quasis = expr.quasis as Array<{ cooked?: string | null; raw: string }>;
    const expressions = expr.expressions as unknown[];
    if (expressions.length === 0 && quasis.length === 1) return quasis[0].cooked ?? quasis[0].raw;
  }
  return undefined;
}
