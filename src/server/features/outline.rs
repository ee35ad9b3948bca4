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
    // Symbols are built in document order, so one forward pass maps their offsets.
    let mut at = PositionCursor::new(&a.rope, &a.text, enc);
    let mut symbols = Vec::new();
    // Choices count against the same bound as messages.
    let mut budget = MAX_MESSAGES_PER_ANSWER;
    if let Some(fm) = &t.front_matter {
        symbols.push(DocumentSymbol {
            name: "Front matter".into(),
            detail: None,
            kind: SymbolKind::MODULE,
            tags: None,
            deprecated: None,
            range: at.range(fm.span.clone()),
            selection_range: at.range(0..3.min(a.text.len())),
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
            range: at.range(full),
            selection_range: at.range(sel),
            children: {
                let nodes = if t.choices.is_empty() {
                    Vec::new()
                } else {
                    crate::model::length::tree(&t, m.span.clone())
                };
                let children = choice_symbols(&t, &mut at, &nodes, &mut budget);
                (!children.is_empty()).then_some(children)
            },
        });
    }
    Some(DocumentSymbolResponse::Nested(symbols))
}

/// The choices among `nodes` as symbols: a spintax group or a block, with a child per option (its
/// condition as detail) holding the choices nested in it.
#[allow(deprecated)]
fn choice_symbols(
    t: &Template<'_>,
    at: &mut PositionCursor<'_>,
    nodes: &[crate::model::length::Node<'_>],
    budget: &mut usize,
) -> Vec<DocumentSymbol> {
    use crate::model::length::Node;
    use crate::model::tag;
    use crate::model::ChoiceKind;
    let mut out = Vec::new();
    for node in nodes {
        let Node::Choice { index, branches } = node else {
            continue;
        };
        if *budget == 0 {
            break;
        }
        *budget -= 1;
        let c = &t.choices[*index];
        let opening = tag::opening(t, c);
        let (name, kind) = match c.kind {
            ChoiceKind::Spintax => (
                super::hover::shorten(&t.text[c.span.clone()]),
                SymbolKind::ENUM,
            ),
            _ => (
                tag::inside(t.text, opening.clone(), t.dialect),
                SymbolKind::STRUCT,
            ),
        };
        // Positions in document order: the choice, then each option and what it holds.
        let range = at.range(c.span.clone());
        let selection_range = at.range(opening);
        let mut children = Vec::new();
        for (i, (b, nested)) in c.branches.iter().zip(branches).enumerate() {
            if *budget == 0 {
                break;
            }
            *budget -= 1;
            let tag_span = tag::branch_tag(t, c, i);
            let detail = match (&tag_span, c.kind) {
                (Some(r), _) => tag::inside(t.text, r.clone(), t.dialect),
                (None, ChoiceKind::Spintax) => format!("option {} of {}", i + 1, c.branches.len()),
                (None, _) => "otherwise".into(),
            };
            let written = t.text[b.span.clone()].trim();
            let name = if b.implicit {
                "(nothing)".to_string()
            } else if written.is_empty() {
                "(empty)".to_string()
            } else {
                super::hover::shorten(written)
            };
            let start = tag_span.as_ref().map_or(b.span.start, |r| r.start);
            let selection = tag_span.clone().unwrap_or(b.span.clone());
            let range = at.range(start..b.span.end);
            let selection_range = at.range(selection);
            let nested = choice_symbols(t, at, nested, budget);
            children.push(DocumentSymbol {
                name,
                detail: Some(detail),
                kind: SymbolKind::ENUM_MEMBER,
                tags: None,
                deprecated: None,
                range,
                selection_range,
                children: (!nested.is_empty()).then_some(nested),
            });
        }
        out.push(DocumentSymbol {
            name: if name.is_empty() {
                c.kind.as_str().into()
            } else {
                name
            },
            detail: Some(format!(
                "{} · {} options",
                c.kind.as_str(),
                c.branches.len()
            )),
            kind,
            tags: None,
            deprecated: None,
            range,
            selection_range,
            children: Some(children),
        });
    }
    out
}

/// Folding ranges over multi-line blocks: the whole block (its closing tag stays visible), and each
/// later branch from its tag to the line before the next tag.
pub fn folding_ranges(
    state: &State,
    params: FoldingRangeParams,
    pinned: Pinned,
) -> Option<Vec<FoldingRange>> {
    use crate::model::tag;
    let a = state.unlinted_view(&params.text_document.uri, pinned)?;
    if !a.is_template {
        return Some(Vec::new());
    }
    let t = a.template();
    let enc = state.session().encoding;
    // Choices come sorted by start: one forward pass over their opening tags, a copy of it for the
    // tags inside each.
    let mut at = PositionCursor::new(&a.rope, &a.text, enc);
    let mut out = Vec::new();
    for c in t
        .choices
        .iter()
        .filter(|c| c.kind != crate::model::ChoiceKind::Spintax)
    {
        if out.len() >= MAX_MESSAGES_PER_ANSWER {
            break;
        }
        let mut bounds = vec![tag::opening(&t, c)];
        bounds.extend((1..c.branches.len()).filter_map(|i| tag::branch_tag(&t, c, i)));
        bounds.push(tag::closing(&t, c));
        let first_line = at.position(bounds[0].start).line;
        let mut inside = at.clone();
        let lines: Vec<u32> = std::iter::once(first_line)
            .chain(bounds[1..].iter().map(|r| inside.position(r.start).line))
            .collect();
        let mut fold = |s: u32, e: u32, text: String| {
            if e > s + 1 {
                out.push(FoldingRange {
                    start_line: s,
                    start_character: None,
                    end_line: e - 1,
                    end_character: None,
                    kind: Some(FoldingRangeKind::Region),
                    collapsed_text: Some(text),
                });
            }
        };
        let n = bounds.len();
        fold(
            lines[0],
            lines[n - 1],
            t.text[bounds[0].clone()].trim().to_string(),
        );
        for k in 1..n - 1 {
            fold(
                lines[k],
                lines[k + 1],
                t.text[bounds[k].clone()].trim().to_string(),
            );
        }
    }
    Some(out)
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

/// The legend; new types are appended so the indices clients cached stay valid.
const TOKEN_TYPES: [SemanticTokenType; 7] = [
    SemanticTokenType::VARIABLE,
    SemanticTokenType::FUNCTION,
    SemanticTokenType::STRING,
    SemanticTokenType::PROPERTY,
    SemanticTokenType::COMMENT,
    SemanticTokenType::OPERATOR,
    SemanticTokenType::KEYWORD,
];

/// The legend index of a piece of tag syntax: the standard types themes already colour.
fn tag_token(part: crate::model::tag::Part) -> u32 {
    use crate::model::tag::Part;
    match part {
        Part::Field => 0,
        Part::Literal => 2,
        Part::Comment => 4,
        Part::Delimiter | Part::Operator => 5,
        Part::Keyword => 6,
    }
}

/// `span` cut at line breaks (a token cannot span lines).
fn per_line(text: &str, span: Span<usize>) -> impl Iterator<Item = Span<usize>> + '_ {
    let start = span.start;
    text[span]
        .split_inclusive('\n')
        .scan(start, |at, line| {
            let s = *at;
            *at += line.len();
            Some(s..s + line.trim_end_matches(['\n', '\r']).len())
        })
        .filter(|r| !r.is_empty())
}

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
        for (span, part) in crate::model::tag::parts(&t) {
            let ty = tag_token(part);
            if part == crate::model::tag::Part::Comment {
                spans.extend(per_line(&a.text, span).map(|r| (r, ty, 0)));
            } else {
                spans.push((span, ty, 0));
            }
        }
    }
    spans.sort_by_key(|s| s.0.start);
    let mut data = Vec::with_capacity(spans.len().min(MAX_SEMANTIC_TOKENS));
    let (mut last_line, mut last_col) = (0u32, 0u32);
    // Tokens are sorted by start: one forward pass maps them.
    let mut at = PositionCursor::new(&a.rope, &a.text, enc);
    for (span, ty, modifiers) in spans {
        if data.len() == MAX_SEMANTIC_TOKENS {
            break;
        }
        let Range { start, end } = at.range(span);
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
