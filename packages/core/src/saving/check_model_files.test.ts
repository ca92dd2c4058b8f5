import * as fs from 'fs';
import * as path from 'path';
import { setSeed } from '../engine/random';
import { layers } from '../layers';
import { Sequential } from '../models/sequential';
import { compileModel } from '../training/compile_args';
import { checkModelFiles } from './check_model_files';
import { loadModel } from './load_model';
import { saveModel } from './save_model';
import { temporaryFolders } from './__tests__/temp_dirs';

const tempDir = temporaryFolders('recurrent-check-');

function saved(): string {
  const m = new Sequential({ name: 'small' });
  m.add(layers.lstm({ units: 3, inputShape: [4, 2], name: 'lstm' }));
  m.add(layers.dense({ units: 2, name: 'dense' }));
  compileModel(m, { optimizer: 'adam', loss: 'mse' });
  const dir = tempDir();
  saveModel(m, dir, { dialect: 'tfjs' });
  return dir;
}

function edit(dir: string, change: (json: any) => void): void {
  const file = path.join(dir, 'model.json');
  const json = JSON.parse(fs.readFileSync(file, 'utf8'));
  delete json.weightsIntegrity;
  change(json);
  fs.writeFileSync(file, JSON.stringify(json));
}

describe('checkModelFiles: every problem loading would meet, at once', () => {
  beforeAll(() => setSeed(61));

  test('a sound folder: its model and the training config that compiles', async () => {
    const check = await checkModelFiles(saved());
    expect(check).toMatchObject({ problems: [], trainingNote: null, hasTrainingConfig: true, model: { layers: 2, parameters: 3 * 4 * (2 + 3 + 1) + 3 * 2 + 2, weights: 5 } });
  });

  test('problems of the file, the manifest and two layers are all listed', async () => {
    const dir = saved();
    edit(dir, (json) => {
      json.format = 'layers-modle';
      json.weightsManifest[0].weights[4].dtype = 'float64';
      json.modelTopology.config.layers[0].config.return_sequence = true;
      json.modelTopology.config.layers[1].config.units = -2;
    });
    const check = await checkModelFiles(dir);
    expect(check.problems.map((p) => p.path)).toEqual([
      'format',
      'weightsManifest[0].weights[4].dtype',
      expect.stringMatching(/^layers\[0\]/),
      expect.stringMatching(/^layers\[1\]\.config\.units/),
    ]);
    await expect(loadModel(dir)).rejects.toThrow(/4 problems/);
  });

  test('weights against the model: a wrong shape and an unknown name together, and a training config that will be skipped', async () => {
    const dir = saved();
    edit(dir, (json) => {
      json.weightsManifest[0].weights[3].shape = [2, 3];
      json.weightsManifest[0].weights[3].name = 'dense/kernel';
      json.weightsManifest[0].weights[0].name = 'lstm/kernal';
      json.trainingConfig.optimizer_config.class_name = 'Lion';
    });
    const check = await checkModelFiles(dir);
    expect(check.problems.map((p) => `${p.path}: ${p.message}`)).toEqual([
      expect.stringMatching(/^weightsManifest: lstm\/kernal: the model has no weight of this name/),
      "weightsManifest: dense/kernel: shape [2, 3] does not match the model's 'dense/kernel' of shape [3, 2]",
      "weightsManifest: no value for the model's weight 'lstm/kernel'",
    ]);
    expect(check.trainingNote).toMatch(/^optimizer 'Lion': unknown optimizer 'Lion'/);
  });

  test('Keras files too, and a file that is not there', async () => {
    const m = new Sequential({ name: 'k' });
    m.add(layers.gru({ units: 2, inputShape: [3, 2] }));
    const file = path.join(tempDir(), 'k.keras');
    await saveModel(m, file);
    expect(await checkModelFiles(file)).toMatchObject({ problems: [], model: { layers: 1, weights: 3 } });
    const missing = await checkModelFiles(path.join(tempDir(), 'absent.keras'));
    expect(missing.problems).toEqual([{ path: '', message: expect.stringMatching(/no such file/) }]);
  });
});
