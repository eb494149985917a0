//! Markdown output (CommonMark with GitHub tables). User text is escaped so
//! it cannot open a heading, a list, a quote or a table column by accident.

use super::{Block, Doc};

/// Escapes the characters that carry meaning inside a line of Markdown.
fn inline(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// One line of text, escaped, that cannot start a block of its own: no
/// heading, list, quote, rule, setext underline or indented code.
fn line(s: &str) -> String {
    let s = inline(s.trim_start());
    let digits = s.chars().take_while(char::is_ascii_digit).count();
    match s.chars().next() {
        Some('#' | '-' | '+' | '=') => format!("\\{s}"),
        Some('0'..='9') if matches!(s[digits..].chars().next(), Some('.' | ')')) => {
            format!("{}\\{}", &s[..digits], &s[digits..])
        }
        _ => s,
    }
}

/// Lines joined with hard line breaks (two trailing spaces).
fn lines(s: &str, indent: &str) -> String {
    let parts: Vec<String> = s.split('\n').map(line).collect();
    parts.join(&format!("  \n{indent}"))
}

/// Text in one line (for titles and emphasis), newlines turned into spaces.
fn one_line(s: &str) -> String {
    line(&s.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// A table cell: escaped, on one line, with `<br>` for each line break.
fn cell(s: &str) -> String {
    let parts: Vec<String> = s.split('\n').map(|l| inline(l.trim())).collect();
    parts.join("<br>")
}

fn table_row(cells: &[String], n: usize) -> String {
    let cells: Vec<String> = (0..n)
        .map(|i| cell(cells.get(i).map_or("", String::as_str)))
        .collect();
    format!("| {} |\n", cells.join(" | "))
}

impl Doc {
    /// The document as Markdown: `#` title, italic subtitle, `##` sections,
    /// lists, facts as `- **label:** value`, pipe tables and a final footer.
    pub fn to_markdown(&self) -> String {
        let mut md = String::new();
        if !self.title.trim().is_empty() {
            md.push_str(&format!("# {}\n\n", one_line(&self.title)));
        }
        if !self.subtitle.trim().is_empty() {
            md.push_str(&format!("*{}*\n\n", one_line(&self.subtitle)));
        }
        for block in &self.blocks {
            match block {
                Block::Heading(t) => md.push_str(&format!("## {}\n\n", one_line(t))),
                Block::Para(t) => md.push_str(&format!("{}\n\n", lines(t, ""))),
                Block::Bullets(items) => {
                    for i in items {
                        md.push_str(&format!("- {}\n", lines(i, "  ")));
                    }
                    md.push('\n');
                }
                Block::Facts(kv) => {
                    for (k, v) in kv {
                        md.push_str(&format!("- **{}:** {}\n", one_line(k), lines(v, "  ")));
                    }
                    md.push('\n');
                }
                Block::Table { head, rows } => {
                    let n = rows
                        .iter()
                        .map(Vec::len)
                        .chain([head.len()])
                        .max()
                        .unwrap_or(0);
                    if n == 0 {
                        continue;
                    }
                    md.push_str(&table_row(head, n));
                    md.push_str(&format!("|{}\n", " --- |".repeat(n)));
                    for r in rows {
                        md.push_str(&table_row(r, n));
                    }
                    md.push('\n');
                }
            }
        }
        if !self.footer.trim().is_empty() {
            md.push_str(&format!("---\n\n*{}*\n", one_line(&self.footer)));
        }
        md
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc() -> Doc {
        Doc {
            title: "Synthèse *exécutive*".into(),
            subtitle: "Client : ACME".into(),
            blocks: vec![
                Block::Heading("# Chiffres".into()),
                Block::Para(
                    "Première ligne\nseconde ligne\n- pas une liste\n2024. pas numéroté".into(),
                ),
                Block::Bullets(vec!["Un".into(), "Deux\nsuite".into()]),
                Block::Facts(vec![("CA".into(), "1\u{202f}234,50\u{a0}€".into())]),
                Block::Table {
                    head: vec!["Compte".into(), "Note".into()],
                    rows: vec![vec!["A | B".into(), "x\ny".into()], vec!["Seul".into()]],
                },
            ],
            footer: "Confidentiel".into(),
        }
    }

    #[test]
    fn renders_every_block() {
        let md = doc().to_markdown();
        let expected = "# Synthèse \\*exécutive\\*\n\n\
            *Client : ACME*\n\n\
            ## \\# Chiffres\n\n\
            Première ligne  \nseconde ligne  \n\\- pas une liste  \n2024\\. pas numéroté\n\n\
            - Un\n- Deux  \n  suite\n\n\
            - **CA:** 1\u{202f}234,50\u{a0}€\n\n\
            | Compte | Note |\n| --- | --- |\n| A \\| B | x<br>y |\n| Seul |  |\n\n\
            ---\n\n*Confidentiel*\n";
        assert_eq!(md, expected);
    }

    #[test]
    fn table_cells_cannot_break_the_table() {
        let d = Doc {
            blocks: vec![Block::Table {
                head: vec!["a|b".into()],
                rows: vec![vec!["|".into()]],
            }],
            ..Doc::default()
        };
        let md = d.to_markdown();
        assert_eq!(md, "| a\\|b |\n| --- |\n| \\| |\n\n");
        for row in md.lines().filter(|l| l.starts_with('|')) {
            let unescaped = row.replace("\\|", "");
            assert_eq!(unescaped.matches('|').count(), 2, "{row}");
        }
    }

    #[test]
    fn escapes_line_starts() {
        assert_eq!(line("# titre"), "\\# titre");
        assert_eq!(line("> citation"), "\\> citation");
        assert_eq!(line("+ plus"), "\\+ plus");
        assert_eq!(line("    code"), "code");
        assert_eq!(line("12) douze"), "12\\) douze");
        assert_eq!(line("12 mois"), "12 mois");
        assert_eq!(line("a_b [c](d)"), "a\\_b \\[c\\](d)");
        assert_eq!(Doc::default().to_markdown(), "");
    }
}
