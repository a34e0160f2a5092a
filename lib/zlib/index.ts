export { deflate, inflate, InflateError, InflateLimitExceeded } from './compression.js';
