use std::sync::LazyLock;

use crate::finding::{Finding, Severity};
use crate::model::Kind;
use crate::model::Message;
use crate::phrases::PhraseSet;
use crate::rules::{Question, phrase_findings, Context, Rule, Check, RuleId};

pub static RULE: Rule = Rule {
    id: RuleId::new("sales-pitch"),
    severity: |kind| Some(severity(kind)),
    check: Check::Message(check),
    phrases: &[&PHRASES],
    english: true,
    summary: "Pitching a product or service (\"book a demo\", \"our platform\", \"free trial\")",
    what: "Finds sales language, as phrases and as word patterns that allow other word forms and a few words in between: the sender's offering (\"our platform/product/service/app/pricing/rate\", \"we specialize in\", \"we offer\", \"we built a tool\", \"we set up HubSpot for distributors\"), who they sell to and what they get them (\"we help / I've helped / we work with companies like …\", \"we're helping e-commerce brands recover …\", \"we help fintechs cut …\", \"distributors we work with\", \"{{company}} could benefit from …\"), offers and prices (\"free estimates\", \"free beta access\", \"from $49 a month\", \"at just {{price}}\", \"20% off\", \"special offer\"), results shown to sell (\"increase your revenue\", \"clients typically pay 30% less\", case studies, \"[X] went from [A] to [B]\", \"happy to share how two of them fixed it\"), and demos (\"book a demo\", \"a 20-minute demo\", \"I'll send a walkthrough\"). In a connection request a meeting asked of a stranger (\"worth a call?\", \"walk you through it\") is a pitch too. Also proof and results told to sell (\"we raise retention by 12%\", \"30% more bookings\", \"75 qualified meetings a quarter\", \"the top apps already use us\", \"trusted by 400 teams\"), what it costs (\"costs you nothing\", \"the launch discount\"), the sales call to action (\"what this could look like for {{company}}\") and a fundraise announced to a stranger. A case study counts when the sender brings it, not when it is the topic of the reader's own talk. A phrase that runs across the options of a spintax group or conditional is read in the rendering that takes every first option. One finding per sentence.",
    why: "An unsolicited pitch is the most common reason a request is declined: the person is asked to trust you before they know you. A connection note is for starting a relationship; a later conversation is the place to talk business, once the person wants to.",
    bad: "Hi {{first_name}}, our platform helps companies like {{company}} increase your revenue by 30%. Can I book a demo?",
    good: "Hi {{first_name}}, I read {{recent_post | default: \"your post\"}} on pricing experiments and would love to hear what surprised you most.",
    fix: "Take the pitch out of the connection request. Connect on common ground; offer help or ask a question once the person has accepted.",
    options: "`[rules.sales-pitch] extra_phrases = [\"our agency\"]`, `severity = \"error\"`.",
    limitations: "Pitch patterns are English and general; a pitch in other words (a feature list with no selling verb or product noun) is missed; the terms of a job a recruiter offers (\"we offer a four-day week, remote work\") are not a pitch, and an offer made as a favour (\"happy to send a free sample\", \"free of charge\") is not reported.",
};

pub static PHRASES: LazyLock<PhraseSet> = LazyLock::new(|| {
    PhraseSet::new(&[
        "our platform",
        "our product",
        "our solution",
        "our solutions",
        "our software",
        "our tool",
        "our service",
        "our services",
        "our app",
        "our offering",
        "book a demo",
        "schedule a demo",
        "request a demo",
        "get a demo",
        "see a demo",
        "quick demo",
        "free trial",
        "trial account",
        "our pricing",
        "pricing plans",
        "pricing starts",
        "see pricing",
        "a discount",
        "our discount",
        "our spring discount",
        "our summer discount",
        "our holiday discount",
        "qualifies for our",
        "qualify for our",
        "% off",
        "discount code",
        "special discount",
        "exclusive discount",
        "special offer",
        "limited offer",
        "we help companies like",
        "we help businesses like",
        "we help teams like",
        "helps companies like",
        "we work with companies like",
        "increase your revenue",
        "boost your revenue",
        "boost your sales",
        "increase your sales",
        "grow your revenue",
        "generate more leads",
        "more qualified leads",
        "quick call to show you",
        "show you how we",
        "quick sales call",
        "roi",
        "return on investment",
        "sign up today",
        "buy now",
        "our clients see",
        "our customers see",
        "save you money",
        "cut your costs",
    ])
});

fn severity(kind: Kind) -> Severity {
    match kind {
        Kind::ConnectionRequest | Kind::AcceptReply | Kind::ContextRequest => Severity::Warning,
        _ => Severity::Info,
    }
}

fn check(cx: &Context<'_>, m: &Message, out: &mut Vec<Finding>) {
    // Asking a stranger for a meeting or a demo is a pitch in a connection request; in an email it is
    // the ordinary ask.
    let questions: &[Question] = if m.kind == Kind::ConnectionRequest {
        &[Question::Pitch, Question::MeetingAsk]
    } else {
        &[Question::Pitch]
    };
    phrase_findings(
        cx,
        m,
        &RULE,
        &PHRASES,
        questions,
        |p| {
                format!("“{p}” pitches a product or service; build the relationship first")
            },
        |m, r| {
            super::sentence_fix::remove_sentence(cx, m, r)
                .into_iter()
                .collect()
        },
        out,
    );
}


#[cfg(test)]
mod tests {
    use crate::config::Config;

    fn pitches(text: &str) -> usize {
        crate::lint::lint(text, &Config::default())
            .findings
            .iter()
            .filter(|f| f.rule.as_str() == "sales-pitch")
            .count()
    }

    #[test]
    fn a_pitch_across_spintax_options_is_read() {
        // The case study only reads as one when the options are joined.
        assert_eq!(
            pitches("Hi {{first_name}}, {One store|A brand} went from {slow months|flat sales} to {record weeks|steady growth} in {60 days|two months}."),
            1
        );
        assert_eq!(
            pitches("Hi {{first_name}}, {loved|enjoyed} your talk on {pricing|packaging} at SaaStr."),
            0
        );
    }

    #[test]
    fn a_case_study_is_a_pitch_only_when_the_sender_brings_it() {
        assert_eq!(
            pitches("Hi {{first_name}}, I can send you a short case study from a similar clinic."),
            1
        );
        assert_eq!(
            pitches("Hi {{first_name}}, the case study in your talk on onboarding stayed with me."),
            0
        );
    }
}
