/**
 * CSVLogger: one row per epoch (epoch index, then the log keys sorted) written to a CSV file and
 * flushed each epoch (Keras 3 callbacks/csv_logger.py). With append, an existing file is continued
 * without repeating the header. When no validation keys exist, val_ columns are still reserved
 * (filled with NA), as Keras does, so later runs with validation line up.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Callback, type CallbackState } from './callback';
import { nullableStringListField, stringField } from './state_fields';
import type { Logs } from '../logs';

export interface CSVLoggerArgs {
  filename: string;
  separator?: string;
  append?: boolean;
}

function cell(value: string, separator: string): string {
  return value.includes(separator) || value.includes('"') || value.includes('\n') ? `"${value.replace(/"/g, '""')}"` : value;
}

export class CSVLogger extends Callback {
  readonly filename: string;
  readonly separator: string;
  readonly append: boolean;
  private keys: string[] | null = null;
  private writeHeader = true;

  constructor(args: CSVLoggerArgs) {
    super();
    if (typeof args?.filename !== 'string' || args.filename === '') throw new Error('CSVLogger: filename must be a non-empty string.');
    this.filename = args.filename;
    this.separator = args.separator ?? ',';
    this.append = args.append ?? false;
  }

  override onTrainBegin(): void {
    fs.mkdirSync(path.dirname(path.resolve(this.filename)), { recursive: true });
    if (this.append && fs.existsSync(this.filename)) {
      this.writeHeader = fs.readFileSync(this.filename, 'utf8').length === 0;
    } else {
      this.writeHeader = true;
      fs.writeFileSync(this.filename, '');
    }
    this.keys = null;
  }

  /** The file as written so far: a resumed run puts it back (its onTrainBegin has emptied it). */
  override getState(): CallbackState {
    return { keys: this.keys, content: fs.existsSync(this.filename) ? fs.readFileSync(this.filename, 'utf8') : '' };
  }

  override setState(state: CallbackState): void {
    this.keys = nullableStringListField(state, 'keys', 'CSVLogger');
    const content = stringField(state, 'content', 'CSVLogger');
    const tmp = `${this.filename}.tmp-${process.pid}`;
    fs.writeFileSync(tmp, content);
    fs.renameSync(tmp, this.filename);
    this.writeHeader = content.length === 0;
  }

  override onEpochEnd(epoch: number, logs: Logs): void {
    if (this.keys === null) {
      this.keys = Object.keys(logs).sort();
      if (this.keys.length > 0 && !this.keys.some((k) => k.startsWith('val_'))) this.keys.push(...this.keys.map((k) => `val_${k}`));
    }
    const sep = this.separator;
    let text = '';
    if (this.writeHeader) {
      text += ['epoch', ...this.keys].map((k) => cell(k, sep)).join(sep) + '\n';
      this.writeHeader = false;
    }
    text += [String(epoch), ...this.keys.map((k) => (logs[k] === undefined ? 'NA' : String(logs[k])))].map((v) => cell(v, sep)).join(sep) + '\n';
    fs.appendFileSync(this.filename, text);
  }
}
