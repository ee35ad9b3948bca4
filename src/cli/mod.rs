//! The command line: `serve` (default), `check`, `rules`, `explain`. A thin layer over the core.

mod check;
mod convert;
mod output;
mod preview;

use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

#[derive(Parser, Debug)]
#[command(
    name = "outreach-lsp",
    version,
    about = "Coaches outreach message templates (LinkedIn notes, follow-ups, InMails, cold emails): a language server and a linter.",
    long_about = "Coaches outreach message templates (LinkedIn notes, follow-ups, InMails, cold emails).\n\nWith no command (or `serve`) it runs the language server on stdio for your editor. `check` lints files and folders for a terminal or CI."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Accepted and ignored: the server always speaks over stdio (many clients pass this flag).
    #[arg(long, global = true, hide = true)]
    pub stdio: bool,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run the language server on stdin/stdout (the default).
    Serve {
        /// Use this configuration file for every template instead of looking for `.outreach.toml`.
        #[arg(long)]
        config: Option<std::path::PathBuf>,
    },
    /// Lint templates in files and folders (default: the current folder).
    Check(CheckArgs),
    /// List every rule with its default severity.
    Rules {
        #[arg(long, value_enum, default_value_t = RulesFormat::Text)]
        format: RulesFormat,
    },
    /// Render a template's messages for contacts and summarise per-contact problems.
    Preview(PreviewArgs),
    /// Rewrite a template in another sender's dialect (liquid, handlebars, mailchimp, hubspot).
    Convert(ConvertArgs),
    /// Print the full documentation of a rule.
    Explain {
        /// A rule id, e.g. `sales-pitch`.
        rule: String,
    },
    /// Print the README's rule table (used to keep the README current).
    #[command(hide = true)]
    RuleTable,
    /// Print the README's placeholder table.
    #[command(hide = true)]
    PlaceholderTable,
}

#[derive(clap::Args, Debug, Clone)]
pub struct CheckArgs {
    /// Files or folders to check; `-` reads one template from standard input.
    #[arg(default_value = ".")]
    pub paths: Vec<std::path::PathBuf>,
    /// Output format (docs/ci.md describes each).
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// The path standard input (`-`) stands for: its folder's `.outreach.toml` applies, its name decides
    /// whether it is a template, and findings are reported under it.
    #[arg(long, value_name = "PATH")]
    pub stdin_filename: Option<std::path::PathBuf>,
    /// Print how many findings each rule produced (most first) instead of the findings.
    #[arg(long, conflicts_with = "quiet")]
    pub statistics: bool,
    /// Print only the summary line; the exit code tells the rest.
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// Exit with 1 when a finding at or above this severity is reported.
    #[arg(long, value_enum, default_value_t = FailOn::Warning)]
    pub fail_on: FailOn,
    /// Use this configuration file instead of looking for `.outreach.toml`.
    #[arg(long)]
    pub config: Option<std::path::PathBuf>,
    /// Check every template against this contact list (CSV with a header row).
    #[arg(long)]
    pub contacts: Option<std::path::PathBuf>,
    /// Colour in human output.
    #[arg(long, value_enum, default_value_t = ColorWhen::Auto)]
    pub color: ColorWhen,
    /// Apply the safe fixes to the files (prints each change on stderr), then report what is left.
    #[arg(long)]
    pub fix: bool,
    /// With --fix, also apply unsafe fixes (ones that write new sentences or change the meaning).
    #[arg(long, requires = "fix")]
    pub unsafe_fixes: bool,
}

#[derive(clap::Args, Debug, Clone)]
pub struct PreviewArgs {
    /// The template to render.
    pub template: std::path::PathBuf,
    /// The contact list (default: the one named in the front matter or `.outreach.toml`).
    #[arg(long)]
    pub contacts: Option<std::path::PathBuf>,
    /// Render for this contact (1 = the first data row).
    #[arg(long, conflicts_with = "all")]
    pub contact: Option<usize>,
    /// Render for every contact.
    #[arg(long)]
    pub all: bool,
    /// Render the Nth rendering of each message (1 = every choice's first option; the count is
    /// shown in the output). With a contact, only what its data does not decide varies (spintax).
    #[arg(long, conflicts_with = "all_variants")]
    pub variant: Option<u64>,
    /// Render every distinct rendering of each message (the first 50; a line says how many more).
    #[arg(long)]
    pub all_variants: bool,
    /// Use this configuration file instead of looking for `.outreach.toml`.
    #[arg(long)]
    pub config: Option<std::path::PathBuf>,
    #[arg(long, value_enum, default_value_t = PreviewFormat::Text)]
    pub format: PreviewFormat,
}

#[derive(clap::Args, Debug, Clone)]
pub struct ConvertArgs {
    /// The template to convert.
    pub template: std::path::PathBuf,
    /// The dialect to write (docs/dialects.md).
    #[arg(long, value_enum)]
    pub to: DialectArg,
    /// Write the converted text over the file instead of printing it.
    #[arg(long)]
    pub write: bool,
    /// Use this configuration file instead of looking for `.outreach.toml`.
    #[arg(long)]
    pub config: Option<std::path::PathBuf>,
}

/// A dialect on the command line.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum DialectArg {
    Liquid,
    Handlebars,
    Mailchimp,
    #[value(alias = "hubl")]
    Hubspot,
}

impl DialectArg {
    pub fn dialect(self) -> crate::model::Dialect {
        use crate::model::Dialect;
        match self {
            DialectArg::Liquid => Dialect::Liquid,
            DialectArg::Handlebars => Dialect::Handlebars,
            DialectArg::Mailchimp => Dialect::Mailchimp,
            DialectArg::Hubspot => Dialect::Hubspot,
        }
    }
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum PreviewFormat {
    Text,
    Json,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Human,
    Json,
    Sarif,
    /// GitHub Actions annotations (workflow commands).
    Github,
    /// GitLab Code Quality report.
    Gitlab,
    /// JUnit XML.
    Junit,
    /// reviewdog Diagnostic Format (rdjson).
    Rdjson,
    /// `path:line:col: severity[rule] message`, one line per finding.
    Concise,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum RulesFormat {
    Text,
    Json,
    Markdown,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum FailOn {
    Error,
    Warning,
    Info,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColorWhen {
    Auto,
    Always,
    Never,
}

impl FailOn {
    pub fn threshold(self) -> crate::finding::Severity {
        match self {
            FailOn::Error => crate::finding::Severity::Error,
            FailOn::Warning => crate::finding::Severity::Warning,
            FailOn::Info => crate::finding::Severity::Info,
        }
    }
}

/// Runs a parsed command line other than `serve`, which `main` hands to the server itself (the CLI and
/// the server are siblings on the core; neither imports the other).
pub fn run(command: Command) -> ExitCode {
    match command {
        Command::Serve { .. } => {
            eprintln!(
                "outreach-lsp: `serve` is started by the binary, not by the command-line runner"
            );
            ExitCode::from(2)
        }
        Command::Check(args) => check::run(&args),
        Command::Preview(args) => preview::run(&args),
        Command::Convert(args) => convert::run(&args),
        Command::Rules { format } => {
            print!("{}", rules_listing(format));
            ExitCode::SUCCESS
        }
        Command::Explain { rule } => match crate::rules::find(&rule) {
            Some(r) => {
                print!("{}\n{DIALECTS_NOTE}", r.markdown());
                ExitCode::SUCCESS
            }
            None => {
                let hint = crate::model::closest(&rule, crate::rules::ids())
                    .map(|h| format!("; did you mean `{h}`?"))
                    .unwrap_or_else(|| "; `outreach-lsp rules` lists them".into());
                eprintln!("error: unknown rule `{rule}`{hint}");
                ExitCode::from(2)
            }
        },
        Command::RuleTable => {
            print!("{}", crate::rules::markdown_table());
            ExitCode::SUCCESS
        }
        Command::PlaceholderTable => {
            print!("{}", crate::model::catalog::markdown_table());
            ExitCode::SUCCESS
        }
    }
}

/// Said after `rules` and `explain`: every rule reads a template the way its sender renders it.
const DIALECTS_NOTE: &str = "Templates are read in their sender's dialect (liquid, handlebars, mailchimp or hubspot: front matter `dialect:`, .outreach.toml, or detected), and rules judge every rendering of their spintax and conditionals; fixes write the file's dialect. See docs/dialects.md.\n";

pub fn rules_listing(format: RulesFormat) -> String {
    let rules = crate::rules::RULES;
    match format {
        RulesFormat::Json => {
            let v: Vec<_> = rules
                .iter()
                .map(|r| {
                    let d = r;
                    serde_json::json!({"id": d.id, "severity": d.default_severity().as_str(), "summary": d.summary})
                })
                .collect();
            serde_json::to_string_pretty(&v).unwrap_or_default() + "\n"
        }
        RulesFormat::Markdown => crate::rules::markdown_table(),
        RulesFormat::Text => {
            let width = rules
                .iter()
                .map(|r| r.id.as_str().len())
                .max()
                .unwrap_or(10);
            let mut s = String::new();
            for r in rules {
                let d = r;
                s.push_str(&format!(
                    "{:<width$}  {:<8} {}\n",
                    d.id,
                    d.default_severity().as_str(),
                    d.summary
                ));
            }
            s.push('\n');
            s.push_str(DIALECTS_NOTE);
            s
        }
    }
}

/// The configuration for one template named on the command line (`--config`, else the nearest
/// `.outreach.toml`) and its text, read by the bounded reader; `verb` says what a file over the size
/// limit was not ("converted", "previewed").
pub(crate) fn read_one_template(
    path: &std::path::Path,
    config: Option<&std::path::Path>,
    verb: &str,
) -> Result<(std::sync::Arc<crate::Config>, String), String> {
    use crate::project::read::{self, Allowed, TemplateText};
    let forced = match config {
        Some(p) => Some(crate::project::config::load_file(p).map_err(|e| e.to_string())?),
        None => None,
    };
    let resolved = crate::project::ConfigResolver::new(
        std::sync::Arc::new(crate::Config::default()),
        Vec::new(),
    )
    .with_forced(forced)
    .for_file(path);
    if let Some(e) = resolved.error {
        return Err(e.to_string());
    }
    let config = resolved.config;
    match read::read_template(path, config.max_file_size as u64, Allowed::Named)
        .map_err(|e| e.to_string())?
    {
        TemplateText::Whole(text) => Ok((config, text)),
        TemplateText::TooLarge { size, .. } => Err(format!(
            "{}: not {verb}: {size} bytes, over the {}-byte limit (`max_file_size`)",
            path.display(),
            config.max_file_size
        )),
    }
}
