#!/usr/bin/env node
/**
 * Regenerates docs/schema/*.json (model, layer, compile and fit options, snake_case) from the zod schemas.
 * Needs the built package: `npx tsc -b packages/core && node packages/core/scripts/generate-schemas.js`.
 * The test packages/core/src/config/json_schema.test.ts fails while the checked-in files differ; running it
 * with UPDATE_SCHEMAS=1 rewrites them too.
 */
const path = require('path');

const dist = path.join(__dirname, '..', 'dist');
require(path.join(dist, 'layers'));
const { writeSchemaFiles } = require(path.join(dist, 'config', 'json_schema'));

const written = writeSchemaFiles(path.join(__dirname, '..', '..', '..', 'docs', 'schema'));
for (const file of written) console.log(`wrote ${path.relative(process.cwd(), file)}`);
