import { SetMetadata } from '@nestjs/common';
import { CSRF_EXEMPT_METADATA } from './csrf.constants.js';

/** Flask-WTF's `@csrf.exempt`: the app-wide CSRF guard skips this handler, or every handler of this controller. */
export function CsrfExempt(): MethodDecorator & ClassDecorator {
  return SetMetadata(CSRF_EXEMPT_METADATA, true);
}
