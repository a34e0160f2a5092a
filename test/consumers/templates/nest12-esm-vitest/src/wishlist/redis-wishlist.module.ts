import { Module } from '@nestjs/common';
import { RedisSessionInterface, SessionModule } from 'nest-flask-session';
import { WishlistController } from './wishlist.controller.js';

// SECRET_KEY and SESSION_REDIS_URL come from process.env (no ConfigModule needed).
@Module({
  imports: [SessionModule.forRoot({ sessionInterface: RedisSessionInterface })],
  controllers: [WishlistController],
})
export class RedisWishlistModule {}
