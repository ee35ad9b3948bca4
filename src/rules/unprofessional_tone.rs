use std::sync::LazyLock;

use crate::finding::{Finding, Severity};
use crate::model::Message;
use crate::phrases::PhraseSet;
use crate::rules::{phrase_findings, Context, PhraseCheck, RuleDoc};

pub struct Rule;

pub static DOC: RuleDoc = RuleDoc {
    id: "unprofessional-tone",
    default_severity: Severity::Warning,
    summary: "Personal or romantic remarks: looks, photos, dating, drinks, pet names",
    severity_note: "",
    what: "Finds remarks about someone's looks or photo, invitations to drinks or dinner dates, dating words, and pet names (\"you look gorgeous\", \"beautiful profile picture\", \"grab a drink\", \"sweetie\", \"babe\").",
    why: "LinkedIn is a professional network; people expect to be approached about work. Comments on appearance or a date-like invitation make the recipient uncomfortable, get reported, and can get an account restricted.",
    bad: "Hi {{first_name}}, gorgeous profile picture! Would you like to grab a drink sometime?",
    good: "Hi {{first_name}}, I enjoyed your panel at {{event}} and would love to hear more about your research on urban mobility.",
    fix: "Remove the remark. Keep the message about professional common ground and a professional reason.",
    options: "`[rules.unprofessional-tone] extra_phrases = [\"…\"]`.",
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

impl super::Rule for Rule {
    fn doc(&self) -> &'static RuleDoc {
        &DOC
    }

    fn check_message(&self, cx: &Context<'_>, m: &Message, out: &mut Vec<Finding>) {
        phrase_findings(
            cx,
            m,
            PhraseCheck {
                id: DOC.id,
                set: &PHRASES,
                severity: |_| Some(DOC.default_severity),
                message: |p| {
                    format!("“{p}” is personal, not professional; keep the message about work")
                },
            },
            |_, _| Vec::new(),
            out,
        );
    }
}
