export { createSessionCookie, readSessionCookie } from './session-cookies.js';
export { createSessionTester, type SessionTester, type SessionTestResponse } from './session-tester.js';
