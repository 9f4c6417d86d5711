/** The in-memory PunchOut store (Workers, tests) against the PunchOutStore conformance suite. */
import { createMemoryPunchOutStore } from '../../src/adapters/stores/memory/punchout-store.ts';
import { runPunchOutStoreContract } from './punchout-store.contract.ts';

runPunchOutStoreContract('memory', async () => ({ store: createMemoryPunchOutStore() }));
