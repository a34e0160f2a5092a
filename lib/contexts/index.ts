export { requestOfGraphqlContext, graphqlRequestOf } from './graphql-request.js';
export { SessionOutsideHttpError } from './http-only.error.js';
export { interceptMessage } from './intercept-message.js';
export { MessageSession } from './message-session.js';
export { ReadOnlySessionError, type ReadOnlyReason } from './read-only-session.error.js';
export { guardWrites } from './read-only-session.js';
export { sourceOfNonHttpContext, sourceOfValue, handshakeSourceOf, type SessionSource } from './session-source.js';
export { bindHandshakes, HandshakeNotFoundError } from './websocket-handshake.js';
