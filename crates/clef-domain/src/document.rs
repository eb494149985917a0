//! Printable documents (the Executive Summary, the Customer Executive Brief):
//! one neutral model, written out as HTML, Markdown or PDF. The texts are
//! already in the reader's language when they reach this module.

use crate::format::escape_xml;

/// A document: a title, a subtitle line, then blocks in reading order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Doc {
    pub title: String,
    /// A line under the title: the customer, the plan version, the date.
    pub subtitle: String,
    pub blocks: Vec<Block>,
    /// A small line at the bottom of each page (confidentiality notice).
    pub footer: String,
}

/// One piece of a document.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A section heading.
    Heading(String),
    /// A paragraph; `\n` inside starts a new line.
    Para(String),
    /// A bulleted list.
    Bullets(Vec<String>),
    /// Label → value pairs, shown as a two-column list (key figures).
    Facts(Vec<(String, String)>),
    /// A table: the header row, then rows of the same width.
    Table {
        head: Vec<String>,
        rows: Vec<Vec<String>>,
    },
}

impl Doc {
    /// Every piece of text in the document, in order (for tests and search).
    pub fn plain_text(&self) -> String {
        let mut s = format!("{}\n{}\n", self.title, self.subtitle);
        for b in &self.blocks {
            match b {
                Block::Heading(t) | Block::Para(t) => {
                    s.push_str(t);
                    s.push('\n');
                }
                Block::Bullets(items) => {
                    for i in items {
                        s.push_str(i);
                        s.push('\n');
                    }
                }
                Block::Facts(kv) => {
                    for (k, v) in kv {
                        s.push_str(&format!("{k}: {v}\n"));
                    }
                }
                Block::Table { head, rows } => {
                    s.push_str(&head.join(" | "));
                    s.push('\n');
                    for r in rows {
                        s.push_str(&r.join(" | "));
                        s.push('\n');
                    }
                }
            }
        }
        s.push_str(&self.footer);
        s
    }

    /// The body as HTML (no page chrome): headings, paragraphs, lists, tables.
    pub fn to_html_body(&self) -> String {
        let mut h = String::new();
        h.push_str(&format!(
            "<header class=\"doc-head\"><h1>{}</h1><p class=\"doc-sub\">{}</p></header>\n",
            escape_xml(&self.title),
            escape_xml(&self.subtitle)
        ));
        for b in &self.blocks {
            match b {
                Block::Heading(t) => h.push_str(&format!("<h2>{}</h2>\n", escape_xml(t))),
                Block::Para(t) => {
                    h.push_str(&format!("<p>{}</p>\n", escape_xml(t).replace('\n', "<br>")))
                }
                Block::Bullets(items) => {
                    h.push_str("<ul>\n");
                    for i in items {
                        h.push_str(&format!("<li>{}</li>\n", escape_xml(i)));
                    }
                    h.push_str("</ul>\n");
                }
                Block::Facts(kv) => {
                    h.push_str("<dl class=\"facts\">\n");
                    for (k, v) in kv {
                        h.push_str(&format!(
                            "<div><dt>{}</dt><dd>{}</dd></div>\n",
                            escape_xml(k),
                            escape_xml(v)
                        ));
                    }
                    h.push_str("</dl>\n");
                }
                Block::Table { head, rows } => {
                    h.push_str("<div class=\"table-wrap\"><table>\n<thead><tr>");
                    for c in head {
                        h.push_str(&format!("<th>{}</th>", escape_xml(c)));
                    }
                    h.push_str("</tr></thead>\n<tbody>\n");
                    for r in rows {
                        h.push_str("<tr>");
                        for c in r {
                            h.push_str(&format!("<td>{}</td>", escape_xml(c)));
                        }
                        h.push_str("</tr>\n");
                    }
                    h.push_str("</tbody></table></div>\n");
                }
            }
        }
        if !self.footer.is_empty() {
            h.push_str(&format!(
                "<footer class=\"doc-foot\">{}</footer>\n",
                escape_xml(&self.footer)
            ));
        }
        h
    }
}

mod markdown;
mod pdf;
