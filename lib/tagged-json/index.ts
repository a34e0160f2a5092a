// The layer's own index: the public entry, plus what the other layers and the unit tests use.
export * from './public-api.js';
export { NotImplementedError } from './json-tag.js';
export { PassDict, PassList, TagBytes, TagDateTime, TagDict, TagMarkup, TagTuple, TagUUID } from './tags.js';
export { formatHttpDate, parseHttpDate } from './http-date.js';
export {
  copyPlainJson,
  NEEDS_EXACT_PARSE,
  parseAsPlainJson,
  compareCodePoints,
  encodePythonNumber,
  encodePythonString,
  pythonFloatRepr,
  pythonJsonDumps,
  pythonJsonLoads,
  type PythonJsonDumpsOptions,
  type PythonJsonLoadsOptions,
} from './python-json.js';
