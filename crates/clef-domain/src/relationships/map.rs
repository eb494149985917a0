//! The stakeholder map as an SVG org chart: the reports-to tree, attitude
//! as colour (and as a word, so it survives grey printing), influence as
//! size (and as dots), and our links under each person.
//!
//! The layout is a compact org chart: a manager whose reports have no
//! reports of their own lists them in a column under them; other managers
//! spread their teams side by side. Separate trees wrap into rows, so fifty
//! people stay within a printable width.

use super::Attitude;
use crate::format::escape_xml;
use std::collections::{HashMap, HashSet};

/// One person on the map, with texts already in the reader's language.
#[derive(Debug, Clone, PartialEq)]
pub struct MapPerson {
    pub id: i64,
    pub name: String,
    /// Job title or function.
    pub title: String,
    /// The buying role, in words (may be empty).
    pub role: String,
    pub reports_to: Option<i64>,
    /// None when unknown or hidden from the reader.
    pub attitude: Option<Attitude>,
    pub influence: Option<i64>,
    /// Our people linked to this person, with the link's strength.
    pub links: Vec<(String, i64)>,
}

/// The words the map needs.
#[derive(Debug, Clone, PartialEq)]
pub struct MapLabels {
    pub title: String,
    /// Attitude names in the order champion … opponent.
    pub attitudes: [String; 5],
    pub unknown: String,
    pub influence: String,
    pub links: String,
}

pub const BOX_W: f64 = 184.0;
const GAP_X: f64 = 20.0;
const GAP_Y: f64 = 36.0;
const STACK_GAP: f64 = 10.0;
const INDENT: f64 = 22.0;
const MAX_W: f64 = 1200.0;
const MARGIN: f64 = 16.0;
const LEGEND_H: f64 = 40.0;
/// Levels drawn under one top boss; a longer chain continues as a tree of
/// its own (the drawing stays readable, and its layout's depth bounded).
const MAX_LEVELS: usize = 30;

fn attitude_index(a: Attitude) -> usize {
    match a {
        Attitude::Champion => 0,
        Attitude::Supporter => 1,
        Attitude::Neutral => 2,
        Attitude::Sceptic => 3,
        Attitude::Opponent => 4,
    }
}

/// Border and fill for an attitude (unknown: grey on white).
fn colours(a: Option<Attitude>) -> (&'static str, &'static str) {
    match a {
        Some(Attitude::Champion) => ("#1a7f37", "#dff3e4"),
        Some(Attitude::Supporter) => ("#4caf50", "#eef8ef"),
        Some(Attitude::Neutral) => ("#8a94a6", "#f2f4f7"),
        Some(Attitude::Sceptic) => ("#e07b00", "#fff1e0"),
        Some(Attitude::Opponent) => ("#c62828", "#fde7e7"),
        None => ("#b8bec9", "#ffffff"),
    }
}

/// A person's box height: larger with more influence.
pub fn box_h(p: &MapPerson) -> f64 {
    let base = 52.0 + 6.0 * p.influence.unwrap_or(1).clamp(1, 5) as f64;
    if p.links.is_empty() {
        base
    } else {
        base + 14.0
    }
}

/// A placed box.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Placed {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

struct Tree<'a> {
    people: HashMap<i64, &'a MapPerson>,
    children: HashMap<i64, Vec<i64>>,
    sizes: std::cell::RefCell<HashMap<i64, (f64, f64)>>,
}

impl Tree<'_> {
    fn kids(&self, id: i64) -> &[i64] {
        self.children.get(&id).map_or(&[], Vec::as_slice)
    }

    fn h(&self, id: i64) -> f64 {
        self.people.get(&id).map_or(60.0, |p| box_h(p))
    }

    /// The width of the reports side by side.
    fn side_by_side(&self, id: i64) -> f64 {
        let k = self.kids(id);
        k.iter().map(|c| self.size(*c).0).sum::<f64>() + GAP_X * k.len().saturating_sub(1) as f64
    }

    /// Reports listed in a column: when none has reports of their own, or
    /// when side by side they would be wider than the page.
    fn stacked(&self, id: i64) -> bool {
        let k = self.kids(id);
        !k.is_empty()
            && (k.iter().all(|c| self.kids(*c).is_empty())
                || self.side_by_side(id) > MAX_W - 2.0 * MARGIN)
    }

    /// The size of a subtree (remembered: each is asked for several times).
    fn size(&self, id: i64) -> (f64, f64) {
        if let Some(s) = self.sizes.borrow().get(&id) {
            return *s;
        }
        let k = self.kids(id);
        let s = if k.is_empty() {
            (BOX_W, self.h(id))
        } else if self.stacked(id) {
            let sizes: Vec<(f64, f64)> = k.iter().map(|c| self.size(*c)).collect();
            let below: f64 = sizes.iter().map(|s| s.1 + STACK_GAP).sum();
            let w = sizes.iter().map(|s| s.0).fold(BOX_W, f64::max);
            (w + INDENT, self.h(id) + STACK_GAP + below)
        } else {
            let sizes: Vec<(f64, f64)> = k.iter().map(|c| self.size(*c)).collect();
            let h = sizes.iter().map(|s| s.1).fold(0.0, f64::max);
            (self.side_by_side(id).max(BOX_W), self.h(id) + GAP_Y + h)
        };
        self.sizes.borrow_mut().insert(id, s);
        s
    }

    /// Where a subtree placed at `x` puts its top box.
    fn box_x(&self, id: i64, x: f64) -> f64 {
        if self.kids(id).is_empty() || self.stacked(id) {
            x
        } else {
            x + (self.size(id).0 - BOX_W) / 2.0
        }
    }

    /// Places a subtree with its top-left corner at (x, y).
    fn place(
        &self,
        id: i64,
        x: f64,
        y: f64,
        out: &mut Vec<(i64, Placed)>,
        lines: &mut Vec<String>,
    ) {
        let k = self.kids(id);
        let h = self.h(id);
        let bx = self.box_x(id, x);
        out.push((
            id,
            Placed {
                x: bx,
                y,
                w: BOX_W,
                h,
            },
        ));
        if k.is_empty() {
            return;
        }
        if self.stacked(id) {
            let mut cy = y + h + STACK_GAP;
            for c in k {
                let cx = x + INDENT;
                let ch = self.h(*c);
                lines.push(format!(
                    "M{:.1} {:.1}V{:.1}H{:.1}",
                    x + INDENT / 2.0,
                    y + h,
                    cy + ch / 2.0,
                    self.box_x(*c, cx)
                ));
                self.place(*c, cx, cy, out, lines);
                cy += self.size(*c).1 + STACK_GAP;
            }
            return;
        }
        let w = self.size(id).0;
        let total = self.side_by_side(id);
        let mut cx = x + (w - total) / 2.0;
        let cy = y + h + GAP_Y;
        let mid = y + h + GAP_Y / 2.0;
        for c in k {
            let top = self.box_x(*c, cx) + BOX_W / 2.0;
            lines.push(format!(
                "M{:.1} {:.1}V{:.1}H{:.1}V{:.1}",
                bx + BOX_W / 2.0,
                y + h,
                mid,
                top,
                cy
            ));
            self.place(*c, cx, cy, out, lines);
            cx += self.size(*c).0 + GAP_X;
        }
    }
}

/// Places every person; returns the boxes, the connector paths, and the
/// drawing's width and height.
pub fn layout(people: &[MapPerson]) -> (Vec<(i64, Placed)>, Vec<String>, f64, f64) {
    let ids: HashSet<i64> = people.iter().map(|p| p.id).collect();
    let mut children: HashMap<i64, Vec<i64>> = HashMap::new();
    let mut roots = Vec::new();
    // A boss outside the map, or a loop (refused on entry, but old data may
    // hold one), makes a person a root.
    let boss: HashMap<i64, Option<i64>> = people.iter().map(|p| (p.id, p.reports_to)).collect();
    let looped = super::looped_people(&boss);
    let above = |id: i64| match boss.get(&id).copied().flatten() {
        Some(b) if ids.contains(&b) && b != id && !looped.contains(&id) => Some(b),
        _ => None,
    };
    // Each person's level under their top boss, each chain walked once. A
    // chain deeper than MAX_LEVELS starts again as a tree of its own.
    let mut level: HashMap<i64, usize> = HashMap::with_capacity(people.len());
    for p in people {
        let mut path = Vec::new();
        let mut at = p.id;
        let top = loop {
            if let Some(&l) = level.get(&at) {
                break Some(l);
            }
            path.push(at);
            match above(at) {
                Some(b) => at = b,
                None => break None,
            }
        };
        let first = top.map_or(0, |l| l + 1);
        for (i, id) in path.iter().rev().enumerate() {
            level.insert(*id, first + i);
        }
    }
    for p in people {
        match above(p.id) {
            Some(b) if level.get(&p.id).is_some_and(|l| l % MAX_LEVELS != 0) => {
                children.entry(b).or_default().push(p.id)
            }
            _ => roots.push(p.id),
        }
    }
    let tree = Tree {
        people: people.iter().map(|p| (p.id, p)).collect(),
        children,
        sizes: Default::default(),
    };
    let mut out = Vec::new();
    let mut lines = Vec::new();
    let (mut x, mut y, mut row_h, mut width) = (MARGIN, MARGIN + LEGEND_H, 0.0_f64, 0.0_f64);
    for r in roots {
        let (w, h) = tree.size(r);
        if x > MARGIN && x + w > MAX_W {
            x = MARGIN;
            y += row_h + GAP_Y;
            row_h = 0.0;
        }
        tree.place(r, x, y, &mut out, &mut lines);
        x += w + GAP_X * 2.0;
        width = width.max(x - GAP_X * 2.0 + MARGIN);
        row_h = row_h.max(h);
    }
    let height = if out.is_empty() {
        y + MARGIN
    } else {
        y + row_h + MARGIN
    };
    (out, lines, width.max(MAX_W.min(640.0)), height)
}

fn clip(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_owned()
    } else {
        let mut t: String = s.chars().take(max.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

/// The map as a standalone SVG document.
pub fn svg(people: &[MapPerson], l: &MapLabels) -> String {
    let (placed, lines, w, h) = layout(people);
    let by_id: HashMap<i64, &MapPerson> = people.iter().map(|p| (p.id, p)).collect();
    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w:.0} {h:.0}\" width=\"{w:.0}\" height=\"{h:.0}\" \
role=\"img\" aria-labelledby=\"map-title\" font-family=\"system-ui, sans-serif\" font-size=\"12\">\
<title id=\"map-title\">{}</title><rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>",
        escape_xml(&l.title)
    );
    // Legend: attitude colours with their names.
    let mut lx = MARGIN;
    for (i, name) in l.attitudes.iter().enumerate() {
        let a = [
            Attitude::Champion,
            Attitude::Supporter,
            Attitude::Neutral,
            Attitude::Sceptic,
            Attitude::Opponent,
        ][i];
        let (stroke, fill) = colours(Some(a));
        s.push_str(&format!(
            "<rect x=\"{lx:.0}\" y=\"{:.0}\" width=\"14\" height=\"14\" rx=\"3\" fill=\"{fill}\" stroke=\"{stroke}\" stroke-width=\"3\"/>\
<text x=\"{:.0}\" y=\"{:.0}\">{}</text>",
            MARGIN,
            lx + 20.0,
            MARGIN + 11.0,
            escape_xml(name)
        ));
        lx += 28.0 + 7.0 * name.chars().count() as f64;
    }
    s.push_str(&format!(
        "<text x=\"{lx:.0}\" y=\"{:.0}\" fill=\"#555\">{} ●●●●● · {}</text>",
        MARGIN + 11.0,
        escape_xml(&l.influence),
        escape_xml(&l.links)
    ));
    for d in &lines {
        s.push_str(&format!(
            "<path d=\"{d}\" fill=\"none\" stroke=\"#9aa3b2\" stroke-width=\"1.2\"/>"
        ));
    }
    for (id, b) in &placed {
        let Some(p) = by_id.get(id) else { continue };
        let (stroke, fill) = colours(p.attitude);
        let width = 1.5 + p.influence.unwrap_or(1).clamp(1, 5) as f64 * 0.5;
        s.push_str(&format!(
            "<g class=\"person\" data-id=\"{id}\"><rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" rx=\"6\" fill=\"{fill}\" stroke=\"{stroke}\" stroke-width=\"{width:.1}\"/>",
            b.x, b.y, b.w, b.h
        ));
        let tx = b.x + 8.0;
        let mut ty = b.y + 17.0;
        let inner = b.w - 16.0;
        // Bold letters are about 8% wider.
        let name = clip(&p.name, 26);
        s.push_str(&format!(
            "<text x=\"{tx:.1}\" y=\"{ty:.1}\" font-weight=\"700\"{}>{}</text>",
            fit(&name, 12.0 * 1.08, inner),
            escape_xml(&name)
        ));
        ty += 14.0;
        let title = clip(&p.title, 30);
        s.push_str(&format!(
            "<text x=\"{tx:.1}\" y=\"{ty:.1}\" fill=\"#333\"{}>{}</text>",
            fit(&title, 12.0, inner),
            escape_xml(&title)
        ));
        ty += 14.0;
        let attitude = p.attitude.map_or(l.unknown.clone(), |a| {
            l.attitudes[attitude_index(a)].clone()
        });
        let dots = p.influence.map_or(String::new(), |i| {
            let i = i.clamp(1, 5) as usize;
            format!(" · {}{}", "●".repeat(i), "○".repeat(5 - i))
        });
        let role = if p.role.is_empty() {
            String::new()
        } else {
            format!("{} · ", p.role)
        };
        // Squeezed into the box when it would run past it (the dots are
        // wide; French words are long).
        let line = clip(&format!("{role}{attitude}{dots}"), 34);
        s.push_str(&format!(
            "<text x=\"{tx:.1}\" y=\"{ty:.1}\" font-size=\"11\"{}>{}</text>",
            fit(&line, 11.0, inner),
            escape_xml(&line)
        ));
        if !p.links.is_empty() {
            ty += 14.0;
            let links: Vec<String> = p.links.iter().map(|(n, st)| format!("{n} {st}")).collect();
            let line = format!("↔ {}", clip(&links.join(", "), 32));
            s.push_str(&format!(
                "<text x=\"{tx:.1}\" y=\"{ty:.1}\" font-size=\"11\" fill=\"#14213d\"{}>{}</text>",
                fit(&line, 11.0, inner),
                escape_xml(&line)
            ));
        }
        s.push_str("</g>");
    }
    s.push_str("</svg>");
    s
}

/// The attributes that squeeze a line into `inner` pixels when it would
/// run past them (none otherwise).
fn fit(line: &str, size: f64, inner: f64) -> String {
    if text_width(line, size) > inner {
        format!(" textLength=\"{inner:.1}\" lengthAdjust=\"spacingAndGlyphs\"")
    } else {
        String::new()
    }
}

/// About how wide a line of text is drawn at `size` pixels in a sans-serif
/// font (within a few percent of what Chromium draws): narrow and wide
/// letters averaged, the influence dots counted wide.
fn text_width(text: &str, size: f64) -> f64 {
    text.chars()
        .map(|c| match c {
            '●' | '○' | 'm' | 'w' | 'M' | 'W' => 0.88,
            'i' | 'l' | 'j' | 't' | 'f' | 'r' | '·' | ' ' | '\'' | '’' | '.' | ',' => 0.34,
            c if c.is_uppercase() => 0.64,
            _ => 0.58,
        })
        .sum::<f64>()
        * size
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(id: i64, boss: Option<i64>) -> MapPerson {
        MapPerson {
            id,
            name: format!("Person {id}"),
            title: "Buyer".into(),
            role: "Influencer".into(),
            reports_to: boss,
            attitude: [None, Some(Attitude::Champion), Some(Attitude::Opponent)][id as usize % 3],
            influence: Some(id % 5 + 1),
            links: if id % 4 == 0 {
                vec![("S. Marchand".into(), 4)]
            } else {
                vec![]
            },
        }
    }

    /// A reporting chain of 20,000 people is drawn in trees of at most
    /// MAX_LEVELS levels, each person once: no chain is too deep to draw.
    #[test]
    fn a_very_long_chain_is_drawn_in_trees_of_bounded_depth() {
        let people: Vec<MapPerson> = (0..20_000)
            .map(|i| person(i, (i > 0).then_some(i - 1)))
            .collect();
        let (placed, lines, _, _) = layout(&people);
        assert_eq!(placed.len(), people.len());
        let mut ids: Vec<i64> = placed.iter().map(|(id, _)| *id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), people.len());
        // One connector per person but each tree's top.
        let trees = people.len().div_ceil(MAX_LEVELS);
        assert_eq!(lines.len(), people.len() - trees);
    }

    fn labels() -> MapLabels {
        MapLabels {
            title: "Map".into(),
            attitudes: ["Champion", "Supporter", "Neutral", "Sceptic", "Opponent"]
                .map(String::from),
            unknown: "Unknown".into(),
            influence: "Influence".into(),
            links: "our links".into(),
        }
    }

    #[test]
    fn a_long_line_is_squeezed_into_its_card_and_a_short_one_is_not() {
        let mut long = person(1, None);
        long.role = "Décideur".into();
        long.attitude = Some(Attitude::Sceptic);
        long.influence = Some(5);
        let mut l = labels();
        l.attitudes[3] = "Sceptique".into();
        let drawn = svg(&[long], &l);
        assert!(
            drawn.contains("lengthAdjust=\"spacingAndGlyphs\">Décideur · Sceptique · ●●●●●<"),
            "{drawn}"
        );
        let mut short = person(1, None);
        short.role = "User".into();
        short.influence = None;
        short.attitude = None;
        let drawn = svg(&[short], &labels());
        assert!(
            drawn.contains(">User · Unknown<") && !drawn.contains("textLength"),
            "{drawn}"
        );
    }

    /// Fifty people: a CEO, five directors, each with managers and teams.
    fn fifty() -> Vec<MapPerson> {
        let mut v = vec![person(1, None)];
        let mut id = 2;
        for _ in 0..5 {
            let dir = id;
            v.push(person(dir, Some(1)));
            id += 1;
            for _ in 0..2 {
                let m = id;
                v.push(person(m, Some(dir)));
                id += 1;
                for _ in 0..2 {
                    v.push(person(id, Some(m)));
                    id += 1;
                }
            }
        }
        while v.len() < 50 {
            v.push(person(id, None));
            id += 1;
        }
        v
    }

    fn overlap(a: &Placed, b: &Placed) -> bool {
        a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h
    }

    #[test]
    fn fifty_people_fit_a_printable_width_without_overlapping() {
        let people = fifty();
        let (placed, _, w, h) = layout(&people);
        assert_eq!(placed.len(), 50);
        assert!(w <= MAX_W + 2.0 * MARGIN, "width {w}");
        assert!(h < 2400.0, "height {h}");
        for (i, (_, a)) in placed.iter().enumerate() {
            for (_, b) in &placed[i + 1..] {
                assert!(!overlap(a, b), "{a:?} overlaps {b:?}");
            }
        }
        let svg = svg(&people, &labels());
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        for p in &people {
            assert!(svg.contains(&format!("data-id=\"{}\"", p.id)));
        }
    }

    #[test]
    fn bosses_sit_above_their_reports_and_loops_do_not_hang() {
        let people = vec![
            person(1, None),
            person(2, Some(1)),
            person(3, Some(2)),
            person(4, Some(3)),
        ];
        let (placed, _, _, _) = layout(&people);
        let y = |id: i64| {
            placed
                .iter()
                .find(|(i, _)| *i == id)
                .map(|(_, b)| b.y)
                .unwrap_or(-1.0)
        };
        assert!(y(1) < y(2) && y(2) < y(3) && y(3) < y(4));
        let looped = vec![person(1, Some(2)), person(2, Some(1)), person(3, Some(3))];
        assert_eq!(layout(&looped).0.len(), 3);
    }

    #[test]
    fn influence_makes_a_box_larger_and_attitude_is_written() {
        let mut a = person(1, None);
        a.influence = Some(1);
        let mut b = a.clone();
        b.influence = Some(5);
        assert!(box_h(&b) > box_h(&a));
        b.attitude = Some(Attitude::Opponent);
        let s = svg(&[b], &labels());
        assert!(s.contains("Opponent · ●●●●●"), "{s}");
        assert!(s.contains("#c62828"));
    }
}
