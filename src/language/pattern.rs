//! A small pattern language over words, so rules declare what they look for as data:
//!
//! | element | matches |
//! |---|---|
//! | `post` | a word with the stem of "post" (post, posts, posted) |
//! | `post\|article\|talk` | any of these |
//! | `recent?` | the word, or nothing |
//! | `..2` | up to two words of any kind |
//! | `#` | a number |
//! | `@name`, `@recipient`, `@common`, `@reason`, `@slot` | a placeholder or stand-in of that kind (`@slot`: any) |
//! | `(i'm\|i am\|we are)` | any of these word sequences (each may use the elements above); `(…)?` also nothing |
//!
//! "your ..2 post|article|talk" finds "your post", "your recent post" and "your talk at DevFest". A
//! pattern matches inside one sentence. Every pattern of every question compiles into one `Patterns`,
//! which looks up the candidates for each word by its stem, so a message's words are read once however
//! many patterns there are.

use std::ops::Range;

use super::{raw_stem_id, stem, Form, Slot, StemId, Words};

#[derive(Debug, Clone, PartialEq, Eq)]
enum Element {
    /// Any of these stems (or slots).
    Any(Vec<Atom>),
    Optional(Vec<Atom>),
    /// Up to this many words.
    Gap(usize),
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Atom {
    Stem(StemId),
    Number,
    Slot(Option<Slot>),
}

impl Atom {
    fn parse(s: &str) -> Result<Atom, String> {
        Ok(match s {
            "#" => Atom::Number,
            "@slot" => Atom::Slot(None),
            "@name" => Atom::Slot(Some(Slot::Name)),
            "@recipient" => Atom::Slot(Some(Slot::Recipient)),
            "@common" => Atom::Slot(Some(Slot::CommonGround)),
            "@reason" => Atom::Slot(Some(Slot::Reason)),
            _ if s.starts_with('@') => return Err(format!("unknown slot `{s}`")),
            _ if s.is_empty() => return Err("an empty alternative".into()),
            _ => Atom::Stem(raw_stem_id(&stem(s))),
        })
    }

    /// The atoms one alternative stands for. A word is matched by its stem; a word written already
    /// stemmed ("onli", "compani") also matches itself, since stemming a stem can shorten it again
    /// ("onli" -> "on").
    fn parse_all(s: &str) -> Result<Vec<Atom>, String> {
        let atom = Atom::parse(s)?;
        let raw = s.to_lowercase().replace(['’', '‘'], "'");
        Ok(match &atom {
            Atom::Stem(_) if stem(s) != raw => vec![atom.clone(), Atom::Stem(raw_stem_id(&raw))],
            _ => vec![atom],
        })
    }

    fn matches(&self, form: &Form) -> bool {
        match (self, form) {
            (Atom::Stem(a), Form::Word(b)) => a == b,
            (Atom::Number, Form::Number) => true,
            (Atom::Slot(None), Form::Slot(_)) => true,
            (Atom::Slot(Some(a)), Form::Slot(b)) => a == b,
            _ => false,
        }
    }
}

/// A pattern's alternatives: a group `(a b|c)` stands for several word sequences, so a pattern with
/// groups is the patterns it expands to (every combination), each matched like any other.
fn expand(pattern: &str) -> Result<Vec<Vec<Element>>, String> {
    let mut out: Vec<Vec<Element>> = vec![Vec::new()];
    let mut rest = pattern.trim();
    while !rest.is_empty() {
        let (choices, tail): (Vec<Vec<Element>>, &str) = if let Some(inner) = rest.strip_prefix('(')
        {
            let close = inner
                .find(')')
                .ok_or_else(|| format!("`{pattern}`: a group `(` is not closed"))?;
            let (body, after) = (&inner[..close], &inner[close + 1..]);
            let (optional, after) = match after.strip_prefix('?') {
                Some(a) => (true, a),
                None => (false, after),
            };
            if !after.is_empty() && !after.starts_with(char::is_whitespace) {
                return Err(format!("`{pattern}`: a group ends before a space"));
            }
            let mut choices = body
                .split('|')
                .map(|alt| parse_sequence(alt, pattern))
                .collect::<Result<Vec<_>, _>>()?;
            if optional {
                choices.push(Vec::new());
            }
            (choices, after)
        } else {
            let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
            (vec![parse_sequence(&rest[..end], pattern)?], &rest[end..])
        };
        out = out
            .iter()
            .flat_map(|prefix| {
                choices.iter().map(move |c| {
                    let mut p = prefix.clone();
                    p.extend(c.iter().cloned());
                    p
                })
            })
            .collect();
        rest = tail.trim_start();
    }
    for elements in &out {
        match elements.first() {
            None => return Err("an empty pattern".into()),
            Some(Element::Any(_)) => {}
            Some(_) => {
                return Err(format!(
                    "`{pattern}`: a pattern starts with a word, a number or a slot"
                ))
            }
        }
    }
    Ok(out)
}

/// The elements of a sequence without groups.
fn parse_sequence(text: &str, pattern: &str) -> Result<Vec<Element>, String> {
    if text.trim().is_empty() {
        return Err(format!("`{pattern}`: an empty alternative"));
    }
    parse(text)
}

fn parse(pattern: &str) -> Result<Vec<Element>, String> {
    let mut elements = Vec::new();
    for part in pattern.split_whitespace() {
        if let Some(n) = part.strip_prefix("..") {
            let n = n
                .parse::<usize>()
                .map_err(|_| format!("`{part}`: a gap is `..N`"))?;
            elements.push(Element::Gap(n.min(8)));
            continue;
        }
        let (body, optional) = match part.strip_suffix('?') {
            Some(b) => (b, true),
            None => (part, false),
        };
        let atoms = body
            .split('|')
            .map(Atom::parse_all)
            .collect::<Result<Vec<_>, _>>()?
            .concat();
        elements.push(if optional {
            Element::Optional(atoms)
        } else {
            Element::Any(atoms)
        });
    }
    Ok(elements)
}

/// Tries `elements` at word `at`; the end (exclusive) of the longest match, staying before `end`.
fn match_at(elements: &[Element], words: &Words, at: usize, end: usize) -> Option<usize> {
    let Some((first, rest)) = elements.split_first() else {
        return Some(at);
    };
    let one = |atoms: &[Atom]| {
        (at < end && atoms.iter().any(|a| a.matches(&words.words[at].form)))
            .then(|| match_at(rest, words, at + 1, end))
            .flatten()
    };
    match first {
        Element::Any(atoms) => one(atoms),
        Element::Optional(atoms) => one(atoms).or_else(|| match_at(rest, words, at, end)),
        Element::Gap(n) => (0..=*n)
            .take_while(|k| at + k <= end)
            .find_map(|k| match_at(rest, words, at + k, end)),
    }
}

/// Every pattern of a question set, compiled once.
pub struct Patterns<T> {
    patterns: Vec<(Vec<Element>, T)>,
    /// Patterns whose first element can be the stem of this id (indexed by `StemId`, looked up once
    /// per word; the stems of patterns are entered in the table early, so it stays short).
    by_first_stem: Vec<Vec<usize>>,
    /// Patterns that start with a number or a slot: tried only at numbers and slots.
    others: Vec<usize>,
}

/// One match: what it stands for, its byte span and its sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Match<T> {
    pub tag: T,
    pub span: Range<usize>,
    pub sentence: usize,
}

impl<T: Copy> Patterns<T> {
    /// Compiles `(pattern, tag)` pairs; a malformed pattern is a bug in the built-in data, so this
    /// panics with the pattern and why (the tests compile every set).
    pub fn new(source: &[(&str, T)]) -> Patterns<T> {
        let mut patterns = Vec::new();
        let mut by_first_stem: Vec<Vec<usize>> = Vec::new();
        let mut others = Vec::new();
        for (text, tag) in source {
            let expanded = expand(text).unwrap_or_else(|e| panic!("pattern `{text}`: {e}"));
            for elements in expanded {
                let i = patterns.len();
                if let Element::Any(atoms) = &elements[0] {
                    for a in atoms {
                        match a {
                            Atom::Stem(s) => {
                                let at = s.index();
                                if by_first_stem.len() <= at {
                                    by_first_stem.resize_with(at + 1, Vec::new);
                                }
                                let list = &mut by_first_stem[at];
                                if !list.contains(&i) {
                                    list.push(i)
                                }
                            }
                            _ => {
                                if !others.contains(&i) {
                                    others.push(i)
                                }
                            }
                        }
                    }
                }
                patterns.push((elements, *tag));
            }
        }
        Patterns {
            patterns,
            by_first_stem,
            others,
        }
    }

    /// Every match in `words`, leftmost first; at one word, the longest match of each pattern.
    pub fn find(&self, words: &Words) -> Vec<Match<T>> {
        let mut out = Vec::new();
        for (at, w) in words.words.iter().enumerate() {
            // Patterns found by the word's stem already match their first element there: matching
            // starts at the second. Numbers and slots try the patterns that start with one.
            let (candidates, first_matched): (&[usize], bool) = match &w.form {
                Form::Word(s) => match self.by_first_stem.get(s.index()) {
                    Some(c) if !c.is_empty() => (c, true),
                    _ => continue,
                },
                _ => (&self.others, false),
            };
            let end = words.sentences[w.sentence].words.end;
            for &p in candidates {
                let (elements, tag) = &self.patterns[p];
                let stop = if first_matched {
                    match_at(&elements[1..], words, at + 1, end)
                } else {
                    match_at(elements, words, at, end)
                };
                if let Some(stop) = stop {
                    if stop > at {
                        out.push(Match {
                            tag: *tag,
                            span: w.span.start..words.words[stop - 1].span.end,
                            sentence: w.sentence,
                        });
                    }
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(patterns: &[&str], text: &str) -> Vec<String> {
        let p = Patterns::new(&patterns.iter().map(|p| (*p, ())).collect::<Vec<_>>());
        let w = Words::read(text, 0..text.len(), &[]);
        p.find(&w)
            .into_iter()
            .map(|m| text[m.span].to_string())
            .collect()
    }

    #[test]
    fn words_alternatives_gaps_and_optionals() {
        let p = ["your ..2 post|article|talk"];
        assert_eq!(found(&p, "I loved your recent post!"), ["your recent post"]);
        assert_eq!(found(&p, "I loved your posts."), ["your posts"]);
        assert_eq!(found(&p, "your talk at DevFest"), ["your talk"]);
        assert!(
            found(&p, "your team. Post soon").is_empty(),
            "not across sentences"
        );
        assert!(found(&p, "your very long and winding article").is_empty());
        assert_eq!(
            found(&["we specialize|specialise in"], "We specialise in roofs"),
            ["We specialise in"]
        );
        assert_eq!(
            found(&["only # spot|place|seat"], "Only 3 spots left"),
            ["Only 3 spots"]
        );
        // Written as a stem: still found, although stemming "onli" again gives "on".
        assert_eq!(
            found(&["onli # spot|place|seat"], "Only 3 spots left"),
            ["Only 3 spots"]
        );
        assert_eq!(
            found(&["a free? demo"], "a free demo or a demo"),
            ["a free demo", "a demo"]
        );
    }

    #[test]
    fn slots() {
        let text = "I saw {{event}} too";
        let w = Words::read(text, 0..text.len(), &[(6..15, Slot::CommonGround)]);
        let p = Patterns::new(&[("saw @common", 1), ("saw @name", 2)]);
        let tags: Vec<i32> = p.find(&w).into_iter().map(|m| m.tag).collect();
        assert_eq!(tags, [1]);
    }

    #[test]
    fn groups_are_alternative_word_sequences() {
        let p = ["(i'm|i am|we are) also ..2 in", "(worth|open to) ..2 call"];
        assert_eq!(found(&p, "I'm also in fleet analytics"), ["I'm also in"]);
        assert_eq!(found(&p, "I am also in retail"), ["I am also in"]);
        assert!(found(&p, "I also in retail").is_empty());
        assert_eq!(found(&p, "Open to a quick call?"), ["Open to a quick call"]);
        assert_eq!(found(&p, "Worth a call?"), ["Worth a call"]);
        assert!(
            found(&p, "Open a call").is_empty(),
            "`to` is part of the alternative"
        );
        assert_eq!(
            found(
                &["free (beta|trial)? access"],
                "free access, free beta access"
            ),
            ["free access", "free beta access"]
        );
    }

    #[test]
    #[should_panic(expected = "not closed")]
    fn an_unclosed_group_is_refused() {
        Patterns::new(&[("(open to call", ())]);
    }

    #[test]
    #[should_panic(expected = "starts with a word")]
    fn a_pattern_cannot_start_with_a_gap() {
        Patterns::new(&[("..2 post", ())]);
    }
}
