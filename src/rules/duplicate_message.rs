use crate::finding::{Finding, Severity};
use crate::model::Message;
use crate::rules::{Check, Context, Rule, RuleId};

pub static RULE: Rule = Rule {
    id: RuleId::new("duplicate-message"),
    severity: |_| Some(Severity::Info),
    check: Check::Message(check),
    phrases: &[],
    english: false,
    summary: "Two templates in the workspace whose messages are nearly the same",
    what: "Compares every message with the messages of the other templates in the workspace (or of the other files given to `check`): words in groups of three, placeholders counted as one word, and reports a message that is at least 80% the same as another, naming the other file and line. Messages under about ten words are not compared.",
    why: "Copies of one text for different audiences drift into a single mass message: the same words sent to everyone is exactly what makes a request read as spam. Similar templates are also twice the work to keep current.",
    bad: "(two files holding) Hi {{first_name}}, I noticed we're both in the data engineering group and I'd love to hear how your team handles streaming pipelines at scale.",
    good: "(one file per audience, each saying something specific to it)",
    fix: "Merge the two templates into one, or make each specific to the audience it is for.",
    options: "",
    limitations: "",
};

fn check(cx: &Context<'_>, m: &Message, out: &mut Vec<Finding>) {
    let Some(index) = cx.workspace.filter(|i| !i.is_empty()) else {
        return;
    };
    let shingles = crate::workspace::shingles(cx.template, m);
    let Some((other, similarity)) = index.most_similar(cx.path, &shingles) else {
        return;
    };
    out.extend(cx.report(&RULE, m.kind,
        cx.anchor(m),
        format!(
            "{:.0}% the same as {}:{} (“{}”); one text sent to everyone reads as a mass message",
            similarity * 100.0,
            other.path.display(),
            other.line,
            other.label
        ),
        Vec::new(),
    ));
}

