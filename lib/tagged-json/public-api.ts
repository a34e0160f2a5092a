// The `nest-flask-session/tagged-json` entry: Flask's tagged JSON (`flask.json.tag`) and the types it round-trips.
export {
  TaggedJSONSerializer,
  TagAlreadyRegisteredError,
  sessionJsonSerializer,
  type RegisterTagOptions,
  type TaggedJSONSerializerOptions,
} from './tagged-json.serializer.js';
export { JSONTag, type JSONTagClass } from './json-tag.js';
export { Tuple } from './tuple.js';
export { Markup } from './markup.js';
export { UUID } from './uuid.js';
