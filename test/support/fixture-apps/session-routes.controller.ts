import { Controller, Get, Param } from '@nestjs/common';
import { Session, type RedisSession } from 'nest-flask-session';
import { Gate } from '../gate.js';

type Data = Record<string, unknown>;

let gate = new Gate();

/** A new gate that the next `/slow-*` request waits at, once it has read the session. */
export function nextGate(): Gate {
  gate = new Gate();
  return gate;
}

/** Opens the current gate (after each test, so that no request is left waiting at it). */
export function openGate(): void {
  gate.open();
}

/** Waits at the current gate: for a suite's own slow routes, next to the shared ones. */
export function passGate(): Promise<void> {
  return gate.pass();
}

/**
 * The routes the server-side session suites (Redis, Flask-Session, security) drive: writes, reads,
 * a login with and without regenerate(), logouts, and slow requests held at a gate.
 */
@Controller()
export class SessionRoutesController {
  @Get('/set/:key/:value')
  set(@Session() session: RedisSession<Data>, @Param('key') key: string, @Param('value') value: string) {
    session.set(key, value);
    return session.toJSON();
  }
  @Get('/drop/:key')
  drop(@Session() session: RedisSession<Data>, @Param('key') key: string) {
    session.delete(key);
    return '';
  }
  @Get('/read')
  read(@Session() session: RedisSession<Data>) {
    return { data: session.toJSON(), id: session.id, new: session.new };
  }
  @Get('/me')
  me(@Session() session: RedisSession<Data>) {
    return { user: session.get('user_id') ?? null, id: session.id };
  }
  @Get('/nothing')
  nothing() {
    return 'nothing';
  }
  @Get('/cart')
  cart(@Session() session: RedisSession<Data>) {
    session.set('cart', ['book']);
    return '';
  }
  @Get('/remember')
  remember(@Session() session: RedisSession<Data>) {
    session.permanent = true;
    session.set('user_id', 'alice');
    return '';
  }
  @Get('/login')
  async login(@Session() session: RedisSession<Data>) {
    await session.regenerate();
    session.set('user_id', 'alice');
    return { id: session.id };
  }
  @Get('/login-without-regenerate')
  loginWithoutRegenerate(@Session() session: RedisSession<Data>) {
    session.set('user_id', 'victim');
    return '';
  }
  @Get('/clear')
  clear(@Session() session: RedisSession<Data>) {
    session.clear();
    return '';
  }
  @Get('/logout')
  async logout(@Session() session: RedisSession<Data>) {
    await session.destroy();
    return '';
  }
  @Get('/logout-with-message')
  async logoutWithMessage(@Session() session: RedisSession<Data>) {
    await session.destroy();
    session.set('flash', 'You are logged out.');
    return '';
  }
  @Get('/slow-write')
  async slowWrite(@Session() session: RedisSession<Data>) {
    const user = session.get('user_id');
    await gate.pass();
    session.set('last_seen', 1);
    return { user };
  }
  @Get('/slow-read')
  async slowRead(@Session() session: RedisSession<Data>) {
    const user = session.get('user_id');
    await gate.pass();
    return { user };
  }
  /** Changes a key watched by regenerateOnChange after the gate, or calls regenerate() itself. */
  @Get('/slow-promote/:how')
  async slowPromote(@Session() session: RedisSession<Data>, @Param('how') how: string) {
    const user = session.get('user_id');
    await gate.pass();
    if (how === 'regenerate') await session.regenerate();
    session.set('role', 'admin');
    return { user };
  }
  /** Many concurrent writers to one session: each read-modify-write counts. */
  @Get('/bump/:owner/:writer')
  async bump(@Session() session: RedisSession<Data>, @Param('owner') owner: string, @Param('writer') writer: string) {
    const n = ((session.get('n') as number | undefined) ?? 0) + 1;
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 5));
    session.update({ owner, writer: Number(writer), n });
    return { n };
  }
}
