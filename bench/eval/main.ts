/**
 * npm run eval -- <parse|summarize|similarity|stories|topics|pairs> [--data ../shared/data] [...]
 * Each evaluation lives in bench/eval/<name>.ts and exports run(args: string[]): Promise<void>.
 */
const [name, ...args] = process.argv.slice(2);
const known = ['parse', 'summarize', 'similarity', 'stories', 'topics', 'pairs'];
if (!name || !known.includes(name)) {
  process.stderr.write(`usage: npm run eval -- <${known.join('|')}> [--data ../shared/data]\n`);
  process.exit(2);
}
const mod = (await import(`./${name}.ts`)) as { run(args: string[]): Promise<void> };
await mod.run(args);
