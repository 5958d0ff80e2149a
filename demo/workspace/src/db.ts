import pg from 'pg';

/**
 * One pool for the whole process. DATABASE_URL comes from the environment
 * (or the workspace's .env, which `npm run demo` writes).
 */
export const pool = new pg.Pool({
  connectionString: process.env.DATABASE_URL,
  max: 10,
  application_name: 'payroll-backoffice',
});

export async function closePool(): Promise<void> {
  await pool.end();
}
