//! Configuration: `.outreach.toml` (found from a file's folder upward) and the same settings from an
//! editor (`initializationOptions`, `workspace/didChangeConfiguration`). Defaults need no file at all.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};
use serde::Deserialize;

use crate::finding::Level;
use crate::model::catalog::{Category, Origin, PlaceholderDef};
use crate::model::channel::{default_limits, Account, Channel, Limits};

pub const CONFIG_FILE: &str = ".outreach.toml";
pub const DEFAULT_MAX_FILE_SIZE: usize = 4 * 1024 * 1024;

/// Per-rule settings.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RuleSettings {
    pub level: Option<Level>,
    pub extra_phrases: Vec<String>,
    /// Only for `send-rate-too-high`.
    pub daily_limit: Option<u64>,
    pub weekly_limit: Option<u64>,
}

#[derive(Debug, Clone)]
pub struct Config {
    pub account: Option<Account>,
    /// The template language of the sending tool, for files whose front matter names none.
    pub dialect: Option<crate::model::Dialect>,
    pub rules: BTreeMap<String, RuleSettings>,
    pub limits: BTreeMap<Channel, Limits>,
    pub placeholders: Vec<PlaceholderDef>,
    pub include: Vec<String>,
    pub exclude: Vec<String>,
    include_set: Option<GlobSet>,
    exclude_set: Option<GlobSet>,
    pub max_file_size: usize,
    pub contacts: Option<String>,
    /// The `.outreach.toml` this came from, if any.
    pub source: Option<PathBuf>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            account: None,
            dialect: None,
            rules: BTreeMap::new(),
            limits: Channel::ALL
                .iter()
                .map(|&c| (c, default_limits(c)))
                .collect(),
            placeholders: Vec::new(),
            include: Vec::new(),
            exclude: Vec::new(),
            include_set: None,
            exclude_set: None,
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            contacts: None,
            source: None,
        }
    }
}

/// A configuration problem, with its 1-based line when it comes from a file.
#[derive(Debug, Clone, PartialEq)]
pub struct ConfigError {
    pub message: String,
    pub line: Option<usize>,
    pub path: Option<PathBuf>,
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (&self.path, self.line) {
            (Some(p), Some(l)) => write!(f, "{}:{}: {}", p.display(), l, self.message),
            (Some(p), None) => write!(f, "{}: {}", p.display(), self.message),
            (None, Some(l)) => write!(f, "line {}: {}", l, self.message),
            (None, None) => write!(f, "{}", self.message),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    account: Option<String>,
    dialect: Option<String>,
    include: Option<Vec<String>>,
    exclude: Option<Vec<String>>,
    #[serde(alias = "maxFileSize")]
    max_file_size: Option<u64>,
    contacts: Option<String>,
    rules: Option<BTreeMap<String, toml::Value>>,
    channels: Option<BTreeMap<String, RawChannel>>,
    placeholders: Option<BTreeMap<String, RawPlaceholder>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawChannel {
    limit: Option<usize>,
    free_limit: Option<usize>,
    subject_limit: Option<usize>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPlaceholder {
    description: Option<String>,
    example: Option<String>,
    default: Option<String>,
    max_length: Option<usize>,
    typical_length: Option<usize>,
    optional: Option<bool>,
    category: Option<String>,
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

/// The line where `needle` first appears (used to place semantic errors).
fn locate(text: &str, needle: &str) -> Option<usize> {
    text.find(needle).map(|o| line_of(text, o))
}

impl Config {
    /// Parses `.outreach.toml` text. `path` is only used in messages. `rules` are the rule ids a
    /// `[rules]` table may name (the caller knows the rules; configuration does not).
    pub fn from_toml(
        text: &str,
        path: Option<&Path>,
        rules: &[&str],
    ) -> Result<Config, ConfigError> {
        let err = |message: String, line: Option<usize>| ConfigError {
            message,
            line,
            path: path.map(Path::to_path_buf),
        };
        let raw: RawConfig = toml::from_str(text).map_err(|e| {
            let line = e.span().map(|s| line_of(text, s.start));
            err(e.message().trim().to_string(), line)
        })?;
        let mut c = Config {
            source: path.map(Path::to_path_buf),
            ..Config::default()
        };
        if let Some(a) = raw.account {
            c.account = Some(Account::parse(&a).ok_or_else(|| {
                err(
                    format!("`account` must be \"free\" or \"premium\", not \"{a}\""),
                    locate(text, "account"),
                )
            })?);
        }
        if let Some(d) = raw.dialect {
            c.dialect = Some(crate::model::Dialect::parse(&d).ok_or_else(|| {
                err(
                    format!("`dialect` must be \"liquid\", \"handlebars\", \"mailchimp\" or \"hubspot\", not \"{d}\""),
                    locate(text, "dialect"),
                )
            })?);
        }
        if let Some(n) = raw.max_file_size {
            c.max_file_size = n as usize;
        }
        c.contacts = raw.contacts;
        for (id, value) in raw.rules.unwrap_or_default() {
            let line = locate(text, &id);
            if !rules.contains(&id.as_str()) {
                let hint = crate::model::closest(&id, rules.iter().copied())
                    .map(|h| format!("; did you mean `{h}`?"))
                    .unwrap_or_default();
                return Err(err(format!("unknown rule `{id}`{hint}"), line));
            }
            let mut rs = RuleSettings::default();
            let parse_level = |s: &str| {
                Level::parse(s).ok_or_else(|| {
                    err(
                        format!("rule `{id}`: severity must be off, hint, info, warning or error, not \"{s}\""),
                        line,
                    )
                })
            };
            match value {
                toml::Value::String(s) => rs.level = Some(parse_level(&s)?),
                toml::Value::Table(t) => {
                    for (k, v) in t {
                        match (k.as_str(), v) {
                            ("severity" | "level", toml::Value::String(s)) => {
                                rs.level = Some(parse_level(&s)?)
                            }
                            ("extra_phrases", toml::Value::Array(items)) => {
                                for it in items {
                                    match it {
                                        toml::Value::String(s) if !s.trim().is_empty() => {
                                            rs.extra_phrases.push(s.trim().to_lowercase())
                                        }
                                        _ => {
                                            return Err(err(
                                                format!("rule `{id}`: `extra_phrases` must be a list of non-empty strings"),
                                                locate(text, "extra_phrases"),
                                            ))
                                        }
                                    }
                                }
                            }
                            ("daily_limit", toml::Value::Integer(n)) if n >= 0 => {
                                rs.daily_limit = Some(n as u64)
                            }
                            ("weekly_limit", toml::Value::Integer(n)) if n >= 0 => {
                                rs.weekly_limit = Some(n as u64)
                            }
                            (k, _) => {
                                return Err(err(
                                    format!("rule `{id}`: unknown or invalid setting `{k}` (known: severity, extra_phrases{})",
                                        if id == "send-rate-too-high" { ", daily_limit, weekly_limit" } else { "" }),
                                    locate(text, k).or(line),
                                ))
                            }
                        }
                    }
                }
                _ => {
                    return Err(err(
                        format!("rule `{id}`: expected a severity string or a table"),
                        line,
                    ))
                }
            }
            c.rules.insert(id, rs);
        }
        for (name, ch) in raw.channels.unwrap_or_default() {
            let channel = Channel::parse(&name).ok_or_else(|| {
                err(
                    format!("unknown channel `{name}` (known: linkedin-connection, linkedin-message, linkedin-inmail, email)"),
                    locate(text, &name),
                )
            })?;
            let limits = c.limits.entry(channel).or_insert(default_limits(channel));
            if ch.limit.is_some() {
                limits.body = ch.limit;
            }
            if ch.free_limit.is_some() {
                limits.body_free = ch.free_limit;
            }
            if ch.subject_limit.is_some() {
                limits.subject = ch.subject_limit;
            }
        }
        for (name, p) in raw.placeholders.unwrap_or_default() {
            let line = locate(text, &name);
            if !crate::model::placeholder::is_snake_case(&name) {
                return Err(err(
                    format!("placeholder name `{name}` must be snake_case"),
                    line,
                ));
            }
            let category = match p.category.as_deref() {
                None => Category::Recipient,
                Some(s) => Category::parse(s).ok_or_else(|| {
                    err(
                        format!("placeholder `{name}`: category must be recipient, common-ground, reason or sender, not \"{s}\""),
                        line,
                    )
                })?,
            };
            let max = p.max_length.unwrap_or(40);
            c.placeholders.push(PlaceholderDef {
                example: p.example.unwrap_or_else(|| format!("<{name}>")),
                name,
                description: p.description.unwrap_or_default(),
                typical_length: p.typical_length.unwrap_or(max.min(12)).min(max),
                max_length: max,
                category,
                often_empty: p.optional.unwrap_or(false),
                suggested_default: p.default.unwrap_or_default(),
                origin: Origin::Config,
            });
        }
        c.include = raw.include.unwrap_or_default();
        c.exclude = raw.exclude.unwrap_or_default();
        c.compile_globs().map_err(|m| err(m, None))?;
        Ok(c)
    }

    /// Reads the settings an editor sends (`initializationOptions` or `settings`). Accepts the object
    /// itself or one wrapped in `outreachLsp` / `outreach-lsp`.
    pub fn from_editor_settings(
        value: &serde_json::Value,
        rules: &[&str],
    ) -> Result<Config, ConfigError> {
        let inner = value
            .get("outreachLsp")
            .or_else(|| value.get("outreach-lsp"))
            .or_else(|| value.get("outreach_lsp"))
            .unwrap_or(value);
        let Some(obj) = inner.as_object() else {
            return Ok(Config::default());
        };
        // Editor-only keys (path, trace) are not server settings.
        let mut table = toml::Table::new();
        for (k, v) in obj {
            if matches!(k.as_str(), "path" | "trace" | "server") {
                continue;
            }
            if let Some(tv) = json_to_toml(v) {
                table.insert(k.clone(), tv);
            }
        }
        let text = toml::to_string(&table).map_err(|e| ConfigError {
            message: format!("editor settings: {e}"),
            line: None,
            path: None,
        })?;
        Config::from_toml(&text, None, rules).map_err(|mut e| {
            e.line = None;
            e.message = format!("editor settings: {}", e.message);
            e
        })
    }

    fn compile_globs(&mut self) -> Result<(), String> {
        let build = |globs: &[String]| -> Result<Option<GlobSet>, String> {
            if globs.is_empty() {
                return Ok(None);
            }
            let mut b = GlobSetBuilder::new();
            for g in globs {
                b.add(Glob::new(g).map_err(|e| format!("invalid glob `{g}`: {e}"))?);
            }
            b.build().map(Some).map_err(|e| e.to_string())
        };
        self.include_set = build(&self.include)?;
        self.exclude_set = build(&self.exclude)?;
        Ok(())
    }

    /// `over` wins where it says something (a project's `.outreach.toml` over editor settings).
    pub fn merged(&self, over: &Config) -> Config {
        let mut c = self.clone();
        if over.account.is_some() {
            c.account = over.account;
        }
        if over.dialect.is_some() {
            c.dialect = over.dialect;
        }
        for (k, v) in &over.rules {
            let e = c.rules.entry(k.clone()).or_default();
            if v.level.is_some() {
                e.level = v.level;
            }
            e.extra_phrases.extend(v.extra_phrases.iter().cloned());
            if v.daily_limit.is_some() {
                e.daily_limit = v.daily_limit;
            }
            if v.weekly_limit.is_some() {
                e.weekly_limit = v.weekly_limit;
            }
        }
        for (ch, l) in &over.limits {
            if *l != default_limits(*ch) {
                c.limits.insert(*ch, *l);
            }
        }
        c.placeholders.extend(over.placeholders.iter().cloned());
        if !over.include.is_empty() {
            c.include = over.include.clone();
        }
        if !over.exclude.is_empty() {
            c.exclude = over.exclude.clone();
        }
        if over.max_file_size != DEFAULT_MAX_FILE_SIZE {
            c.max_file_size = over.max_file_size;
        }
        if over.contacts.is_some() {
            c.contacts = over.contacts.clone();
        }
        if over.source.is_some() {
            c.source = over.source.clone();
        }
        let _ = c.compile_globs();
        c
    }

    pub fn rule(&self, id: &str) -> Option<&RuleSettings> {
        self.rules.get(id)
    }

    pub fn level(&self, id: &str) -> Option<Level> {
        self.rules.get(id).and_then(|r| r.level)
    }

    pub fn limits(&self, channel: Channel) -> Limits {
        self.limits
            .get(&channel)
            .copied()
            .unwrap_or_else(|| default_limits(channel))
    }

    /// The folder the config's relative paths and globs are taken from.
    pub fn root(&self) -> Option<&Path> {
        self.source.as_deref().and_then(Path::parent)
    }

    /// Whether `path` is a template: by name, by `include`/`exclude`, or (Markdown) by its front matter.
    pub fn is_template(&self, path: &Path, text: Option<&str>) -> bool {
        // Globs are relative to the config's folder; paths may come in relative to the working folder.
        let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
        let rel = self
            .root()
            .and_then(|r| absolute.strip_prefix(r).ok())
            .unwrap_or_else(|| path.strip_prefix(".").unwrap_or(path));
        if self.exclude_set.as_ref().is_some_and(|s| s.is_match(rel)) {
            return false;
        }
        if has_template_extension(path) {
            return true;
        }
        if self.include_set.as_ref().is_some_and(|s| s.is_match(rel)) {
            return true;
        }
        is_markdown(path) && text.is_some_and(front_matter_declares_template)
    }
}

pub fn has_template_extension(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    name.ends_with(".outreach.md") || name.ends_with(".outreach") || name.ends_with(".outreach.txt")
}

pub fn is_markdown(path: &Path) -> bool {
    matches!(
        path.extension()
            .and_then(|e| e.to_str())
            .map(str::to_lowercase)
            .as_deref(),
        Some("md" | "markdown" | "mdx")
    )
}

/// A Markdown file is a template when its front matter has a `channel` or `kind` key.
pub fn front_matter_declares_template(text: &str) -> bool {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines = text.lines();
    if lines.next().map(str::trim_end) != Some("---") {
        return false;
    }
    for line in lines.take(200) {
        let l = line.trim_end();
        if l == "---" || l == "..." {
            break;
        }
        if l.starts_with("channel:") || l.starts_with("kind:") {
            return true;
        }
    }
    false
}

fn json_to_toml(v: &serde_json::Value) -> Option<toml::Value> {
    use serde_json::Value as J;
    Some(match v {
        J::Null => return None,
        J::Bool(b) => toml::Value::Boolean(*b),
        J::Number(n) => match n.as_i64() {
            Some(i) => toml::Value::Integer(i),
            None => toml::Value::Float(n.as_f64().unwrap_or(0.0)),
        },
        J::String(s) => toml::Value::String(s.clone()),
        J::Array(a) => toml::Value::Array(a.iter().filter_map(json_to_toml).collect()),
        J::Object(o) => toml::Value::Table(
            o.iter()
                .filter_map(|(k, v)| json_to_toml(v).map(|tv| (k.clone(), tv)))
                .collect(),
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const RULES: &[&str] = &["self-focused", "sales-pitch", "send-rate-too-high"];
    use crate::finding::Severity;

    #[test]
    fn parses_rules_and_channels() {
        let c = Config::from_toml(
            "account = \"free\"\n[rules]\nself-focused = \"off\"\n[rules.sales-pitch]\nseverity = \"error\"\nextra_phrases = [\"Synergy\"]\n[channels.email]\nsubject_limit = 50\n",
            None,
            RULES,
        )
        .unwrap();
        assert_eq!(c.account, Some(Account::Free));
        let d = Config::from_toml("dialect = \"mailchimp\"\n", None, RULES).unwrap();
        assert_eq!(d.dialect, Some(crate::model::Dialect::Mailchimp));
        assert!(Config::from_toml("dialect = \"jinja\"\n", None, RULES).is_err());
        assert_eq!(c.level("self-focused"), Some(Level::Off));
        assert_eq!(c.level("sales-pitch"), Some(Level::On(Severity::Error)));
        assert_eq!(
            c.rule("sales-pitch").unwrap().extra_phrases,
            vec!["synergy"]
        );
        assert_eq!(c.limits(Channel::Email).subject, Some(50));
    }

    #[test]
    fn errors_have_lines() {
        let e = Config::from_toml(
            "account = \"free\"\n[rules]\nsales-pich = \"error\"\n",
            None,
            RULES,
        )
        .unwrap_err();
        assert_eq!(e.line, Some(3));
        assert!(e.message.contains("sales-pitch"), "{}", e.message);
        let e = Config::from_toml("\n\nbogus = 1\n", None, RULES).unwrap_err();
        assert_eq!(e.line, Some(3));
        let e = Config::from_toml("[rules]\nsales-pitch = \"loud\"\n", None, RULES).unwrap_err();
        assert_eq!(e.line, Some(2));
    }

    #[test]
    fn editor_settings() {
        let v = serde_json::json!({"outreachLsp": {"account": "free", "rules": {"sales-pitch": "off"}, "path": "/x", "maxFileSize": 10}});
        let c = Config::from_editor_settings(&v, RULES).unwrap();
        assert_eq!(c.account, Some(Account::Free));
        assert_eq!(c.level("sales-pitch"), Some(Level::Off));
        assert_eq!(c.max_file_size, 10);
        assert!(Config::from_editor_settings(
            &serde_json::json!({"rules": {"nope": "off"}}),
            RULES
        )
        .is_err());
    }

    #[test]
    fn template_selection() {
        let c = Config::default();
        assert!(c.is_template(Path::new("a/b.outreach.md"), None));
        assert!(c.is_template(Path::new("b.outreach"), None));
        assert!(!c.is_template(Path::new("README.md"), Some("# Readme\n")));
        assert!(c.is_template(Path::new("x.md"), Some("---\nchannel: email\n---\nHi\n")));
    }
}
