/** Injection token of the resolved {@link CsrfConfig}. */
export const CSRF_CONFIG = Symbol('nest-flask-session:csrf-config');

/** Injection token of the options given to `CsrfModule.forRoot()`. */
export const CSRF_MODULE_OPTIONS = Symbol('nest-flask-session:csrf-module-options');

/** Metadata key of {@link CsrfExempt}. */
export const CSRF_EXEMPT_METADATA = 'nest-flask-session:csrf-exempt';
