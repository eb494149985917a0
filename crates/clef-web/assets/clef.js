// Tables marked data-sortable: each heading marked data-sort becomes a
// button that sorts the rows by that column, in the browser (ascending,
// then descending; empty cells last). A cell's data-value, when it has
// one, is what it sorts by (a day as YYYY-MM-DD, a number as digits).
// Without scripts, the table keeps the order the server gave it.
document.addEventListener('DOMContentLoaded', () => {
  const lang = document.documentElement.lang || undefined;
  for (const table of document.querySelectorAll('table[data-sortable]')) {
    const heads = table.tHead ? [...table.tHead.rows[0].cells] : [];
    heads.forEach((th, i) => {
      if (!th.hasAttribute('data-sort')) return;
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'sort';
      while (th.firstChild) button.appendChild(th.firstChild);
      th.appendChild(button);
      // The column's place, counting the cells spanning several.
      const col = heads.slice(0, i).reduce((n, h) => n + h.colSpan, 0);
      const value = (row) => {
        let n = 0;
        for (const c of row.cells) {
          if (n === col) return (c.dataset.value ?? c.textContent).trim();
          n += c.colSpan;
        }
        return '';
      };
      button.addEventListener('click', () => {
        const up = th.getAttribute('aria-sort') !== 'ascending';
        for (const h of heads) h.removeAttribute('aria-sort');
        th.setAttribute('aria-sort', up ? 'ascending' : 'descending');
        for (const body of table.tBodies) {
          const rows = [...body.rows];
          rows.sort((a, b) => {
            const x = value(a);
            const y = value(b);
            if (!x || !y) return (!x) - (!y);
            const r = x.localeCompare(y, lang, { numeric: true, sensitivity: 'base' });
            return up ? r : -r;
          });
          body.append(...rows);
        }
      });
    });
  }
});
