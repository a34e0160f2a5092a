export { NodeSessionRequest, NodeSessionResponse } from './node-http.adapter.js';
export {
  SessionContext,
  findSessionContext,
  CONTEXT_FACTORY,
  type ContextFactory,
  isPromise,
  type SessionRuntime,
} from './session-context.js';
export { addVaryField } from './vary.js';
export { keepSessionHeaders, type WrittenSessionHeaders } from './write-head-headers.js';
