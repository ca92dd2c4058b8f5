/** The CLI reference (docs/cli.md), generated from the help the `recurrent` command prints. */

export const CLI_COMMANDS = ['fit', 'evaluate', 'predict', 'generate', 'summary', 'validate', 'init', 'info', 'build-native', 'schema'];

/** `help(args)` returns what `recurrent <args>` prints (e.g. ['fit', '--help']). */
export async function cliReference(help: (args: string[]) => Promise<string>): Promise<string> {
  const sections: string[] = [];
  sections.push('# `recurrent` command reference\n');
  sections.push('<!-- Generated from `recurrent --help` by examples/docs-tools/generate_docs.ts; do not edit by hand. -->\n');
  sections.push(
    'The `recurrent` command trains and uses models described by JSON experiment files (see the',
    '[config reference](config-reference.md) for every key). In this workspace run it as',
    '`node packages/cli/bin/recurrent.js` after `npx pnpm@12.4.2 build`, or `npx recurrent` from a package that',
    'depends on `@recurrent/cli`. Each section below is the command\'s own `--help`.\n',
  );
  sections.push('## recurrent\n');
  sections.push('```text\n' + (await help(['--help'])).trimEnd() + '\n```\n');
  for (const command of CLI_COMMANDS) {
    sections.push(`## recurrent ${command}\n`);
    sections.push('```text\n' + (await help([command, '--help'])).trimEnd() + '\n```\n');
  }
  return sections.join('\n');
}
