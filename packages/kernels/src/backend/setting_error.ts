/**
 * A setting that cannot be honoured: an environment variable such as RECURRENT_KERNELS with a value
 * that means nothing, or a choice the machine cannot satisfy. The user fixes it by changing the setting
 * (the command line reports it in one line with exit code 2), so it is told apart from failures.
 */
export class SettingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SettingError';
  }
}
