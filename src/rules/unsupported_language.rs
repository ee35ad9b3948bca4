use crate::finding::{Finding, Severity};
use crate::model::Message;
use crate::rules::{Check, Context, Rule, RuleId};

pub static RULE: Rule = Rule {
    id: RuleId::new("unsupported-language"),
    severity: |_| Some(Severity::Info),
    check: Check::Message(check),
    phrases: &[],
    english: false,
    summary: "A message in a language whose etiquette rules do not exist yet",
    what: "Detects the language of each message (or reads `language:` from the front matter). The etiquette rules (greeting, reason, common ground, pitch, tone …) read English phrasing, so on a message in another language they are skipped and this one finding says so. Placeholders, lengths, formatting and contact data are still checked.",
    why: "English phrase checks on a French or German message would report things that are not there and miss what is. Saying that they were skipped is better than silence: the message has had fewer checks than an English one.",
    bad: "Bonjour {{first_name}}, je me permets de vous écrire car nous recrutons un développeur pour notre équipe à Lyon et votre parcours m'a beaucoup intéressé.",
    good: "Hi {{first_name}}, I'm writing because we're hiring a developer for our team in Lyon, and your open-source work on routing caught my eye.",
    fix: "Nothing to fix in the message. Write `language: en` in the front matter if the detection is wrong; switch the rule off if you know your templates are in another language.",
    options: "",
    limitations: "Detection needs about 40 letters; shorter messages are read as English. A message mixing two languages is read as the one it has more of.",
};

fn check(cx: &Context<'_>, m: &Message, out: &mut Vec<Finding>) {
    let Some(language) = cx.reading(m).other_language() else {
        return;
    };
    out.extend(cx.report(
        &RULE,
        m.kind,
        cx.anchor(m),
        format!("this message reads as {language}: the etiquette rules read English only so far, so only placeholders, lengths and formatting were checked"),
        Vec::new(),
    ));
}
