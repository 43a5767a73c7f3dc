/**
 * Builds the incident console (/console) from console/: bundles console/src/main.ts with esbuild
 * (cytoscape and the console's code in one file, nothing fetched at run time) and copies the page
 * and its stylesheet. `npm run build` runs it after tsc; the console tests call buildConsole().
 *
 *   node --import tsx tools/build-console.ts [outDir]     (default dist/console-assets)
 */
import { build } from "esbuild";
import { copyFile, mkdir } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { join, resolve } from "node:path";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
/** Where the server looks for the console (src/server/console-routes.ts). */
export const CONSOLE_OUT_DIR = join(ROOT, "dist", "console-assets");

/** Bundles the console into `outDir`; resolves with the directory. */
export async function buildConsole(outDir: string = CONSOLE_OUT_DIR): Promise<string> {
  await mkdir(outDir, { recursive: true });
  await build({
    entryPoints: [join(ROOT, "console", "src", "main.ts")],
    bundle: true,
    format: "esm",
    target: "es2022",
    platform: "browser",
    minify: true,
    sourcemap: false,
    legalComments: "linked",
    outfile: join(outDir, "app.js"),
    logLevel: "warning",
  });
  await Promise.all(["index.html", "console.css"].map((name) => copyFile(join(ROOT, "console", name), join(outDir, name))));
  return outDir;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = await buildConsole(process.argv[2] ?? CONSOLE_OUT_DIR);
  console.log(`console built in ${out}`);
}
