/** The in-process ERP budget against the ErpBudget conformance suite. */
import { createMemoryErpBudget } from '../../src/adapters/stores/memory/erp-budget.ts';
import { runErpBudgetContract } from './erp-budget.contract.ts';

runErpBudgetContract('memory', (limits) => ({ budget: createMemoryErpBudget(limits) }));
