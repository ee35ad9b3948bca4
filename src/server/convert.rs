//! Core findings and fixes to LSP diagnostics and workspace edits.

use std::collections::HashMap;

use ropey::Rope;
use serde::Serialize;
use tower_lsp_server::ls_types::{
    Diagnostic, DiagnosticSeverity, DiagnosticTag, NumberOrString, OneOf,
    OptionalVersionedTextDocumentIdentifier, TextDocumentEdit, TextEdit, Uri, WorkspaceEdit,
};

use super::document::{range_of, Encoding, PositionCursor};
use crate::finding::RuleId;
use crate::finding::{Finding, Fix, Severity};

pub const SOURCE: &str = "outreach-lsp";

/// `codeDescription` of a diagnostic: the rule's page (docs/rules/<id>.md, generated from the rule).
#[derive(Serialize)]
struct WireCodeDescription {
    href: String,
}

fn code_description_of(rule: RuleId) -> Option<WireCodeDescription> {
    crate::rules::find(rule.as_str()).map(|r| WireCodeDescription { href: r.url() })
}

/// What a diagnostic carries in `data`: its rule. Fixes are computed when code actions are asked
/// for, not carried here: on a big file they were two thirds of every publish. No document version
/// either: a client may repeat or lower versions, so code actions follow the latest applied text.
#[derive(Serialize)]
struct DiagnosticData<'a> {
    rule: &'a str,
}

/// A fix in the client's coordinates.
pub struct FixData {
    pub title: String,
    pub preferred: bool,
    pub edits: Vec<TextEdit>,
}

pub fn severity(s: Severity) -> DiagnosticSeverity {
    match s {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Info => DiagnosticSeverity::INFORMATION,
        Severity::Hint => DiagnosticSeverity::HINT,
    }
}

pub fn fix_data(rope: &Rope, fix: &Fix, enc: Encoding) -> FixData {
    FixData {
        title: fix.title.clone(),
        preferred: fix.preferred,
        edits: text_edits(rope, &fix.edits, enc),
    }
}

/// The core's byte-span edits as LSP text edits on `rope`.
pub fn text_edits(rope: &Rope, edits: &[crate::finding::Edit], enc: Encoding) -> Vec<TextEdit> {
    edits
        .iter()
        .map(|e| TextEdit::new(range_of(rope, e.span.clone(), enc), e.replacement.clone()))
        .collect()
}

/// A diagnostic as published: the same JSON as [`diagnostic`], but borrowing from the finding, so a
/// publish of thousands of diagnostics copies no strings and builds no JSON value trees.
#[derive(Serialize)]
pub struct WireDiagnostic<'a> {
    range: tower_lsp_server::ls_types::Range,
    severity: DiagnosticSeverity,
    code: &'a str,
    #[serde(rename = "codeDescription", skip_serializing_if = "Option::is_none")]
    code_description: Option<WireCodeDescription>,
    source: &'static str,
    message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    tags: Option<[DiagnosticTag; 1]>,
    data: DiagnosticData<'a>,
}

/// `positions` maps this document's offsets; findings must come in order of their start.
pub fn wire_diagnostic<'a>(
    positions: &mut PositionCursor<'_>,
    f: &'a Finding,
) -> WireDiagnostic<'a> {
    WireDiagnostic {
        range: positions.range(f.span.clone()),
        severity: severity(f.severity),
        code: f.rule.as_str(),
        code_description: code_description_of(f.rule),
        source: SOURCE,
        message: &f.message,
        tags: (f.rule == crate::rules::UNUSED_SUPPRESSION.id)
            .then_some([DiagnosticTag::UNNECESSARY]),
        data: DiagnosticData {
            rule: f.rule.as_str(),
        },
    }
}

/// The `textDocument/publishDiagnostics` notification, serialised.
pub fn publish_notification<D: Serialize>(
    uri: &Uri,
    diagnostics: &[D],
    version: Option<i32>,
) -> Vec<u8> {
    #[derive(Serialize)]
    struct Params<'a, D> {
        uri: &'a Uri,
        diagnostics: &'a [D],
        #[serde(skip_serializing_if = "Option::is_none")]
        version: Option<i32>,
    }
    #[derive(Serialize)]
    struct Notification<'a, D> {
        jsonrpc: &'static str,
        method: &'static str,
        params: Params<'a, D>,
    }
    let n = Notification {
        jsonrpc: "2.0",
        method: "textDocument/publishDiagnostics",
        params: Params {
            uri,
            diagnostics,
            version,
        },
    };
    // Serialising these plain structs cannot fail.
    serde_json::to_vec(&n).unwrap_or_default()
}

pub fn diagnostic(rope: &Rope, f: &Finding, enc: Encoding) -> Diagnostic {
    let data = DiagnosticData {
        rule: f.rule.as_str(),
    };
    Diagnostic {
        range: range_of(rope, f.span.clone(), enc),
        severity: Some(severity(f.severity)),
        code: Some(NumberOrString::String(f.rule.to_string())),
        code_description: code_description_of(f.rule).and_then(|c| {
            Some(tower_lsp_server::ls_types::CodeDescription {
                href: c.href.parse().ok()?,
            })
        }),
        source: Some(SOURCE.to_string()),
        message: f.message.clone(),
        related_information: None,
        tags: (f.rule == crate::rules::UNUSED_SUPPRESSION.id)
            .then(|| vec![DiagnosticTag::UNNECESSARY]),
        data: serde_json::to_value(data).ok(),
    }
}

/// A workspace edit for one document, versioned when the client supports `documentChanges`.
pub fn workspace_edit(
    uri: &Uri,
    version: i32,
    edits: Vec<TextEdit>,
    document_changes: bool,
) -> WorkspaceEdit {
    if document_changes {
        WorkspaceEdit {
            changes: None,
            document_changes: Some(tower_lsp_server::ls_types::DocumentChanges::Edits(vec![
                TextDocumentEdit {
                    text_document: OptionalVersionedTextDocumentIdentifier {
                        uri: uri.clone(),
                        version: Some(version),
                    },
                    edits: edits.into_iter().map(OneOf::Left).collect(),
                },
            ])),
            change_annotations: None,
        }
    } else {
        WorkspaceEdit {
            changes: Some(HashMap::from([(uri.clone(), edits)])),
            document_changes: None,
            change_annotations: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Severity;

    /// The published form and the typed form of a diagnostic are the same JSON.
    #[test]
    fn wire_diagnostic_is_the_typed_diagnostic() {
        let rope = Rope::from_str("Hi {{frist_name}},\n<!-- outreach-disable x -->\n");
        for (rule, span) in [
            ("unknown-placeholder", 3..17),
            ("unused-suppression", 19..45),
        ] {
            let f = Finding {
                rule: crate::rules::find(rule).unwrap().id,
                severity: Severity::Warning,
                span,
                message: "a \"quoted\" message".into(),
                fixes: Vec::new(),
            };
            for enc in [Encoding::Utf8, Encoding::Utf16] {
                let text = rope.to_string();
                let mut positions = PositionCursor::new(&rope, &text, enc);
                assert_eq!(
                    serde_json::to_value(wire_diagnostic(&mut positions, &f)).unwrap(),
                    serde_json::to_value(diagnostic(&rope, &f, enc)).unwrap()
                );
            }
        }
        let uri: Uri = "file:///tmp/a.outreach.md".parse().unwrap();
        let body = publish_notification::<Diagnostic>(&uri, &[], Some(3));
        let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(
            v,
            serde_json::json!({"jsonrpc": "2.0", "method": "textDocument/publishDiagnostics",
                "params": {"uri": "file:///tmp/a.outreach.md", "diagnostics": [], "version": 3}})
        );
    }
}
