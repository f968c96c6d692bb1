/**
 * The console's one script, in the browser (served as `/ui/assets/console.js`, `script-src 'self'`): copy buttons,
 * the live filter of the keys table, and the live request log (server-sent events from `/ui/log/events`). The
 * pages work without it; it only adds. It builds rows with textContent, never HTML from data.
 */

function copyButtons(): void {
  for (const button of document.querySelectorAll<HTMLButtonElement>('button[data-copy]')) {
    button.addEventListener('click', () => {
      const target = document.getElementById(button.dataset['copy'] ?? '');
      if (target === null) return;
      const text = target.textContent ?? '';
      const done = (label: string): void => {
        const original = button.dataset['label'] ?? button.textContent ?? '';
        button.dataset['label'] = original;
        button.textContent = label;
        setTimeout(() => (button.textContent = original), 1500);
      };
      if (navigator.clipboard !== undefined) {
        navigator.clipboard.writeText(text).then(
          () => done('Copied'),
          () => done('Copy failed: select the text'),
        );
      } else {
        const selection = window.getSelection();
        const range = document.createRange();
        range.selectNodeContents(target);
        selection?.removeAllRanges();
        selection?.addRange(range);
        done('Selected: press Ctrl+C');
      }
    });
  }
}

function tableFilters(): void {
  for (const input of document.querySelectorAll<HTMLInputElement>('input[data-filter-table]')) {
    const table = document.getElementById(input.dataset['filterTable'] ?? '');
    if (table === null) continue;
    input.addEventListener('input', () => {
      const needle = input.value.trim().toLowerCase();
      for (const row of table.querySelectorAll<HTMLTableRowElement>('tbody tr')) {
        const text = (row.cells[0]?.textContent ?? '') + ' ' + (row.cells[1]?.textContent ?? '');
        row.hidden = needle !== '' && !text.toLowerCase().includes(needle);
      }
    });
  }
}

interface LogEntry {
  id: number;
  time: string;
  accountId: string;
  region: string;
  operation: string;
  key: string;
  status: number;
  errorName: string;
  durationMs: number;
}

function statusMatches(filter: string, status: number): boolean {
  if (filter === 'success') return status < 400;
  if (filter === 'client-error') return status >= 400 && status < 500;
  if (filter === 'server-error') return status >= 500;
  return true;
}

function liveLog(): void {
  const table = document.getElementById('request-log');
  const body = table?.querySelector('tbody');
  if (table === null || body === null || body === undefined || typeof EventSource === 'undefined') return;
  const operation = document.getElementById('log-operation') as HTMLSelectElement | null;
  const status = document.getElementById('log-status') as HTMLSelectElement | null;
  const live = document.getElementById('log-live');
  const empty = document.getElementById('log-empty');
  const form = document.getElementById('log-filters') as HTMLFormElement | null;
  operation?.addEventListener('change', () => form?.submit());
  status?.addEventListener('change', () => form?.submit());
  const first = body.querySelector<HTMLTableRowElement>('tr[data-id]');
  const after = first?.dataset['id'] ?? '0';
  const events = new EventSource(`${table.dataset['events'] ?? ''}?after=${encodeURIComponent(after)}`);
  events.addEventListener('open', () => {
    if (live !== null) live.textContent = 'Live: new requests appear at the top.';
  });
  events.addEventListener('error', () => {
    if (live !== null) live.textContent = 'Live updates paused: reconnecting…';
  });
  events.addEventListener('message', (event: MessageEvent<string>) => {
    const entry = JSON.parse(event.data) as LogEntry;
    if (operation !== null && operation.value !== '' && operation.value.toLowerCase() !== entry.operation.toLowerCase()) return;
    if (status !== null && !statusMatches(status.value, entry.status)) return;
    const row = document.createElement('tr');
    row.className = 'new';
    row.dataset['id'] = String(entry.id);
    row.dataset['operation'] = entry.operation;
    row.dataset['status'] = String(entry.status);
    const cells = [entry.time.replace('T', ' '), entry.accountId, entry.region, entry.operation, entry.key, String(entry.status), entry.errorName, entry.durationMs.toFixed(1)];
    cells.forEach((text, i) => {
      const cell = document.createElement('td');
      if (i === 4) cell.className = 'mono';
      cell.textContent = text;
      row.append(cell);
    });
    body.prepend(row);
    if (empty !== null) empty.hidden = true;
    const limit = Number(table.dataset['capacity'] ?? '1000');
    while (body.rows.length > limit) body.deleteRow(body.rows.length - 1);
  });
}

copyButtons();
tableFilters();
liveLog();

export {};
