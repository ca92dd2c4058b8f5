import { fusedOptimizerUpdatesEnabled, setFusedOptimizerUpdates } from './fused_rule';

describe('the fused optimizer switch', () => {
  const saved = process.env.RECURRENT_FUSED_OPTIMIZERS;
  afterEach(() => {
    setFusedOptimizerUpdates(null);
    if (saved === undefined) delete process.env.RECURRENT_FUSED_OPTIMIZERS;
    else process.env.RECURRENT_FUSED_OPTIMIZERS = saved;
  });

  it('is on by default and off with RECURRENT_FUSED_OPTIMIZERS=0', () => {
    delete process.env.RECURRENT_FUSED_OPTIMIZERS;
    expect(fusedOptimizerUpdatesEnabled()).toBe(true);
    process.env.RECURRENT_FUSED_OPTIMIZERS = '0';
    expect(fusedOptimizerUpdatesEnabled()).toBe(false);
    process.env.RECURRENT_FUSED_OPTIMIZERS = '1';
    expect(fusedOptimizerUpdatesEnabled()).toBe(true);
  });

  it('setFusedOptimizerUpdates overrides the environment until reset with null', () => {
    process.env.RECURRENT_FUSED_OPTIMIZERS = '0';
    setFusedOptimizerUpdates(true);
    expect(fusedOptimizerUpdatesEnabled()).toBe(true);
    delete process.env.RECURRENT_FUSED_OPTIMIZERS;
    setFusedOptimizerUpdates(false);
    expect(fusedOptimizerUpdatesEnabled()).toBe(false);
    setFusedOptimizerUpdates(null);
    expect(fusedOptimizerUpdatesEnabled()).toBe(true);
  });
});
