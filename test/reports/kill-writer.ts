/**
 * Child process for the atomicity test: writes one run into the store given as
 * argv[2] and SIGKILLs itself once the invoices are in the open transaction,
 * i.e. a writer killed mid-run. Not a test file itself.
 */
import { openStore, writeRun } from '../../reports/store.js';
import { makeRun } from './fixture.js';

const dbPath = process.argv[2];
if (!dbPath) throw new Error('usage: kill-writer <db>');
const store = await openStore(dbPath);
await writeRun(store, makeRun('recompute', 7), {
  codeVersion: 'billsim@killed',
  onTableWritten: (table) => {
    if (table === 'invoices') process.kill(process.pid, 'SIGKILL');
  },
});
process.stdout.write('unreachable: the writer was not killed\n');
