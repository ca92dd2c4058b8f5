/**
 * Fills a checkpoint path template with Python's str.format subset Keras users write:
 * '{epoch:02d}', '{val_loss:.4f}', '{loss:.2e}', '{epoch}'. `epoch` is 1-based, as in Keras.
 */
import type { Logs } from '../logs';

const FIELD = /\{([A-Za-z_][A-Za-z0-9_]*)(?::([^{}]*))?\}/g;
const SPEC = /^(0)?(\d+)?(?:\.(\d+))?([dfeEgs%])?$/;

function formatNumber(value: number, spec: string | undefined, name: string): string {
  if (spec === undefined || spec === '') return String(value);
  const m = SPEC.exec(spec);
  if (!m) throw new Error(`ModelCheckpoint: unsupported format '{${name}:${spec}}'; use forms like {epoch:02d}, {val_loss:.4f} or {loss:.2e}.`);
  const [, zero, width, precision, type] = m;
  const p = precision === undefined ? undefined : Number(precision);
  let text: string;
  switch (type) {
    case 'd':
      text = String(Math.round(value));
      break;
    case 'f':
      text = value.toFixed(p ?? 6);
      break;
    case 'e':
    case 'E':
      text = value.toExponential(p ?? 6).replace(/e([+-])(\d)$/, 'e$10$2');
      if (type === 'E') text = text.toUpperCase();
      break;
    case 'g':
      text = p === undefined ? String(value) : String(Number(value.toPrecision(Math.max(1, p))));
      break;
    case '%':
      text = `${(value * 100).toFixed(p ?? 6)}%`;
      break;
    default:
      text = p === undefined ? String(value) : value.toFixed(p);
  }
  if (width !== undefined) text = zero ? (text.startsWith('-') ? '-' + text.slice(1).padStart(Number(width) - 1, '0') : text.padStart(Number(width), '0')) : text.padStart(Number(width));
  return text;
}

export function formatFilepath(template: string, epoch: number, logs: Logs): string {
  const values: Record<string, number> = { ...logs, epoch: epoch + 1 };
  return template.replace(FIELD, (_, name: string, spec: string | undefined) => {
    const v = values[name];
    if (v === undefined) {
      throw new Error(`ModelCheckpoint: the filepath '${template}' refers to {${name}}, which is not in the logs; available: epoch, ${Object.keys(logs).join(', ')}.`);
    }
    return formatNumber(v, spec, name);
  });
}
