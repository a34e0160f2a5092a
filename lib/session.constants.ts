/** Injection token of the resolved {@link SessionConfig}. */
export const SESSION_CONFIG = 'SESSION:CONFIG';

/** Metadata key set on handlers that take a `@Session()` parameter. */
export const SESSION_PARAM_METADATA = 'SESSION:PARAM';
