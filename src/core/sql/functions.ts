/**
 * What PG Insight knows about functions a statement calls, for deciding
 * whether EXPLAIN ANALYZE may run it.
 *
 * Built-in functions that only compute a value are listed as side-effect
 * free. Functions whose effects a rollback cannot undo (sequence advances,
 * signals to other backends, files on the server, session state that outlives
 * the transaction) are listed with the reason. Every other function, notably
 * every user-defined one, is assumed to write and runs only rolled back.
 */

/** Exact names of built-in functions without side effects (pg_catalog). */
const pureNames = new Set([
  // aggregates and window functions
  'count', 'sum', 'avg', 'min', 'max', 'array_agg', 'string_agg', 'json_agg', 'jsonb_agg', 'json_object_agg',
  'jsonb_object_agg', 'bool_and', 'bool_or', 'every', 'bit_and', 'bit_or', 'bit_xor', 'stddev', 'stddev_pop',
  'stddev_samp', 'variance', 'var_pop', 'var_samp', 'corr', 'covar_pop', 'covar_samp', 'regr_slope',
  'percentile_cont', 'percentile_disc', 'mode', 'any_value', 'row_number', 'rank', 'dense_rank', 'percent_rank',
  'cume_dist', 'ntile', 'lag', 'lead', 'first_value', 'last_value', 'nth_value', 'xmlagg', 'range_agg',
  // strings
  'lower', 'upper', 'initcap', 'length', 'char_length', 'character_length', 'octet_length', 'bit_length', 'substr',
  'substring', 'trim', 'btrim', 'ltrim', 'rtrim', 'replace', 'concat', 'concat_ws', 'left', 'right', 'lpad', 'rpad',
  'position', 'strpos', 'split_part', 'string_to_array', 'string_to_table', 'array_to_string', 'format', 'md5',
  'sha224', 'sha256', 'sha384', 'sha512', 'encode', 'decode', 'to_char', 'to_number', 'to_date', 'to_timestamp',
  'quote_ident', 'quote_literal', 'quote_nullable', 'reverse', 'repeat', 'translate', 'ascii', 'chr', 'starts_with',
  'overlay', 'normalize', 'unistr', 'casefold', 'convert_from', 'convert_to', 'unaccent', 'similarity', 'word_similarity',
  // numbers
  'abs', 'ceil', 'ceiling', 'floor', 'round', 'trunc', 'mod', 'power', 'pow', 'sqrt', 'cbrt', 'exp', 'ln', 'log',
  'log10', 'sign', 'div', 'width_bucket', 'random', 'random_normal', 'pi', 'degrees', 'radians', 'sin', 'cos', 'tan',
  'asin', 'acos', 'atan', 'atan2', 'gcd', 'lcm', 'factorial', 'scale', 'greatest', 'least', 'num_nulls', 'num_nonnulls',
  // dates and times
  'now', 'clock_timestamp', 'statement_timestamp', 'transaction_timestamp', 'timeofday', 'date_trunc', 'date_part',
  'extract', 'age', 'make_date', 'make_time', 'make_interval', 'make_timestamp', 'make_timestamptz', 'date_bin',
  'timezone', 'justify_days', 'justify_hours', 'justify_interval', 'isfinite', 'date_add', 'date_subtract',
  'generate_series', 'generate_subscripts', 'pg_sleep', 'pg_sleep_for', 'pg_sleep_until',
  // arrays, ranges, json
  'unnest', 'cardinality', 'row_to_json', 'to_json', 'to_jsonb', 'lower_inf', 'upper_inf', 'isempty', 'range_merge',
  'int4range', 'int8range', 'numrange', 'tsrange', 'tstzrange', 'daterange',
  // system information and catalogs
  'current_database', 'current_schema', 'current_schemas', 'current_setting', 'version', 'pg_backend_pid',
  'pg_is_in_recovery', 'pg_postmaster_start_time', 'pg_conf_load_time', 'pg_typeof', 'pg_column_size',
  'pg_relation_size', 'pg_total_relation_size', 'pg_table_size', 'pg_indexes_size', 'pg_database_size',
  'pg_tablespace_size', 'pg_relation_filenode', 'pg_relation_filepath', 'format_type', 'obj_description',
  'col_description', 'shobj_description', 'to_regclass', 'to_regtype', 'to_regproc', 'to_regprocedure',
  'to_regnamespace', 'to_regrole', 'pg_table_is_visible', 'pg_type_is_visible', 'pg_function_is_visible',
  'pg_encoding_to_char', 'pg_client_encoding', 'inet_client_addr', 'inet_server_addr', 'inet_server_port',
  'currval', 'lastval', 'txid_current', 'pg_current_xact_id', 'txid_snapshot_xmin', 'pg_current_snapshot',
  'pg_xact_status', 'pg_blocking_pids', 'pg_last_wal_replay_lsn', 'pg_current_wal_lsn', 'pg_wal_lsn_diff',
  'row_security_active', 'gen_random_uuid', 'uuidv4', 'uuidv7', 'uuid_extract_timestamp', 'uuid_generate_v4',
  'pg_input_is_valid', 'pg_input_error_info', 'pg_partition_tree', 'pg_partition_root', 'pg_partition_ancestors',
  // text search
  'to_tsvector', 'to_tsquery', 'plainto_tsquery', 'phraseto_tsquery', 'websearch_to_tsquery', 'ts_rank', 'ts_rank_cd',
  'ts_headline', 'setweight', 'strip', 'numnode', 'querytree', 'tsvector_to_array', 'array_to_tsvector',
  // function-style casts of common types
  'int2', 'int4', 'int8', 'float4', 'float8', 'numeric', 'text', 'bool', 'date', 'interval', 'timestamp',
  'timestamptz', 'time', 'varchar', 'bpchar', 'uuid', 'inet', 'cidr', 'macaddr', 'jsonb', 'json', 'regclass',
]);

/** Name prefixes of built-in families that only compute values. */
const purePrefixes = [
  'json_', 'jsonb_', 'array_', 'regexp_', 'pg_get_', 'pg_stat_get_', 'pg_size_', 'has_', 'xml',
  'pg_describe_object', 'pg_identify_object', 'pg_mcv_', 'pg_visible_in_snapshot', 'pg_snapshot_',
];

/** Functions refused for ANALYZE, with why: their effects outlive a rollback or reach beyond the transaction. */
const refusedFunctions: ReadonlyArray<readonly [RegExp, string]> = [
  [/^(nextval|setval)$/, 'advances a sequence, and a rollback does not give sequence values back'],
  [/^dblink/, 'talks to another database through dblink, where a rollback here undoes nothing'],
  [/^(pg_terminate_backend|pg_cancel_backend|pg_signal_backend|pg_log_backend_memory_contexts)$/, 'signals another server process, which a rollback cannot undo'],
  [/^(pg_reload_conf|pg_rotate_logfile|pg_rotate_logfile_old)$/, 'acts on the whole server, which a rollback cannot undo'],
  [/^(lo_import|lo_export)$/, 'reads or writes a file on the database server'],
  [/^pg_file_(write|rename|unlink|sync)$/, 'writes a file on the database server'],
  [/^(pg_notify)$/, 'sends a notification to other sessions'],
  [/^pg_(try_)?advisory_(un)?lock(_shared)?$|^pg_advisory_unlock_all$/, 'takes or releases a session-level advisory lock that outlives the rollback'],
  [/^set_config$/, 'changes a setting that can outlive the transaction on a pooled connection'],
  [/^pg_(create|drop|copy)_(physical_|logical_)?replication_slot$|^pg_replication_(origin|slot)_|^pg_logical_slot_(get|peek)_|^pg_sync_replication_slots$/, 'creates, changes or consumes a replication slot, which is not transactional'],
  [/^pg_(switch_wal|switch_xlog|create_restore_point|promote|backup_start|backup_stop|start_backup|stop_backup|wal_replay_pause|wal_replay_resume|log_standby_snapshot)$/, 'acts on the server\'s write-ahead log or recovery, which a rollback cannot undo'],
  [/^pg_stat_(reset|statements_reset)|^pg_stat_reset|^pg_stat_monitor_reset$|^pg_qualstats_reset$/, 'resets statistics, which a rollback does not restore'],
  [/^pg_logical_emit_message$/, 'writes a message to the write-ahead log that may not be transactional'],
  [/^pg_(import_system_collations|set_relation_stats|set_attribute_stats|clear_relation_stats|clear_attribute_stats|restore_relation_stats|restore_attribute_stats)$/, 'changes catalog statistics in place'],
  [/^(pg_prewarm|autoprewarm_dump_now|autoprewarm_start_worker)$|^pg_buffercache_evict/, 'acts on the server\'s shared buffers outside the transaction'],
  [/^(brin_summarize_new_values|brin_summarize_range|brin_desummarize_range|gin_clean_pending_list)$/, 'changes an index in place, outside what a rollback undoes'],
  [/^binary_upgrade_|^pg_nextoid$|^pg_stop_making_pinned_objects$/, 'is a server maintenance function whose effects a rollback does not undo'],
];

/**
 * Built-in and well-known extension functions marked VOLATILE that only read
 * or compute (random values, clocks, sizes, the server's state): a statement
 * calling them still counts as reading.
 */
const harmlessVolatile = new Set([
  'random', 'random_normal', 'array_sample', 'array_shuffle', 'clock_timestamp', 'timeofday', 'pg_sleep', 'pg_sleep_for',
  'pg_sleep_until', 'gen_random_uuid', 'uuidv4', 'uuidv7', 'currval', 'lastval', 'pg_blocking_pids', 'pg_safe_snapshot_blocking_pids',
  'pg_current_wal_lsn', 'pg_current_wal_flush_lsn', 'pg_current_wal_insert_lsn', 'pg_last_wal_receive_lsn', 'pg_last_wal_replay_lsn',
  'pg_last_xact_replay_timestamp', 'pg_is_in_recovery', 'pg_is_wal_replay_paused', 'pg_get_wal_replay_pause_state', 'pg_relation_size',
  'pg_total_relation_size', 'pg_table_size', 'pg_indexes_size', 'pg_database_size', 'pg_tablespace_size', 'pg_partition_tree',
  'pg_partition_ancestors', 'pg_lock_status', 'pg_stat_have_stats', 'pg_sequence_last_value', 'pg_xact_commit_timestamp',
  'pg_xact_commit_timestamp_origin', 'pg_last_committed_xact', 'txid_status', 'pg_notification_queue_usage', 'pg_jit_available',
  'pg_collation_actual_version', 'pg_database_collation_actual_version', 'pg_current_logfile', 'pg_get_backend_memory_contexts',
  'pg_get_shmem_allocations', 'pg_get_wait_events', 'pg_get_loaded_modules', 'pg_get_aios', 'current_query', 'pg_stat_clear_snapshot',
  'pg_stat_force_next_flush', 'pg_get_multixact_members', 'pg_export_snapshot', 'bernoulli', 'system', 'currtid2',
  'pg_control_checkpoint', 'pg_control_init', 'pg_control_recovery', 'pg_control_system', 'pg_isolation_test_session_is_blocked',
  // extensions: uuid-ossp, pgcrypto, pg_stat_statements' readers, pgstattuple
  'uuid_generate_v1', 'uuid_generate_v1mc', 'uuid_generate_v3', 'uuid_generate_v4', 'uuid_generate_v5', 'gen_random_bytes', 'gen_salt',
  'pg_stat_statements', 'pg_stat_statements_info', 'pgstattuple', 'pgstattuple_approx', 'pgstatindex', 'pgstatginindex', 'pgstathashindex',
]);

/** Why a function (by name, any schema) may not run under ANALYZE at all, or undefined. */
export function refusalOf(name: string): string | undefined {
  const lower = name.toLowerCase();
  for (const [pattern, reason] of refusedFunctions) {
    if (pattern.test(lower)) return reason;
  }
  return undefined;
}

/** A built-in or well-known extension function that is VOLATILE only because its result varies. */
export function isHarmlessVolatile(name: string): boolean {
  return harmlessVolatile.has(name.toLowerCase());
}

export type FunctionVerdict = { readonly kind: 'pure' } | { readonly kind: 'unknown' } | { readonly kind: 'refuse'; readonly reason: string };

/**
 * Judges a called function by its (possibly schema-qualified) name. Only an
 * unqualified or pg_catalog name can be a known built-in: `myschema.lower`
 * may do anything.
 */
export function judgeFunction(nameParts: readonly string[]): FunctionVerdict {
  const name = (nameParts[nameParts.length - 1] ?? '').toLowerCase();
  const schema = nameParts.length > 1 ? (nameParts[nameParts.length - 2] ?? '').toLowerCase() : undefined;
  const refusal = refusalOf(name);
  if (refusal) return { kind: 'refuse', reason: `${name}() ${refusal}.` };
  if (schema !== undefined && schema !== 'pg_catalog') return { kind: 'unknown' };
  if (pureNames.has(name) || purePrefixes.some((p) => name.startsWith(p))) return { kind: 'pure' };
  return { kind: 'unknown' };
}
