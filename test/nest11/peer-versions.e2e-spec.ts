/** The leg is only worth its name if the suites really ran on Nest 11: check what Jest loads. */
import { jest } from '@jest/globals';
import { NestFactory } from '@nestjs/core';

const version = (name: string) => (jest.requireActual(`${name}/package.json`) as { version: string }).version;

it('loads @nestjs/* 11 and @nestjs/config 4', () => {
  expect(version('@nestjs/common')).toMatch(/^11\./);
  expect(version('@nestjs/core')).toMatch(/^11\./);
  expect(version('@nestjs/platform-express')).toMatch(/^11\./);
  expect(version('@nestjs/testing')).toMatch(/^11\./);
  expect(version('@nestjs/config')).toMatch(/^4\./);
});

it('the suites import those very modules', () => {
  const resolved = (jest.requireActual('@nestjs/core') as { NestFactory: unknown }).NestFactory;
  expect(NestFactory).toBe(resolved);
});
