//! The built-in placeholder catalog: every placeholder a template may use without declaring it.

use serde::Serialize;

/// What a placeholder says about the recipient, which the etiquette rules reason about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, PartialOrd, Ord)]
#[serde(rename_all = "kebab-case")]
pub enum Category {
    /// Facts about the recipient (name, employer, title).
    Recipient,
    /// Something the sender and the recipient share (a mutual connection, an event, a post).
    CommonGround,
    /// Why the sender is writing.
    Reason,
    /// Facts about the sender.
    Sender,
}

impl Category {
    pub const ALL: [Category; 4] = [
        Category::Recipient,
        Category::CommonGround,
        Category::Reason,
        Category::Sender,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Category::Recipient => "recipient",
            Category::CommonGround => "common-ground",
            Category::Reason => "reason",
            Category::Sender => "sender",
        }
    }

    pub fn parse(s: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

/// Where a placeholder definition came from (shown on hover).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Origin {
    Catalog,
    FrontMatter,
    Config,
    Contacts,
}

impl Origin {
    pub fn describe(&self) -> &'static str {
        match self {
            Origin::Catalog => "built-in catalog",
            Origin::FrontMatter => "this file's front matter",
            Origin::Config => ".outreach.toml / editor settings",
            Origin::Contacts => "a column of the contact list",
        }
    }
}

/// One known placeholder.
#[derive(Debug, Clone, Serialize)]
pub struct PlaceholderDef {
    pub name: String,
    pub description: String,
    pub example: String,
    pub typical_length: usize,
    pub max_length: usize,
    pub category: Category,
    /// Often empty in real contact data, so it wants a `| default:` fallback.
    pub often_empty: bool,
    /// The fallback for this placeholder: what the `missing-fallback` fix and the `| default:`
    /// completion propose ("the event", "your company"; "there" only for names).
    pub suggested_default: String,
    pub origin: Origin,
}

impl PlaceholderDef {
    /// The name placeholders only address the person; they say nothing specific about them.
    pub fn is_name(&self) -> bool {
        matches!(self.name.as_str(), "first_name" | "last_name" | "full_name")
    }
}

type Entry = (
    &'static str,
    Category,
    &'static str,
    &'static str,
    usize,
    usize,
    bool,
    &'static str,
);

use Category::*;
const CATALOG: &[Entry] = &[
    // name, category, description, example, typical, max, often empty, suggested default
    (
        "first_name",
        Recipient,
        "The recipient's first name.",
        "Ana",
        6,
        20,
        false,
        "there",
    ),
    (
        "last_name",
        Recipient,
        "The recipient's family name.",
        "Silva",
        7,
        25,
        false,
        "",
    ),
    (
        "full_name",
        Recipient,
        "The recipient's full name.",
        "Ana Silva",
        14,
        45,
        false,
        "there",
    ),
    (
        "company",
        Recipient,
        "The recipient's current employer.",
        "Acme Robotics",
        12,
        40,
        false,
        "your company",
    ),
    (
        "title",
        Recipient,
        "The recipient's job title.",
        "Head of Data",
        18,
        60,
        false,
        "your role",
    ),
    (
        "industry",
        Recipient,
        "The recipient's industry.",
        "Logistics",
        12,
        40,
        true,
        "your industry",
    ),
    (
        "location",
        Recipient,
        "Where the recipient is based.",
        "Lisbon",
        10,
        40,
        true,
        "your area",
    ),
    (
        "school",
        CommonGround,
        "A school or university you both attended.",
        "University of Porto",
        20,
        60,
        true,
        "the same school",
    ),
    (
        "mutual_connection",
        CommonGround,
        "A person you both know.",
        "João Costa",
        12,
        40,
        true,
        "a colleague",
    ),
    (
        "mutual_connections_count",
        CommonGround,
        "How many connections you share.",
        "12",
        2,
        4,
        false,
        "a few",
    ),
    (
        "shared_group",
        CommonGround,
        "A LinkedIn group or community you are both in.",
        "Data Engineering Portugal",
        24,
        60,
        true,
        "our group",
    ),
    (
        "event",
        CommonGround,
        "An event you both attended or spoke at.",
        "Web Summit",
        14,
        50,
        true,
        "the event",
    ),
    (
        "recent_post",
        CommonGround,
        "A recent post or article of theirs.",
        "your post on data contracts",
        30,
        80,
        true,
        "your recent post",
    ),
    (
        "shared_interest",
        CommonGround,
        "An interest you share.",
        "open-source tooling",
        18,
        50,
        true,
        "our field",
    ),
    (
        "reason",
        Reason,
        "Why you are writing to this person.",
        "I'm hiring a data lead in Lisbon",
        40,
        120,
        true,
        "I'd value your perspective",
    ),
    (
        "topic",
        Reason,
        "The subject you would like to discuss.",
        "streaming pipelines",
        20,
        60,
        true,
        "your work",
    ),
    (
        "sender_name",
        Sender,
        "Your name.",
        "Marta",
        6,
        25,
        false,
        "",
    ),
    (
        "sender_company",
        Sender,
        "Your employer.",
        "Northwind",
        10,
        40,
        false,
        "",
    ),
    (
        "sender_title",
        Sender,
        "Your job title.",
        "Talent Partner",
        16,
        50,
        false,
        "",
    ),
];

/// The built-in definitions, in catalog order.
pub fn builtin() -> Vec<PlaceholderDef> {
    CATALOG
        .iter()
        .map(
            |&(name, category, description, example, typical, max, often_empty, default)| {
                PlaceholderDef {
                    name: name.to_string(),
                    description: description.to_string(),
                    example: example.to_string(),
                    typical_length: typical,
                    max_length: max,
                    category,
                    often_empty,
                    suggested_default: default.to_string(),
                    origin: Origin::Catalog,
                }
            },
        )
        .collect()
}

/// Maps how people write a field elsewhere (`First Name`, `FNAME`, `firstName`, `Company Name`) to a
/// catalog name. Used for literal placeholders and for CSV headers.
pub fn alias(raw: &str) -> Option<&'static str> {
    let key: String = raw
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect();
    Some(match key.as_str() {
        "firstname" | "fname" | "first" | "name" | "givenname" | "forename"
        | "contactfirstname" | "leadfirstname" | "recipientname" | "theirname" | "prospectname" => {
            "first_name"
        }
        "lastname" | "lname" | "surname" | "familyname" | "contactlastname" => "last_name",
        "fullname" | "contactname" | "leadname" => "full_name",
        "company" | "companyname" | "organization" | "organisation" | "org" | "employer"
        | "account" | "accountname" | "contactaccountname" | "theircompany" => "company",
        "title" | "jobtitle" | "position" | "role" | "headline" | "contacttitle" => "title",
        "industry" | "sector" => "industry",
        "location" | "city" | "region" | "country" => "location",
        "school" | "university" | "college" | "almamater" => "school",
        "mutualconnection" | "mutual" | "mutualfriend" | "referrer" => "mutual_connection",
        "mutualconnections" | "mutualconnectionscount" | "sharedconnections" => {
            "mutual_connections_count"
        }
        "sharedgroup" | "group" => "shared_group",
        "event" | "eventname" | "conference" => "event",
        "recentpost" | "post" | "article" => "recent_post",
        "sharedinterest" | "interest" => "shared_interest",
        "reason" => "reason",
        "topic" | "subject" => "topic",
        "yourname" | "myname" | "sendername" => "sender_name",
        "yourcompany" | "mycompany" | "sendercompany" => "sender_company",
        "yourtitle" | "mytitle" | "sendertitle" => "sender_title",
        _ => return None,
    })
}

/// Object prefixes of dotted names (`{{ contact.first_name }}`, `{{ lead.company }}`): the field
/// after them is what the catalog knows.
const OBJECTS: &[&str] = &[
    "contact.",
    "lead.",
    "recipient.",
    "prospect.",
    "person.",
    "user.",
    "customer.",
    "subscriber.",
];

/// The catalog placeholder a name written in any convention stands for: `firstName`, `FIRST_NAME`,
/// `FirstName`, `first_name`, `FNAME`, `contact.firstname`, `company_name`, `job_title`, `name`. The one
/// table behind name lookups and the suggestions of `unknown-placeholder` and `literal-placeholder`.
/// Narrower than [`alias`] (which reads CSV headers and hand-written stand-ins): a placeholder
/// `{{position}}` in a recruiter's note is the open role, not the recipient's title.
pub fn canonical(name: &str) -> Option<&'static str> {
    let lower = name.to_ascii_lowercase();
    if lower == "company.name" || lower == "account.name" {
        return Some("company");
    }
    let field = OBJECTS
        .iter()
        .find_map(|o| lower.strip_prefix(o))
        .map_or(name, |_| &name[name.find('.').map_or(0, |d| d + 1)..]);
    // Case and separators are a convention (`firstName`, `FIRST_NAME`, `first-name`).
    let snake = super::placeholder::to_snake_case(field);
    if let Some(d) = CATALOG.iter().find(|e| e.0 == snake) {
        return Some(d.0);
    }
    let key: String = snake.chars().filter(|c| *c != '_').collect();
    // Catalog names written without separators (`firstname`, HubSpot's properties) and the few
    // names senders use for the same fields.
    if let Some(d) = CATALOG.iter().find(|e| e.0.replace('_', "") == key) {
        return Some(d.0);
    }
    Some(match key.as_str() {
        "fname" | "name" | "givenname" => "first_name",
        "lname" | "surname" | "familyname" => "last_name",
        "companyname" | "accountname" => "company",
        "jobtitle" => "title",
        // The sender's own fields, as senders name them from their side (`{{your_name}}`,
        // `{{my_company}}`): suggesting `full_name` for these would put the recipient's name in the
        // signature.
        "yourname" | "myname" => "sender_name",
        "yourcompany" | "mycompany" => "sender_company",
        "yourtitle" | "mytitle" => "sender_title",
        _ => return None,
    })
}

/// Whether two written names stand for the same placeholder.
pub fn same_placeholder(a: &str, b: &str) -> bool {
    a == b || canonical(a).is_some_and(|x| Some(x) == canonical(b))
}

/// The README's placeholder table, generated from the catalog.
pub fn markdown_table() -> String {
    let mut s = String::from(
        "| placeholder | category | example | typical / max | often empty |\n|---|---|---|---|---|\n",
    );
    for d in builtin() {
        s.push_str(&format!(
            "| `{}` | {} | {} | {} / {} | {} |\n",
            d.name,
            d.category.as_str(),
            d.example,
            d.typical_length,
            d.max_length,
            if d.often_empty { "yes" } else { "no" }
        ));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalog_has_required_names() {
        let names: Vec<String> = builtin().into_iter().map(|d| d.name).collect();
        for n in [
            "first_name",
            "last_name",
            "full_name",
            "company",
            "title",
            "industry",
            "location",
            "school",
            "mutual_connection",
            "mutual_connections_count",
            "shared_group",
            "event",
            "recent_post",
            "shared_interest",
            "reason",
            "topic",
            "sender_name",
            "sender_company",
            "sender_title",
        ] {
            assert!(names.iter().any(|x| x == n), "{n} missing");
        }
    }

    #[test]
    fn aliases() {
        assert_eq!(alias("First Name"), Some("first_name"));
        assert_eq!(alias("firstName"), Some("first_name"));
        assert_eq!(alias("Company Name"), Some("company"));
        assert_eq!(alias("FNAME"), Some("first_name"));
        assert_eq!(alias("banana"), None);
    }

    #[test]
    fn conventions_resolve_to_one_placeholder() {
        for n in [
            "firstName",
            "FIRST_NAME",
            "first_name",
            "FirstName",
            "FNAME",
            "contact.firstname",
            "contact.first_name",
            "name",
        ] {
            assert_eq!(canonical(n), Some("first_name"), "{n}");
        }
        assert_eq!(canonical("company_name"), Some("company"));
        assert_eq!(canonical("contact.company"), Some("company"));
        assert_eq!(canonical("job_title"), Some("title"));
        assert_eq!(canonical("contact.jobtitle"), Some("title"));
        assert_eq!(canonical("podcast"), None);
        assert_eq!(canonical("your_name"), Some("sender_name"));
        assert_eq!(canonical("myCompany"), Some("sender_company"));
        assert!(same_placeholder("FNAME", "first_name"));
    }
}
