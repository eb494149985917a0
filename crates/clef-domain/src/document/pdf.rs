//! PDF output: a self-contained PDF 1.4 file on A4 paper, set in the standard
//! Helvetica fonts (not embedded) with the WinAnsi encoding.

use super::{Block, Doc};

const PAGE_W: f32 = 595.0;
const PAGE_H: f32 = 842.0;
const MARGIN: f32 = 56.0;
const WIDTH: f32 = PAGE_W - 2.0 * MARGIN;
const TOP: f32 = PAGE_H - MARGIN;
/// Hanging indent of bullet items.
const INDENT: f32 = 14.0;
/// Horizontal and vertical padding inside table cells.
const PAD_X: f32 = 4.0;
const PAD_Y: f32 = 2.0;
/// Narrowest table column, when the page allows it.
const MIN_COL: f32 = 48.0;

/// Advance widths (1/1000 em) of Helvetica for WinAnsi codes 32..=255.
#[rustfmt::skip]
const REGULAR: [u16; 224] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,
    1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,
    333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,
    556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584, 350,
    556, 350, 222, 556, 333, 1000, 556, 556, 333, 1000, 667, 333, 1000, 350, 611, 350,
    350, 222, 222, 333, 333, 350, 556, 1000, 333, 1000, 500, 333, 944, 350, 500, 667,
    278, 333, 556, 556, 556, 556, 260, 556, 333, 737, 370, 556, 584, 333, 737, 333,
    400, 584, 333, 333, 333, 556, 537, 278, 333, 333, 365, 556, 834, 834, 834, 611,
    667, 667, 667, 667, 667, 667, 1000, 722, 667, 667, 667, 667, 278, 278, 278, 278,
    722, 722, 778, 778, 778, 778, 778, 584, 778, 722, 722, 722, 722, 667, 667, 611,
    556, 556, 556, 556, 556, 556, 889, 500, 556, 556, 556, 556, 278, 278, 278, 278,
    556, 556, 556, 556, 556, 556, 556, 584, 611, 556, 556, 556, 556, 500, 556, 500,
];

/// Advance widths (1/1000 em) of Helvetica-Bold for WinAnsi codes 32..=255.
#[rustfmt::skip]
const BOLD: [u16; 224] = [
    278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278,
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611,
    975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722, 778,
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584, 556,
    333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611,
    611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584, 350,
    556, 350, 278, 556, 500, 1000, 556, 556, 333, 1000, 667, 333, 1000, 350, 611, 350,
    350, 278, 278, 500, 500, 350, 556, 1000, 333, 1000, 556, 333, 944, 350, 500, 667,
    278, 333, 556, 556, 556, 556, 280, 556, 333, 737, 370, 556, 584, 333, 737, 333,
    400, 584, 333, 333, 333, 611, 556, 278, 333, 333, 365, 556, 834, 834, 834, 611,
    722, 722, 722, 722, 722, 722, 1000, 722, 667, 667, 667, 667, 278, 278, 278, 278,
    722, 722, 778, 778, 778, 778, 778, 584, 778, 722, 722, 722, 722, 667, 667, 611,
    556, 556, 556, 556, 556, 556, 889, 556, 556, 556, 556, 556, 278, 278, 278, 278,
    611, 611, 611, 611, 611, 611, 611, 584, 611, 611, 611, 611, 611, 556, 611, 556,
];

/// One of the two fonts of the document.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Font {
    Regular,
    Bold,
}

impl Font {
    fn resource(self) -> &'static str {
        match self {
            Font::Regular => "F1",
            Font::Bold => "F2",
        }
    }

    /// Width of WinAnsi-encoded text, in 1/1000 em.
    fn units(self, text: &[u8]) -> u32 {
        let table = match self {
            Font::Regular => &REGULAR,
            Font::Bold => &BOLD,
        };
        let w = |b: u8| b.checked_sub(32).and_then(|i| table.get(usize::from(i)));
        text.iter().map(|&b| u32::from(*w(b).unwrap_or(&278))).sum()
    }

    /// Width of WinAnsi-encoded text at `size` points, in points.
    fn width(self, text: &[u8], size: f32) -> f32 {
        self.units(text) as f32 * size / 1000.0
    }
}

/// How a run of text is set: font, size, line height and gray level.
#[derive(Debug, Clone, Copy)]
struct Style {
    font: Font,
    size: f32,
    leading: f32,
    gray: f32,
}

const fn style(font: Font, size: f32, leading: f32, gray: f32) -> Style {
    Style {
        font,
        size,
        leading,
        gray,
    }
}

const TITLE: Style = style(Font::Bold, 18.0, 22.0, 0.0);
const SUBTITLE: Style = style(Font::Regular, 10.0, 13.0, 0.35);
const HEADING: Style = style(Font::Bold, 13.0, 16.0, 0.0);
const BODY: Style = style(Font::Regular, 10.0, 13.0, 0.0);
const LABEL: Style = style(Font::Bold, 10.0, 13.0, 0.0);
const CELL: Style = style(Font::Regular, 9.0, 11.5, 0.0);
const CELL_HEAD: Style = style(Font::Bold, 9.0, 11.5, 0.0);
const FOOTER: Style = style(Font::Regular, 8.0, 10.0, 0.4);

/// The Windows-1252 characters outside Latin-1, with their codes.
#[rustfmt::skip]
const CP1252: [(char, u8); 27] = [
    ('€', 0x80), ('‚', 0x82), ('ƒ', 0x83), ('„', 0x84), ('…', 0x85), ('†', 0x86), ('‡', 0x87),
    ('ˆ', 0x88), ('‰', 0x89), ('Š', 0x8A), ('‹', 0x8B), ('Œ', 0x8C), ('Ž', 0x8E), ('‘', 0x91),
    ('’', 0x92), ('“', 0x93), ('”', 0x94), ('•', 0x95), ('–', 0x96), ('—', 0x97), ('˜', 0x98),
    ('™', 0x99), ('š', 0x9A), ('›', 0x9B), ('œ', 0x9C), ('ž', 0x9E), ('Ÿ', 0x9F),
];

/// The WinAnsi (Windows-1252) byte for a character; `?` when it has none.
fn winansi(c: char) -> u8 {
    match c {
        ' '..='~' | '\u{a0}'..='\u{ff}' => c as u8,
        '\u{202f}' | '\u{2007}' | '\u{2009}' => 0xA0,
        '\t' | '\r' => b' ',
        '\u{2011}' | '\u{2212}' => b'-',
        _ => CP1252
            .iter()
            .find(|(k, _)| *k == c)
            .map_or(b'?', |&(_, b)| b),
    }
}

fn encode(s: &str) -> Vec<u8> {
    s.chars().map(winansi).collect()
}

/// Breaks `text` into WinAnsi lines no wider than `max` points: at spaces,
/// at every `\n`, and inside words too long for a line. Never empty.
fn wrap(text: &str, font: Font, size: f32, max: f32) -> Vec<Vec<u8>> {
    let max = (max * 1000.0 / size).max(0.0) as u32;
    let space = font.units(b" ");
    let mut lines = Vec::new();
    for segment in text.split('\n') {
        let (mut line, mut used) = (Vec::new(), 0);
        for word in encode(segment)
            .split(|&b| b == b' ')
            .filter(|w| !w.is_empty())
        {
            let w = font.units(word);
            let gap = if line.is_empty() { 0 } else { space };
            if used + gap + w <= max {
                if gap > 0 {
                    line.push(b' ');
                }
                line.extend_from_slice(word);
                used += gap + w;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            used = 0;
            for &b in word {
                let cw = font.units(&[b]);
                if !line.is_empty() && used + cw > max {
                    lines.push(std::mem::take(&mut line));
                    used = 0;
                }
                line.push(b);
                used += cw;
            }
        }
        lines.push(line);
    }
    lines
}

/// A PDF string literal, with `(`, `)` and `\` escaped.
fn literal(bytes: &[u8]) -> Vec<u8> {
    let mut out = vec![b'('];
    for &b in bytes {
        if matches!(b, b'(' | b')' | b'\\') {
            out.push(b'\\');
        }
        out.push(b);
    }
    out.push(b')');
    out
}

/// Lays content out top to bottom, starting new pages as needed.
struct Pager {
    done: Vec<Vec<u8>>,
    page: Vec<u8>,
    /// Top of the next line, in points from the bottom of the page.
    y: f32,
}

impl Pager {
    fn at_top(&self) -> bool {
        self.y >= TOP
    }

    /// Starts a new page unless `h` more points fit on this one (or the
    /// page is still blank); tells whether it did.
    fn ensure(&mut self, h: f32) -> bool {
        if self.y - h < MARGIN && !self.at_top() {
            self.done.push(std::mem::take(&mut self.page));
            self.y = TOP;
            return true;
        }
        false
    }

    /// Vertical space, dropped at the top of a page.
    fn gap(&mut self, h: f32) {
        if !self.at_top() {
            self.y -= h;
        }
    }

    /// Draws one line whose box starts `top` points from the page bottom.
    fn text(&mut self, x: f32, top: f32, s: Style, line: &[u8]) {
        if line.is_empty() {
            return;
        }
        let baseline = top - (s.leading + s.size) / 2.0 - 0.25 * s.size;
        let op = format!(
            "BT {} g /{} {} Tf {x:.2} {baseline:.2} Td ",
            s.gray,
            s.font.resource(),
            s.size
        );
        self.page.extend_from_slice(op.as_bytes());
        self.page.extend_from_slice(&literal(line));
        self.page.extend_from_slice(b" Tj ET\n");
    }

    /// Draws lines from `top` down, without moving the cursor.
    fn column(&mut self, x: f32, top: f32, s: Style, lines: &[Vec<u8>]) {
        for (i, l) in lines.iter().enumerate() {
            self.text(x, top - i as f32 * s.leading, s, l);
        }
    }

    /// Flows lines at the cursor, breaking pages between lines.
    fn flow(&mut self, x: f32, s: Style, lines: &[Vec<u8>]) {
        for l in lines {
            self.ensure(s.leading);
            self.text(x, self.y, s, l);
            self.y -= s.leading;
        }
    }

    fn rule(&mut self, y: f32, width: f32) {
        let op = format!(
            "{width} w 0 G {MARGIN:.2} {y:.2} m {:.2} {y:.2} l S\n",
            MARGIN + WIDTH
        );
        self.page.extend_from_slice(op.as_bytes());
    }

    /// Draws a table row at the cursor and moves below it.
    fn row(&mut self, cells: &[Vec<Vec<u8>>], widths: &[f32], s: Style) {
        let mut x = MARGIN;
        for (lines, w) in cells.iter().zip(widths) {
            self.column(x + PAD_X, self.y - PAD_Y, s, lines);
            x += w;
        }
        self.y -= row_height(cells, s);
    }
}

fn row_height(cells: &[Vec<Vec<u8>>], s: Style) -> f32 {
    let n = cells.iter().map(Vec::len).max().unwrap_or(1).max(1);
    n as f32 * s.leading + 2.0 * PAD_Y
}

/// Column widths filling the text width, from the natural width of each
/// column's content: proportional when everything fits; otherwise narrow
/// columns keep their width and the wide ones share the rest, each keeping
/// at least the minimum.
fn column_widths(natural: &[f32]) -> Vec<f32> {
    let n = natural.len();
    let min = MIN_COL.min(WIDTH / n as f32);
    let natural: Vec<f32> = natural.iter().map(|w| w.clamp(min, WIDTH)).collect();
    let total: f32 = natural.iter().sum();
    if total <= WIDTH {
        return natural.iter().map(|w| w * WIDTH / total).collect();
    }
    let mut fixed = vec![false; n];
    loop {
        let free: Vec<usize> = (0..n).filter(|&i| !fixed[i]).collect();
        let left = WIDTH
            - (0..n)
                .filter(|&i| fixed[i])
                .map(|i| natural[i])
                .sum::<f32>();
        let share = left / free.len() as f32;
        let narrow: Vec<usize> = free
            .iter()
            .copied()
            .filter(|&i| natural[i] <= share)
            .collect();
        if narrow.is_empty() || narrow.len() == free.len() {
            let excess: f32 = free.iter().map(|&i| natural[i] - min).sum();
            let spare = left - min * free.len() as f32;
            let scale = if excess > 0.0 { spare / excess } else { 0.0 };
            let mut widths = natural.clone();
            for i in free {
                widths[i] = min + (natural[i] - min) * scale;
            }
            return widths;
        }
        for i in narrow {
            fixed[i] = true;
        }
    }
}

/// A table ready to draw: column widths and the wrapped text of each cell.
struct Grid {
    widths: Vec<f32>,
    head: Vec<Vec<Vec<u8>>>,
    rows: Vec<Vec<Vec<Vec<u8>>>>,
}

impl Grid {
    fn new(head: &[String], rows: &[Vec<String>]) -> Option<Grid> {
        let n = rows
            .iter()
            .map(Vec::len)
            .chain([head.len()])
            .max()
            .unwrap_or(0);
        if n == 0 {
            return None;
        }
        let measure = |r: &[String], c: usize, s: Style| {
            r.get(c)
                .map_or(0.0, |t| s.font.width(&encode(t), s.size).min(WIDTH))
        };
        let natural: Vec<f32> = (0..n)
            .map(|c| {
                let body = rows.iter().map(|r| measure(r, c, CELL));
                body.fold(measure(head, c, CELL_HEAD), f32::max) + 2.0 * PAD_X
            })
            .collect();
        let widths = column_widths(&natural);
        let wrap_row = |r: &[String], s: Style| -> Vec<Vec<Vec<u8>>> {
            let cell = |c: usize| r.get(c).map_or("", String::as_str);
            widths
                .iter()
                .enumerate()
                .map(|(c, w)| wrap(cell(c), s.font, s.size, w - 2.0 * PAD_X))
                .collect()
        };
        let head = wrap_row(head, CELL_HEAD);
        let rows = rows.iter().map(|r| wrap_row(r, CELL)).collect();
        Some(Grid { widths, head, rows })
    }

    /// Height of the header row and the first row, which stay together.
    fn lead(&self) -> f32 {
        row_height(&self.head, CELL_HEAD) + self.rows.first().map_or(0.0, |r| row_height(r, CELL))
    }

    fn draw_head(&self, p: &mut Pager) {
        p.row(&self.head, &self.widths, CELL_HEAD);
        p.rule(p.y, 0.6);
    }

    /// Draws the table; a row that does not fit moves, with a repeated
    /// header, to the next page.
    fn draw(&self, p: &mut Pager) {
        p.ensure(self.lead());
        self.draw_head(p);
        for r in &self.rows {
            if p.ensure(row_height(r, CELL)) {
                self.draw_head(p);
            }
            p.row(r, &self.widths, CELL);
        }
        p.rule(p.y, 0.3);
    }
}

/// Width of the label column of a list of facts.
fn label_width(kv: &[(String, String)]) -> f32 {
    let widest = kv
        .iter()
        .map(|(k, _)| LABEL.font.width(&encode(k), LABEL.size));
    (widest.fold(0.0, f32::max) + 12.0).min(WIDTH * 0.4)
}

/// The wrapped label and value of one fact.
fn fact_lines(k: &str, v: &str, label_w: f32) -> (Vec<Vec<u8>>, Vec<Vec<u8>>) {
    let label = wrap(k, LABEL.font, LABEL.size, label_w - 12.0);
    (label, wrap(v, BODY.font, BODY.size, WIDTH - label_w))
}

/// Height of the start of a block that a heading above it must stay with.
fn lead_height(block: &Block) -> f32 {
    let lines =
        |t: &str, w: f32| wrap(t, BODY.font, BODY.size, w).len().min(2) as f32 * BODY.leading;
    match block {
        Block::Heading(_) => HEADING.leading,
        Block::Para(t) => lines(t, WIDTH),
        Block::Bullets(items) => items.first().map_or(0.0, |t| lines(t, WIDTH - INDENT)),
        Block::Facts(kv) => kv.first().map_or(0.0, |(k, v)| {
            let (l, v) = fact_lines(k, v, label_width(kv));
            l.len().max(v.len()) as f32 * BODY.leading
        }),
        Block::Table { head, rows } => Grid::new(head, rows).map_or(0.0, |g| g.lead()),
    }
}

/// Lays out the document body; returns each page's content stream.
fn layout(doc: &Doc) -> Vec<Vec<u8>> {
    let mut p = Pager {
        done: Vec::new(),
        page: Vec::new(),
        y: TOP,
    };
    if !doc.title.is_empty() {
        p.flow(
            MARGIN,
            TITLE,
            &wrap(&doc.title, TITLE.font, TITLE.size, WIDTH),
        );
    }
    if !doc.subtitle.is_empty() {
        p.flow(
            MARGIN,
            SUBTITLE,
            &wrap(&doc.subtitle, SUBTITLE.font, SUBTITLE.size, WIDTH),
        );
    }
    p.gap(12.0);
    for (i, block) in doc.blocks.iter().enumerate() {
        match block {
            Block::Heading(t) => {
                let lines = wrap(t, HEADING.font, HEADING.size, WIDTH);
                let next = doc.blocks.get(i + 1).map_or(0.0, lead_height);
                p.gap(10.0);
                p.ensure(lines.len() as f32 * HEADING.leading + 4.0 + next);
                p.flow(MARGIN, HEADING, &lines);
                p.gap(4.0);
            }
            Block::Para(t) => {
                p.flow(MARGIN, BODY, &wrap(t, BODY.font, BODY.size, WIDTH));
                p.gap(6.0);
            }
            Block::Bullets(items) => {
                for item in items {
                    let lines = wrap(item, BODY.font, BODY.size, WIDTH - INDENT);
                    p.ensure(BODY.leading);
                    p.text(MARGIN + 3.0, p.y, BODY, &[0x95]);
                    p.flow(MARGIN + INDENT, BODY, &lines);
                    p.gap(2.0);
                }
                p.gap(4.0);
            }
            Block::Facts(kv) => {
                let label_w = label_width(kv);
                for (k, v) in kv {
                    let (label, value) = fact_lines(k, v, label_w);
                    let h = label.len().max(value.len()) as f32 * BODY.leading;
                    p.ensure(h);
                    p.column(MARGIN, p.y, LABEL, &label);
                    p.column(MARGIN + label_w, p.y, BODY, &value);
                    p.y -= h + 2.0;
                }
                p.gap(6.0);
            }
            Block::Table { head, rows } => {
                if let Some(grid) = Grid::new(head, rows) {
                    grid.draw(&mut p);
                }
                p.gap(10.0);
            }
        }
    }
    p.done.push(p.page);
    p.done
}

/// Appends the footer line and the "n / N" page number to every page.
fn add_footers(pages: &mut [Vec<u8>], footer: &str) {
    let total = pages.len();
    let lines = wrap(footer, FOOTER.font, FOOTER.size, WIDTH - 60.0);
    for (i, page) in pages.iter_mut().enumerate() {
        let mut p = Pager {
            done: Vec::new(),
            page: std::mem::take(page),
            y: 0.0,
        };
        let top = MARGIN - 16.0;
        p.column(MARGIN, top, FOOTER, &lines[..lines.len().min(2)]);
        let number = format!("{} / {total}", i + 1).into_bytes();
        let x = MARGIN + WIDTH - FOOTER.font.width(&number, FOOTER.size);
        p.text(x, top, FOOTER, &number);
        *page = p.page;
    }
}

/// A PDF text string in UTF-16BE, for document metadata.
fn utf16_string(s: &str) -> String {
    let hex: String = s.encode_utf16().map(|u| format!("{u:04X}")).collect();
    format!("<FEFF{hex}>")
}

/// Writes numbered objects and remembers where each starts.
struct Writer {
    out: Vec<u8>,
    offsets: Vec<usize>,
}

impl Writer {
    fn object(&mut self, body: &[u8]) {
        self.offsets.push(self.out.len());
        let head = format!("{} 0 obj\n", self.offsets.len());
        self.out.extend_from_slice(head.as_bytes());
        self.out.extend_from_slice(body);
        self.out.extend_from_slice(b"\nendobj\n");
    }
}

impl Doc {
    /// The document as a PDF 1.4 file: A4 pages with automatic page breaks,
    /// the footer and "n / N" page numbers at the bottom of each page.
    pub fn to_pdf(&self) -> Vec<u8> {
        let mut pages = layout(self);
        add_footers(&mut pages, &self.footer);
        let mut w = Writer {
            out: b"%PDF-1.4\n%\xE2\xE3\xCF\xD3\n".to_vec(),
            offsets: Vec::new(),
        };
        let kids: Vec<String> = (0..pages.len())
            .map(|i| format!("{} 0 R", 6 + 2 * i))
            .collect();
        w.object(b"<< /Type /Catalog /Pages 2 0 R >>");
        let tree = format!(
            "<< /Type /Pages /Kids [{}] /Count {} >>",
            kids.join(" "),
            pages.len()
        );
        w.object(tree.as_bytes());
        for name in ["Helvetica", "Helvetica-Bold"] {
            let font = format!(
                "<< /Type /Font /Subtype /Type1 /BaseFont /{name} /Encoding /WinAnsiEncoding >>"
            );
            w.object(font.as_bytes());
        }
        let info = format!(
            "<< /Title {} /Producer (Clef) >>",
            utf16_string(&self.title)
        );
        w.object(info.as_bytes());
        for (i, content) in pages.iter().enumerate() {
            let page = format!(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {PAGE_W} {PAGE_H}] \
                 /Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents {} 0 R >>",
                7 + 2 * i
            );
            w.object(page.as_bytes());
            let mut stream = format!("<< /Length {} >>\nstream\n", content.len()).into_bytes();
            stream.extend_from_slice(content);
            stream.extend_from_slice(b"\nendstream");
            w.object(&stream);
        }
        let xref = w.out.len();
        let mut tail = format!("xref\n0 {}\n0000000000 65535 f \n", w.offsets.len() + 1);
        for o in &w.offsets {
            tail.push_str(&format!("{o:010} 00000 n \n"));
        }
        tail.push_str(&format!(
            "trailer\n<< /Size {} /Root 1 0 R /Info 5 0 R >>\nstartxref\n{xref}\n%%EOF",
            w.offsets.len() + 1
        ));
        w.out.extend_from_slice(tail.as_bytes());
        w.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::{Path, PathBuf};
    use std::process::Command;

    fn para(t: &str) -> Block {
        Block::Para(t.to_string())
    }

    fn french() -> Doc {
        Doc {
            title: "Synthèse exécutive".into(),
            subtitle: "Client : Société Générale d’Électricité — plan v2".into(),
            blocks: vec![
                Block::Heading("Chiffres clés".into()),
                Block::Facts(vec![
                    (
                        "Chiffre d’affaires réalisé".into(),
                        "1\u{202f}234,50\u{a0}€".into(),
                    ),
                    ("Croissance".into(), "12,5\u{a0}%".into()),
                ]),
                para("Le plan a été réalisé à 80\u{a0}% ; «\u{a0}bien\u{a0}» (voir annexe)\\fin."),
                Block::Bullets(vec!["Première action".into(), "Deuxième œuvre".into()]),
                Block::Table {
                    head: vec!["Compte".into(), "Montant".into()],
                    rows: vec![vec!["Müller & Cie".into(), "1\u{202f}234,50\u{a0}€".into()]],
                },
            ],
            footer: "Confidentiel — usage interne".into(),
        }
    }

    fn long_doc(n: usize) -> Doc {
        let text =
            "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor.";
        let blocks = (0..n)
            .flat_map(|i| {
                [
                    Block::Heading(format!("Section {i}")),
                    para(text),
                    para(text),
                ]
            })
            .collect();
        Doc {
            title: "Long".into(),
            blocks,
            ..Doc::default()
        }
    }

    fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
        hay.windows(needle.len()).position(|w| w == needle)
    }

    fn count(hay: &[u8], needle: &[u8]) -> usize {
        hay.windows(needle.len()).filter(|w| *w == needle).count()
    }

    /// The byte offsets listed in the cross-reference table, by object number.
    fn xref(pdf: &[u8]) -> Vec<usize> {
        let s = String::from_utf8_lossy(pdf);
        let start: usize = s
            .rsplit("startxref\n")
            .next()
            .unwrap()
            .trim_end_matches("%%EOF")
            .trim()
            .parse()
            .unwrap();
        assert!(pdf[start..].starts_with(b"xref\n"));
        let table = String::from_utf8_lossy(&pdf[start..]);
        table
            .lines()
            .skip(2)
            .take_while(|l| !l.starts_with("trailer"))
            .filter(|l| l.ends_with(" n "))
            .map(|l| {
                assert_eq!(l.len(), 19, "entry {l:?}");
                l[..10].parse().unwrap()
            })
            .collect()
    }

    fn page_count(pdf: &[u8]) -> (usize, usize) {
        let s = String::from_utf8_lossy(pdf);
        let declared = s.split("/Count ").nth(1).unwrap();
        let declared = declared[..declared.find(' ').unwrap()].parse().unwrap();
        (count(pdf, b"/Type /Page "), declared)
    }

    #[test]
    fn pdf_is_framed_and_every_xref_offset_points_at_its_object() {
        for doc in [french(), long_doc(60), Doc::default()] {
            let pdf = doc.to_pdf();
            assert!(pdf.starts_with(b"%PDF-1.4\n"));
            assert!(pdf.ends_with(b"%%EOF"));
            let offsets = xref(&pdf);
            assert!(offsets.len() >= 7);
            for (i, &o) in offsets.iter().enumerate() {
                assert!(
                    pdf[o..].starts_with(format!("{} 0 obj", i + 1).as_bytes()),
                    "object {}",
                    i + 1
                );
            }
            let s = String::from_utf8_lossy(&pdf);
            assert!(s.contains(&format!("/Size {}", offsets.len() + 1)));
            assert!(s.contains("/Root 1 0 R") && s.contains("/Producer (Clef)"));
        }
    }

    #[test]
    fn stream_lengths_match() {
        let pdf = french().to_pdf();
        let mut rest = &pdf[..];
        while let Some(i) = find(rest, b"/Length ") {
            rest = &rest[i + 8..];
            let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
            let len: usize = std::str::from_utf8(&rest[..digits])
                .unwrap()
                .parse()
                .unwrap();
            let body = find(rest, b"stream\n").unwrap() + 7;
            assert!(rest[body + len..].starts_with(b"\nendstream"));
        }
    }

    #[test]
    fn empty_document_has_one_page() {
        assert_eq!(page_count(&Doc::default().to_pdf()), (1, 1));
    }

    #[test]
    fn long_document_spans_several_pages() {
        let (short, _) = page_count(&long_doc(2).to_pdf());
        let mut doc = long_doc(0);
        doc.blocks = (0..200)
            .map(|i| para(&format!("Paragraphe numéro {i}.")))
            .collect();
        doc.footer = "Confidentiel".into();
        let pdf = doc.to_pdf();
        let (pages, declared) = page_count(&pdf);
        assert_eq!(short, 1);
        assert!(pages > 1);
        assert_eq!(pages, declared);
        assert!(find(&pdf, format!("({pages} / {pages})").as_bytes()).is_some());
    }

    #[test]
    fn headings_are_never_last_on_a_page() {
        let pages = layout(&long_doc(80));
        assert!(pages.len() > 3);
        for page in &pages[..pages.len() - 1] {
            let text = String::from_utf8_lossy(page);
            let last_font = text.rsplit(" Tf ").nth(1).unwrap();
            assert!(!last_font.ends_with("/F2 13"), "page ends with a heading");
        }
    }

    #[test]
    fn table_header_repeats_and_columns_fill_the_width() {
        let rows = (0..120)
            .map(|i| {
                vec![
                    format!("Ligne {i}"),
                    "Un texte assez long pour être replié sur deux lignes dans sa colonne étroite"
                        .into(),
                    "3".into(),
                ]
            })
            .collect();
        let doc = Doc {
            blocks: vec![Block::Table {
                head: vec!["Nom".into(), "Détail".into(), "N".into()],
                rows,
            }],
            ..Doc::default()
        };
        let pages = layout(&doc);
        assert!(pages.len() > 1);
        for page in &pages {
            assert!(find(page, b"(Nom)").is_some(), "header on every page");
        }
        for natural in [
            [20.0, 900.0, 60.0],
            [100.0, 100.0, 100.0],
            [600.0, 900.0, 70.0],
        ] {
            let widths = column_widths(&natural);
            assert!(
                (widths.iter().sum::<f32>() - WIDTH).abs() < 0.01,
                "{widths:?}"
            );
            assert!(widths.iter().all(|&w| w >= MIN_COL - 0.01), "{widths:?}");
        }
        assert_eq!(column_widths(&[60.0, 900.0])[0], 60.0, "narrow column kept");
    }

    #[test]
    fn maps_text_to_winansi() {
        assert_eq!(encode("é€’"), vec![0xE9, 0x80, 0x92]);
        assert_eq!(
            encode("Œœ…•–—“”„‚"),
            vec![0x8C, 0x9C, 0x85, 0x95, 0x96, 0x97, 0x93, 0x94, 0x84, 0x82]
        );
        assert_eq!(
            encode("Šš Žž Ÿ"),
            vec![0x8A, 0x9A, 0x20, 0x8E, 0x9E, 0x20, 0x9F]
        );
        assert_eq!(encode("1\u{202f}2\u{a0}3"), b"1\xA02\xA03".to_vec());
        assert_eq!(encode("中😀"), b"??".to_vec());
        assert_eq!(literal(b"a(b)\\c"), b"(a\\(b\\)\\\\c)".to_vec());
        assert_eq!(Font::Regular.units(&encode("é")), Font::Regular.units(b"e"));
        assert_eq!(Font::Bold.units(&encode("Ç")), Font::Bold.units(b"C"));
    }

    #[test]
    fn wrapped_lines_fit_the_width() {
        let text = "Le chiffre d’affaires réalisé progresse de 12\u{a0}% sur l’exercice, \
                    porté par les grands comptes\nSecond paragraphe. Anticonstitutionnellement";
        for font in [Font::Regular, Font::Bold] {
            for max in [40.0, 90.0, 150.0, 483.0] {
                let lines = wrap(text, font, 10.0, max);
                for l in &lines {
                    assert!(
                        font.width(l, 10.0) <= max + 0.001,
                        "{max}: {}",
                        String::from_utf8_lossy(l)
                    );
                }
                let joined: Vec<u8> = lines.concat().into_iter().filter(|&b| b != b' ').collect();
                let original: Vec<u8> = encode(&text.replace('\n', " "))
                    .into_iter()
                    .filter(|&b| b != b' ')
                    .collect();
                assert_eq!(joined, original, "no text lost at {max}");
            }
        }
        let word = "x".repeat(500);
        let lines = wrap(&word, Font::Regular, 10.0, 100.0);
        assert!(lines.len() > 1);
        assert_eq!(wrap("", Font::Regular, 10.0, 100.0), vec![Vec::<u8>::new()]);
        assert_eq!(wrap("a\nb", Font::Regular, 10.0, 100.0).len(), 2);
    }

    fn temp_pdf(name: &str, doc: &Doc) -> PathBuf {
        let path = std::env::temp_dir().join(format!("clef-{name}-{}.pdf", std::process::id()));
        std::fs::write(&path, doc.to_pdf()).unwrap();
        path
    }

    #[test]
    fn pdftotext_reads_the_french_text() {
        assert!(
            Path::new("/usr/bin/pdftotext").exists(),
            "/usr/bin/pdftotext is missing: install the Debian package poppler-utils (scripts/test does)"
        );
        let path = temp_pdf("text", &french());
        let out = Command::new("/usr/bin/pdftotext")
            .args(["-enc", "UTF-8"])
            .arg(&path)
            .arg("-")
            .output()
            .unwrap();
        std::fs::remove_file(&path).ok();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = String::from_utf8(out.stdout)
            .unwrap()
            .replace(['\u{a0}', '\u{202f}'], " ");
        for words in [
            "Synthèse",
            "réalisé",
            "1 234,50 €",
            "Société",
            "œuvre",
            "Confidentiel — usage",
            "(voir annexe)\\fin",
        ] {
            assert!(text.contains(words), "{words:?} missing from {text}");
        }
        assert!(text.replace(' ', "").contains("1/1"), "page number");
    }

    #[test]
    fn pdftoppm_renders_ink_on_the_first_page() {
        assert!(
            Path::new("/usr/bin/pdftoppm").exists(),
            "/usr/bin/pdftoppm is missing: install the Debian package poppler-utils (scripts/test does)"
        );
        let path = temp_pdf("render", &french());
        let prefix = path.with_extension("");
        let status = Command::new("/usr/bin/pdftoppm")
            .args(["-r", "40", "-gray", "-f", "1", "-l", "1"])
            .arg(&path)
            .arg(&prefix)
            .status()
            .unwrap();
        std::fs::remove_file(&path).ok();
        assert!(status.success());
        let image_path = PathBuf::from(format!("{}-1.pgm", prefix.display()));
        let image = std::fs::read(&image_path).unwrap();
        std::fs::remove_file(&image_path).ok();
        // Binary PGM: "P5", width, height, maximum value, then one byte a pixel.
        let mut fields = Vec::new();
        let mut i = 0;
        while fields.len() < 4 {
            while image[i].is_ascii_whitespace() {
                i += 1;
            }
            let start = i;
            while !image[i].is_ascii_whitespace() {
                i += 1;
            }
            fields.push(String::from_utf8_lossy(&image[start..i]).into_owned());
        }
        assert_eq!(fields[0], "P5");
        let (w, h): (usize, usize) = (fields[1].parse().unwrap(), fields[2].parse().unwrap());
        assert_eq!((w, h), (331, 468), "A4 at 40 dpi");
        let pixels = &image[i + 1..];
        assert_eq!(pixels.len(), w * h);
        let dark = pixels.iter().filter(|&&p| p < 128).count();
        assert!(dark > 100, "only {dark} dark pixels");
        assert!(dark < w * h / 4);
    }
}
