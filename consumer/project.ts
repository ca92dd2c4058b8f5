/**
 * A fresh project outside the workspace (under the system's temporary folder) that installs the three
 * tarballs the way a user does: with npm and install scripts disabled, or with pnpm, which runs no
 * dependency's scripts unless allowed (here: explicitly not).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CommandResult, run } from './run_command';

export type Installer = 'npm' | 'pnpm';

const PNPM = ['--yes', 'pnpm@12.4.2'];
/** What the project installs besides the tarballs: the tfjs of the peer dependency, Node's types for tsc. */
const REGISTRY_PACKAGES = ['@tensorflow/tfjs@4.22.0', '@types/node@20'];
const INSTALL_TIMEOUT_MS = 10 * 60 * 1000;

export class ConsumerProject {
  readonly dir: string;

  constructor(readonly installer: Installer) {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), `recurrent-consumer-${installer}-`));
    fs.writeFileSync(path.join(this.dir, 'package.json'), JSON.stringify({ name: 'recurrent-consumer', version: '1.0.0', private: true }, null, 2));
  }

  /** Copies the tarballs into the project and installs them; returns the installer's output. */
  install(tarballs: Record<string, string>): CommandResult {
    const local = Object.values(tarballs).map((file) => {
      fs.copyFileSync(file, path.join(this.dir, path.basename(file)));
      return `./${path.basename(file)}`;
    });
    if (this.installer === 'npm') {
      return run('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--prefer-offline', ...local, ...REGISTRY_PACKAGES], {
        cwd: this.dir,
        timeoutMs: INSTALL_TIMEOUT_MS,
      });
    }
    // pnpm resolves the packages' dependencies on each other from the registry unless overridden, and
    // stops at dependencies with build scripts it was not told about (here: not to run them).
    const overrides = Object.entries(tarballs).map(([name, file]) => `  '${name}': file:./${path.basename(file)}`);
    const workspace = ['overrides:', ...overrides, 'allowBuilds:', "  '@recurrent/kernels': false", '  core-js: false', ''];
    fs.writeFileSync(path.join(this.dir, 'pnpm-workspace.yaml'), workspace.join('\n'));
    return run('npx', [...PNPM, 'add', ...local, ...REGISTRY_PACKAGES], { cwd: this.dir, timeoutMs: INSTALL_TIMEOUT_MS });
  }

  write(file: string, text: string): string {
    fs.writeFileSync(path.join(this.dir, file), text);
    return file;
  }

  node(args: string[], env: Record<string, string> = {}): CommandResult {
    return run(process.execPath, args, { cwd: this.dir, env });
  }

  /** A command installed by a package (`recurrent`), run as the project's package manager runs it. */
  bin(name: string, args: string[]): CommandResult {
    if (this.installer === 'npm') return run('npx', ['--no', name, ...args], { cwd: this.dir });
    return run('npx', [...PNPM, 'exec', name, ...args], { cwd: this.dir });
  }

  remove(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
