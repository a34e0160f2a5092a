import { Header } from '@nestjs/common';

/**
 * Marks a route that returns an HTML page. Express guesses `text/html` from a string that starts
 * with `<`; Fastify sends strings as `text/plain`, so the type is said once, for both.
 */
export const HtmlPage = (): MethodDecorator => Header('Content-Type', 'text/html; charset=utf-8');
