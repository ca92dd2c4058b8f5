import * as fs from 'fs';
import * as path from 'path';
import { didYouMean } from '@recurrent/core';
import { UsageError } from '../errors';
import { Output } from '../output';
import { ensureFolder, writeOutputFile } from '../output_paths';
import { TEMPLATES, templateNames } from '../templates';

/** Writes a starter experiment (experiment.json and a README) into `dir` (default ./<template>). */
export function runInit(templateName: string, dir: string | undefined, options: { force?: boolean }, output: Output): void {
  const template = TEMPLATES.find((t) => t.name === templateName);
  if (template === undefined) {
    throw new UsageError(`unknown template '${templateName}'${didYouMean(templateName, templateNames())}`, `use one of: ${templateNames().join(', ')}`);
  }
  const target = path.resolve(dir ?? templateName);
  const experimentFile = path.join(target, 'experiment.json');
  if (fs.existsSync(experimentFile) && !options.force) {
    throw new UsageError(`${experimentFile} already exists`, 'choose another folder, or pass --force to overwrite it');
  }
  ensureFolder(target, 'the folder');
  writeOutputFile(experimentFile, JSON.stringify(template.experiment, null, 2) + '\n', 'the experiment file');
  const shown = path.relative(process.cwd(), experimentFile) || experimentFile;
  fs.writeFileSync(path.join(target, 'README.md'), readme(template.name, String(template.experiment.description ?? template.summary), template.tryIt));
  output.out(`wrote ${shown} (${template.summary})\n`);
  output.out(`next:\n  recurrent validate ${shown}\n  recurrent fit ${shown}\n`);
}

function readme(name: string, description: string, tryIt: string[]): string {
  return `# ${name}

${description}

\`\`\`sh
recurrent validate experiment.json   # check the file and the data
recurrent summary experiment.json    # the model, with the sizes the data gives
recurrent fit experiment.json        # train; results in ./out
\`\`\`

The output folder holds the model (model.json, weights.bin), preprocessing.json, history.json,
history.csv, report.html and plots/. Then try:

\`\`\`sh
${tryIt.join('\n')}
\`\`\`

Ctrl-C during fit writes a checkpoint; \`recurrent fit experiment.json --resume\` continues it.
`;
}
