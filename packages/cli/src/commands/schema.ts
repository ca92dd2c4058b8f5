import { experimentJsonSchemaText } from '../experiment/json_schema';
import { Output } from '../output';

/** `recurrent schema`: the JSON Schema of experiment files, for editors and validators. */
export function runSchema(output: Output): void {
  output.out(experimentJsonSchemaText());
}
