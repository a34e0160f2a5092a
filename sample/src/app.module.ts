import { randomBytes } from 'node:crypto';
import { Logger, Module, type DynamicModule } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { RedisSessionInterface, SessionModule, type SessionModuleOptions } from 'nest-flask-session';
import { CsrfModule } from 'nest-flask-session/csrf';
import { LoginModule } from 'nest-flask-session/flask-login';
import { AccountController } from './account/account.controller.js';
import { AuthController } from './auth/auth.controller.js';
import { UsersService } from './auth/users.service.js';
import { CartController } from './cart/cart.controller.js';
import { PagesService } from './common/pages.service.js';
import { HomeController } from './home/home.controller.js';

export interface SampleModuleOptions {
  /**
   * Session options that win over the environment and `.env` (tests pin `SECRET_KEY` here).
   * Anything not given is read from `ConfigService`, then Flask's defaults apply.
   */
  session?: SessionModuleOptions;
  /**
   * The `.env` file to load (relative to the working directory), or `false` to read only the
   * process environment. @default '.env'
   */
  envFile?: string | false;
}

/**
 * Session settings the sample picks when the environment says nothing. `SESSION_COOKIE_SAMESITE`
 * is Lax so that the POST forms (login, logout, cart) are not sent cross-site with the cookie.
 */
const SAMPLE_DEFAULTS: SessionModuleOptions = { SESSION_COOKIE_SAMESITE: 'Lax' };

/** Any of these keys stores the sessions in Redis: one server, a Redis Cluster, or behind Sentinel. */
const REDIS_KEYS = ['SESSION_REDIS_URL', 'SESSION_REDIS_CLUSTER_NODES', 'SESSION_REDIS_SENTINELS'] as const;

/**
 * The key a sample started without `SECRET_KEY` signs with: random per process, so it is never
 * a secret published in a repository, and sessions end when the server restarts.
 */
function developmentSecretKey(logger: Logger): string {
  if (process.env.NODE_ENV === 'production') {
    throw new Error(
      'SECRET_KEY is not set. Refusing to start in production with a generated key: set SECRET_KEY in the environment.',
    );
  }
  logger.warn(
    'SECRET_KEY is not set: signing sessions with a random key generated for this run. ' +
      'FOR DEVELOPMENT ONLY: sessions end when the server restarts. Set SECRET_KEY in sample/.env (see .env.example) or the environment.',
  );
  return randomBytes(32).toString('hex');
}

@Module({})
export class AppModule {
  static forRoot({ session = {}, envFile = '.env' }: SampleModuleOptions = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        // Reads .env into ConfigService; SessionModule looks Flask's keys up there.
        ConfigModule.forRoot({
          isGlobal: true,
          ...(envFile === false ? { ignoreEnvFile: true } : { envFilePath: envFile }),
        }),
        SessionModule.forRootAsync({
          inject: [ConfigService],
          // What the factory returns wins over ConfigService, so it only fills in what is missing.
          useFactory: (config: ConfigService): SessionModuleOptions => {
            const options: SessionModuleOptions = { ...session };
            for (const [key, value] of Object.entries(SAMPLE_DEFAULTS) as Array<
              [keyof SessionModuleOptions, unknown]
            >) {
              if (options[key] === undefined && config.get(key) === undefined) Object.assign(options, { [key]: value });
            }
            // SESSION_REDIS_URL (or a cluster's or sentinels' addresses) switches the app to
            // server-side sessions: the session provider is replaced by RedisSessionInterface;
            // nothing else in the app changes.
            const redisKey = REDIS_KEYS.find((key) => (options[key] ?? config.get<unknown>(key)) != null);
            if (!options.sessionInterface && redisKey) {
              options.sessionInterface = RedisSessionInterface;
              new Logger('Sample').log(`${redisKey} is set: sessions are stored in Redis.`);
            }
            if (!options.SECRET_KEY && !config.get<string>('SECRET_KEY')) {
              options.SECRET_KEY = developmentSecretKey(new Logger('Sample'));
            }
            return options;
          },
        }),
        // Flask-Login: `_user_id` and friends in the session, the remember-me cookie, session
        // protection. Unauthorized visitors of @LoginRequired() pages go to /login, the page they
        // wanted kept in the session's `next` (USE_SESSION_FOR_NEXT). REMEMBER_COOKIE_* and
        // SESSION_PROTECTION come from the environment when set.
        LoginModule.forRoot({
          userLoader: UsersService,
          loginView: '/login',
          loginMessage: 'Please log in to see that page.',
          loginMessageCategory: 'info',
          USE_SESSION_FOR_NEXT: true,
        }),
        // Flask-WTF's CSRFProtect: every POST needs the form's csrf_token (WTF_CSRF_* from the environment).
        CsrfModule.forRoot(),
      ],
      controllers: [HomeController, AuthController, CartController, AccountController],
      providers: [UsersService, PagesService],
    };
  }
}
