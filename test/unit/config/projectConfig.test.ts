import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { KNOWN_RULES, parseProjectConfig, RULE_LEVELS, withOverrides } from '../../../src/core/config/projectConfig';

describe('project config (.pg-insight.json)', () => {
  it('reads every key', () => {
    const { config, problems } = parseProjectConfig(JSON.stringify({ $schema: './x.json', exclude: ['test/**'], rules: { 'missing-index': 'off' }, schema: ['db'], migrations: ['db/**'], missingIndexMinRows: 5000 }));
    assert.deepEqual(problems, []);
    assert.deepEqual(config, { exclude: ['test/**'], rules: { 'missing-index': 'off' }, schema: ['db'], migrations: ['db/**'], missingIndexMinRows: 5000 });
  });

  it('names every problem and keeps the good keys', () => {
    const { config, problems } = parseProjectConfig(JSON.stringify({ exlude: [], rules: { 'n-plus-one': 'loud', 'sql-syntax': 'warning', nope: 'off' }, schema: 'db', missingIndexMinRows: -1 }));
    assert.deepEqual(problems, [
      'Unknown key "exlude" in .pg-insight.json (known: exclude, rules, schema, migrations, missingIndexMinRows).',
      'The level of n-plus-one must be off, info, warning, error, not "loud".',
      'Unknown rule "nope" (rules: n-plus-one, missing-index, non-sargable-predicate, sql-syntax).',
      '"missingIndexMinRows" must be a number of rows, 0 or more.',
      '"schema" must be a list of strings.',
    ]);
    assert.deepEqual(config.rules, { 'sql-syntax': 'warning' });
    assert.match(parseProjectConfig('{ rules: ').problems[0] ?? '', /^\.pg-insight\.json is not valid JSON: /);
    assert.deepEqual(parseProjectConfig('[]').problems, ['.pg-insight.json must hold a JSON object.']);
  });

  it('lets the command line add to the file', () => {
    const merged = withOverrides({ exclude: ['a/**'], rules: { 'n-plus-one': 'error', 'sql-syntax': 'off' }, schema: [] }, { exclude: ['b/**'], rules: { 'sql-syntax': 'error' }, schema: ['db'] });
    assert.deepEqual(merged, { exclude: ['a/**', 'b/**'], rules: { 'n-plus-one': 'error', 'sql-syntax': 'error' }, schema: ['db'] });
  });

  it('agrees with the JSON schema VS Code completes from', () => {
    const schema = JSON.parse(readFileSync(join(__dirname, '../../../../schemas/pg-insight.schema.json'), 'utf8')) as { properties: Record<string, { propertyNames?: { enum: string[] }; additionalProperties?: { enum: string[] } }> };
    assert.deepEqual(Object.keys(schema.properties).filter((k) => k !== '$schema'), ['exclude', 'rules', 'schema', 'migrations', 'missingIndexMinRows']);
    assert.deepEqual(schema.properties.rules?.propertyNames?.enum, [...KNOWN_RULES]);
    assert.deepEqual(schema.properties.rules?.additionalProperties?.enum, [...RULE_LEVELS]);
  });
});
