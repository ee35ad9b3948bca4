//! Every template of a workspace, indexed so near-identical messages across files can be found: word
//! 3-shingles with placeholders normalised, MinHash signatures, and banded locality-sensitive hashing.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

use crate::model::{Message, Template};

const HASHES: usize = 32;
const BANDS: usize = 8;
const ROWS: usize = HASHES / BANDS;
/// Messages shorter than this (in shingles) are too short to call duplicates.
pub const MIN_SHINGLES: usize = 8;
/// Jaccard similarity from which two messages are "nearly the same".
pub const THRESHOLD: f64 = 0.8;

#[derive(Debug, Clone)]
pub struct IndexedMessage {
    pub path: PathBuf,
    /// 1-based line of the message's anchor (heading or first line).
    pub line: usize,
    pub label: String,
    shingles: Vec<u64>,
}

#[derive(Debug, Default)]
pub struct WorkspaceIndex {
    messages: Vec<IndexedMessage>,
    /// Messages with the same shingles share a group, so copies of one text cost one comparison.
    groups: Vec<Group>,
    /// (band, band hash) -> groups.
    buckets: HashMap<(usize, u64), Vec<usize>>,
    /// Hash of a whole shingle list -> the groups with that hash (exact copies are found directly).
    by_shingles: HashMap<u64, Vec<usize>>,
}

#[derive(Debug, Default)]
struct Group {
    /// Indices into `messages`, in the order files were given.
    members: Vec<usize>,
}

fn hash_one(x: impl Hash) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    x.hash(&mut h);
    h.finish()
}

/// The message's words, lowercased, with each placeholder as one `{}` word; hashed 3-shingles, sorted.
pub fn shingles(t: &Template<'_>, m: &Message) -> Vec<u64> {
    let mut words: Vec<String> = Vec::new();
    let span = m.subject_line.as_ref().map_or(m.content.start, |s| s.start)..m.content.end;
    let phs = t.placeholders_of(m);
    let prose = &t.prose[span.clone()];
    let mut current = String::new();
    let mut next_ph = 0;
    let mut i = 0;
    let bytes = prose.as_bytes();
    while i < prose.len() {
        let at = span.start + i;
        while next_ph < phs.len() && phs[next_ph].span.start < at {
            next_ph += 1;
        }
        if let Some(p) = phs.get(next_ph).filter(|p| p.span.start == at) {
            if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            words.push("{}".into());
            i = p.span.end - span.start;
            continue;
        }
        let c = prose[i..].chars().next().unwrap_or(' ');
        if c.is_alphanumeric() {
            current.extend(c.to_lowercase());
        } else if !current.is_empty() && c != '\'' && c != '’' {
            words.push(std::mem::take(&mut current));
        }
        i += c.len_utf8().max(1);
        let _ = bytes;
    }
    if !current.is_empty() {
        words.push(current);
    }
    let mut out: Vec<u64> = words.windows(3).map(hash_one).collect();
    out.sort_unstable();
    out.dedup();
    out
}

fn signature(shingles: &[u64]) -> [u64; HASHES] {
    let mut sig = [u64::MAX; HASHES];
    for &s in shingles {
        for (k, slot) in sig.iter_mut().enumerate() {
            // A family of cheap hash functions: multiply-xorshift with a per-k odd constant.
            let mut x = s ^ (k as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
            x = x.wrapping_mul(0xBF58_476D_1CE4_E5B9 | 1);
            x ^= x >> 31;
            x = x.wrapping_mul(0x94D0_49BB_1331_11EB);
            x ^= x >> 29;
            *slot = (*slot).min(x);
        }
    }
    sig
}

/// Jaccard similarity of two sorted, deduplicated shingle lists (a merge, no hashing).
fn jaccard(a: &[u64], b: &[u64]) -> f64 {
    let (mut i, mut j, mut inter) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                inter += 1;
                i += 1;
                j += 1;
            }
        }
    }
    let union = a.len() + b.len() - inter;
    if union == 0 {
        0.0
    } else {
        inter as f64 / union as f64
    }
}

fn bands(sig: &[u64; HASHES]) -> impl Iterator<Item = (usize, u64)> + '_ {
    (0..BANDS).map(move |b| (b, hash_one(&sig[b * ROWS..(b + 1) * ROWS])))
}

impl WorkspaceIndex {
    /// Indexes the messages of the given templates (path, text).
    pub fn build(files: &[(PathBuf, String)]) -> WorkspaceIndex {
        use rayon::prelude::*;
        // Parse and shingle in parallel; bucket in file order.
        let per_file: Vec<Vec<(IndexedMessage, [u64; HASHES])>> = files
            .par_iter()
            .map(|(path, text)| {
                let t = Template::parse(text);
                t.messages
                    .iter()
                    .filter_map(|m| {
                        let sh = shingles(&t, m);
                        (sh.len() >= MIN_SHINGLES).then(|| {
                            let sig = signature(&sh);
                            let msg = IndexedMessage {
                                path: path.clone(),
                                line: t.lines.line_of(m.anchor.start) + 1,
                                label: m.label(text),
                                shingles: sh,
                            };
                            (msg, sig)
                        })
                    })
                    .collect()
            })
            .collect();
        let mut index = WorkspaceIndex::default();
        for (msg, sig) in per_file.into_iter().flatten() {
            let id = index.messages.len();
            match index.group_of(&msg.shingles) {
                Some(g) => index.groups[g].members.push(id),
                None => {
                    let g = index.groups.len();
                    index.groups.push(Group { members: vec![id] });
                    let key = hash_one(&msg.shingles);
                    index.by_shingles.entry(key).or_default().push(g);
                    for key in bands(&sig) {
                        index.buckets.entry(key).or_default().push(g);
                    }
                }
            }
            index.messages.push(msg);
        }
        index
    }

    /// The group of messages with exactly these shingles.
    fn group_of(&self, shingles: &[u64]) -> Option<usize> {
        self.by_shingles
            .get(&hash_one(shingles))?
            .iter()
            .copied()
            .find(|&g| self.messages[self.groups[g].members[0]].shingles == shingles)
    }

    pub fn len(&self) -> usize {
        self.messages.len()
    }

    pub fn is_empty(&self) -> bool {
        self.messages.is_empty()
    }

    /// The most similar message in another file, when it is nearly the same.
    pub fn most_similar(
        &self,
        path: Option<&Path>,
        shingles: &[u64],
    ) -> Option<(&IndexedMessage, f64)> {
        if shingles.len() < MIN_SHINGLES {
            return None;
        }
        let in_other_file = |group: &Group| {
            group
                .members
                .iter()
                .map(|&i| &self.messages[i])
                .find(|m| path.is_none_or(|p| m.path.as_os_str() != p.as_os_str()))
        };
        // The same text elsewhere: nothing is more similar (and it is the common case in a workspace
        // of copied templates).
        let exact = self
            .by_shingles
            .get(&hash_one(shingles))
            .and_then(|groups| {
                groups
                    .iter()
                    .map(|&g| &self.groups[g])
                    .find(|g| self.messages[g.members[0]].shingles == shingles)
            });
        if let Some(other) = exact.and_then(in_other_file) {
            return Some((other, 1.0));
        }
        let sig = signature(shingles);
        // Candidates in index order (the order files were given), so ties name the first file.
        // Jaccard is at most the ratio of the sizes: groups whose size rules them out are dropped
        // before sorting (look-alike templates fill the same buckets with thousands of them).
        let size_bound =
            |theirs: usize| shingles.len().min(theirs) as f64 / shingles.len().max(theirs) as f64;
        let mut candidates: Vec<usize> = bands(&sig)
            .flat_map(|key| self.buckets.get(&key).into_iter().flatten().copied())
            .filter(|&g| {
                size_bound(self.messages[self.groups[g].members[0]].shingles.len()) >= THRESHOLD
            })
            .collect();
        candidates.sort_unstable();
        candidates.dedup();
        let mut best: Option<(&IndexedMessage, f64)> = None;
        for g in candidates {
            let group = &self.groups[g];
            let theirs = &self.messages[group.members[0]].shingles;
            if best.is_some_and(|(_, bs)| size_bound(theirs.len()) <= bs) {
                continue;
            }
            let s = jaccard(shingles, theirs);
            if s < THRESHOLD || best.is_some_and(|(_, bs)| s <= bs) {
                continue;
            }
            // The first copy of that text in another file.
            if let Some(other) = in_other_file(group) {
                best = Some((other, s));
                if s >= 1.0 {
                    break; // nothing is more similar than the same text
                }
            }
        }
        best
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_near_duplicates_across_files_only() {
        let a = "Hi {{first_name}}, I noticed we're both in the data engineering group and I'd love to hear how your team handles streaming pipelines at scale.\n";
        let b = "Hello {{first_name}}, I noticed we're both in the data engineering group and I'd love to hear how your team handles streaming pipelines at scale!\n";
        let c = "Hi {{first_name}}, congratulations on the new role at {{company}}; I'd love to hear what drew you to logistics after years in retail banking.\n";
        let files = vec![
            (PathBuf::from("a.outreach.md"), a.to_string()),
            (PathBuf::from("b.outreach.md"), b.to_string()),
            (PathBuf::from("c.outreach.md"), c.to_string()),
        ];
        let index = WorkspaceIndex::build(&files);
        assert_eq!(index.len(), 3);
        let t = Template::parse(a);
        let sh = shingles(&t, &t.messages[0]);
        let (other, s) = index
            .most_similar(Some(Path::new("a.outreach.md")), &sh)
            .unwrap();
        assert_eq!(other.path, PathBuf::from("b.outreach.md"));
        assert!(s >= THRESHOLD);
        let t = Template::parse(c);
        let sh = shingles(&t, &t.messages[0]);
        assert!(index
            .most_similar(Some(Path::new("c.outreach.md")), &sh)
            .is_none());
    }
}
