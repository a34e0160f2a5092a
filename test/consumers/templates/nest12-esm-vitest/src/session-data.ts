// The app's session keys, declared once: @Session(), getSession(), flash() and the testing helpers see them.
declare module 'nest-flask-session' {
  interface SessionData {
    userId?: number;
    wishlist?: string[];
  }
}

export {};
