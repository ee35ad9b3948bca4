use std::sync::LazyLock;

use crate::finding::{Finding, Severity};
use crate::model::Message;
use crate::phrases::PhraseSet;
use crate::rules::{phrase_findings, Context, Rule, Check, RuleId};

pub static RULE: Rule = Rule {
    id: RuleId::new("unprofessional-tone"),
    severity: |_| Some(Severity::Warning),
    check: Check::Message(check),
    phrases: &[&PHRASES],
    english: true,
    summary: "Personal or romantic remarks: looks, photos, dating, drinks, pet names",
    what: "Finds remarks about someone's looks or photo, invitations to drinks or dinner dates, dating words, and pet names (\"you look gorgeous\", \"beautiful profile picture\", \"grab a drink\", \"sweetie\", \"babe\").",
    why: "LinkedIn is a professional network; people expect to be approached about work. Comments on appearance or a date-like invitation make the recipient uncomfortable, get reported, and can get an account restricted.",
    bad: "Hi {{first_name}}, gorgeous profile picture! Would you like to grab a drink sometime?",
    good: "Hi {{first_name}}, I enjoyed your panel at {{event}} and would love to hear more about your research on urban mobility.",
    fix: "Remove the remark. Keep the message about professional common ground and a professional reason.",
    options: "`[rules.unprofessional-tone] extra_phrases = [\"…\"]`.",
    limitations: "Phrase-based: harassment worded without the known phrases (\"playing hard to get\", invitations to dinner) is not always caught (real-world recall 0.67).",
};

pub static PHRASES: LazyLock<PhraseSet> = LazyLock::new(|| {
    PhraseSet::new(&[
        "you look gorgeous",
        "you look beautiful",
        "you look stunning",
        "you look amazing",
        "you look hot",
        "you're gorgeous",
        "you are gorgeous",
        "you're beautiful",
        "you are beautiful",
        "you're stunning",
        "gorgeous",
        "stunning photo",
        "beautiful profile picture",
        "beautiful profile photo",
        "beautiful picture",
        "beautiful photo",
        "nice profile picture",
        "nice photo",
        "lovely photo",
        "cute",
        "pretty",
        "sexy",
        "hot",
        "your smile",
        "your eyes",
        "lovely smile",
        "beautiful smile",
        "grab a drink",
        "grab drinks",
        "get a drink",
        "have a drink",
        "over drinks",
        "for drinks",
        "dinner date",
        "a date",
        "go on a date",
        "dating",
        "single",
        "are you married",
        "sweetie",
        "sweetheart",
        "babe",
        "baby",
        "honey",
        "darling",
        "dear one",
        "beautiful lady",
        "handsome",
    ])
});

fn check(cx: &Context<'_>, m: &Message, out: &mut Vec<Finding>) {
    phrase_findings(
        cx,
        m,
        &RULE,
        &PHRASES,
        &[],
        |p| {
                format!("“{p}” is personal, not professional; keep the message about work")
            },
        |_, _| Vec::new(),
        out,
    );
}

