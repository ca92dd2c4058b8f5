/**
 * The config reference (docs/config-reference.md), generated from the JSON Schema files in
 * docs/schema/: one table per section, experiment data kind and layer class, each key with its type,
 * default and description as the schemas state them.
 */
type Schema = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface SchemaFiles {
  experiment: Schema;
  compile: Schema;
  fit: Schema;
  model: Schema;
  layer: Schema;
}

const MAX_SAFE = 9007199254740991;
/** Keys every layer accepts; listed once instead of in every layer's table. */
const BASE_LAYER_KEYS = ['name', 'trainable', 'input_shape', 'batch_input_shape', 'batch_size', 'dtype', 'activity_regularizer'];

/** One line per layer class, shown above its table (the schemas carry the keys, not what a layer is). */
const LAYER_SUMMARIES: Record<string, string> = {
  Activation: 'Applies an activation function.',
  ActivityRegularization: 'The identity, adding `l1` * sum(|x|) + `l2` * sum(x^2) of its input to the loss.',
  Add: 'Adds a list of inputs of the same shape.',
  AdditiveAttention: 'Bahdanau-style attention of [query, value(, key)]: scores sum(scale * tanh(query + key)).',
  Attention: 'Luong-style attention of [query, value(, key)]: dot-product (or `score_mode` concat) scores.',
  Average: 'Averages a list of inputs elementwise.',
  AveragePooling1D: 'Means over windows of `pool_size` steps every `strides` steps.',
  AvgPool1D: 'Alias of AveragePooling1D.',
  BatchNormalization: 'Normalizes with batch statistics in training and moving statistics in inference.',
  Bidirectional: 'Runs a recurrent layer forwards and a copy backwards and merges their outputs (`merge_mode`).',
  Concatenate: 'Concatenates a list of inputs along `axis`.',
  Conv1D: 'Convolution over time: `filters` kernels of `kernel_size` steps.',
  Convolution1D: 'Alias of Conv1D.',
  Cropping1D: 'Removes steps at the start and the end of a sequence.',
  Dense: 'Fully connected layer; on a sequence it applies to every timestep.',
  Dot: 'Dot product of two inputs over one axis each (`axes`), per sample.',
  Dropout: 'Sets a fraction `rate` of inputs to 0 in training.',
  ELU: 'x above 0, `alpha` * (exp(x) - 1) below.',
  Embedding: 'Maps integer ids to vectors; `mask_zero` makes id 0 padding and emits a mask.',
  Flatten: 'Flattens all but the batch dimension.',
  GRU: 'Gated recurrent unit layer (Keras GRU; `reset_after` true by default).',
  GRUCell: 'One step of a GRU, for `RNN` and `StackedRNNCells`.',
  GaussianDropout: 'Multiplies by Gaussian noise of mean 1 in training.',
  GaussianNoise: 'Adds Gaussian noise of standard deviation `stddev` in training.',
  GlobalAveragePooling1D: 'Averages over the time axis (respects the mask).',
  GlobalAvgPool1D: 'Alias of GlobalAveragePooling1D.',
  GlobalMaxPool1D: 'Alias of GlobalMaxPooling1D.',
  GlobalMaxPooling1D: 'Maximum over the time axis.',
  InputLayer: 'The input of a model (`batch_input_shape` or `batch_shape`).',
  LSTM: 'Long short-term memory layer (Keras LSTM; `unit_forget_bias` true by default).',
  LSTMCell: 'One step of an LSTM, for `RNN` and `StackedRNNCells`.',
  LayerNormalization: 'Normalizes each sample over `axis`, then scales by gamma and shifts by beta.',
  LeakyReLU: 'x above 0, `negative_slope` * x below (Keras 2: `alpha`).',
  Masking: 'Masks the timesteps whose features all equal `mask_value`.',
  MaxPool1D: 'Alias of MaxPooling1D.',
  MaxPooling1D: 'Maxima over windows of `pool_size` steps every `strides` steps.',
  Maximum: 'Elementwise maximum of a list of inputs.',
  Minimum: 'Elementwise minimum of a list of inputs.',
  MultiHeadAttention: '`num_heads` heads of scaled dot-product attention of [query, value(, key)], projected back.',
  Multiply: 'Multiplies a list of inputs elementwise.',
  PReLU: 'Leaky relu with learned slopes `alpha`, shared along `shared_axes`.',
  Permute: 'Reorders the non-batch axes (`dims`, numbered from 1).',
  RNN: 'Runs any cell (or a list of cells, stacked) over the time axis.',
  ReLU: 'Rectified linear unit with optional `max_value`, `negative_slope` and `threshold`.',
  RepeatVector: 'Repeats a vector `n` times: [batch, features] -> [batch, n, features].',
  Reshape: 'Reshapes to `target_shape` (without the batch dimension).',
  SimpleRNN: 'Fully connected recurrent layer: h_t = activation(x_t W + h_(t-1) U + b).',
  SimpleRNNCell: 'One step of a SimpleRNN, for `RNN` and `StackedRNNCells`.',
  Softmax: 'Softmax over `axis`; masked positions get 0.',
  SpatialDropout1D: 'Drops whole feature channels of a sequence in training.',
  StackedRNNCells: 'Several cells run as one, each feeding the next.',
  StringLookup: 'Maps strings to vocabulary indices (or one-hot, multi-hot, count, tf-idf vectors), or back (`invert`).',
  Subtract: 'The first of two inputs minus the second.',
  TextVectorization: 'Raw strings to token indices or token vectors: standardize, split, n-grams, vocabulary lookup.',
  TimeDistributed: 'Applies a layer to every timestep of a sequence.',
  UpSampling1D: 'Repeats every step `size` times.',
  ZeroPadding1D: 'Adds zero steps at the start and the end of a sequence.',
};

/** Long enumerations (activation names, initializers...) are listed once, at the end, and linked. */
class ValueLists {
  readonly lists: { anchor: string; title: string; values: unknown[] }[] = [];

  link(values: unknown[], hint: string): string {
    const key = JSON.stringify(values);
    let list = this.lists.find((l) => JSON.stringify(l.values) === key);
    if (list === undefined) {
      const base = hint.replace(/^(kernel|recurrent|bias|embeddings|depthwise|pointwise|beta|gamma)_/, '').replace(/_/g, '-') || 'values';
      let anchor = `values-${base}`;
      for (let i = 2; this.lists.some((l) => l.anchor === anchor); i++) anchor = `values-${base}-${i}`;
      list = { anchor, title: `${base.replace(/-/g, ' ')} values`, values };
      this.lists.push(list);
    }
    return `[${list.title}](#${list.anchor})`;
  }
}

function resolve(schema: Schema, root: Schema): Schema {
  let s = schema;
  for (let i = 0; i < 20 && typeof s?.$ref === 'string'; i++) {
    const name = s.$ref.replace(/^#\/\$defs\//, '');
    const target = root.$defs?.[name];
    if (target === undefined) throw new Error(`config reference: unresolved $ref ${s.$ref}`);
    const { $ref: _ignored, ...rest } = s;
    s = { ...target, ...rest };
  }
  return s;
}

function bounds(s: Schema): string {
  const parts: string[] = [];
  if (s.exclusiveMinimum !== undefined) parts.push(`> ${s.exclusiveMinimum}`);
  if (s.minimum !== undefined) parts.push(`>= ${s.minimum}`);
  if (s.exclusiveMaximum !== undefined) parts.push(`< ${s.exclusiveMaximum}`);
  if (s.maximum !== undefined && s.maximum !== MAX_SAFE) parts.push(`<= ${s.maximum}`);
  return parts.length > 0 ? ` ${parts.join(', ')}` : '';
}

/** A short type expression for a schema, e.g. `integer > 0`, `"pre" | "post"`, `number[] or null`. */
export function typeOf(schema: Schema, root: Schema, lists: ValueLists, hint: string, depth = 0): string {
  const s = resolve(schema, root);
  if (depth > 6) return 'value';
  if (s.const !== undefined) return `\`${JSON.stringify(s.const)}\``;
  if (Array.isArray(s.enum)) {
    return s.enum.length <= 6 ? s.enum.map((v: unknown) => `\`${JSON.stringify(v)}\``).join(' \\| ') : lists.link(s.enum, hint);
  }
  const union = s.anyOf ?? s.oneOf;
  if (Array.isArray(union)) {
    const members = union.map((m: Schema) => resolve(m, root));
    const nullable = members.some((m: Schema) => m.type === 'null');
    const consts = members.filter((m: Schema) => m.const !== undefined);
    const parts =
      consts.length === members.length
        ? [consts.map((m: Schema) => `\`${JSON.stringify(m.const)}\``).join(' \\| ')]
        : members.filter((m: Schema) => m.type !== 'null').map((m: Schema) => typeOf(m, root, lists, hint, depth + 1));
    const unique = [...new Set(parts)];
    return unique.join(' \\| ') + (nullable ? ' or null' : '');
  }
  switch (s.type) {
    case 'integer':
    case 'number':
      return `${s.type}${bounds(s)}`;
    case 'string':
      return 'string';
    case 'boolean':
      return 'boolean';
    case 'null':
      return 'null';
    case 'array': {
      if (Array.isArray(s.prefixItems)) return `[${s.prefixItems.map((p: Schema) => typeOf(p, root, lists, hint, depth + 1)).join(', ')}]`;
      if (s.items === undefined) return 'array';
      const item = typeOf(s.items, root, lists, hint, depth + 1);
      return /[ |]/.test(item) ? `array of (${item})` : `${item}[]`;
    }
    case 'object': {
      const props = s.properties ?? {};
      if ('class_name' in props) {
        const name = resolve(props.class_name, root);
        return name.const !== undefined ? `{"class_name": ${JSON.stringify(name.const)}, "config"}` : '{"class_name", "config"}';
      }
      const keys = Object.keys(props);
      return keys.length > 0 && keys.length <= 4 ? `object (${keys.join(', ')})` : 'object';
    }
    default:
      return 'any';
  }
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function keyTable(properties: Record<string, Schema>, required: string[], root: Schema, lists: ValueLists, skip: string[] = []): string {
  const rows = Object.entries(properties)
    .filter(([key]) => !skip.includes(key))
    .map(([key, raw]) => {
      const s = resolve(raw, root);
      const type = typeOf(raw, root, lists, key).replace(/\\\|/g, '&#124;');
      const req = required.includes(key) ? 'required' : s.default !== undefined ? `\`${JSON.stringify(s.default)}\`` : '';
      return `| \`${key}\` | ${type} | ${req} | ${cell(s.description ?? '')} |`;
    });
  if (rows.length === 0) return '_No keys besides the common ones._\n';
  return ['| key | type | required / default | description |', '| --- | --- | --- | --- |', ...rows].join('\n') + '\n';
}

function experimentSection(files: SchemaFiles, lists: ValueLists): string {
  const root = files.experiment;
  const out: string[] = [];
  out.push('## Experiment files\n');
  out.push(`Schema: [\`docs/schema/experiment.schema.json\`](schema/experiment.schema.json). ${root.description ?? ''} ` +
    'Keys are written in camelCase or snake_case (`batch_size` and `batchSize` both work in the compile, fit and generate sections).\n');
  out.push(keyTable(root.properties, root.required ?? [], root, lists));
  const data = resolve(root.properties.data, root);
  out.push('### `data`: one of five kinds, chosen by `kind`\n');
  for (const branch of data.oneOf ?? data.anyOf ?? []) {
    const b = resolve(branch, root);
    const kind = resolve(b.properties.kind, root);
    out.push(`#### \`"kind": ${JSON.stringify(kind.const)}\`\n`);
    if (b.description) out.push(`${b.description}\n`);
    out.push(keyTable(b.properties, b.required ?? [], root, lists, ['kind']));
  }
  for (const section of ['fit', 'generate']) {
    const s = resolve(root.properties[section], root);
    const object = (s.anyOf ?? [s]).map((m: Schema) => resolve(m, root)).find((m: Schema) => m.type === 'object') ?? s;
    out.push(`### \`${section}\`\n`);
    if (s.description ?? object.description) out.push(`${s.description ?? object.description}\n`);
    out.push(keyTable(object.properties ?? {}, object.required ?? [], root, lists));
  }
  return out.join('\n');
}

function compileAndFitSection(files: SchemaFiles, lists: ValueLists): string {
  const out: string[] = [];
  out.push('## Compile options\n');
  out.push('Schema: [`docs/schema/compile.schema.json`](schema/compile.schema.json), the `compile` section of an experiment. ' +
    'Names follow Keras (`"adam"`, `"sparse_categorical_crossentropy"`, `"accuracy"`); objects are `{"class_name", "config"}`.\n');
  out.push(keyTable(files.compile.properties, files.compile.required ?? [], files.compile, lists, ['$schema']));
  out.push('## Fit options\n');
  out.push('Schema: [`docs/schema/fit.schema.json`](schema/fit.schema.json): the options of `fit` that can be written in JSON.\n');
  out.push(keyTable(files.fit.properties, files.fit.required ?? [], files.fit, lists, ['$schema']));
  return out.join('\n');
}

function layerSection(files: SchemaFiles, lists: ValueLists): string {
  const root = files.layer;
  const branches = (root.oneOf ?? root.anyOf ?? []).map((b: Schema) => resolve(b, root));
  const out: string[] = [];
  out.push('## Layers\n');
  out.push('Schema: [`docs/schema/layer.schema.json`](schema/layer.schema.json); model configs ([`model.schema.json`](schema/model.schema.json)) ' +
    'list layers as `{"class_name": ..., "config": {...}}`, inside `{"class_name": "Sequential" | "Functional", "config": {"layers": [...]}}`. ' +
    'How files from Keras 2, Keras 3 and TensorFlow.js are read is described in [schema/README.md](schema/README.md).\n');
  const first = resolve(branches[0].properties.config, root);
  out.push('### Keys every layer takes\n');
  const base = Object.fromEntries(BASE_LAYER_KEYS.filter((k) => k in first.properties).map((k) => [k, first.properties[k]]));
  out.push(keyTable(base, [], root, lists));
  const names = branches.map((b: Schema) => resolve(b.properties.class_name, root).const as string);
  out.push(`Classes: ${names.map((n: string) => `[${n}](#${n.toLowerCase()})`).join(', ')}.\n`);
  branches.forEach((b: Schema, i: number) => {
    const config = resolve(b.properties.config, root);
    out.push(`### ${names[i]}\n`);
    if (LAYER_SUMMARIES[names[i]] !== undefined) out.push(`${LAYER_SUMMARIES[names[i]]}\n`);
    out.push(keyTable(config.properties ?? {}, config.required ?? [], root, lists, BASE_LAYER_KEYS));
  });
  return out.join('\n');
}

/** The whole of docs/config-reference.md. */
export function configReference(files: SchemaFiles): string {
  const lists = new ValueLists();
  const body = [experimentSection(files, lists), compileAndFitSection(files, lists), layerSection(files, lists)].join('\n');
  const appendix = lists.lists.map((l) => `### ${l.title[0].toUpperCase()}${l.title.slice(1)}\n\n<a id="${l.anchor}"></a>${l.values.map((v) => `\`${JSON.stringify(v)}\``).join(', ')}\n`);
  return [
    '# Config reference',
    '',
    '<!-- Generated from docs/schema/*.json by examples/docs-tools/generate_docs.ts; do not edit by hand. -->',
    '',
    'Every key of experiment files, compile and fit options and layer configs, as the JSON Schema files in',
    '[`docs/schema/`](schema/) define them (they are generated from the library\'s own argument schemas, so these',
    'tables are what the code accepts). An editor pointed at a schema (`"$schema": "../docs/schema/experiment.schema.json"`)',
    'completes and checks the same keys.',
    '',
    body,
    '## Value lists\n',
    ...appendix,
  ].join('\n');
}
