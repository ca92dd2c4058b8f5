/**
 * bench/core_speed.js's reading of the windows: which CPU ran slow, and whether alone.
 */
const { slowWindows } = require('./core_speed.js');

const windows = (medians: number[]) => medians.map((median) => ({ median }));

describe('core speed windows', () => {
  it('counts each CPU\'s slow windows against its own fastest, and those where every other CPU was at full speed', () => {
    const result = slowWindows([
      windows([1, 1, 2, 1.9, 1.1, 1]), // slow in windows 2 and 3
      windows([2, 2, 2, 4.4, 2.2, 2, 9]), // slow in window 3 only; its extra window is left out
      windows([0.5, 0.5, 0.5, 0.5, 0.5, 0.7]), // slow in window 5, alone
    ]);
    expect(result.windows).toBe(6);
    expect(result.cpus).toEqual([
      { slow: 2, alone: 1, worst: 2 },
      { slow: 1, alone: 0, worst: 2.2 },
      { slow: 1, alone: 1, worst: expect.closeTo(1.4, 12) },
    ]);
  });

  it('takes the threshold asked for', () => {
    const result = slowWindows([windows([1, 1.5, 1.1]), windows([1, 1, 1])], 1.05);
    expect(result.cpus[0]).toEqual({ slow: 2, alone: 2, worst: 1.5 });
    expect(result.cpus[1].slow).toBe(0);
  });
});
