//! The one way the program opens a file (templates, `.outreach.toml`, contact lists, watched files,
//! pulled diagnostics): resolve the path, refuse what is outside the allowed folders or is not a
//! regular file, check the size from the metadata, and read at most the limit plus one byte.
//!
//! Files are opened with `O_NONBLOCK` and checked on the open handle, so a FIFO is refused instead of
//! blocking the open, and a path swapped for a device between the check and the read is still caught.
//! Every function here blocks: the server calls them on the blocking pool, never on an async worker.

use std::fmt;
use std::fs::File;
use std::io::{Read, Seek};
use std::path::{Path, PathBuf};

/// Largest `.outreach.toml` read.
pub const CONFIG_LIMIT: u64 = 1 << 20;
/// Largest contact list read (a CSV of a few hundred thousand contacts).
pub const CONTACTS_LIMIT: u64 = 64 << 20;
/// How much of an over-limit template is read: enough to tell whether it is a template (front
/// matter) and to show its first line in the `file-too-large` finding.
pub const HEAD_LIMIT: usize = 16 * 1024;

/// Where a file may be.
#[derive(Clone, Copy, Debug)]
pub enum Allowed<'a> {
    /// Anywhere: the user named it (on the command line, or in a file they asked us to check).
    Named,
    /// Inside one of these folders (canonical paths), after symlinks and `..` are resolved.
    Within(&'a [PathBuf]),
}

impl Allowed<'_> {
    pub fn admits(&self, canonical: &Path) -> bool {
        match self {
            Allowed::Named => true,
            Allowed::Within(roots) => roots.iter().any(|r| canonical.starts_with(r)),
        }
    }
}

/// Why a file was not read; `Display` is a one-line message naming the path as it was given.
#[derive(Debug)]
pub enum ReadError {
    Open(PathBuf, std::io::Error),
    NotRegular(PathBuf, &'static str),
    Outside(PathBuf),
    TooLarge {
        path: PathBuf,
        size: u64,
        limit: u64,
    },
    NotUtf8 {
        path: PathBuf,
        at: usize,
    },
}

impl ReadError {
    /// The message without the path.
    pub fn reason(&self) -> String {
        match self {
            ReadError::Open(_, e) => format!("cannot read: {e}"),
            ReadError::NotRegular(_, kind) => format!("refused: {kind}, not a regular file"),
            ReadError::Outside(_) => {
                "refused: outside the workspace folders (files must be inside the workspace)".into()
            }
            ReadError::TooLarge { size, limit, .. } => {
                format!("refused: {size} bytes, over the {limit}-byte limit")
            }
            ReadError::NotUtf8 { at, .. } => format!("not valid UTF-8 (byte {at})"),
        }
    }

    pub fn path(&self) -> &Path {
        match self {
            ReadError::Open(p, _) | ReadError::NotRegular(p, _) | ReadError::Outside(p) => p,
            ReadError::TooLarge { path, .. } | ReadError::NotUtf8 { path, .. } => path,
        }
    }
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path().display(), self.reason())
    }
}

/// An open regular file, checked.
struct Opened {
    file: File,
    size: u64,
    canonical: PathBuf,
}

fn kind_of(t: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a FIFO";
        }
        if t.is_char_device() {
            return "a character device";
        }
        if t.is_block_device() {
            return "a block device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    if t.is_dir() {
        "a folder"
    } else {
        "a special file"
    }
}

fn open_checked(path: &Path, allowed: Allowed<'_>) -> Result<Opened, ReadError> {
    let canonical =
        std::fs::canonicalize(path).map_err(|e| ReadError::Open(path.to_path_buf(), e))?;
    if !allowed.admits(&canonical) {
        return Err(ReadError::Outside(path.to_path_buf()));
    }
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // The canonical path has no symlink left; one appearing now is refused (O_NOFOLLOW).
        options.custom_flags(libc::O_NONBLOCK | libc::O_NOFOLLOW);
    }
    let file = options
        .open(&canonical)
        .map_err(|e| ReadError::Open(path.to_path_buf(), e))?;
    let meta = file
        .metadata()
        .map_err(|e| ReadError::Open(path.to_path_buf(), e))?;
    if !meta.is_file() {
        return Err(ReadError::NotRegular(
            path.to_path_buf(),
            kind_of(&meta.file_type()),
        ));
    }
    Ok(Opened {
        file,
        size: meta.len(),
        canonical,
    })
}

/// Reads at most `limit` bytes of `opened` (one more to notice a file that grew past it).
fn read_up_to(opened: &Opened, limit: u64, path: &Path) -> Result<Vec<u8>, ReadError> {
    let mut bytes = Vec::with_capacity(opened.size.min(limit) as usize);
    (&opened.file)
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| ReadError::Open(path.to_path_buf(), e))?;
    Ok(bytes)
}

/// The bytes of a regular file of at most `limit` bytes, and its canonical path.
pub fn read_bytes(
    path: &Path,
    limit: u64,
    allowed: Allowed<'_>,
) -> Result<(PathBuf, Vec<u8>), ReadError> {
    let opened = open_checked(path, allowed)?;
    let too_large = |size: u64| ReadError::TooLarge {
        path: path.to_path_buf(),
        size,
        limit,
    };
    if opened.size > limit {
        return Err(too_large(opened.size));
    }
    let bytes = read_up_to(&opened, limit, path)?;
    if bytes.len() as u64 > limit {
        return Err(too_large(opened.size.max(bytes.len() as u64)));
    }
    Ok((opened.canonical, bytes))
}

/// [`read_bytes`] as UTF-8 text.
pub fn read_text(path: &Path, limit: u64, allowed: Allowed<'_>) -> Result<String, ReadError> {
    let (_, bytes) = read_bytes(path, limit, allowed)?;
    utf8(path, bytes)
}

fn utf8(path: &Path, bytes: Vec<u8>) -> Result<String, ReadError> {
    String::from_utf8(bytes).map_err(|e| ReadError::NotUtf8 {
        path: path.to_path_buf(),
        at: e.utf8_error().valid_up_to(),
    })
}

/// A template's text, or only its beginning when it is over the size limit.
#[derive(Debug, Clone)]
pub enum TemplateText {
    Whole(String),
    /// Not read past `head` (at most [`HEAD_LIMIT`] bytes, cut at a character boundary).
    TooLarge {
        size: u64,
        head: String,
    },
}

impl TemplateText {
    /// The text the template is classified by (its front matter is at the start).
    pub fn text(&self) -> &str {
        match self {
            TemplateText::Whole(t) => t,
            TemplateText::TooLarge { head, .. } => head,
        }
    }
}

/// A template's text as editors load it: without a UTF-8 byte order mark, which is no character
/// of the message (it would shift line 1's columns and hide a greeting at the start).
fn without_bom(mut bytes: Vec<u8>) -> Vec<u8> {
    if bytes.starts_with(b"\xef\xbb\xbf") {
        bytes.drain(..3);
    }
    bytes
}

/// Reads a template: whole when it is at most `limit` bytes, else only its head.
pub fn read_template(
    path: &Path,
    limit: u64,
    allowed: Allowed<'_>,
) -> Result<TemplateText, ReadError> {
    let opened = open_checked(path, allowed)?;
    if opened.size <= limit {
        let bytes = read_up_to(&opened, limit, path)?;
        if bytes.len() as u64 <= limit {
            return utf8(path, without_bom(bytes)).map(TemplateText::Whole);
        }
    }
    // Over the limit (or grew past it while being read): the head only, from the start.
    let mut head = Vec::with_capacity(HEAD_LIMIT);
    let mut file = &opened.file;
    file.seek(std::io::SeekFrom::Start(0))
        .and_then(|_| file.take(HEAD_LIMIT as u64).read_to_end(&mut head))
        .map_err(|e| ReadError::Open(path.to_path_buf(), e))?;
    let valid = match std::str::from_utf8(&head) {
        Ok(_) => head.len(),
        Err(e) => e.valid_up_to(),
    };
    head.truncate(valid);
    let head = without_bom(head);
    Ok(TemplateText::TooLarge {
        size: opened.size.max(limit.saturating_add(1)),
        head: String::from_utf8(head).unwrap_or_default(),
    })
}

/// Reads a template from a stream (standard input) the way `read_template` reads a file: at most
/// `limit` bytes whole, else only the head, without a BOM; `name` is what messages call it.
pub fn read_template_from(
    name: &Path,
    mut input: impl Read,
    limit: u64,
) -> Result<TemplateText, ReadError> {
    let mut bytes = Vec::new();
    (&mut input)
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| ReadError::Open(name.to_path_buf(), e))?;
    if bytes.len() as u64 <= limit {
        return utf8(name, without_bom(bytes)).map(TemplateText::Whole);
    }
    // Over the limit: the head is all that is kept; the rest is drained, not stored.
    let size = bytes.len() as u64 + std::io::copy(&mut input, &mut std::io::sink()).unwrap_or(0);
    bytes.truncate(HEAD_LIMIT);
    let valid = match std::str::from_utf8(&bytes) {
        Ok(_) => bytes.len(),
        Err(e) => e.valid_up_to(),
    };
    bytes.truncate(valid);
    Ok(TemplateText::TooLarge {
        size,
        head: String::from_utf8(without_bom(bytes)).unwrap_or_default(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("outreach-read-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn refuses_what_is_not_a_regular_file_inside() {
        let dir = temp("kinds");
        let inside = std::fs::canonicalize(dir.join(".")).unwrap();
        let roots = [inside.join("ws")];
        std::fs::create_dir_all(&roots[0]).unwrap();
        std::fs::write(dir.join("secret.txt"), "x").unwrap();
        std::fs::write(roots[0].join("ok.txt"), "hello").unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(dir.join("secret.txt"), roots[0].join("out.txt")).unwrap();
        let within = Allowed::Within(&roots);
        assert_eq!(
            read_text(&roots[0].join("ok.txt"), 10, within).unwrap(),
            "hello"
        );
        let err = |p: &Path, limit| read_text(p, limit, within).unwrap_err();
        assert!(matches!(
            err(&roots[0].join("ok.txt"), 4),
            ReadError::TooLarge { size: 5, .. }
        ));
        assert!(matches!(
            err(&roots[0], 10),
            ReadError::NotRegular(_, "a folder")
        ));
        assert!(matches!(
            err(&roots[0].join("../secret.txt"), 10),
            ReadError::Outside(_)
        ));
        #[cfg(unix)]
        {
            assert!(matches!(
                err(&roots[0].join("out.txt"), 10),
                ReadError::Outside(_)
            ));
            let dev = read_text(Path::new("/dev/zero"), 10, Allowed::Named).unwrap_err();
            assert!(matches!(
                dev,
                ReadError::NotRegular(_, "a character device")
            ));
        }
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn over_limit_templates_keep_only_their_head_without_a_bom() {
        let dir = temp("head");
        let p = dir.join("t.outreach.md");
        std::fs::write(&p, format!("\u{feff}Hi there\n{}", "é".repeat(20_000))).unwrap();
        match read_template(&p, 1000, Allowed::Named).unwrap() {
            TemplateText::TooLarge { size, head } => {
                assert_eq!(size, 40_012);
                assert!(head.starts_with("Hi there\n") && head.len() <= HEAD_LIMIT);
            }
            t => panic!("{t:?}"),
        }
        let _ = std::fs::remove_dir_all(dir);
    }
}
