import { Module } from '@nestjs/common';
import { EncryptedCookieSessionInterface, SessionModule } from 'nest-flask-session';
import { WishlistController } from './wishlist.controller.js';

// SECRET_KEY comes from process.env (no ConfigModule needed).
@Module({
  imports: [SessionModule.forRoot({ sessionInterface: EncryptedCookieSessionInterface })],
  controllers: [WishlistController],
})
export class EncryptedWishlistModule {}
