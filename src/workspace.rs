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
    /// The group of messages with the same shingles.
    group: usize,
}

/// Indexed one file at a time: a watched file that changes replaces its own messages only. Cloned
/// (copy on write) only when a lint still holds the previous version.
#[derive(Debug, Default, Clone)]
pub struct WorkspaceIndex {
    /// Message slots; None for a message of a file since removed (slots are reused).
    messages: Vec<Option<IndexedMessage>>,
    free: Vec<usize>,
    live: usize,
    /// Messages with the same shingles share a group, so copies of one text cost one comparison.
    /// Groups are never renumbered: an emptied one stays, and is reused if its text comes back.
    groups: Vec<Group>,
    empty_groups: usize,
    /// (band, band hash) -> groups.
    buckets: HashMap<(usize, u64), Vec<usize>>,
    /// Hash of a whole shingle list -> the groups with that hash (exact copies are found directly).
    by_shingles: HashMap<u64, Vec<usize>>,
    /// The message slots of each file.
    by_file: HashMap<PathBuf, Vec<usize>>,
}

#[derive(Debug, Default, Clone)]
struct Group {
    shingles: Vec<u64>,
    /// Indices into `messages`, ordered by (path, line), so the first copy in another file does not
    /// depend on the order files were indexed in.
    members: Vec<usize>,
}

/// A message of a file, analysed before it joins the index.
struct Analysed {
    line: usize,
    label: String,
    shingles: Vec<u64>,
    signature: [u64; HASHES],
}

fn hash_one(x: impl Hash) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    x.hash(&mut h);
    h.finish()
}

/// The message's words, lowercased, with each placeholder as one `{}` word; hashed 3-shingles, sorted.
pub fn shingles(t: &Template<'_>, m: &Message) -> Vec<u64> {
    let mut words: Vec<String> = Vec::new();
    let span = m.sent_span();
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

/// The messages of one template long enough to compare.
fn analyse(text: &str) -> Vec<Analysed> {
    let t = Template::parse(text);
    t.messages
        .iter()
        .filter_map(|m| {
            let sh = shingles(&t, m);
            (sh.len() >= MIN_SHINGLES).then(|| Analysed {
                line: t.lines.line_of(m.anchor.start) + 1,
                label: m.label(text),
                signature: signature(&sh),
                shingles: sh,
            })
        })
        .collect()
}

impl WorkspaceIndex {
    /// Indexes the messages of the given templates (path, text).
    pub fn build(files: &[(PathBuf, String)]) -> WorkspaceIndex {
        use rayon::prelude::*;
        // Parse and shingle in parallel; add in file order.
        let per_file: Vec<Vec<Analysed>> = files.par_iter().map(|(_, t)| analyse(t)).collect();
        let mut index = WorkspaceIndex::default();
        for ((path, _), messages) in files.iter().zip(per_file) {
            index.add(path, messages);
        }
        index
    }

    /// Replaces the messages of one file (None: it is no longer a template). Costs that file's
    /// size, not the workspace's.
    pub fn update_file(&mut self, path: &Path, text: Option<&str>) {
        self.remove_file(path);
        if let Some(text) = text {
            self.add(path, analyse(text));
        }
        // Emptied groups are kept for reuse; when they outnumber the rest, start afresh from the
        // messages still indexed (no file is parsed again).
        if self.empty_groups > 1024 && self.empty_groups > self.groups.len() / 2 {
            self.compact();
        }
    }

    fn remove_file(&mut self, path: &Path) {
        for id in self.by_file.remove(path).unwrap_or_default() {
            if let Some(m) = self.messages[id].take() {
                let group = &mut self.groups[m.group];
                group.members.retain(|&x| x != id);
                if group.members.is_empty() {
                    self.empty_groups += 1;
                }
                self.free.push(id);
                self.live -= 1;
            }
        }
    }

    fn add(&mut self, path: &Path, messages: Vec<Analysed>) {
        if messages.is_empty() {
            return;
        }
        let path = path.to_path_buf();
        let mut ids = Vec::with_capacity(messages.len());
        for a in messages {
            let group = match self.group_of(&a.shingles) {
                Some(g) => {
                    if self.groups[g].members.is_empty() {
                        self.empty_groups -= 1;
                    }
                    g
                }
                None => {
                    let g = self.groups.len();
                    self.by_shingles
                        .entry(hash_one(&a.shingles))
                        .or_default()
                        .push(g);
                    for key in bands(&a.signature) {
                        self.buckets.entry(key).or_default().push(g);
                    }
                    self.groups.push(Group {
                        shingles: a.shingles,
                        members: Vec::new(),
                    });
                    g
                }
            };
            let msg = IndexedMessage {
                path: path.clone(),
                line: a.line,
                label: a.label,
                group,
            };
            let id = match self.free.pop() {
                Some(id) => {
                    self.messages[id] = Some(msg);
                    id
                }
                None => {
                    self.messages.push(Some(msg));
                    self.messages.len() - 1
                }
            };
            let key = |i: usize| self.messages[i].as_ref().map(|m| (&m.path, m.line));
            let at = self.groups[group]
                .members
                .partition_point(|&i| key(i) < key(id));
            self.groups[group].members.insert(at, id);
            self.live += 1;
            ids.push(id);
        }
        self.by_file.entry(path).or_default().extend(ids);
    }

    /// Rebuilds the groups and buckets from the indexed messages.
    fn compact(&mut self) {
        let mut by_file: Vec<(PathBuf, Vec<usize>)> =
            std::mem::take(&mut self.by_file).into_iter().collect();
        by_file.sort();
        let old = std::mem::take(self);
        for (path, ids) in by_file {
            let messages = ids
                .into_iter()
                .filter_map(|id| old.messages[id].as_ref())
                .map(|m| {
                    let shingles = old.groups[m.group].shingles.clone();
                    Analysed {
                        line: m.line,
                        label: m.label.clone(),
                        signature: signature(&shingles),
                        shingles,
                    }
                })
                .collect();
            self.add(&path, messages);
        }
    }

    /// The group of messages with exactly these shingles.
    fn group_of(&self, shingles: &[u64]) -> Option<usize> {
        self.by_shingles
            .get(&hash_one(shingles))?
            .iter()
            .copied()
            .find(|&g| self.groups[g].shingles == shingles)
    }

    pub fn len(&self) -> usize {
        self.live
    }

    pub fn is_empty(&self) -> bool {
        self.live == 0
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
                .filter_map(|&i| self.messages[i].as_ref())
                .find(|m| path.is_none_or(|p| m.path.as_os_str() != p.as_os_str()))
        };
        // The same text elsewhere: nothing is more similar (and it is the common case in a workspace
        // of copied templates).
        if let Some(other) = self
            .group_of(shingles)
            .and_then(|g| in_other_file(&self.groups[g]))
        {
            return Some((other, 1.0));
        }
        let sig = signature(shingles);
        // Jaccard is at most the ratio of the sizes: groups whose size rules them out are dropped
        // before sorting (look-alike templates fill the same buckets with thousands of them).
        let size_bound =
            |theirs: usize| shingles.len().min(theirs) as f64 / shingles.len().max(theirs) as f64;
        let mut candidates: Vec<usize> = bands(&sig)
            .flat_map(|key| self.buckets.get(&key).into_iter().flatten().copied())
            .filter(|&g| {
                let group = &self.groups[g];
                !group.members.is_empty() && size_bound(group.shingles.len()) >= THRESHOLD
            })
            .collect();
        candidates.sort_unstable();
        candidates.dedup();
        // Ties name the earliest file and line, whatever order files were indexed in.
        let earlier =
            |a: &IndexedMessage, b: &IndexedMessage| (&a.path, a.line) < (&b.path, b.line);
        let mut best: Option<(&IndexedMessage, f64)> = None;
        for g in candidates {
            let group = &self.groups[g];
            let theirs = &group.shingles;
            if best.is_some_and(|(_, bs)| size_bound(theirs.len()) < bs) {
                continue;
            }
            let s = jaccard(shingles, theirs);
            if s < THRESHOLD || best.is_some_and(|(_, bs)| s < bs) {
                continue;
            }
            // The first copy of that text in another file.
            if let Some(other) = in_other_file(group) {
                if best.is_none_or(|(b, bs)| s > bs || earlier(other, b)) {
                    best = Some((other, s));
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

    #[test]
    fn updating_one_file_answers_like_a_rebuild() {
        let texts = [
            "Hi {{first_name}}, I noticed we're both in the data engineering group and I'd love to hear how your team handles streaming pipelines at scale.\n",
            "Hello {{first_name}}, I noticed we're both in the data engineering group and I'd love to hear how your team handles streaming pipelines at scale!\n",
            "Hi {{first_name}}, congratulations on the new role at {{company}}; I'd love to hear what drew you to logistics after years in retail banking.\n",
            "Hey {{first_name}}, congratulations on the new role at {{company}}; I'd love to hear what drew you to logistics after years in retail banking!\n",
        ];
        let file = |i: usize, t: &str| (PathBuf::from(format!("{i}.outreach.md")), t.to_string());
        let mut index =
            WorkspaceIndex::build(&[file(0, texts[0]), file(1, texts[1]), file(2, texts[2])]);
        // 1 becomes a copy of 3's text, 2 disappears, 3 appears, 0 is rewritten and back again.
        index.update_file(Path::new("1.outreach.md"), Some(texts[3]));
        index.update_file(Path::new("2.outreach.md"), None);
        index.update_file(Path::new("3.outreach.md"), Some(texts[2]));
        index.update_file(Path::new("0.outreach.md"), Some(texts[2]));
        index.update_file(Path::new("0.outreach.md"), Some(texts[0]));
        let rebuilt =
            WorkspaceIndex::build(&[file(0, texts[0]), file(1, texts[3]), file(3, texts[2])]);
        assert_eq!(index.len(), rebuilt.len());
        for (i, t) in texts.iter().enumerate() {
            let parsed = Template::parse(t);
            let sh = shingles(&parsed, &parsed.messages[0]);
            let path = PathBuf::from(format!("{i}.outreach.md"));
            let answer = |x: &WorkspaceIndex| {
                x.most_similar(Some(&path), &sh)
                    .map(|(m, s)| (m.path.clone(), m.line, (s * 1000.0).round()))
            };
            assert_eq!(answer(&index), answer(&rebuilt), "text {i}");
        }
    }
}
