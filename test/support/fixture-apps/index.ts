export { logoutDuringSlowRequest, type LogoutRace } from './logout-race.js';
export { useRedisApps, type RedisApps } from './redis-apps.js';
export { nextGate, openGate, passGate, SessionRoutesController } from './session-routes.controller.js';
export { SAVE_TIMINGS, SlowSavingSessionInterface } from './slow-saving-session.interface.js';
