//! Document symbols, inlay hints and semantic tokens: the shape of a template.

use super::*;

#[allow(deprecated)]
pub fn document_symbols(
    state: &State,
    params: DocumentSymbolParams,
    pinned: Pinned,
) -> Option<DocumentSymbolResponse> {
    let a = state.unlinted_view(&params.text_document.uri, pinned)?;
    if !a.is_template {
        return Some(DocumentSymbolResponse::Nested(Vec::new()));
    }
    let enc = state.session().encoding;
    let t = a.template();
    let mut symbols = Vec::new();
    if let Some(fm) = &t.front_matter {
        symbols.push(DocumentSymbol {
            name: "Front matter".into(),
            detail: None,
            kind: SymbolKind::MODULE,
            tags: None,
            deprecated: None,
            range: range_of(&a.rope, fm.span.clone(), enc),
            selection_range: range_of(&a.rope, 0..3.min(a.text.len()), enc),
            children: None,
        });
    }
    for m in t.messages.iter().take(MAX_MESSAGES_PER_ANSWER) {
        let sel = m
            .heading
            .as_ref()
            .map_or(m.anchor.clone(), |h| h.title.clone());
        let full = m.span.start.min(sel.start)..m.span.end.max(sel.end);
        symbols.push(DocumentSymbol {
            name: {
                let l = m.label(&a.text);
                if l.is_empty() {
                    "Message".into()
                } else {
                    l
                }
            },
            detail: Some(format!("{} · {}", m.kind.as_str(), m.channel.as_str())),
            kind: SymbolKind::STRING,
            tags: None,
            deprecated: None,
            range: range_of(&a.rope, full, enc),
            selection_range: range_of(&a.rope, sel, enc),
            children: None,
        });
    }
    Some(DocumentSymbolResponse::Nested(symbols))
}

pub fn inlay_hints(
    state: &State,
    params: InlayHintParams,
    pinned: Pinned,
) -> Option<Vec<InlayHint>> {
    let a = state.unlinted_view(&params.text_document.uri, pinned)?;
    if !a.is_template {
        return Some(Vec::new());
    }
    let enc = state.session().encoding;
    let t = a.template();
    let cx = Context::new(&t, &a.config, a.inputs());
    let visible = span_of(&a.rope, params.range, enc);
    let mut hints = Vec::new();
    for m in &t.messages {
        let line = m
            .heading
            .as_ref()
            .map(|h| h.line.clone())
            .or_else(|| m.first_line.clone());
        let Some(line) = line else { continue };
        if line.end < visible.start || line.start > visible.end {
            continue;
        }
        if hints.len() == MAX_MESSAGES_PER_ANSWER {
            break;
        }
        let s = insight::message_stats(&cx, m);
        let over = s.limit.is_some_and(|l| s.length.max > l);
        hints.push(InlayHint {
            position: position_of(&a.rope, line.end, enc),
            label: InlayHintLabel::String(format!(
                "{}{}",
                insight::length_label(&s),
                if over { " ⚠" } else { "" }
            )),
            kind: None,
            text_edits: None,
            tooltip: Some(InlayHintTooltip::String(format!(
                "{} via {}: renders to {} characters (typical {}){}",
                m.kind.as_str(),
                m.channel.as_str(),
                s.length.describe(),
                s.length.typical,
                s.limit.map_or(String::new(), |l| format!(", limit {l}"))
            ))),
            padding_left: Some(true),
            padding_right: None,
            data: None,
        });
    }
    Some(hints)
}

const TOKEN_TYPES: [SemanticTokenType; 6] = [
    SemanticTokenType::VARIABLE,
    SemanticTokenType::FUNCTION,
    SemanticTokenType::STRING,
    SemanticTokenType::PROPERTY,
    SemanticTokenType::COMMENT,
    SemanticTokenType::OPERATOR,
];

pub fn semantic_legend() -> SemanticTokensLegend {
    SemanticTokensLegend {
        token_types: TOKEN_TYPES.to_vec(),
        token_modifiers: vec![SemanticTokenModifier::DEFAULT_LIBRARY],
    }
}

pub fn semantic_tokens(
    state: &State,
    params: SemanticTokensParams,
    pinned: Pinned,
) -> Option<SemanticTokensResult> {
    let a = state.unlinted_view(&params.text_document.uri, pinned)?;
    let enc = state.session().encoding;
    let mut spans: Vec<(Span<usize>, u32, u32)> = Vec::new();
    if a.is_template {
        let t = a.template();
        let cx = Context::new(&t, &a.config, a.inputs());
        for p in &t.placeholders {
            let builtin = cx
                .def(&p.name)
                .is_some_and(|d| d.origin == crate::model::catalog::Origin::Catalog);
            spans.push((p.span.start..p.span.start + 2, 5, 0));
            spans.push((p.name_span.clone(), 0, u32::from(builtin)));
            for f in &p.filters {
                let name_start = a.text[f.span.clone()]
                    .find(|c: char| c.is_ascii_alphabetic())
                    .map_or(f.span.start, |o| f.span.start + o);
                spans.push((name_start..name_start + f.name.len(), 1, 0));
                if let Some(arg) = &f.argument_span {
                    spans.push((arg.clone(), 2, 0));
                }
            }
            spans.push((p.span.end - 2..p.span.end, 5, 0));
        }
        if let Some(fm) = &t.front_matter {
            for (k, _) in &fm.entries {
                spans.push((k.span.clone(), 3, 0));
            }
        }
        for c in &t.comments {
            if !a.text[c.span.clone()].contains('\n') {
                spans.push((c.span.clone(), 4, 0));
            }
        }
    }
    spans.sort_by_key(|s| s.0.start);
    let mut data = Vec::with_capacity(spans.len().min(MAX_SEMANTIC_TOKENS));
    let (mut last_line, mut last_col) = (0u32, 0u32);
    for (span, ty, modifiers) in spans {
        if data.len() == MAX_SEMANTIC_TOKENS {
            break;
        }
        let start = position_of(&a.rope, span.start, enc);
        let end = position_of(&a.rope, span.end, enc);
        if end.line != start.line || end.character <= start.character {
            continue;
        }
        let delta_line = start.line - last_line;
        let delta_start = if delta_line == 0 {
            start.character - last_col
        } else {
            start.character
        };
        data.push(SemanticToken {
            delta_line,
            delta_start,
            length: end.character - start.character,
            token_type: ty,
            token_modifiers_bitset: modifiers,
        });
        last_line = start.line;
        last_col = start.character;
    }
    Some(SemanticTokensResult::Tokens(SemanticTokens {
        result_id: None,
        data,
    }))
}
