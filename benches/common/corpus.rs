//! Deterministic generator of realistic outreach templates for the benchmarks.
//!
//! No `rand` crate: a seeded xorshift64* drives every choice, so the same seed always gives the same
//! corpus, byte for byte, on every machine. The templates mix every kind the linter knows
//! (connection requests, follow-ups, accept replies, context requests, InMails, emails and multi-step
//! sequences with `#`/`##` headings), front matter (`channel`, `kind`, `account`, `daily_limit`,
//! `weekly_limit`, custom `placeholders`, `disable`), `{{placeholders}}` with and without
//! `| default: "…"`, HTML comments, suppression comments, links, and a minority of bad phrases
//! (stock invitation text, sales pitch, pushy or unprofessional wording, literal `[First Name]`,
//! misspelled or malformed placeholders, ALL CAPS, `!!`).
#![allow(dead_code)]

/// The seed of the standard benchmark corpus.
pub const SEED: u64 = 0x0DD5_EED5;
/// How many templates the standard corpus holds.
pub const CORPUS_SIZE: usize = 10_000;
/// The size of the big sequence file.
pub const BIG_SIZE: usize = 1 << 20;

/// xorshift64* (Vigna): tiny, fast, good enough to pick words.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        // Scramble the seed so that nearby seeds give unrelated streams; never zero.
        let mut s = seed ^ 0x9E37_79B9_7F4A_7C15;
        s = (s ^ (s >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        s = (s ^ (s >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        s ^= s >> 31;
        Rng(if s == 0 { 1 } else { s })
    }

    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform in `0..n` (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (((self.next_u64() >> 32) * n as u64) >> 32) as usize
    }

    /// True with probability `percent`/100.
    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    pub fn pick<'a, T: ?Sized>(&mut self, items: &[&'a T]) -> &'a T {
        items[self.below(items.len())]
    }
}

const FIRST_NAMES: &[&str] = &[
    "Sarah", "Kenji", "Amara", "Lukas", "Priya", "Mateo", "Ingrid", "Tunde", "Mei", "Olivia",
    "Rafael", "Aisha", "Jonas", "Chloé", "Dmitri", "Nadia",
];
const COMPANIES: &[&str] = &[
    "Acme Robotics",
    "Northwind",
    "Globex Logistics",
    "Initech",
    "Hooli Health",
    "Umbrella Bio",
    "Stark Mobility",
    "Wayne Data",
    "Tyrell Analytics",
    "Soylent Foods",
];
const EVENTS: &[&str] = &[
    "Web Summit",
    "KubeCon Europe",
    "SaaStr Annual",
    "PyCon Lisbon",
    "DevFest Accra",
    "Slush",
    "Money20/20 Amsterdam",
    "Hannover Messe",
    "the Urban Climate Forum",
    "RustConf",
];
const GROUPS: &[&str] = &[
    "Data Engineering Portugal",
    "Women in Product Berlin",
    "Rust Lisbon",
    "Bengaluru Product Circle",
    "Hospitality Leaders Dubai",
    "Open Source Geospatial Brasil",
    "the Platform Engineering group",
];
const SCHOOLS: &[&str] = &[
    "University of Porto",
    "KTH",
    "Politecnico di Milano",
    "University of Cape Town",
    "TU Delft",
    "Universidad de Buenos Aires",
    "IIT Madras",
];
const TOPICS: &[&str] = &[
    "data contracts",
    "streaming pipelines",
    "warehouse robotics",
    "pricing experiments",
    "onboarding junior engineers",
    "cold-chain shipping",
    "predictive maintenance",
    "open-source governance",
    "carbon accounting",
    "hiring for early-stage teams",
    "on-call rotations",
    "urban heat maps",
];
const CITIES: &[&str] = &[
    "Lisbon",
    "Osaka",
    "Nairobi",
    "Berlin",
    "Recife",
    "Thessaloniki",
    "Toronto",
    "Bristol",
    "Amman",
];
const ROLES: &[&str] = &[
    "a data platform lead",
    "two backend engineers",
    "a product designer",
    "a head of partnerships",
    "a robotics engineer",
    "an SRE",
    "a growth marketer",
];
const SENDERS: &[&str] = &[
    "Marta", "Arjun", "Wanjiru", "Eleni", "Tom", "Yusuf", "Camille",
];

/// Openers that give common ground, with placeholders (some with fallbacks).
fn common_ground(r: &mut Rng) -> String {
    match r.below(9) {
        0 => format!(
            "we're both in {{{{shared_group | default: \"{}\"}}}}",
            r.pick(GROUPS)
        ),
        1 => format!(
            "I enjoyed {{{{recent_post | default: \"your recent post\"}}}} on {}",
            r.pick(TOPICS)
        ),
        2 => format!(
            "{{{{mutual_connection | default: \"a former colleague\"}}}} suggested I reach out about {}",
            r.pick(TOPICS)
        ),
        3 => format!(
            "we met briefly at {{{{ event | default: \"{}\" }}}}",
            r.pick(EVENTS)
        ),
        4 => format!(
            "fellow {{{{school | default: \"{}\"}}}} alum here",
            r.pick(SCHOOLS)
        ),
        5 => format!(
            "your talk at {} on {} was the clearest explanation I've heard",
            r.pick(EVENTS),
            r.pick(TOPICS)
        ),
        6 => format!(
            "I saw we share an interest in {{{{shared_interest | default: \"{}\"}}}}",
            r.pick(TOPICS)
        ),
        // Often-empty placeholder without a fallback: `missing-fallback`.
        7 => "I loved your post on {{topic}}".to_string(),
        _ => format!(
            "we have {{{{mutual_connections_count}}}} connections in common around {}",
            r.pick(TOPICS)
        ),
    }
}

/// Why the sender writes.
fn reason(r: &mut Rng) -> String {
    match r.below(7) {
        0 => format!(
            "I'm hiring {} in {} and would value your view on the team we're building",
            r.pick(ROLES),
            r.pick(CITIES)
        ),
        1 => format!(
            "I'm researching how teams at {{{{company}}}} approach {} and would love to learn from you",
            r.pick(TOPICS)
        ),
        2 => format!(
            "I'm reaching out because we're starting a pilot on {} in {}",
            r.pick(TOPICS),
            r.pick(CITIES)
        ),
        3 => "I'd love to hear how you got into {{industry | default: \"this field\"}}".to_string(),
        4 => format!(
            "I'm writing a piece on {} and your perspective would help",
            r.pick(TOPICS)
        ),
        5 => "{{reason | default: \"I'm curious how your team works\"}}".to_string(),
        _ => format!(
            "I'm organising a meetup on {} in {} and looking for speakers",
            r.pick(TOPICS),
            r.pick(CITIES)
        ),
    }
}

/// A bad sentence, for a minority of templates.
fn bad_phrase(r: &mut Rng) -> String {
    let s: &str = match r.below(12) {
        0 => "I'd like to add you to my professional network on LinkedIn.",
        1 => "Our platform helps companies like {{company}} increase your revenue, so can I book a demo?",
        2 => "You must reply ASAP, this is your last chance!!",
        3 => "Gorgeous profile picture, by the way. Would you like to grab a drink sometime?",
        4 => "We offer a FREE TRIAL for ALL NEW CUSTOMERS this WEEK.",
        5 => "Happy to set up a free trial, our pricing starts low and the ROI is guaranteed.",
        6 => "Quick question for you, {{frist_name}}: are you open to a chat?",
        7 => "Say hi to [Company Name] for me.",
        8 => "Let me know what you think about {{ company | upcase }} and {{title | shout}}.",
        9 => "See https://example.com/deck?utm_source=linkedin for details.",
        10 => "I have built three companies and I have led many teams and I know my craft well.",
        _ => "Don't miss this one 🚀🚀🚀",
    };
    s.to_string()
}

fn greeting(r: &mut Rng) -> String {
    match r.below(40) {
        0 => "Hi there,".into(),
        1 => "Dear Sir or Madam,".into(),
        2 => "Hi [First Name],".into(),
        3 => format!("Hi {},", r.pick(FIRST_NAMES)),
        4 => String::new(), // no greeting
        5..=12 => "Hello {{first_name}},".into(),
        13..=16 => "Dear {{ first_name | capitalize }},".into(),
        _ => "Hi {{first_name}},".into(),
    }
}

fn sign_off(r: &mut Rng) -> String {
    match r.below(4) {
        0 => "Best,\n{{sender_name}}".into(),
        1 => "Thanks,\n{{sender_name}}\n{{sender_title}}, {{sender_company}}".into(),
        2 => format!("Warm regards,\n{}", r.pick(SENDERS)),
        _ => "Cheers,\n{{sender_name}}".into(),
    }
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// A connection-request note (short, usually within 300 characters).
fn connection_body(r: &mut Rng) -> String {
    let mut out = String::new();
    let g = greeting(r);
    if g.is_empty() {
        out.push_str(&capitalize(&common_ground(r)));
    } else {
        out.push_str(&g);
        out.push(' ');
        out.push_str(&common_ground(r));
    }
    out.push_str(". ");
    out.push_str(&capitalize(&reason(r)));
    out.push('.');
    if r.chance(15) {
        out.push(' ');
        out.push_str(&bad_phrase(r));
    }
    out.push('\n');
    out
}

fn follow_up_body(r: &mut Rng) -> String {
    let mut out = String::new();
    match r.below(5) {
        0 => out.push_str("Hi {{first_name}}, are you free for a 20-minute call next week?"),
        1 | 2 => out.push_str(&format!(
            "Thanks for connecting, {{{{first_name}}}}! Since {}, I'd love to hear how {{{{company}}}} handles {}. Would a short call next week work?",
            common_ground(r),
            r.pick(TOPICS)
        )),
        _ => out.push_str(&format!(
            "Thanks for connecting, {{{{first_name}}}}! {}. Would you be open to a short call about {}?",
            capitalize(&reason(r)),
            r.pick(TOPICS)
        )),
    }
    if r.chance(10) {
        out.push(' ');
        out.push_str(&bad_phrase(r));
    }
    out.push('\n');
    out
}

fn accept_body(r: &mut Rng) -> String {
    let mut out = match r.below(4) {
        0 => format!(
            "Thanks for the invite, {{{{first_name}}}}! Always glad to meet people from {{{{company}}}} — what are you working on in {}?",
            r.pick(CITIES)
        ),
        1 => "Hi {{first_name}}, thanks for the invitation! I don't think we've met yet. What made you get in touch?".into(),
        2 => format!(
            "Hi {{{{first_name}}}}, happy to connect! {}, so I'd love to compare notes.",
            capitalize(&common_ground(r))
        ),
        _ => "Thanks for connecting!".into(),
    };
    if r.chance(10) {
        out.push(' ');
        out.push_str(&bad_phrase(r));
    }
    out.push('\n');
    out
}

/// A longer message with a subject (InMail or email).
fn long_body(r: &mut Rng, subject_prefix: &str) -> String {
    let mut out = String::new();
    let subject = match r.below(4) {
        0 => format!("{subject_prefix}{} at {{{{company}}}}", capitalize(r.pick(TOPICS))),
        1 => format!("Your talk on {} at {{{{event | default: \"{}\"}}}}", r.pick(TOPICS), r.pick(EVENTS)),
        2 => "A quick question about how {{company}} is currently handling its data platform migration project this year".into(),
        _ => format!("Question about {}", r.pick(TOPICS)),
    };
    out.push_str("Subject: ");
    out.push_str(&subject);
    out.push_str("\n\n");
    let g = greeting(r);
    if !g.is_empty() {
        out.push_str(&g);
        out.push_str("\n\n");
    }
    let paragraphs = 1 + r.below(3);
    for p in 0..paragraphs {
        if p == 0 {
            out.push_str(&capitalize(&common_ground(r)));
            out.push_str(". ");
            out.push_str(&capitalize(&reason(r)));
            out.push('.');
        } else {
            out.push_str(&format!(
                "To give you some background: our team in {} has spent two years on {}, and we keep running into questions about {}. ",
                r.pick(CITIES),
                r.pick(TOPICS),
                r.pick(TOPICS)
            ));
            out.push_str(&format!(
                "I noticed {{{{company}}}} took a different approach to {}, which is why I thought of you.",
                r.pick(TOPICS)
            ));
        }
        if r.chance(12) {
            out.push(' ');
            out.push_str(&bad_phrase(r));
        }
        out.push_str("\n\n");
    }
    if r.chance(20) {
        out.push_str("<!-- note to self: personalise the second paragraph before sending -->\n");
    }
    out.push_str("Would you be open to a 15-minute call, or a short reply by email?\n\n");
    out.push_str(&sign_off(r));
    out.push('\n');
    out
}

fn front_matter(r: &mut Rng, channel: Option<&str>, kind: Option<&str>) -> String {
    let mut out = String::from("---\n");
    if let Some(c) = channel {
        out.push_str(&format!("channel: {c}\n"));
    }
    if let Some(k) = kind {
        out.push_str(&format!("kind: {k}\n"));
    }
    if r.chance(40) {
        out.push_str(if r.chance(50) {
            "account: free\n"
        } else {
            "account: premium\n"
        });
    }
    if r.chance(35) {
        // Mostly sensible, sometimes over LinkedIn's comfort zone.
        let v = if r.chance(80) {
            5 + r.below(16)
        } else {
            25 + r.below(80)
        };
        out.push_str(&format!("daily_limit: {v}\n"));
    }
    if r.chance(15) {
        out.push_str(&format!("weekly_limit: {}\n", 40 + r.below(100)));
    }
    if r.chance(8) {
        out.push_str(
            "placeholders:\n  podcast_name:\n    description: The recipient's podcast\n    example: Data Talks\n    max_length: 40\n    optional: true\n    category: common-ground\n",
        );
    }
    if r.chance(6) {
        out.push_str("disable: [self-focused]\n");
    }
    if r.chance(5) {
        out.push_str("tags: [outbound, q3]\n");
    }
    out.push_str("---\n");
    out
}

/// Kinds of generated templates, in the proportions of a typical folder.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TemplateKind {
    ConnectionRequest,
    FollowUp,
    AcceptReply,
    ContextRequest,
    Inmail,
    Email,
    Sequence,
}

impl TemplateKind {
    pub fn prefix(self) -> &'static str {
        match self {
            TemplateKind::ConnectionRequest => "cr",
            TemplateKind::FollowUp => "fu",
            TemplateKind::AcceptReply => "ar",
            TemplateKind::ContextRequest => "ctx",
            TemplateKind::Inmail => "im",
            TemplateKind::Email => "em",
            TemplateKind::Sequence => "seq",
        }
    }
}

fn pick_kind(r: &mut Rng) -> TemplateKind {
    match r.below(100) {
        0..=31 => TemplateKind::ConnectionRequest,
        32..=45 => TemplateKind::FollowUp,
        46..=54 => TemplateKind::AcceptReply,
        55..=57 => TemplateKind::ContextRequest,
        58..=67 => TemplateKind::Inmail,
        68..=81 => TemplateKind::Email,
        _ => TemplateKind::Sequence,
    }
}

/// One message section of a sequence: a heading (with an explicit kind comment now and then) and a body.
fn sequence_step(r: &mut Rng, level: &str, step: usize, email: bool) -> String {
    let mut out = String::new();
    let (title, body) = match r.below(9) {
        0 | 1 if !email => ("Connection request".to_string(), connection_body(r)),
        0 | 1 => ("Email 1".to_string(), long_body(r, "")),
        2 | 3 => (
            if r.chance(50) {
                "Follow-up after accepting".to_string()
            } else {
                "Second follow-up".to_string()
            },
            follow_up_body(r),
        ),
        4 => ("Accept reply".to_string(), accept_body(r)),
        5 => ("InMail if no answer".to_string(), long_body(r, "Re: ")),
        6 => ("Cold email".to_string(), long_body(r, "")),
        7 => (
            format!("Step {step} <!-- outreach: kind=follow-up channel=linkedin-message -->"),
            follow_up_body(r),
        ),
        _ => (
            format!("Step {step} <!-- outreach: kind=connection-request -->"),
            connection_body(r),
        ),
    };
    out.push_str(level);
    out.push(' ');
    out.push_str(&title);
    out.push_str("\n\n");
    if r.chance(4) {
        out.push_str("<!-- outreach-lsp-disable-next-line sales-pitch -- approved by legal -->\n");
    }
    out.push_str(&body);
    out.push('\n');
    out
}

/// One template of the given kind, seeded by `r`.
pub fn template(r: &mut Rng, kind: TemplateKind) -> String {
    let mut out = String::new();
    let with_fm = r.chance(65);
    match kind {
        TemplateKind::ConnectionRequest => {
            if with_fm {
                out.push_str(&front_matter(r, Some("linkedin-connection"), None));
            }
            out.push_str(&connection_body(r));
        }
        TemplateKind::FollowUp => {
            out.push_str(&front_matter(
                r,
                Some("linkedin-message"),
                Some("follow-up"),
            ));
            out.push_str(&follow_up_body(r));
        }
        TemplateKind::AcceptReply => {
            out.push_str(&front_matter(
                r,
                Some("linkedin-message"),
                Some("accept-reply"),
            ));
            out.push_str(&accept_body(r));
        }
        TemplateKind::ContextRequest => {
            out.push_str(&front_matter(
                r,
                Some("linkedin-message"),
                Some("context-request"),
            ));
            out.push_str(if r.chance(50) {
                "Hi {{first_name}}, thanks for the invitation! I don't think we've met yet — what made you get in touch?\n"
            } else {
                "Hi {{first_name}}, thanks for the invite! I see you're at {{company}} and work on {{topic | default: \"data tooling\"}}; what made you get in touch?\n"
            });
        }
        TemplateKind::Inmail => {
            out.push_str(&front_matter(r, Some("linkedin-inmail"), None));
            out.push_str(&long_body(r, ""));
        }
        TemplateKind::Email => {
            out.push_str(&front_matter(r, Some("email"), None));
            out.push_str(&long_body(r, ""));
        }
        TemplateKind::Sequence => {
            let email = r.chance(25);
            if with_fm || email {
                out.push_str(&front_matter(
                    r,
                    Some(if email {
                        "email"
                    } else {
                        "linkedin-connection"
                    }),
                    None,
                ));
            }
            if r.chance(30) {
                out.push_str("Notes: send step 2 three days after the invitation is accepted.\n\n");
            }
            let level = if r.chance(50) { "#" } else { "##" };
            let steps = 2 + r.below(3);
            for s in 1..=steps {
                out.push_str(&sequence_step(r, level, s, email));
            }
        }
    }
    out
}

/// One generated template: a file name (`NNNNN-kind.outreach.md`) and its text.
pub struct Generated {
    pub name: String,
    pub text: String,
}

/// The standard corpus: `n` templates from `seed`.
pub fn corpus(seed: u64, n: usize) -> Vec<Generated> {
    let mut r = Rng::new(seed);
    (0..n)
        .map(|i| {
            let kind = pick_kind(&mut r);
            let text = template(&mut r, kind);
            Generated {
                name: format!("{i:05}-{}.outreach.md", kind.prefix()),
                text,
            }
        })
        .collect()
}

/// A single sequence file of about `size` bytes (never more): front matter, notes, then as many
/// `## Step N` sections as fit.
pub fn big_sequence(seed: u64, size: usize) -> String {
    let mut r = Rng::new(seed ^ 0xB16);
    let mut out = String::from(
        "---\nchannel: linkedin-connection\naccount: premium\ndaily_limit: 15\nweekly_limit: 70\n---\n",
    );
    out.push_str(
        "Notes: the whole outreach playbook for the autumn hiring push, one step per section.\n\n",
    );
    let mut n = 1;
    loop {
        let mut step = String::new();
        // `## Step N` headings; the kind comes from an explicit comment or a word in the heading.
        let body = match r.below(6) {
            0 | 1 => {
                step.push_str(&format!(
                    "## Step {n}: connection request <!-- outreach: kind=connection-request -->\n\n"
                ));
                connection_body(&mut r)
            }
            2 | 3 => {
                step.push_str(&format!(
                    "## Step {n}: follow-up <!-- outreach: kind=follow-up channel=linkedin-message -->\n\n"
                ));
                follow_up_body(&mut r)
            }
            4 => {
                step.push_str(&format!("## Step {n}: accept reply\n\n"));
                accept_body(&mut r)
            }
            _ => {
                step.push_str(&format!("## Step {n}: InMail\n\n"));
                long_body(&mut r, "")
            }
        };
        step.push_str(&body);
        step.push('\n');
        if out.len() + step.len() > size {
            break;
        }
        out.push_str(&step);
        n += 1;
    }
    out
}

/// A sequence template of close to `size` bytes (never more; within about 100 bytes for sizes from
/// 2 KiB up), for the keystroke and memory benchmarks.
pub fn sized_template(seed: u64, size: usize) -> String {
    let mut r = Rng::new(seed);
    let mut out =
        String::from("---\nchannel: linkedin-connection\naccount: premium\ndaily_limit: 12\n---\n");
    let mut n = 1;
    let mut misses = 0;
    while size.saturating_sub(out.len()) > 100 && misses < 200 {
        let step = sequence_step(&mut r, "##", n, false);
        if out.len() + step.len() <= size {
            out.push_str(&step);
            n += 1;
        } else {
            misses += 1;
        }
    }
    out
}

/// The 2 KiB template of the keystroke benchmark (also linted alone in `benches/lint.rs`).
pub fn two_kib_template() -> String {
    sized_template(SEED ^ 2, 2048)
}

/// Where to type in `text`: the middle of the middle non-empty prose line (not a heading, not front
/// matter, not a comment), as a byte offset, a 0-based line and a UTF-16 column.
pub fn middle_of(text: &str) -> (usize, u32, u32) {
    let body_start = text
        .strip_prefix("---\n")
        .and_then(|rest| rest.find("\n---\n").map(|p| 4 + p + 5))
        .unwrap_or(0);
    let mut candidates = Vec::new();
    let mut offset = 0;
    for (i, line) in text.split_inclusive('\n').enumerate() {
        let l = line.trim_end();
        if offset >= body_start
            && l.len() > 40
            && l.is_ascii()
            && !l.starts_with('#')
            && !l.starts_with("<!--")
            && !l.starts_with("Subject:")
        {
            candidates.push((offset, i, l.len()));
        }
        offset += line.len();
    }
    let total_lines = text.lines().count();
    let (off, line, len) = candidates
        .iter()
        .copied()
        .min_by_key(|&(_, i, _)| i.abs_diff(total_lines / 2))
        .expect("a prose line to type in");
    // Between two words near the middle of the line.
    let mid = text[off + len / 2..off + len]
        .find(' ')
        .map_or(len / 2, |p| len / 2 + p);
    (off + mid, line as u32, mid as u32)
}
