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
      button.className = 'sort screen-only';
      // What the button does, said with its name (the body's data-sort-hint).
      if (document.body.dataset.sortHint) button.title = document.body.dataset.sortHint;
      while (th.firstChild) button.appendChild(th.firstChild);
      // On paper, the heading's words (a button does not print in the
      // heading repeated on each page).
      const printed = document.createElement('span');
      printed.className = 'print-only';
      printed.textContent = button.textContent;
      th.append(button, printed);
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

// Tables marked data-filter (its value the search field's label, in the
// page's language; data-filter-count the count's words, "{shown}" and
// "{total}" in them): a search field above the table keeps the rows whose
// shown text holds every word typed, case and accents aside, and says how
// many it shows, or that none holds them (the body's data-filter-none).
// Without scripts, every row shows.
document.addEventListener('DOMContentLoaded', () => {
  const lang = document.documentElement.lang || undefined;
  const key = (s) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
  // What a reader sees of a row: not the choices of its lists, the words
  // for screen readers or for print, nor its buttons.
  const hidden = 'option, button, script, template, .sr-only, .print-only';
  const shown = (row) => {
    const parts = [];
    const walk = document.createTreeWalker(row, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT, {
      acceptNode: (n) => {
        if (n.nodeType === Node.TEXT_NODE) return NodeFilter.FILTER_ACCEPT;
        if (n.matches(hidden)) return NodeFilter.FILTER_REJECT;
        return NodeFilter.FILTER_SKIP;
      },
    });
    for (let n = walk.nextNode(); n; n = walk.nextNode()) parts.push(n.nodeValue);
    for (const sel of row.querySelectorAll('select')) {
      if (!sel.closest(hidden)) parts.push(...[...sel.selectedOptions].map((o) => o.text));
    }
    for (const input of row.querySelectorAll('input:not([type=hidden])')) {
      if (input.type !== 'checkbox' && input.type !== 'radio') parts.push(input.value);
    }
    return key(parts.join(' '));
  };
  let n = 0;
  for (const table of document.querySelectorAll('table[data-filter]')) {
    n += 1;
    const rows = [...table.tBodies].flatMap((b) => [...b.rows]);
    const box = document.createElement('p');
    box.className = 'table-filter screen-only';
    const input = document.createElement('input');
    input.type = 'search';
    input.id = `${table.id || `table-${n}`}-filter`;
    if (table.id) input.setAttribute('aria-controls', table.id);
    const label = document.createElement('label');
    label.htmlFor = input.id;
    label.textContent = table.dataset.filter;
    const count = document.createElement('span');
    count.className = 'muted';
    count.setAttribute('role', 'status');
    count.id = `${input.id}-count`;
    box.append(label, input, count);
    (table.closest('.table-wrap') || table).before(box);
    const words = table.dataset.filterCount || '{shown} / {total}';
    input.addEventListener('input', () => {
      const wanted = key(input.value).split(/\s+/).filter(Boolean);
      let kept = 0;
      for (const r of rows) {
        const text = wanted.length ? shown(r) : '';
        const keep = wanted.every((w) => text.includes(w));
        r.hidden = !keep;
        if (keep) kept += 1;
      }
      const counted = words.replace('{shown}', kept.toLocaleString(lang)).replace('{total}', rows.length.toLocaleString(lang));
      const none = document.body.dataset.filterNone;
      count.textContent = !wanted.length ? '' : kept === 0 && none ? `${none} ${counted}` : counted;
    });
  }
});

// Regions that scroll sideways (a wide table or map on a phone) can be
// scrolled from the keyboard: while wider than their box, each takes the
// focus, and says what it holds (its table's caption, its section's
// heading, or the page's).
document.addEventListener('DOMContentLoaded', () => {
  const regions = [...document.querySelectorAll('.table-wrap, .map-wrap')];
  const name = (el) => {
    const caption = el.querySelector('caption');
    const section = el.closest('section');
    const heading = (section && section.querySelector('h2, h3')) || document.querySelector('h1');
    return (caption || heading)?.textContent.trim() || '';
  };
  const update = () => {
    for (const el of regions) {
      if (el.scrollWidth > el.clientWidth + 1) {
        if (!el.hasAttribute('tabindex')) {
          el.tabIndex = 0;
          el.setAttribute('role', 'group');
          const label = name(el);
          if (label) el.setAttribute('aria-label', label);
        }
      } else if (el.getAttribute('role') === 'group') {
        el.removeAttribute('tabindex');
        el.removeAttribute('role');
        el.removeAttribute('aria-label');
      }
    }
  };
  update();
  window.addEventListener('resize', update);
});

// Each moment (time.local-time) in the reader's own time zone and language;
// without a script, the page's UTC text stays.
document.addEventListener('DOMContentLoaded', () => {
  for (const t of document.querySelectorAll('time.local-time')) {
    const d = new Date(t.dateTime);
    if (!isNaN(d)) {
      t.textContent = new Intl.DateTimeFormat(document.documentElement.lang, { dateStyle: 'short', timeStyle: 'short' }).format(d);
    }
  }
});

// The summary of a form's problems (#form-errors) lists each one as a link
// to its field, named by the field's label: the reader goes from the
// summary to the field without searching the page for the message.
document.addEventListener('DOMContentLoaded', () => {
  const summary = document.getElementById('form-errors');
  if (!summary) return;
  const items = [];
  for (const message of document.querySelectorAll('.field-error[id$="-error"]')) {
    const name = message.id.slice(0, -'-error'.length);
    const field = document.getElementById(name);
    if (!field || field.type === 'hidden') continue;
    const label = document.querySelector(`label[for="${CSS.escape(name)}"]`);
    const words = (label ? label.textContent : name).replace(/\s*\*\s*$/, '').trim();
    const link = document.createElement('a');
    link.href = `#${name}`;
    const colon = document.documentElement.lang === 'fr' ? '\u00a0: ' : ': ';
    link.textContent = `${words}${colon}${message.textContent.trim()}`;
    link.addEventListener('click', (e) => {
      e.preventDefault();
      field.focus();
    });
    const li = document.createElement('li');
    li.append(link);
    items.push(li);
  }
  if (!items.length) return;
  const list = document.createElement('ul');
  list.className = 'error-links';
  list.id = 'form-error-links';
  list.append(...items);
  summary.after(list);
});

// A part of the page replaced in place (a filtered list, a what-if) says
// its summary (the page's element marked data-announce) through the page's
// live region, which stays: a region replaced with the rest is not announced.
document.addEventListener('DOMContentLoaded', () => {
  const live = document.getElementById('live');
  if (!live) return;
  document.body.addEventListener('htmx:afterSettle', () => {
    const said = document.querySelector('[data-announce]');
    if (!said) return;
    live.textContent = '';
    setTimeout(() => { live.textContent = said.textContent.trim(); }, 50);
  });
});
