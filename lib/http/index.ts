export { NodeSessionRequest, NodeSessionResponse } from './node-http.adapter.js';
export {
  SessionContext,
  findSessionContext,
  registerContextFactory,
  isPromise,
  type SessionRuntime,
} from './session-context.js';
export { addVaryField } from './vary.js';
export { keepSessionHeaders, type WrittenSessionHeaders } from './write-head-headers.js';
