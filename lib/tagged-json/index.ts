export {
  TaggedJSONSerializer,
  TagAlreadyRegisteredError,
  sessionJsonSerializer,
  type RegisterTagOptions,
  type TaggedJSONSerializerOptions,
} from './tagged-json.serializer.js';
export { JSONTag, NotImplementedError, type JSONTagClass } from './json-tag.js';
export { PassDict, PassList, TagBytes, TagDateTime, TagDict, TagMarkup, TagTuple, TagUUID } from './tags.js';
export { Tuple } from './tuple.js';
export { Markup } from './markup.js';
export { UUID } from './uuid.js';
export { formatHttpDate, parseHttpDate } from './http-date.js';
export {
  compareCodePoints,
  encodePythonNumber,
  encodePythonString,
  pythonFloatRepr,
  pythonJsonDumps,
  pythonJsonLoads,
  type PythonJsonDumpsOptions,
  type PythonJsonLoadsOptions,
} from './python-json.js';
