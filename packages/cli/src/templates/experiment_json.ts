/** An experiment file's content as written (snake_case keys, as in the files). */
export type ExperimentJson = { [key: string]: unknown; description?: string };
