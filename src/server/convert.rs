//! Core findings and fixes to LSP diagnostics and workspace edits.

use std::collections::HashMap;

use ropey::Rope;
use serde::{Deserialize, Serialize};
use tower_lsp_server::ls_types::{
    Diagnostic, DiagnosticSeverity, DiagnosticTag, NumberOrString, OneOf,
    OptionalVersionedTextDocumentIdentifier, TextDocumentEdit, TextEdit, Uri, WorkspaceEdit,
};

use super::document::{range_of, Encoding};
use crate::finding::{Finding, Fix, Severity};

pub const SOURCE: &str = "outreach-lsp";

/// What a diagnostic carries in `data`: its rule and the document version it was found in. Fixes are
/// computed when code actions are asked for, not carried here: on a big file they were two thirds of
/// every publish.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DiagnosticData {
    pub rule: String,
    pub version: i32,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
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
        edits: fix
            .edits
            .iter()
            .map(|e| TextEdit::new(range_of(rope, e.span.clone(), enc), e.replacement.clone()))
            .collect(),
    }
}

pub fn diagnostic(rope: &Rope, f: &Finding, version: i32, enc: Encoding) -> Diagnostic {
    let data = DiagnosticData {
        rule: f.rule.to_string(),
        version,
    };
    Diagnostic {
        range: range_of(rope, f.span.clone(), enc),
        severity: Some(severity(f.severity)),
        code: Some(NumberOrString::String(f.rule.to_string())),
        code_description: None,
        source: Some(SOURCE.to_string()),
        message: f.message.clone(),
        related_information: None,
        tags: (f.rule == "unused-suppression").then(|| vec![DiagnosticTag::UNNECESSARY]),
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
