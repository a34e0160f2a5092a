/** Injection token of the resolved {@link SessionConfig}. */
export const SESSION_CONFIG = 'SESSION:CONFIG';

/** Metadata key set on handlers that take a `@Session()` parameter. */
export const SESSION_PARAM_METADATA = 'SESSION:PARAM';

/** Injection token of where the module reads config keys (`ConfigService` or `process.env`). */
export const SESSION_CONFIG_SOURCE = 'SESSION:CONFIG_SOURCE';
