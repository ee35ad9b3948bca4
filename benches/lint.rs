//! Core lint throughput on one core: `Template::parse` alone, and `lint` (parse + every rule +
//! levels + suppressions), over the generated 10,000-template corpus and over one 1 MiB sequence file
//! (and over the 2 KiB template of the keystroke benchmark, to separate the core from the server).
//!
//! ```sh
//! cargo bench --bench lint -- --warm-up-time 1 --measurement-time 3
//! ```
//!
//! The corpus groups are measured twice with the same code, once with `Throughput::Bytes` (MiB/s) and
//! once with `Throughput::Elements` (templates/s), because criterion reports one throughput per
//! benchmark.

mod common;

use std::hint::black_box;

use common::corpus;
use criterion::{
    criterion_group, criterion_main, BenchmarkId, Criterion, SamplingMode, Throughput,
};
use outreach_lsp::model::Template;
use outreach_lsp::Config;

fn parse_all(texts: &[String]) -> usize {
    let mut n = 0;
    for t in texts {
        let template = Template::parse(black_box(t));
        n += template.messages.len();
    }
    n
}

fn lint_all(texts: &[String], config: &Config) -> usize {
    let mut n = 0;
    for t in texts {
        n += outreach_lsp::lint(black_box(t), config).findings.len();
    }
    n
}

fn bench_corpus(c: &mut Criterion) {
    let texts: Vec<String> = corpus::corpus(corpus::SEED, corpus::CORPUS_SIZE)
        .into_iter()
        .map(|g| g.text)
        .collect();
    let bytes: usize = texts.iter().map(String::len).sum();
    let config = Config::default();
    let findings = lint_all(&texts, &config);
    eprintln!(
        "corpus: {} templates, {} bytes ({:.2} MiB, {:.0} bytes/template), {} findings",
        texts.len(),
        bytes,
        bytes as f64 / (1 << 20) as f64,
        bytes as f64 / texts.len() as f64,
        findings
    );

    let mut g = c.benchmark_group("corpus");
    g.sampling_mode(SamplingMode::Flat);
    g.sample_size(10);
    for (unit, throughput) in [
        ("bytes", Throughput::Bytes(bytes as u64)),
        ("templates", Throughput::Elements(texts.len() as u64)),
    ] {
        g.throughput(throughput);
        g.bench_with_input(BenchmarkId::new("parse", unit), &texts, |b, t| {
            b.iter(|| parse_all(t))
        });
        g.bench_with_input(BenchmarkId::new("lint", unit), &texts, |b, t| {
            b.iter(|| lint_all(t, &config))
        });
    }
    g.finish();
}

fn bench_big(c: &mut Criterion) {
    let text = corpus::big_sequence(corpus::SEED, corpus::BIG_SIZE);
    let config = Config::default();
    let template = Template::parse(&text);
    let result = outreach_lsp::lint(&text, &config);
    eprintln!(
        "big sequence: {} bytes, {} messages, {} findings",
        text.len(),
        template.messages.len(),
        result.findings.len()
    );
    assert!(
        !result
            .findings
            .iter()
            .any(|f| f.rule.as_str() == "file-too-large"),
        "the 1 MiB file must be linted, not skipped"
    );
    drop(template);

    let mut g = c.benchmark_group("big_1mib");
    g.sampling_mode(SamplingMode::Flat);
    g.sample_size(10);
    parse_and_lint(g, &text, &config);
}

/// `parse` and `lint` of one text, in bytes per second.
fn parse_and_lint(
    mut g: criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    text: &str,
    config: &Config,
) {
    g.throughput(Throughput::Bytes(text.len() as u64));
    g.bench_function("parse", |b| {
        b.iter(|| Template::parse(black_box(text)).messages.len())
    });
    g.bench_function("lint", |b| {
        b.iter(|| outreach_lsp::lint(black_box(text), config).findings.len())
    });
    g.finish();
}

/// The 2 KiB template of the keystroke benchmark, linted alone: the core's share of a keystroke.
fn bench_two_kib(c: &mut Criterion) {
    let text = corpus::two_kib_template();
    let config = Config::default();
    parse_and_lint(c.benchmark_group("two_kib"), &text, &config);
}

/// One message with 10 spintax groups of 5 options each (about ten million renderings): lengths and
/// rules work over the tree, so this must stay well under a millisecond (issue 12).
fn bench_spintax(c: &mut Criterion) {
    let mut text = String::from("{Hi|Hello|Hey|Hi there|Good morning} {{first_name}}, ");
    let groups = [
        (
            "we met at",
            "we both spoke at",
            "I saw you at",
            "we were both at",
            "I remember you from",
        ),
        (
            "the Porto meetup",
            "the robotics fair",
            "the cold-chain summit",
            "the Lisbon forum",
            "the panel",
        ),
        ("and", "where", "when", "as", "and then"),
        (
            "your talk",
            "your question",
            "your post",
            "your demo",
            "your comparison",
        ),
        (
            "on picking robots",
            "about aisles",
            "on dock slots",
            "about sensors",
            "on routing",
        ),
        (
            "stuck with me.",
            "helped us.",
            "changed our plan.",
            "answered a lot.",
            "was great.",
        ),
        (
            "I'm writing because",
            "I ask because",
            "The reason:",
            "Why I write:",
            "Because",
        ),
        (
            "we are choosing",
            "my team picks",
            "we pick",
            "we're testing",
            "we compare",
        ),
        ("a robot", "a vendor", "a layout", "a sensor", "a route"),
    ];
    for (a, b, c2, d, e) in groups {
        text.push_str(&format!("{{{a}|{b}|{c2}|{d}|{e}}} "));
    }
    text.push_str("and I'd value your view.\n");
    let config = Config::default();
    parse_and_lint(c.benchmark_group("spintax_10x5"), &text, &config);
}

/// Dialect conversion of the 1 MiB sequence (parse, convert to Mailchimp, apply), and picking the last
/// of about ten million renderings for `preview --variant` without listing the others.
fn bench_convert(c: &mut Criterion) {
    use outreach_lsp::model::convert::convert;
    use outreach_lsp::model::length::{count_where, nth_rendering, tree};
    use outreach_lsp::model::Dialect;
    let text = corpus::big_sequence(corpus::SEED, corpus::BIG_SIZE);
    let mut g = c.benchmark_group("convert");
    g.sampling_mode(SamplingMode::Flat);
    g.sample_size(10);
    g.throughput(Throughput::Bytes(text.len() as u64));
    g.bench_function("big_1mib_to_mailchimp", |b| {
        b.iter(|| {
            let t = Template::parse(black_box(&text));
            convert(&t, Dialect::Mailchimp).apply(&text).len()
        })
    });
    g.finish();
    let spun = "{a|b|c|d|e} ".repeat(10);
    let t = Template::parse(&spun);
    let nodes = tree(&t, 0..spun.len());
    let last = count_where(&nodes, &t, &|_| None) - 1;
    c.bench_function("variant/last_of_10x5", |b| {
        b.iter(|| {
            nth_rendering(
                &nodes,
                &t,
                &mut |p| p.name.clone(),
                &|_| None,
                black_box(last),
            )
            .map(|s| s.len())
        })
    });
}

/// One message whose greeting and sentences are if/else blocks (a greeting in each branch, a signal
/// in some): the openings are read per rendering of the first line, the signals over the tree.
fn bench_conditionals(c: &mut Criterion) {
    let mut text = String::from(
        "{% if first_name %}{Hi|Hello} {{first_name}},{% else %}{Hi|Hello} there,{% endif %} ",
    );
    for (field, then, otherwise) in [
        (
            "event",
            "we met at {{event}}.",
            "we are both in the Porto freight group.",
        ),
        (
            "mutual_connection",
            "{{mutual_connection}} suggested I write.",
            "I read your post on docks.",
        ),
        (
            "company",
            "I saw {{company}} is hiring.",
            "I saw your team is hiring.",
        ),
        ("title", "As {{title}} you know yards.", "You know yards."),
        (
            "recent_post",
            "Your post {{recent_post}} helped us.",
            "Your posts helped us.",
        ),
    ] {
        text.push_str(&format!(
            "{{% if {field} %}}{then}{{% else %}}{otherwise}{{% endif %}} "
        ));
    }
    text.push_str(
        "I'm writing because we are rebuilding our dock schedule and I'd value your view.\n",
    );
    let config = Config::default();
    parse_and_lint(c.benchmark_group("conditionals_5"), &text, &config);
}

criterion_group!(
    benches,
    bench_corpus,
    bench_big,
    bench_two_kib,
    bench_spintax,
    bench_convert,
    bench_conditionals
);
criterion_main!(benches);
