export { CsrfModule, type CsrfModuleOptions } from './csrf.module.js';
export { CsrfService, type CsrfTarget } from './csrf.service.js';
export { CsrfGuard } from './csrf.guard.js';
export { CsrfExempt } from './csrf-exempt.decorator.js';
export { CsrfError, CSRF_REASONS, type CsrfFailure } from './csrf.error.js';
export { CSRF_CONFIG } from './csrf.constants.js';
export { CSRF_SALT, generateCsrfToken, validateCsrfToken, type CsrfTokenOptions } from './csrf-token.js';
export {
  CSRF_CONFIG_KEYS,
  DEFAULT_CSRF_CONFIG,
  resolveCsrfConfig,
  validateCsrfConfig,
  type CsrfConfig,
} from './csrf-config.js';
export { sameOrigin } from './same-origin.js';
