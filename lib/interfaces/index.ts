export type { SessionModuleOptions } from './session-module-options.interface.js';
