// Property-based tests, bounded for CI. `npm run fuzz` runs the same properties much longer.
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { properties } from '../support/properties.js';

const numRuns = Number(process.env.PROPERTY_RUNS ?? 300);

describe('properties', () => {
  for (const p of properties) it(p.name, () => fc.assert(p.property, { numRuns }));
});
