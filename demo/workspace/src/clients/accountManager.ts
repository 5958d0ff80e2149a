import { PrismaClient } from '@prisma/client';

const prisma = new PrismaClient();

export interface ClientSummary {
  id: bigint;
  name: string;
  state: string;
  payrollCount: number;
  employees: number;
}

/**
 * The account manager's client list, loading each client's payrolls in a
 * separate query inside the loop (N+1). The first query also filters on
 * clients.account_manager_user_id, a foreign key without an index.
 */
export async function clientsForAccountManager(userId: number): Promise<ClientSummary[]> {
  const clients = await prisma.client.findMany({
    where: { accountManagerUserId: userId },
    orderBy: { name: 'asc' },
  });
  const summaries: ClientSummary[] = [];
  for (const client of clients) {
    const payrolls = await prisma.payroll.findMany({
      where: { clientId: client.id, supersededDate: null },
      select: { employeeCount: true },
    });
    summaries.push({
      id: client.id,
      name: client.name,
      state: client.state,
      payrollCount: payrolls.length,
      employees: payrolls.reduce((sum, p) => sum + p.employeeCount, 0),
    });
  }
  return summaries;
}

/** The same list with the payrolls fetched by Prisma in one extra query (include). */
export async function clientsForAccountManagerIncluded(userId: number): Promise<ClientSummary[]> {
  const clients = await prisma.client.findMany({
    where: { accountManagerUserId: userId },
    orderBy: { name: 'asc' },
    include: { payrolls: { where: { supersededDate: null }, select: { employeeCount: true } } },
  });
  return clients.map((client) => ({
    id: client.id,
    name: client.name,
    state: client.state,
    payrollCount: client.payrolls.length,
    employees: client.payrolls.reduce((sum, p) => sum + p.employeeCount, 0),
  }));
}
