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
        Kind::read_heading(title).map(|(k, _)| k)
    }

    /// [`Kind::from_heading`] with the words of the heading that decided it ("bump", "day 14"), which
    /// hover shows so the reader can tell why a step got its kind.
    pub fn read_heading(title: &str) -> Option<(HeadingKind, String)> {
        let lower = title.to_lowercase();
        let words: Vec<&str> = lower
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect();
        let has = |w: &str| words.contains(&w);
        let phrase = |p: &str| lower.contains(p);
        // The first cue the heading holds: a whole word, a phrase (with a space or hyphen), or a word
        // prefix (`thank*`), given back as the heading writes it.
        let cue = |cues: &[&str]| -> Option<String> {
            cues.iter().find_map(|c| {
                if let Some(prefix) = c.strip_suffix('*') {
                    words
                        .iter()
                        .find(|w| w.starts_with(prefix))
                        .map(|w| w.to_string())
                } else if c.contains([' ', '-']) {
                    phrase(c).then(|| c.to_string())
                } else {
                    has(c).then(|| c.to_string())
                }
            })
        };
        // The number after "touch", "step", "message", "dm", "email" or "day": a step's place.
        let numbered = |after: &[&str]| {
            words.windows(2).find_map(|w| {
                after
                    .contains(&w[0])
                    .then(|| w[1].parse::<u32>().ok().map(|n| (w[0], n)))
                    .flatten()
            })
        };
        let step = numbered(&["touch", "step", "message", "dm", "email"]);
        let day = numbered(&["day"]);
        let accept_or_connect = cue(&["accept*", "connect*"]);
        let after_accepting = if has("after") {
            accept_or_connect
                .map(|w| format!("after … {w}"))
                .or_else(|| cue(&["they say yes"]))
        } else {
            None
        }
        .or_else(|| cue(&["accepted", "post-accept", "post accept"]));
        let kind = |k: Kind, why: String| Some((HeadingKind::Kind(k), why));
        if let Some(why) = cue(&["inmail*"]) {
            return kind(Kind::Inmail, why);
        }
        if let Some(why) = cue(&["context"]) {
            return kind(Kind::ContextRequest, why);
        }
        if let Some(why) = after_accepting.or_else(|| {
            cue(&[
                "follow-up",
                "follow up",
                "followup",
                "thank*",
                "first dm",
                "first message",
                "welcome",
            ])
        }) {
            return kind(Kind::FollowUp, why);
        }
        let reply = (has("reply") && !phrase("no reply")).then(|| "reply".to_string());
        if let Some(why) = cue(&["accept*"]).or(reply) {
            return kind(Kind::AcceptReply, why);
        }
        let names_email = has("email") || phrase("e-mail");
        let later = cue(&[
            "bump",
            "nudge",
            "breakup",
            "dm",
            "reminder",
            "close",
            "last",
            "final",
            "break-up",
            "break up",
            "no response",
            "no reply",
            "no answer",
            "check in",
            "check-in",
            "checking in",
        ])
        .or_else(|| {
            step.filter(|&(_, n)| n > 1)
                .map(|(w, n)| format!("{w} {n}"))
        })
        .or_else(|| {
            day.filter(|&(_, n)| {
                n > 1 && cue(&["connect*", "invit*"]).is_none() && !has("request") && !names_email
            })
            .map(|(w, n)| format!("{w} {n}"))
        });
        if let Some(why) = later {
            return Some((HeadingKind::LaterStep, why));
        }
        // "Note" names a connection note, unless the heading says it is an email ("Email 1 - First
        // note"), where it means the email itself.
        let note = (has("note") && !names_email).then(|| "note".to_string());
        if let Some(why) = cue(&["connect*", "invit*", "request"]).or(note) {
            return kind(Kind::ConnectionRequest, why);
        }
        if names_email {
            return kind(
                Kind::Email,
                if has("email") { "email" } else { "e-mail" }.to_string(),
            );
        }
        None
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
        // "Note" in an email's heading is the email itself.
        assert_eq!(k("Email 1 (Day 1) - First note"), kind(Kind::Email));
        assert_eq!(k("First note"), kind(Kind::ConnectionRequest));
        let why = |t: &str| Kind::read_heading(t).map(|(_, w)| w);
        assert_eq!(why("Email 2 (Day 3) - Bump").as_deref(), Some("bump"));
        assert_eq!(why("Touch 3 — Day 8").as_deref(), Some("touch 3"));
        assert_eq!(why("Thanks for accepting").as_deref(), Some("thanks"));
        assert_eq!(
            why("Message after they accept").as_deref(),
            Some("after … accept")
        );
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
