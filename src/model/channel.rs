//! Channels (where a message is sent), kinds (what role it plays) and their length limits.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, PartialOrd, Ord)]
#[serde(rename_all = "kebab-case")]
pub enum Channel {
    LinkedinConnection,
    LinkedinMessage,
    LinkedinInmail,
    Email,
}

impl Channel {
    pub const ALL: [Channel; 4] = [
        Channel::LinkedinConnection,
        Channel::LinkedinMessage,
        Channel::LinkedinInmail,
        Channel::Email,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Channel::LinkedinConnection => "linkedin-connection",
            Channel::LinkedinMessage => "linkedin-message",
            Channel::LinkedinInmail => "linkedin-inmail",
            Channel::Email => "email",
        }
    }

    pub fn parse(s: &str) -> Option<Channel> {
        Channel::ALL.into_iter().find(|c| c.as_str() == s)
    }

    pub fn describe(self) -> &'static str {
        match self {
            Channel::LinkedinConnection => "the note attached to a LinkedIn invitation",
            Channel::LinkedinMessage => "a LinkedIn message to a first-degree connection",
            Channel::LinkedinInmail => "a LinkedIn InMail to someone you are not connected to",
            Channel::Email => "an email",
        }
    }

    /// The kind a message has when nothing else says.
    pub fn default_kind(self) -> Kind {
        match self {
            Channel::LinkedinConnection => Kind::ConnectionRequest,
            Channel::LinkedinMessage => Kind::Message,
            Channel::LinkedinInmail => Kind::Inmail,
            Channel::Email => Kind::Email,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, PartialOrd, Ord)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    ConnectionRequest,
    FollowUp,
    AcceptReply,
    ContextRequest,
    Inmail,
    Email,
    Message,
}

impl Kind {
    pub const ALL: [Kind; 7] = [
        Kind::ConnectionRequest,
        Kind::FollowUp,
        Kind::AcceptReply,
        Kind::ContextRequest,
        Kind::Inmail,
        Kind::Email,
        Kind::Message,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::ConnectionRequest => "connection-request",
            Kind::FollowUp => "follow-up",
            Kind::AcceptReply => "accept-reply",
            Kind::ContextRequest => "context-request",
            Kind::Inmail => "inmail",
            Kind::Email => "email",
            Kind::Message => "message",
        }
    }

    /// The kind as words in a sentence ("this connection request"), for messages people read.
    pub fn in_words(self) -> &'static str {
        match self {
            Kind::ConnectionRequest => "connection request",
            Kind::FollowUp => "follow-up",
            Kind::AcceptReply => "accept reply",
            Kind::ContextRequest => "context request",
            Kind::Inmail => "InMail",
            Kind::Email => "email",
            Kind::Message => "message",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn describe(self) -> &'static str {
        match self {
            Kind::ConnectionRequest => "the note sent with an invitation to connect",
            Kind::FollowUp => "the first message after someone accepted",
            Kind::AcceptReply => "the reply sent when you accept someone's invitation",
            Kind::ContextRequest => "a reply asking an unknown requester for context",
            Kind::Inmail => "a LinkedIn InMail",
            Kind::Email => "a cold or warm email",
            Kind::Message => "any other direct message",
        }
    }

    /// The channel a message of this kind goes through when nothing else says. An email sequence keeps
    /// its follow-ups in email.
    pub fn default_channel(self, file_channel: Option<Channel>) -> Channel {
        match self {
            Kind::ConnectionRequest => Channel::LinkedinConnection,
            Kind::Inmail => Channel::LinkedinInmail,
            Kind::Email => Channel::Email,
            Kind::FollowUp | Kind::AcceptReply | Kind::ContextRequest | Kind::Message => {
                if file_channel == Some(Channel::Email) {
                    Channel::Email
                } else {
                    Channel::LinkedinMessage
                }
            }
        }
    }

    /// Infers a kind from a section heading ("Connection request", "Follow-up after accepting", ...).
    pub fn from_heading(title: &str) -> Option<Kind> {
        // ASCII titles (nearly all): one case-insensitive pass finds every word below at once.
        // Others are lowercased first, since some non-ASCII letters lowercase to ASCII ones.
        if title.is_ascii() {
            let found = HEADING_WORDS
                .find_overlapping_iter(title)
                .fold(0u16, |seen, m| seen | 1 << m.pattern().as_usize());
            // Only the few words found are compared by name.
            return Self::from_heading_words(|w| {
                HEADING_WORD_LIST
                    .iter()
                    .enumerate()
                    .any(|(i, x)| found & 1 << i != 0 && *x == w)
            });
        }
        let t = title.to_lowercase();
        Self::from_heading_words(|w| t.contains(w))
    }

    /// The kind a heading names, given which of `HEADING_WORD_LIST` it contains (first match wins).
    fn from_heading_words(has: impl Fn(&str) -> bool) -> Option<Kind> {
        if has("inmail") {
            Some(Kind::Inmail)
        } else if has("context") {
            Some(Kind::ContextRequest)
        } else if has("follow-up") || has("follow up") || has("followup") || has("thank") {
            Some(Kind::FollowUp)
        } else if has("accept") || has("reply") {
            Some(Kind::AcceptReply)
        } else if has("connection") || has("invite") || has("invitation") || has("request") {
            Some(Kind::ConnectionRequest)
        } else if has("email") || has("e-mail") {
            Some(Kind::Email)
        } else {
            None
        }
    }
}

/// The words `Kind::from_heading` looks for.
const HEADING_WORD_LIST: [&str; 14] = [
    "inmail",
    "context",
    "follow-up",
    "follow up",
    "followup",
    "thank",
    "accept",
    "reply",
    "connection",
    "invite",
    "invitation",
    "request",
    "email",
    "e-mail",
];

static HEADING_WORDS: std::sync::LazyLock<aho_corasick::AhoCorasick> =
    std::sync::LazyLock::new(|| {
        aho_corasick::AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .build(HEADING_WORD_LIST)
            .expect("plain words")
    });

/// Whether the account pays for LinkedIn Premium (longer invitation notes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Account {
    Free,
    #[default]
    Premium,
}

impl Account {
    pub fn parse(s: &str) -> Option<Account> {
        match s {
            "free" => Some(Account::Free),
            "premium" => Some(Account::Premium),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Account::Free => "free",
            Account::Premium => "premium",
        }
    }
}

/// Length limits of one channel, in LinkedIn characters (see `text::linkedin_length`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Limits {
    /// Body limit on a Premium account (or any account where it does not differ).
    pub body: Option<usize>,
    /// Body limit on a free account, where it differs.
    pub body_free: Option<usize>,
    pub subject: Option<usize>,
}

impl Limits {
    pub fn body_for(&self, account: Account) -> Option<usize> {
        match account {
            Account::Free => self.body_free.or(self.body),
            Account::Premium => self.body,
        }
    }
}

/// The one table of channel limits (overridable in `.outreach.toml` under `[channels.<name>]`).
pub fn default_limits(channel: Channel) -> Limits {
    match channel {
        Channel::LinkedinConnection => Limits {
            body: Some(300),
            body_free: Some(200),
            subject: None,
        },
        Channel::LinkedinMessage => Limits {
            body: Some(8000),
            body_free: None,
            subject: None,
        },
        Channel::LinkedinInmail => Limits {
            body: Some(1900),
            body_free: None,
            subject: Some(200),
        },
        // An email has no hard limit; 60 characters is what inboxes show of a subject.
        Channel::Email => Limits {
            body: None,
            body_free: None,
            subject: Some(60),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heading_words_found_in_one_pass_as_by_lowercasing() {
        for title in [
            "Connection request",
            "Follow-up after accepting",
            "FOLLOW UP: Thank you",
            "InMail if no answer",
            "Cold e-mail / EMAIL",
            "Step 3",
            "Reply to an invitation",
            "context-request",
            "",
            "ContextInmail",
        ] {
            let lower = title.to_lowercase();
            assert_eq!(
                Kind::from_heading(title),
                Kind::from_heading_words(|w| lower.contains(w)),
                "{title}"
            );
        }
    }

    #[test]
    fn heading_kinds() {
        assert_eq!(
            Kind::from_heading("Connection request"),
            Some(Kind::ConnectionRequest)
        );
        assert_eq!(
            Kind::from_heading("Follow-up after they accept"),
            Some(Kind::FollowUp)
        );
        assert_eq!(
            Kind::from_heading("Reply when accepting"),
            Some(Kind::AcceptReply)
        );
        assert_eq!(
            Kind::from_heading("InMail to a hiring manager"),
            Some(Kind::Inmail)
        );
        assert_eq!(Kind::from_heading("Cold email"), Some(Kind::Email));
        assert_eq!(Kind::from_heading("Step 3"), None);
    }

    #[test]
    fn limits() {
        let l = default_limits(Channel::LinkedinConnection);
        assert_eq!(l.body_for(Account::Free), Some(200));
        assert_eq!(l.body_for(Account::Premium), Some(300));
    }
}
