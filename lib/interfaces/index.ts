export type {
  SessionModuleAsyncOptions,
  SessionModuleOptions,
  SessionOptionsFactory,
} from './session-module-options.interface.js';
