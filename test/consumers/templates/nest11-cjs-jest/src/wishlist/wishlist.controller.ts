import { Controller, Get, Injectable, Param, Post, UseGuards, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { flash, getFlashedMessages, getSession, Session, type SessionMixin } from 'nest-flask-session';
import '../session-data';

@Injectable()
export class LoggedInGuard implements CanActivate {
  async canActivate(context: ExecutionContext): Promise<boolean> {
    const session = await getSession(context);
    const userId: number | undefined = session.get('userId');
    return userId !== undefined;
  }
}

@Controller('wishlist')
export class WishlistController {
  @Post('login/:id')
  login(@Session() session: SessionMixin, @Param('id') id: string) {
    session.set('userId', Number(id));
    flash(session, 'Welcome back');
    return { userId: session.get('userId') };
  }

  @Get()
  @UseGuards(LoggedInGuard)
  show(@Session() session: SessionMixin) {
    return { wishlist: session.get('wishlist', []), messages: getFlashedMessages(session) };
  }

  @Post(':item')
  @UseGuards(LoggedInGuard)
  add(@Session() session: SessionMixin, @Param('item') item: string) {
    const wishlist = [...session.get('wishlist', []), item];
    session.set('wishlist', wishlist);
    flash(session, `Added ${item}`);
    return wishlist;
  }
}
