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

    /// What a step's heading says about it: a kind it names ("Connection request", "Follow-up after
    /// they accept", "Accept reply", "InMail", "Cold email"), or that it is a later step of a sequence
    /// ("Touch 3 — DM", "Bump", "Nudge", "Breakup", "Day 14", "No response"), or nothing.
    pub fn from_heading(title: &str) -> Option<HeadingKind> {
        let lower = title.to_lowercase();
        let words: Vec<&str> = lower
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect();
        let has = |w: &str| words.contains(&w);
        let has_prefix = |p: &str| words.iter().any(|w| w.starts_with(p));
        let phrase = |p: &str| lower.contains(p);
        // The number after "touch", "step", "day", "message", "dm" or "#": a step's place in the sequence.
        let numbered = |after: &[&str]| {
            words.windows(2).find_map(|w| {
                after
                    .contains(&w[0])
                    .then(|| w[1].parse::<u32>().ok())
                    .flatten()
            })
        };
        let step = numbered(&["touch", "step", "message", "dm", "email"]);
        let day = numbered(&["day"]);
        let after_accepting = has("after")
            && (has_prefix("accept") || has_prefix("connect") || phrase("they say yes"))
            || has("accepted")
            || phrase("post-accept")
            || phrase("post accept");
        if has_prefix("inmail") {
            Some(HeadingKind::Kind(Kind::Inmail))
        } else if has("context") {
            Some(HeadingKind::Kind(Kind::ContextRequest))
        } else if after_accepting
            || phrase("follow-up")
            || phrase("follow up")
            || has("followup")
            || has_prefix("thank")
            || phrase("first dm")
            || phrase("first message")
            || has("welcome")
        {
            Some(HeadingKind::Kind(Kind::FollowUp))
        } else if has_prefix("accept") || (has("reply") && !phrase("no reply")) {
            Some(HeadingKind::Kind(Kind::AcceptReply))
        } else if [
            "bump", "nudge", "breakup", "dm", "reminder", "close", "last", "final",
        ]
        .iter()
        .any(|w| has(w))
            || phrase("break-up")
            || phrase("break up")
            || phrase("no response")
            || phrase("no reply")
            || phrase("no answer")
            || phrase("check in")
            || phrase("check-in")
            || phrase("checking in")
            || step.is_some_and(|n| n > 1)
            || (day.is_some_and(|n| n > 1)
                && !has_prefix("connect")
                && !has_prefix("invit")
                && !has("request")
                && !phrase("email"))
        {
            Some(HeadingKind::LaterStep)
        } else if has_prefix("connect") || has_prefix("invit") || has("request") || has("note") {
            Some(HeadingKind::Kind(Kind::ConnectionRequest))
        } else if has("email") || phrase("e-mail") {
            Some(HeadingKind::Kind(Kind::Email))
        } else {
            None
        }
    }
}

/// Whether a step's heading names it the last touch of a sequence ("Breakup", "Closing the loop",
/// "Final follow-up"): such a message closes the thread, so guilt and pressure are its typical faults.
pub fn last_touch(title: &str) -> bool {
    let lower = title.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    [
        "breakup", "closing", "close", "last", "final", "goodbye", "farewell",
    ]
    .iter()
    .any(|w| words.contains(w))
        || lower.contains("break-up")
        || lower.contains("break up")
}

/// What a heading says about its step (see `Kind::from_heading`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeadingKind {
    Kind(Kind),
    /// A later step (a bump, a nudge, a breakup, "Day 14"): its kind follows from the step before it.
    LaterStep,
}

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
    fn last_touch_headings() {
        assert!(last_touch("Day 21 — Breakup"));
        assert!(last_touch("Email 3 (Day 14) — Closing the loop"));
        assert!(last_touch("Final follow-up"));
        assert!(!last_touch("Touch 2 — DM after connect"));
        assert!(!last_touch("Follow-up 1 (Day 3)"));
    }

    #[test]
    fn heading_kinds() {
        let k = |t: &str| Kind::from_heading(t);
        let kind = |x| Some(HeadingKind::Kind(x));
        let later = Some(HeadingKind::LaterStep);
        assert_eq!(k("Connection request"), kind(Kind::ConnectionRequest));
        assert_eq!(
            k("Touch 1 — Day 1 — Connection request"),
            kind(Kind::ConnectionRequest)
        );
        assert_eq!(k("Invite"), kind(Kind::ConnectionRequest));
        assert_eq!(k("Follow-up after they accept"), kind(Kind::FollowUp));
        assert_eq!(k("After they accept"), kind(Kind::FollowUp));
        assert_eq!(
            k("Touch 2 — Day 3 — DM after connect"),
            kind(Kind::FollowUp)
        );
        assert_eq!(k("Day 7 — First DM"), kind(Kind::FollowUp));
        assert_eq!(k("Follow-up 2"), kind(Kind::FollowUp));
        assert_eq!(k("Reply when accepting"), kind(Kind::AcceptReply));
        assert_eq!(k("Accept reply"), kind(Kind::AcceptReply));
        assert_eq!(k("InMail to a hiring manager"), kind(Kind::Inmail));
        assert_eq!(k("InMail if no answer"), kind(Kind::Inmail));
        assert_eq!(k("Cold email"), kind(Kind::Email));
        assert_eq!(k("Email 1 (Day 0)"), kind(Kind::Email));
        assert_eq!(k("Touch 3 — Day 8 — DM"), later);
        assert_eq!(k("LinkedIn DM #1 (day 6)"), later);
        assert_eq!(k("Nudge (no response after a week)"), later);
        assert_eq!(k("Day 21 — Breakup"), later);
        assert_eq!(k("Touch 5 — Day 21 — Graceful close"), later);
        assert_eq!(k("Day 14"), later);
        assert_eq!(k("Step 3"), later);
        assert_eq!(k("Step one"), None);
        assert_eq!(k(""), None);
    }

    #[test]
    fn limits() {
        let l = default_limits(Channel::LinkedinConnection);
        assert_eq!(l.body_for(Account::Free), Some(200));
        assert_eq!(l.body_for(Account::Premium), Some(300));
    }
}
