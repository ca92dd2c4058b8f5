import { compileConfigSchema } from './compile_schema';

function messages(config: unknown): string[] {
  const parsed = compileConfigSchema.safeParse(config);
  return parsed.success ? [] : parsed.error.issues.map((i) => i.message);
}

describe('compile options in JSON', () => {
  test('misspelt loss, metric and optimizer names get a suggestion', () => {
    expect(messages({ loss: 'mean_squared_eror' })).toEqual([expect.stringMatching(/got "mean_squared_eror" \(did you mean 'mean_squared_error'\?\)$/)]);
    expect(messages({ loss: 'mse', metrics: ['acuracy'] })).toEqual([expect.stringMatching(/got "acuracy" \(did you mean 'accuracy'\?\)$/)]);
    expect(messages({ loss: 'mse', optimizer: 'adamm' })).toEqual([expect.stringMatching(/got "adamm" \(did you mean 'adam'\?\)$/)]);
  });

  test('prototype names are unknown names', () => {
    for (const name of ['constructor', 'toString', 'valueOf', '__proto__', 'hasOwnProperty']) {
      expect(messages({ loss: name })).toEqual([expect.stringMatching(/^expected a loss name \(.*\), got "/)]);
      expect(messages({ loss: 'mse', optimizer: name })).toEqual([expect.stringMatching(/^expected an optimizer name/)]);
      expect(messages({ loss: 'mse', metrics: [name] })).toEqual([expect.stringMatching(/^expected a metric name/)]);
    }
  });
});
