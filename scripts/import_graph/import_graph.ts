/**
 * The runtime import graph of the workspace's TypeScript sources (packages/<name>/src), read with the
 * TypeScript compiler's parser, so that tools and an ES-module build see every dependency:
 * - an edge is a static `import` / `export ... from` that survives compilation (not `import type`,
 *   not a list of `type` names only) or a top-level `require` of a project file;
 * - a `require` inside a function hides a dependency from both, so it is reported on its own
 *   (for project files, and for any require whose target is not a literal, which could be one).
 */
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

export interface Edge {
  from: string;
  to: string;
}

export interface HiddenRequire {
  file: string;
  line: number;
  /** The literal target, or the expression's text when it is not a literal. */
  target: string;
}

export interface ImportGraph {
  /** Files relative to the workspace root, with '/' separators. */
  files: string[];
  edges: Edge[];
  hiddenRequires: HiddenRequire[];
}

const SOURCE = /\.ts$/;
const DECLARATION = /\.d\.ts$/;

/** Every .ts file under packages/<name>/src, relative to `root`. */
export function workspaceSources(root: string): string[] {
  const packagesDir = path.join(root, 'packages');
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules') walk(full);
      } else if (SOURCE.test(entry.name) && !DECLARATION.test(entry.name)) {
        files.push(path.relative(root, full).split(path.sep).join('/'));
      }
    }
  };
  for (const name of fs.readdirSync(packagesDir).sort()) {
    const src = path.join(packagesDir, name, 'src');
    if (fs.existsSync(src)) walk(src);
  }
  return files.sort();
}

/**
 * The workspace file a module specifier names, or null for an outside package. Relative paths
 * resolve as Node resolves them (file.ts, then folder/index.ts); `@recurrent/<name>` resolves to
 * that package's src/index.ts, `@recurrent/<name>/<path>` to its src/<path>.
 */
export function resolveSpecifier(root: string, fromFile: string, specifier: string): string | null {
  let base: string;
  if (specifier.startsWith('.')) {
    base = path.join(root, path.dirname(fromFile), specifier);
  } else {
    const own = /^@recurrent\/([^/]+)(?:\/(.*))?$/.exec(specifier);
    if (!own) return null;
    base = path.join(root, 'packages', own[1], 'src', own[2] ?? 'index');
  }
  for (const candidate of [base, `${base}.ts`, path.join(base, 'index.ts')]) {
    if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) {
      return path.relative(root, candidate).split(path.sep).join('/');
    }
  }
  // A project path that does not resolve to a source (package.json, a built file) is still a project file.
  return path.relative(root, base).split(path.sep).join('/');
}

/** An import declaration that compiles to a runtime require (TypeScript drops type-only ones). */
function isRuntimeImport(node: ts.ImportDeclaration): boolean {
  const clause = node.importClause;
  if (!clause) return true; // `import './side-effect'`
  if (clause.isTypeOnly) return false;
  if (clause.name) return true;
  const bindings = clause.namedBindings;
  if (!bindings) return false;
  if (ts.isNamespaceImport(bindings)) return true;
  return bindings.elements.length === 0 || bindings.elements.some((e) => !e.isTypeOnly);
}

function isRuntimeExport(node: ts.ExportDeclaration): boolean {
  if (node.isTypeOnly) return false;
  const clause = node.exportClause;
  if (!clause || !ts.isNamedExports(clause)) return true; // `export * from`, `export * as ns from`
  return clause.elements.length === 0 || clause.elements.some((e) => !e.isTypeOnly);
}

function isRequireCall(node: ts.Node): node is ts.CallExpression {
  return ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'require' && node.arguments.length === 1;
}

function insideFunction(node: ts.Node): boolean {
  for (let current = node.parent; current; current = current.parent) {
    if (ts.isFunctionLike(current)) return true;
  }
  return false;
}

/** Reads the sources under `root` and returns their runtime import graph. */
export function readImportGraph(root: string): ImportGraph {
  const files = workspaceSources(root);
  const edges: Edge[] = [];
  const hiddenRequires: HiddenRequire[] = [];
  for (const file of files) {
    const text = fs.readFileSync(path.join(root, file), 'utf8');
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
    const addEdge = (specifier: string): void => {
      const to = resolveSpecifier(root, file, specifier);
      if (to !== null) edges.push({ from: file, to });
    };
    for (const statement of source.statements) {
      if (ts.isImportDeclaration(statement) && isRuntimeImport(statement) && ts.isStringLiteral(statement.moduleSpecifier)) {
        addEdge(statement.moduleSpecifier.text);
      } else if (ts.isExportDeclaration(statement) && isRuntimeExport(statement) && statement.moduleSpecifier
        && ts.isStringLiteral(statement.moduleSpecifier)) {
        addEdge(statement.moduleSpecifier.text);
      } else if (ts.isImportEqualsDeclaration(statement) && !statement.isTypeOnly
        && ts.isExternalModuleReference(statement.moduleReference) && ts.isStringLiteral(statement.moduleReference.expression)) {
        addEdge(statement.moduleReference.expression.text);
      }
    }
    const visit = (node: ts.Node): void => {
      if (isRequireCall(node)) {
        const arg = node.arguments[0];
        const literal = ts.isStringLiteralLike(arg) ? arg.text : null;
        const projectFile = literal !== null && resolveSpecifier(root, file, literal) !== null;
        if (insideFunction(node) && (literal === null || projectFile)) {
          const line = source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
          hiddenRequires.push({ file, line, target: literal ?? arg.getText(source) });
        } else if (projectFile && literal !== null) {
          addEdge(literal);
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return { files, edges, hiddenRequires };
}

/**
 * The import cycles: each strongly connected component of more than one file (or a file importing
 * itself), as one cycle through it found by a walk, so the message shows a path to cut.
 */
export function findCycles(graph: Pick<ImportGraph, 'edges'>): string[][] {
  const next = new Map<string, string[]>();
  for (const { from, to } of graph.edges) {
    const list = next.get(from) ?? [];
    if (!list.includes(to)) list.push(to);
    next.set(from, list);
  }
  const cycles: string[][] = [];
  for (const component of stronglyConnected(next)) {
    const members = new Set(component);
    const selfLoop = component.length === 1 && (next.get(component[0]) ?? []).includes(component[0]);
    if (component.length > 1 || selfLoop) cycles.push(cycleWithin(component[0], members, next));
  }
  return cycles;
}

/** Tarjan's algorithm, iterative (deep graphs would overflow a recursive one). */
function stronglyConnected(next: Map<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  let counter = 0;
  const nodes = new Set<string>([...next.keys(), ...[...next.values()].flat()]);
  for (const start of [...nodes].sort()) {
    if (index.has(start)) continue;
    const work: { node: string; child: number }[] = [{ node: start, child: 0 }];
    index.set(start, counter);
    low.set(start, counter);
    counter += 1;
    stack.push(start);
    onStack.add(start);
    while (work.length > 0) {
      const frame = work[work.length - 1];
      const children = next.get(frame.node) ?? [];
      if (frame.child < children.length) {
        const child = children[frame.child];
        frame.child += 1;
        if (!index.has(child)) {
          index.set(child, counter);
          low.set(child, counter);
          counter += 1;
          stack.push(child);
          onStack.add(child);
          work.push({ node: child, child: 0 });
        } else if (onStack.has(child)) {
          low.set(frame.node, Math.min(low.get(frame.node)!, index.get(child)!));
        }
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1].node;
        low.set(parent, Math.min(low.get(parent)!, low.get(frame.node)!));
      }
      if (low.get(frame.node) === index.get(frame.node)) {
        const component: string[] = [];
        let member: string;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.node);
        components.push(component.sort());
      }
    }
  }
  return components;
}

/** A shortest path from `start` back to itself inside a component (breadth-first). */
function cycleWithin(start: string, members: Set<string>, next: Map<string, string[]>): string[] {
  const previous = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const node = queue.shift()!;
    for (const child of next.get(node) ?? []) {
      if (!members.has(child)) continue;
      if (child === start) {
        const path = [node];
        while (path[0] !== start) path.unshift(previous.get(path[0])!);
        return [...path, start];
      }
      if (!previous.has(child)) {
        previous.set(child, node);
        queue.push(child);
      }
    }
  }
  return [start, start];
}
