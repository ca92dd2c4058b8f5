/**
 * The shards of a weights group read as one stream of bytes, straight into the arrays that keep the
 * weights: no buffer of the whole group, reads of at most READ_PIECE_BYTES, each file opened through
 * safe_files (regular, the size it had when the folder was checked) and its SHA-256 compared with the
 * one model.json records for it, if any, as soon as its last byte is read.
 */
import { createHash, type Hash } from 'crypto';
import { ConfigError } from '../config/config_error';
import { closeFile, FileAccessError, openRegularFile, readPieces, READ_PIECE_BYTES, type LinkPolicy, type OpenedFile } from './safe_files';

/** A shard as planned: its size when the folder was checked and the SHA-256 model.json records. */
export interface ShardPlan {
  name: string;
  path: string;
  size: number;
  sha256?: string;
}

export class ShardStream {
  private index = 0;
  private position = 0;
  private open: OpenedFile | null = null;
  private hash: Hash | null = null;

  /** `jsonPath` names the model.json in integrity errors; `links` is the folder's link policy. */
  constructor(
    private readonly shards: readonly ShardPlan[],
    private readonly links: LinkPolicy,
    private readonly jsonPath: string,
    private readonly integrityKey: string,
  ) {}

  /** Fills `target` with the next bytes of the group. */
  fill(target: Uint8Array): void {
    let done = 0;
    while (done < target.length) {
      const shard = this.current();
      const take = Math.min(target.length - done, shard.size - this.position);
      readPieces(this.open!, this.position, target.subarray(done, done + take), this.hash ?? undefined);
      done += take;
      this.position += take;
      if (this.position === shard.size) this.endShard();
    }
  }

  /** Reads past `bytes` bytes (weights not wanted), still checking them. */
  skip(bytes: number): void {
    const piece = new Uint8Array(Math.min(bytes, READ_PIECE_BYTES));
    for (let left = bytes; left > 0; left -= piece.length) this.fill(piece.subarray(0, Math.min(left, piece.length)));
  }

  /** Ends the group: every shard must have been read to its end (empty shards included). */
  finish(): void {
    while (this.index < this.shards.length) {
      const shard = this.current();
      if (this.position !== shard.size) throw new Error(`${shard.path}: ${shard.size - this.position} bytes were left unread`);
      this.endShard();
    }
  }

  /** Closes the file being read, if any (after an error). */
  close(): void {
    if (this.open) closeFile(this.open);
    this.open = null;
  }

  private current(): ShardPlan {
    const shard = this.shards[this.index];
    if (shard === undefined) throw new Error(`${this.jsonPath}: the weights need more bytes than the shards hold`);
    if (this.open === null) {
      const opened = openRegularFile(shard.path, { maxBytes: Infinity, links: this.links, what: 'the weights file' });
      if (opened.size !== shard.size) {
        closeFile(opened);
        throw new FileAccessError(shard.path, `has ${opened.size} bytes now, ${shard.size} when the folder was checked: it changed while being loaded`);
      }
      this.open = opened;
      this.hash = shard.sha256 === undefined ? null : createHash('sha256');
    }
    return shard;
  }

  private endShard(): void {
    const shard = this.shards[this.index];
    const actual = this.hash?.digest('hex');
    this.close();
    this.index++;
    this.position = 0;
    this.hash = null;
    if (actual !== undefined && actual !== shard.sha256) {
      throw new ConfigError(this.jsonPath, [
        {
          path: `${this.integrityKey}.${shard.name}`,
          message: `${shard.name} does not match this model.json (SHA-256 differs): the files come from different saves; save the model again, or copy the whole folder`,
        },
      ]);
    }
  }
}
