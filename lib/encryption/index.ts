export { CookieSealer, DEFAULT_SEALING_PURPOSE, type CookieSealerOptions, type SealingKey } from './cookie-sealer.js';
export { UnsealError, type UnsealFailure } from './unseal-error.js';
