// `npm run bench -- NAME [options]`: runs one benchmark from bench/, which prints JSON on standard output.
// With no name, runs the quick ones. Benchmarks are never timed tests.
const quick = ["clock"];
const [name, ...rest] = process.argv.slice(2);
const names = name ? [name] : quick;
for (const bench of names) {
  const module = (await import(`./${bench}.ts`)) as { main(args: string[]): Promise<void> };
  await module.main(rest);
}
