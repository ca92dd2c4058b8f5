import { ProgressReporter, formatLogs } from './progress';

function capture(interactive: boolean) {
  let text = '';
  let now = 0;
  const reporter = new ProgressReporter({ write: (t: string) => (text += t), columns: 200 }, interactive, () => now);
  return { reporter, text: () => text, advance: (ms: number) => (now += ms) };
}

describe('ProgressReporter', () => {
  it('prints plain lines in a pipe: no carriage returns, one line per epoch', () => {
    const c = capture(false);
    c.reporter.epochBegin(1, 2, 3);
    c.reporter.batchEnd(1, { loss: 1 });
    c.advance(2000);
    c.reporter.epochEnd(3, { loss: 0.5, val_loss: 0.75 }, 2);
    expect(c.text()).toBe('Epoch 1/2\n3/3 - 2.0s 667ms/step - loss: 0.5000 - val_loss: 0.7500\n');
  });

  it('redraws a progress bar in place in a terminal', () => {
    const c = capture(true);
    c.reporter.epochBegin(1, 1, 4, 1);
    c.advance(500);
    c.reporter.batchEnd(2, { loss: 1.5 });
    c.reporter.epochEnd(4, { loss: 1 }, 1);
    expect(c.text()).toContain('Epoch 1/1 (resuming at batch 2/4)\n');
    expect(c.text()).toMatch(/\r2\/4 \[=+>\.+\] - ETA: \ds - loss: 1\.5000/);
    expect(c.text()).toMatch(/\r4\/4 \[=+\] - 1s 250ms\/step - loss: 1\.0000/);
  });

  it('formats small and large numbers readably', () => {
    expect(formatLogs({ a: 0.00001, b: 123456, c: 1.5 })).toBe('a: 1.0000e-5 - b: 1.2346e+5 - c: 1.5000');
  });
});
