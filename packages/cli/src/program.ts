import { Command, InvalidArgumentError, Option } from 'commander';
import { bundledDatasetNames } from '@recurrent/core';
import { runBuildNative } from './commands/build_native';
import { runEvaluate } from './commands/evaluate';
import { runFit } from './commands/fit';
import { runGenerate } from './commands/generate';
import { runInfo } from './commands/info';
import { runInit } from './commands/init';
import { runPredict } from './commands/predict';
import { runSchema } from './commands/schema';
import { runSummary } from './commands/summary';
import { runValidate } from './commands/validate';
import { Output } from './output';
import { TEMPLATES } from './templates';

function integer(min: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min) throw new InvalidArgumentError(`expected an integer >= ${min}, got '${value}'.`);
    return n;
  };
}

function nonNegativeNumber(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0) throw new InvalidArgumentError(`expected a number >= 0, got '${value}'.`);
  return n;
}

function examples(lines: string[]): string {
  return `\nExamples:\n${lines.map((l) => `  $ ${l}`).join('\n')}\n`;
}

const EXIT_CODES = '\nExit codes: 0 success, 1 runtime failure, 2 usage or configuration error, 130 interrupted (checkpoint written).\n';

/** The `recurrent` command line. */
export function buildProgram(output: Output, version: string): Command {
  const program = new Command('recurrent');
  program
    .description('Train and use recurrent networks (SimpleRNN, LSTM, GRU) from JSON experiment files.')
    .version(version, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: output.out, writeErr: output.err })
    .exitOverride()
    .addHelpText(
      'after',
      examples([
        'recurrent init text-generation my-run',
        'recurrent validate my-run/experiment.json',
        'recurrent fit my-run/experiment.json --epochs 5',
        'recurrent generate my-run/out --prime "call me ishmael. " --length 300 --temperature 0.5 --seed 1',
        'recurrent predict my-run/out --input texts.jsonl --output predictions.csv',
      ]) + EXIT_CODES,
    );

  program
    .command('fit')
    .description('train the model of an experiment file; writes the model, its preprocessing, history and a report')
    .argument('<experiment>', 'experiment JSON file')
    .option('--epochs <n>', 'override fit.epochs', integer(1))
    .option('--batch-size <n>', 'override fit.batch_size', integer(1))
    .option('--seed <n>', 'override the seed (initialisation, shuffling, dropout, sampling)', integer(0))
    .option('--out <dir>', 'output folder (default: the experiment\'s "output", else runs/<experiment name>)')
    .option('--resume', 'continue from the checkpoint in the output folder (written by Ctrl-C and after each epoch; it also completes a run killed while writing its results)')
    .option('--overwrite', 'start again even if the output folder holds an interrupted run')
    .addHelpText(
      'after',
      examples(['recurrent fit experiment.json', 'recurrent fit experiment.json --epochs 20 --batch-size 64 --out runs/long', 'recurrent fit experiment.json --resume']) +
        '\nCtrl-C finishes the current batch, writes a checkpoint and exits with 130; --resume continues it exactly.\n' +
          'A checkpoint is verified (sizes, SHA-256, ranges) before it is used; a damaged one is refused, naming the file.\n',
    )
    .action((experiment: string, flags) => runFit(experiment, flags, output));

  program
    .command('evaluate')
    .description('loss and metrics of a trained model on data in the format it was trained on')
    .argument('<model-dir>', 'output folder of `recurrent fit`')
    .requiredOption('--data <file>', `data file, or dataset:<name> (bundled: ${bundledDatasetNames().join(', ')})`)
    .option('--batch-size <n>', 'examples per batch', integer(1))
    .option('--json', 'print the results as JSON')
    .addHelpText('after', examples(['recurrent evaluate runs/spam --data held-out.jsonl', 'recurrent evaluate runs/births --data dataset:us-births --json']))
    .action((dir: string, options) => runEvaluate(dir, options, output));

  program
    .command('predict')
    .description('predictions for raw input records (JSON Lines or CSV)')
    .argument('<model-dir>', 'output folder of `recurrent fit`')
    .requiredOption('--input <file|->', "input rows: a .jsonl or .csv file, or '-' for standard input")
    .option('--output <file|->', "where to write the predictions ('-': standard output)", '-')
    .addOption(new Option('--input-format <format>', 'input format (default: from the file name or content)').choices(['jsonl', 'csv']))
    .addOption(new Option('--output-format <format>', 'output format (default: from the file name, else jsonl)').choices(['jsonl', 'csv']))
    .option('--batch-size <n>', 'rows per batch', integer(1))
    .option('--top <n>', 'text models: how many next tokens to list', integer(1))
    .addHelpText(
      'after',
      examples([
        'recurrent predict runs/spam --input emails.jsonl',
        'echo \'{"text": "call me"}\' | recurrent predict runs/moby --input -',
        'recurrent predict runs/births --input last-month.csv --output forecast.csv',
      ]) +
        '\nInput fields are those of the training data (e.g. "text" or the text_field; the feature columns for time series).\n' +
          'Output rows: "line" is the input line; time series give one forecast per window, for the rows after "after_line".\n',
    )
    .action((dir: string, options) => runPredict(dir, options, output));

  program
    .command('generate')
    .description('sample text from a text model, printed as it is generated')
    .argument('<model-dir>', 'output folder of `recurrent fit` on text data')
    .option('--prime <text>', 'text to start from', '')
    .option('--length <n>', 'tokens to generate', integer(1), 200)
    .option('--temperature <t>', 'sampling temperature (0: always the most likely token)', nonNegativeNumber, 1)
    .option('--seed <n>', 'seed of the sampling (same seed, same text)', integer(0))
    .option('--carry-state', 'feed each token once and carry the recurrent state (one timestep per token instead of a window; the context grows beyond the training windows)')
    .addHelpText(
      'after',
      examples(['recurrent generate runs/moby --prime "the whale " --length 300 --temperature 0.5 --seed 7', 'recurrent generate runs/moby --prime "the whale " --length 2000 --carry-state']) +
        '\nEach token is drawn from the model run over the last window of tokens, as it was trained; with --carry-state\n' +
          'the first window is read once and each drawn token is one more step from the carried state.\n' +
          'To a terminal each token is printed as it is drawn; to a file or a pipe the text goes out every 4 KB or 0.1 s.\n',
    )
    .action((dir: string, options) => runGenerate(dir, options, output));

  program
    .command('summary')
    .description('the layers, output shapes and parameter counts of a model')
    .argument('<config|model-dir>', 'an experiment file, a Keras model file (.json, .keras, .h5), or a model folder')
    .option('--line-length <n>', 'width of the table', integer(40))
    .addHelpText('after', examples(['recurrent summary experiment.json', 'recurrent summary runs/moby', 'recurrent summary model.json', 'recurrent summary model.keras']))
    .action((target: string, options) => runSummary(target, options, output));

  program
    .command('validate')
    .description('check an experiment (schema, files, data, model, compile), or a model (JSON, folder, .keras, .h5) as loading would; lists every problem, exit 2 if any')
    .argument('<config|model>', 'an experiment file, a Keras model JSON file, a model folder, or a .keras / .h5 file')
    .addHelpText('after', examples(['recurrent validate experiment.json', 'recurrent validate runs/moby', 'recurrent validate model.keras']))
    .action((file: string) => runValidate(file, output));

  program
    .command('init')
    .description(`write a starter experiment: ${TEMPLATES.map((t) => t.name).join(', ')}`)
    .argument('<template>', TEMPLATES.map((t) => `${t.name}: ${t.summary}`).join('; '))
    .argument('[dir]', 'folder to write into (default: ./<template>)')
    .option('--force', 'overwrite an existing experiment.json')
    .addHelpText('after', examples(['recurrent init text-generation', 'recurrent init time-series births && recurrent fit births/experiment.json']))
    .action((template: string, dir: string | undefined, options) => runInit(template, dir, options, output));

  program
    .command('info')
    .description('tfjs backend, kernel implementation and where it came from, threads and versions')
    .option('--json', 'print as JSON')
    .addHelpText('after', examples(['recurrent info', 'RECURRENT_KERNELS=typescript recurrent info']))
    .action((options) => runInfo(options, output));

  program
    .command('build-native')
    .description('compile the native kernels from source (when no prebuilt binary fits this platform; needs Python 3, make and a C++17 compiler)')
    .addHelpText('after', examples(['recurrent build-native && recurrent info']))
    .action(() => runBuildNative(output));

  program
    .command('schema')
    .description('print the JSON Schema of experiment files')
    .addHelpText('after', examples(['recurrent schema > experiment.schema.json']))
    .action(() => runSchema(output));

  return program;
}
