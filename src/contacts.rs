//! Contact lists: a CSV with a header row, whose columns map to placeholders. Rows are data, never
//! instructions: a cell holding `{{` or markup is rendered literally and flagged.

use std::path::PathBuf;

use crate::model::catalog::{alias, Category, Origin, PlaceholderDef};
use crate::model::placeholder::to_snake_case;
use crate::text::linkedin_length;

#[derive(Debug, Clone)]
pub struct Column {
    /// The placeholder name the column fills.
    pub name: String,
    /// The header as written in the file.
    pub header: String,
    pub values: Vec<String>,
}

impl Column {
    pub fn empty_count(&self) -> usize {
        self.values.iter().filter(|v| v.trim().is_empty()).count()
    }

    /// Up to `n` distinct non-empty values, in file order.
    pub fn samples(&self, n: usize) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for v in &self.values {
            let v = v.trim();
            if !v.is_empty() && !out.contains(&v) {
                out.push(v);
                if out.len() == n {
                    break;
                }
            }
        }
        out
    }
}

#[derive(Debug, Clone, Default)]
pub struct Contacts {
    pub path: Option<PathBuf>,
    pub columns: Vec<Column>,
    pub rows: usize,
    /// Placeholders for columns that are not in the catalog.
    pub defs: Vec<PlaceholderDef>,
}

/// Whether a cell would smuggle template syntax or markup into a message.
pub fn is_suspicious(cell: &str) -> bool {
    cell.contains("{{") || cell.contains("}}") || cell.contains("<") && cell.contains('>')
}

impl Contacts {
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }

    /// The value of placeholder `name` for row `row` (0-based), None when the column does not exist.
    pub fn value(&self, name: &str, row: usize) -> Option<&str> {
        self.column(name)
            .and_then(|c| c.values.get(row))
            .map(|v| v.trim())
    }

    /// The value a condition reads for field `name` in row `row`: its column, or the column of the
    /// catalog placeholder it spells (`FNAME`, `contact.firstname` → `first_name`).
    pub fn field(&self, name: &str, row: usize) -> Option<&str> {
        self.value(name, row)
            .or_else(|| crate::model::catalog::canonical(name).and_then(|c| self.value(c, row)))
    }

    pub fn file_name(&self) -> String {
        self.path.as_ref().and_then(|p| p.file_name()).map_or_else(
            || "the contact list".to_string(),
            |n| n.to_string_lossy().to_string(),
        )
    }

    /// Parses CSV bytes (a UTF-8 BOM, CRLF, quoted fields and empty cells are fine).
    pub fn parse(bytes: &[u8]) -> Result<Contacts, String> {
        let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .trim(csv::Trim::Headers)
            .from_reader(bytes);
        let headers = reader
            .headers()
            .map_err(|e| format!("cannot read the header row: {e}"))?
            .clone();
        if headers.is_empty() || headers.iter().all(|h| h.trim().is_empty()) {
            return Err("the first row must name the columns (e.g. first_name,company)".into());
        }
        let mut columns: Vec<Column> = Vec::new();
        for h in headers.iter() {
            let name = alias(h)
                .map(str::to_string)
                .unwrap_or_else(|| to_snake_case(h));
            let name = if name.is_empty() {
                format!("column_{}", columns.len() + 1)
            } else {
                name
            };
            columns.push(Column {
                name,
                header: h.to_string(),
                values: Vec::new(),
            });
        }
        let mut rows = 0;
        let mut record = csv::StringRecord::new();
        loop {
            match reader.read_record(&mut record) {
                Ok(false) => break,
                Ok(true) => {
                    if record.iter().all(|c| c.trim().is_empty()) {
                        continue;
                    }
                    for (i, col) in columns.iter_mut().enumerate() {
                        col.values.push(record.get(i).unwrap_or("").to_string());
                    }
                    rows += 1;
                }
                Err(e) => {
                    let line = e.position().map_or(0, |p| p.line());
                    return Err(format!("line {line}: {e}"));
                }
            }
        }
        let builtin = crate::model::catalog::builtin();
        let defs = columns
            .iter()
            .filter(|c| !builtin.iter().any(|d| d.name == c.name))
            .map(|c| {
                let max = c
                    .values
                    .iter()
                    .map(|v| linkedin_length(v.trim()))
                    .max()
                    .unwrap_or(0);
                let samples = c.samples(1);
                PlaceholderDef {
                    name: c.name.clone(),
                    description: format!("Column `{}` of the contact list.", c.header),
                    example: samples.first().map_or_else(String::new, |s| s.to_string()),
                    typical_length: max.min(20),
                    max_length: max,
                    category: Category::Recipient,
                    often_empty: c.empty_count() > 0,
                    suggested_default: String::new(),
                    origin: Origin::Contacts,
                }
            })
            .collect();
        Ok(Contacts {
            path: None,
            columns,
            rows,
            defs,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_map_and_cells_parse() {
        let csv = "\u{feff}First Name,Company Name,Favourite Tool,mutual_connection\r\nAna,\"Acme, Inc.\",Rust,\r\n\"Bo\",,\"He said \"\"hi\"\"\",Jo\r\n\r\n";
        let c = Contacts::parse(csv.as_bytes()).unwrap();
        assert_eq!(c.rows, 2);
        let names: Vec<&str> = c.columns.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(
            names,
            vec![
                "first_name",
                "company",
                "favourite_tool",
                "mutual_connection"
            ]
        );
        assert_eq!(c.value("company", 0), Some("Acme, Inc."));
        assert_eq!(c.column("company").unwrap().empty_count(), 1);
        assert_eq!(c.value("favourite_tool", 1), Some("He said \"hi\""));
        assert_eq!(c.defs.len(), 1);
        assert_eq!(c.defs[0].name, "favourite_tool");
    }

    #[test]
    fn suspicious_cells() {
        assert!(is_suspicious("{{first_name}}"));
        assert!(is_suspicious("<script>x</script>"));
        assert!(!is_suspicious("Acme <3"));
    }
}
