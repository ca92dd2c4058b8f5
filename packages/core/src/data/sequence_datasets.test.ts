import { LabelIndex, fitLabelVocabulary } from './label_vocabulary';
import { parseJsonl } from './records';
import { PAD_TAG, encodeClassification, encodeSeq2Seq, encodeTagging } from './sequence_datasets';
import { Tokenizer } from './tokenizer';

describe('encodeClassification', () => {
  const records = parseJsonl(['{"text":"good movie","label":"pos"}', '{"text":"bad bad movie","label":"neg"}'].join('\n'), 'c.jsonl');

  it('pads token ids and maps labels to class indices', () => {
    const tokenizer = new Tokenizer().fitOnTexts(records.map((r) => r.value.text as string));
    const labels = new LabelIndex(fitLabelVocabulary(records.map((r) => r.value.label as string)));
    const { x, y } = encodeClassification(records, tokenizer, labels, { textField: 'text', labelField: 'label', maxLen: 3 });
    expect(x.shape).toEqual([2, 3]);
    // movie=1 and bad=2 (two each; movie seen first), good=3
    expect(Array.from(x.data)).toEqual([0, 3, 1, 2, 2, 1]);
    expect(Array.from(y.data)).toEqual([1, 0]);
  });

  it('names a record whose label field is missing', () => {
    const bad = parseJsonl('{"text":"x","lable":"pos"}', 'c.jsonl');
    const tokenizer = new Tokenizer().fitOnTexts(['x']);
    expect(() => encodeClassification(bad, tokenizer, new LabelIndex(['pos']), { textField: 'text', labelField: 'label', maxLen: 2 })).toThrow(
      /c\.jsonl:1: no field 'label' \(did you mean 'lable'\?\)/,
    );
  });
});

describe('encodeTagging', () => {
  const records = parseJsonl(['{"tokens":["the","dog","runs"],"tags":["DT","NN","VB"]}', '{"tokens":["dogs"],"tags":["NN"]}'].join('\n'), 't.jsonl');
  const tokenizer = new Tokenizer({ oovToken: '<oov>' }).fitOnTexts(records.map((r) => r.value.tokens as string[]));
  const tags = new LabelIndex(['DT', 'NN', 'VB'], 1);

  it('keeps tokens and tags aligned through padding and truncation, with tag 0 for padding', () => {
    const { x, y } = encodeTagging(records, tokenizer, tags, { tokensField: 'tokens', tagsField: 'tags', maxLen: 2, padding: 'post', truncating: 'post' });
    const index = (w: string) => tokenizer.wordIndex.get(w);
    expect(Array.from(x.data)).toEqual([index('the'), index('dog'), index('dogs'), 0]);
    expect(Array.from(y.data)).toEqual([1, 2, 2, 0]);
    expect(PAD_TAG).toBe('<pad>');
  });

  it('needs one tag per token and an OOV token', () => {
    const bad = parseJsonl('{"tokens":["a","b"],"tags":["NN"]}', 't.jsonl');
    expect(() => encodeTagging(bad, tokenizer, tags, { tokensField: 'tokens', tagsField: 'tags', maxLen: 2 })).toThrow(/t\.jsonl:1 \(tags\): 2 tokens but 1 tags/);
    expect(() => encodeTagging(records, new Tokenizer(), tags, { tokensField: 'tokens', tagsField: 'tags', maxLen: 2 })).toThrow(/oovToken/);
  });
});

describe('encodeSeq2Seq', () => {
  it('builds teacher-forcing inputs and targets with start and end markers', () => {
    const records = parseJsonl('{"w":"ab","p":"X Y"}', 's.jsonl');
    const source = new Tokenizer({ level: 'char' }).fitOnTexts(['ab']);
    const target = new Tokenizer({ lower: false, reservedTokens: ['<s>', '</s>'] }).fitOnTexts(['X Y']);
    const out = encodeSeq2Seq(records, source, target, {
      sourceField: 'w',
      targetField: 'p',
      maxSourceLen: 3,
      maxTargetLen: 4,
      startToken: '<s>',
      endToken: '</s>',
    });
    expect(Array.from(out.encoderInput.data)).toEqual([0, 1, 2]);
    // <s>=1 </s>=2 X=3 Y=4
    expect(Array.from(out.decoderInput.data)).toEqual([1, 3, 4, 0]);
    expect(Array.from(out.decoderTarget.data)).toEqual([3, 4, 2, 0]);
  });
});
