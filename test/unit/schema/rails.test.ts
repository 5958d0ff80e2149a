import assert from 'node:assert/strict';
import { isRailsSchemaPath, schemaFromRailsSchema } from '../../../src/core/schema/rails';

// The two shapes Rails dumps: Rails 4 with top-level add_index, Rails 5+ with t.index inside the block.
const SCHEMA = `
ActiveRecord::Schema[7.1].define(version: 2024_01_01_000000) do
  enable_extension "plpgsql"

  create_table "spree_orders", force: :cascade do |t|
    t.string "number", limit: 32
    t.string "state", default: "cart", null: false
    t.bigint "user_id"
    t.datetime "completed_at", precision: nil
    t.boolean "frontend_viewable", default: true, null: false
    t.index ["number"], name: "index_spree_orders_on_number", unique: true
    t.index ["user_id", "created_at"], name: "index_spree_orders_on_user_id_and_created_at", order: { created_at: :desc }
    t.index ["completed_at"], name: "index_spree_orders_on_completed_at", where: "(completed_at IS NOT NULL)"
  end

  create_table "friendly_id_slugs", id: :serial, force: :cascade do |t|
    t.references "sluggable", polymorphic: true
    t.string "slug", null: false
  end

  create_table "spree_option_values_variants", id: false, force: :cascade do |t|
    t.integer "variant_id"
    t.integer "option_value_id"
  end

  add_index "spree_option_values_variants", ["variant_id", "option_value_id"], name: "index_option_values_variants_on_variant_id_and_option_value_id", using: :btree
end
`;

describe('Rails db/schema.rb', () => {
  it('knows the file', () => {
    assert.equal(isRailsSchemaPath('db/schema.rb'), true);
    assert.equal(isRailsSchemaPath('core/spec/dummy/db/schema.rb'), true);
    assert.equal(isRailsSchemaPath('db/seeds.rb'), false);
  });

  it('builds tables, columns, the id key and indexes in both dump styles', () => {
    const schema = schemaFromRailsSchema(SCHEMA);
    assert.deepEqual(schema.tables.map((t) => t.name), ['spree_orders', 'friendly_id_slugs', 'spree_option_values_variants']);
    const orders = schema.tables[0]!;
    assert.deepEqual(orders.columns.map((c) => `${c.name}:${c.type}${c.notNull ? '!' : ''}${c.enumLike ? ' state' : ''}`), [
      'id:bigint!', 'number:character varying', 'state:character varying! state', 'user_id:bigint', 'completed_at:timestamp without time zone', 'frontend_viewable:boolean!',
    ]);
    const keys = (t: typeof orders) => t.indexes.map((i) => `${i.unique ? 'unique ' : ''}${i.keys.map((k) => (k.kind === 'column' ? `${k.column}${k.descending ? ' desc' : ''}` : '')).join(',')}`);
    assert.deepEqual(keys(orders), ['unique id', 'unique number', 'user_id,created_at desc', 'completed_at']);
    assert.deepEqual(keys(schema.tables[1]!), ['unique id', 'sluggable_id']);
    assert.equal(schema.tables[1]!.columns[0]!.type, 'integer', 'id: :serial');
    assert.deepEqual(keys(schema.tables[2]!), ['variant_id,option_value_id'], 'id: false has no key');
  });
});
