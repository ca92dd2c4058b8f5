/** Reading Keras's vocabulary.txt assets as Keras reads them (the archive round trip is in keras_file.test.ts). */
import { vocabularyLines } from './keras_assets';

describe('vocabularyLines', () => {
  test("splits where Python's str.splitlines() does and drops trailing empty lines, as Keras's load_assets", () => {
    expect(vocabularyLines('a\r\nb\rc\u0085d\u2028e\vf\n\n\n')).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
  });

  test('keeps empty entries inside the file (the mask token of TextVectorization is the empty string)', () => {
    expect(vocabularyLines('\n[UNK]\nthe\n')).toEqual(['', '[UNK]', 'the']);
    expect(vocabularyLines('')).toEqual([]);
  });
});
