//! Pull diagnostics (LSP 3.17): open documents get theirs pushed; closed workspace templates here.

use super::*;

fn full_report(a: &Analysis, enc: Encoding) -> FullDocumentDiagnosticReport {
    FullDocumentDiagnosticReport {
        result_id: None,
        items: a
            .result
            .findings
            .iter()
            .map(|f| convert::diagnostic(&a.rope, f, enc))
            .collect(),
    }
}

/// Open documents get their diagnostics pushed; a pull for one returns an empty report so clients
/// that do both do not show everything twice. Closed templates are linted from disk.
pub fn document_diagnostic(
    state: &State,
    params: DocumentDiagnosticParams,
) -> DocumentDiagnosticReportResult {
    let uri = params.text_document.uri;
    let enc = state.session().encoding;
    // Only a template of the workspace index is read (checked before opening anything), through
    // the bounded reader, inside the workspace folders.
    let items = match uri.to_file_path().map(|p| p.into_owned()) {
        Some(path) if !state.is_open(&uri) && state.is_workspace_template(&path) => {
            match state.read_workspace_file(&path) {
                Some(text) => full_report(&state.analyze_closed(&path, text), enc),
                None => FullDocumentDiagnosticReport::default(),
            }
        }
        _ => FullDocumentDiagnosticReport::default(),
    };
    DocumentDiagnosticReportResult::Report(DocumentDiagnosticReport::Full(
        RelatedFullDocumentDiagnosticReport {
            related_documents: None,
            full_document_diagnostic_report: items,
        },
    ))
}

/// Diagnostics of every template in the workspace that is not open (LSP 3.17 `workspace/diagnostic`).
pub fn workspace_diagnostic(
    state: &State,
    _params: WorkspaceDiagnosticParams,
    cancelled: &std::sync::atomic::AtomicBool,
) -> WorkspaceDiagnosticReportResult {
    let enc = state.session().encoding;
    let items = state
        .closed_workspace_files()
        .into_iter()
        .take_while(|_| !cancelled.load(std::sync::atomic::Ordering::SeqCst))
        .filter_map(|(path, text)| {
            let uri = Uri::from_file_path(&path)?;
            let a = state.analyze_closed(&path, text);
            Some(WorkspaceDocumentDiagnosticReport::Full(
                WorkspaceFullDocumentDiagnosticReport {
                    uri,
                    version: None,
                    full_document_diagnostic_report: full_report(&a, enc),
                },
            ))
        })
        .collect();
    WorkspaceDiagnosticReportResult::Report(WorkspaceDiagnosticReport { items })
}
