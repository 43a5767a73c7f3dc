/**
 * Lists exported names of src/ that no other file mentions (src, test, bench, tools, examples,
 * bin, console): exports nobody imports, to remove or un-export. A name counts as used when it
 * appears as a word in another file, so the list has no false positives from dynamic imports or
 * namespace access (it may miss a dead export whose name another file happens to use).
 * Usage: node --import tsx tools/dead-exports.ts (exit 1 when it finds some).
 */
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import ts from "typescript";

const ROOT = new URL("..", import.meta.url).pathname;
const SCANNED = ["src", "test", "bench", "tools", "examples", "bin", "console"];

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === "node_modules" || name.startsWith(".")) return [];
    return statSync(path).isDirectory() ? filesUnder(path) : /\.(ts|mts|mjs|js|tsx)$/.test(name) ? [path] : [];
  });
}

/** The names a module exports from its own declarations (re-exports name another module's). */
function exportedNames(path: string, text: string): string[] {
  const source = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, false);
  const names: string[] = [];
  const exported = (node: ts.Node): boolean =>
    ts.canHaveModifiers(node) && (ts.getModifiers(node)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword) ?? false);
  for (const statement of source.statements) {
    if (ts.isVariableStatement(statement) && exported(statement)) {
      for (const d of statement.declarationList.declarations) if (ts.isIdentifier(d.name)) names.push(d.name.text);
    } else if (
      (ts.isFunctionDeclaration(statement) ||
        ts.isClassDeclaration(statement) ||
        ts.isInterfaceDeclaration(statement) ||
        ts.isTypeAliasDeclaration(statement) ||
        ts.isEnumDeclaration(statement)) &&
      exported(statement)
    ) {
      if (statement.name && !ts.getModifiers(statement)?.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword))
        names.push(statement.name.text);
    } else if (
      ts.isExportDeclaration(statement) &&
      !statement.moduleSpecifier &&
      statement.exportClause &&
      ts.isNamedExports(statement.exportClause)
    ) {
      for (const e of statement.exportClause.elements) names.push(e.name.text);
    }
  }
  return names;
}

/** `ignore`: files (relative to the root) whose mentions do not count, like a list of known dead exports. */
export function deadExports(root = ROOT, ignore: readonly string[] = []): string[] {
  const files = SCANNED.flatMap((dir) => filesUnder(join(root, dir))).filter((f) => !ignore.includes(relative(root, f)));
  const texts = new Map(files.map((f) => [f, readFileSync(f, "utf8")]));
  const dead: string[] = [];
  for (const [path, text] of texts) {
    if (!path.startsWith(join(root, "src")) || !path.endsWith(".ts")) continue;
    for (const name of exportedNames(path, text)) {
      const word = new RegExp(`\\b${name}\\b`);
      const used = [...texts].some(([other, otherText]) => other !== path && word.test(otherText));
      if (!used) dead.push(`${relative(root, path)}: ${name}`);
    }
  }
  return dead;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  // The test keeps a list of known dead exports: its mentions do not count.
  const dead = deadExports(ROOT, ["test/dead-exports.test.ts"]);
  for (const line of dead) console.log(line);
  process.exit(dead.length > 0 ? 1 : 0);
}
