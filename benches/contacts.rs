//! Loading a contact list: 100,000 rows of a realistic CSV (quoted fields, empty cells, CRLF).

use criterion::{criterion_group, criterion_main, Criterion, Throughput};

fn csv(rows: usize) -> String {
    let mut s = String::from(
        "\u{feff}First Name,Last Name,Company Name,Job Title,mutual_connection,event,Notes\r\n",
    );
    let companies = [
        "Acme Robotics",
        "Northwind Logistics",
        "\"Initech, Inc.\"",
        "",
        "Globex",
    ];
    for i in 0..rows {
        s.push_str(&format!(
            "Name{i},Family{},{},Head of Data,{},Web Summit,\"said \"\"hi\"\" at row {i}\"\r\n",
            i % 97,
            companies[i % companies.len()],
            if i % 3 == 0 { "" } else { "Jo Costa" }
        ));
    }
    s
}

fn bench(c: &mut Criterion) {
    let data = csv(100_000);
    let mut g = c.benchmark_group("contacts");
    g.sample_size(10);
    g.throughput(Throughput::Elements(100_000));
    g.bench_function("parse_100k_rows", |b| {
        b.iter(|| {
            let contacts = outreach_lsp::contacts::Contacts::parse(data.as_bytes()).unwrap();
            assert_eq!(contacts.rows, 100_000);
            contacts
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
