// Validates an OpenAPI document (a file) against the official OpenAPI 3.x JSON schemas; prints
// "valid <version>" and exits 0, or prints each error and exits 1.
import { readFileSync } from "node:fs";
import { Validator } from "@seriousme/openapi-schema-validator";

const file = process.argv[2];
const validator = new Validator();
const result = await validator.validate(JSON.parse(readFileSync(file, "utf8")));
if (result.valid) {
  console.log(`valid ${validator.version}`);
} else {
  console.log(JSON.stringify(result.errors, null, 2));
  process.exit(1);
}
