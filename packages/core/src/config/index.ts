/** Keras JSON model configs: reading both Keras dialects, writing the TensorFlow.js or Keras 3 one, schemas. */
export { ConfigError, ISSUE_LIMITS, clipText, listIssueLines, type ConfigIssue } from './config_error';
export { ownValue, setOwn } from './own_keys';
export { modelFromJSON, type ModelFromJsonOptions } from './model_from_json';
export { modelToJSON, modelToKerasConfig, type ModelToJsonOptions } from './model_to_json';
export { modelConfigFromJson, unwrapModelDocument, type ModelConfigCamel } from './model_config_from_json';
export { modelConfigToJson, TFJS_KERAS_VERSION } from './model_config_to_json';
export type { WriteDialect } from './layer_to_json';
export { detectSource, semanticsOf, type SourceDialect, type SourceInfo, type Semantics } from './dialect';
export { compileConfigSchema, lossSpecSchema, metricsSpecSchema, optimizerSpecSchema, type CompileConfig } from './compile_schema';
export { fitConfigSchema, type FitConfig } from './fit_schema';
export { functionalConfigSchema, layerEntrySchema, modelDocumentSchema, sequentialConfigSchema } from './model_schema';
export { layerArgsSchema, registerLayerArgsSchema } from './layer_schemas';
export { generateSchemas, writeSchemaFiles } from './json_schema';
export { parseJsonSafely, DEFAULT_JSON_LIMITS, type JsonLimits } from './safe_json';
export { jsonSyntaxProblem } from './json_position';
export { toCamelCase, toSnakeCase, keysToCamel, keysToSnake, snakeCaseJsonSchema } from './case_conversion';
