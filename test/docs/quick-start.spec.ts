/**
 * How README's Quick start is applied to a generated app (test/support/quick-start.ts): the lines
 * an excerpt marks `// added` land where a reader would put them, whatever the generator wrote
 * around them, and an excerpt that is not an excerpt of the generated file is refused.
 */
import { applyExcerpt, inModuleSystem, quickStartBlocks } from '../support/quick-start.js';

const EXCERPT = `// src/app.module.ts (excerpt)
import { SessionModule } from 'nest-flask-session'; // added
import { CartController } from './cart.controller.js'; // added; Nest 11 (CommonJS): './cart.controller'

@Module({
  imports: [
    SessionModule.forRoot({ SECRET_KEY: process.env.SECRET_KEY }), // added
  ],
  controllers: [AppController, CartController], // CartController added
  providers: [AppService],
})
export class AppModule {}
`;

const NEST11 = `import { Module } from '@nestjs/common';
import { AppController } from './app.controller';
import { AppService } from './app.service';

@Module({
  imports: [],
  controllers: [AppController],
  providers: [AppService],
})
export class AppModule {}
`;

const NEST12_OBSERVE = `import { Module } from '@nestjs/common';
import { createObserveModule } from '@nestjs/observe';
import { AppController } from './app.controller.js';
import { AppService } from './app.service.js';

export const { ObserveModule, ObserveInstrument } = createObserveModule();

@Module({
  imports: [
    // Sign up at https://observe.nestjs.com, then run \`npx @nestjs/observe link\`.
    ObserveModule.forRoot({
      appKey: process.env.OBSERVE_APP_KEY ?? 'YOUR_APP_KEY',
      serviceId: 'app',
    }),
  ],
  controllers: [AppController],
  providers: [AppService],
})
export class AppModule {}
`;

describe("README's Quick start applied to a generated app", () => {
  it('adds the marked lines to an empty imports array, in the CommonJS form for a CommonJS app', () => {
    expect(applyExcerpt(NEST11, EXCERPT, 'commonjs')).toBe(`import { Module } from '@nestjs/common';
import { AppController } from './app.controller';
import { AppService } from './app.service';
import { SessionModule } from 'nest-flask-session'; // added
import { CartController } from './cart.controller'; // added; Nest 11 (CommonJS): './cart.controller'

@Module({
  imports: [
    SessionModule.forRoot({ SECRET_KEY: process.env.SECRET_KEY }), // added
  ],
  controllers: [AppController, CartController],
  providers: [AppService],
})
export class AppModule {}
`);
  });

  it("keeps Nest 12's ObserveModule and its ObserveInstrument export, adding after them", () => {
    const applied = applyExcerpt(NEST12_OBSERVE, EXCERPT, 'esm');
    expect(applied).toContain('export const { ObserveModule, ObserveInstrument } = createObserveModule();');
    expect(applied).toContain(`      serviceId: 'app',
    }),
    SessionModule.forRoot({ SECRET_KEY: process.env.SECRET_KEY }), // added
  ],`);
    expect(applied).toContain("import { CartController } from './cart.controller.js'; // added");
    expect(applied).toContain('controllers: [AppController, CartController],');
  });

  it('refuses an excerpt whose other lines are not in the generated file', () => {
    const other = EXCERPT.replace('providers: [AppService],', 'providers: [AppService, AuditService],');
    expect(() => applyExcerpt(NEST11, other, 'esm')).toThrow(/providers: \[AppService, AuditService\]/);
  });

  it('refuses an excerpt that adds to an array the generated file does not have', () => {
    const other = EXCERPT.replace(
      'controllers: [AppController, CartController], // CartController added',
      'exports: [CartController], // CartController added',
    );
    expect(() => applyExcerpt(NEST11, other, 'esm')).toThrow(/no `exports: \[`/);
  });

  it('writes a CommonJS line only where README gives its CommonJS form', () => {
    const code = "import { A } from './a.js'; // Nest 11 (CommonJS): './a'\nimport { B } from './b.js';\n";
    expect(inModuleSystem(code, 'commonjs')).toBe(
      "import { A } from './a'; // Nest 11 (CommonJS): './a'\nimport { B } from './b.js';\n",
    );
    expect(inModuleSystem(code, 'esm')).toBe(code);
  });

  it("finds README's blocks by their marker lines", () => {
    const readme = [
      '```ts',
      '// src/cart.controller.ts',
      'export class CartController {}',
      '```',
      '```ts',
      '// app.module.ts',
      'export class AppModule {}',
      '```',
      '```ts',
      '// src/main.ts (Fastify)',
      'void 0;',
      '```',
    ].join('\n');
    expect(quickStartBlocks(readme).map(({ path, qualifier }) => ({ path, qualifier }))).toEqual([
      { path: 'src/cart.controller.ts', qualifier: 'file' },
      { path: 'src/main.ts', qualifier: 'Fastify' },
    ]);
  });
});
