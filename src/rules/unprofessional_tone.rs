use std::sync::LazyLock;

use crate::finding::{Finding, Severity};
use crate::model::Message;
use crate::phrases::PhraseSet;
use crate::rules::{phrase_findings, Check, Context, Question, Rule, RuleId};

pub static RULE: Rule = Rule {
    id: RuleId::new("unprofessional-tone"),
    severity: |_| Some(Severity::Warning),
    check: Check::Message(check),
    phrases: &[&PHRASES],
    english: true,
    summary: "Personal or romantic remarks: looks, photos, dating, drinks, pet names",
    what: "Finds remarks about someone's looks or photo (\"gorgeous profile photo\", \"I really like your picture\", \"a lovely woman like you\", \"your beauty is…\"), dating and private-life questions (\"are you single?\", \"are you married?\", \"plans tonight?\"), date-like invitations (\"grab a drink\", \"just the two of us\", \"dinner at my hotel\", \"your personal number\", \"send me your WhatsApp\", \"chat outside of work\"), innuendo (\"playing hard to get\", \"see where that takes us\") and pet names (\"sweetie\", \"babe\"). Words are read in context, never alone: \"one single interface\", \"a hot topic\" or \"pretty sure\" are not reported.",
    why: "LinkedIn is a professional network; people expect to be approached about work. Comments on appearance or a date-like invitation make the recipient uncomfortable, get reported, and can get an account restricted.",
    bad: "Hi {{first_name}}, gorgeous profile picture! Would you like to grab a drink sometime?",
    good: "Hi {{first_name}}, I enjoyed your panel at {{event}} and would love to hear more about your research on urban mobility.",
    fix: "Remove the remark. Keep the message about professional common ground and a professional reason.",
    options: "`[rules.unprofessional-tone] extra_phrases = [\"…\"]`.",
    limitations: "Also read: compliments on the person (\"you are very pretty\", \"you're a lovely woman\"), looking for a partner (\"looking for a nice wife\", \"settle down\") and asks for a private messenger (\"your WhatsApp\"). Reads English word patterns; harassment worded in ways the patterns do not know (or spread over several sentences that are harmless one by one) is missed.",
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
        "stunning photo",
        "beautiful profile picture",
        "beautiful profile photo",
        "beautiful picture",
        "beautiful photo",
        "nice profile picture",
        "nice photo",
        "lovely photo",
        "sexy",
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
        "go on a date",
        "are you married",
        "sweetie",
        "sweetheart",
        "babe",
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
        &[Question::Personal],
        |p| {
                format!("“{p}” is personal, not professional; keep the message about work")
            },
        |_, _| Vec::new(),
        out,
    );
}

