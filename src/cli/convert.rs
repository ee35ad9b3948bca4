//! `outreach-lsp convert --to <dialect> FILE`: the template rewritten in another sender's dialect
//! (model/convert.rs), printed on stdout, or written over the file with `--write`. What the target
//! cannot express is left as written and listed on stderr; the exit code is then 1.

use std::io::Write;
use std::process::ExitCode;

use super::ConvertArgs;
use crate::model::convert::convert;
use crate::model::Template;

pub fn run(args: &ConvertArgs) -> ExitCode {
    match convert_file(args) {
        Ok((out, notes)) => {
            if !args.write {
                let mut stdout = std::io::stdout().lock();
                if let Err(e) = stdout
                    .write_all(out.as_bytes())
                    .and_then(|_| stdout.flush())
                {
                    if e.kind() != std::io::ErrorKind::BrokenPipe {
                        eprintln!("error: cannot write output: {e}");
                        return ExitCode::from(2);
                    }
                }
            }
            eprint!("{notes}");
            if notes.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            }
        }
        Err(e) => {
            eprintln!("error: {}", super::preview::without_control_chars(&e));
            ExitCode::from(2)
        }
    }
}

/// The converted text and the notes (one line each) for stderr.
fn convert_file(args: &ConvertArgs) -> Result<(String, String), String> {
    let path = &args.template;
    let (config, text) = super::read_one_template(path, args.config.as_deref(), "converted")?;
    let template = Template::parse_in(&text, config.dialect);
    let to = args.to.dialect();
    let conversion = convert(&template, to);
    let out = conversion.apply(&text);
    let mut notes = String::new();
    for n in &conversion.notes {
        let (line, col) = line_col(&text, n.span.start);
        notes.push_str(&format!(
            "{}:{line}:{col}: not converted: {}\n",
            path.display(),
            super::preview::without_control_chars(&n.message)
        ));
    }
    if args.write && out != text {
        // Written beside the file and renamed over it, so an interrupted write cannot lose the text.
        let tmp = path.with_file_name(format!(
            ".{}.outreach-convert.tmp",
            path.file_name()
                .map(|n| n.to_string_lossy())
                .unwrap_or_default()
        ));
        std::fs::write(&tmp, &out)
            .and_then(|()| std::fs::rename(&tmp, path))
            .map_err(|e| {
                let _ = std::fs::remove_file(&tmp);
                format!("{}: cannot write the converted text: {e}", path.display())
            })?;
        eprintln!(
            "converted {} from {} to {}",
            path.display(),
            conversion.from.as_str(),
            to.as_str()
        );
    }
    Ok((out, notes))
}

fn line_col(text: &str, at: usize) -> (usize, usize) {
    let before = &text[..at.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}
