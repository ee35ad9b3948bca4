//! The words the analysis looks for when it asks what a message does (a reason, common ground, a concrete
//! reference, a job title, LinkedIn's stock invitation). Patterns are data: the rule that reports on each
//! registers it with the shared matcher (`Rule::phrases`), and its `extra_phrases` setting extends it.

use std::sync::LazyLock;

use crate::phrases::PhraseSet;

/// LinkedIn's stock invitation sentence and its variants (reported by `default-invitation-text`).
pub static STOCK_INVITATION: LazyLock<PhraseSet> = LazyLock::new(|| {
    PhraseSet::new(&[
        "i'd like to add you to my professional network on linkedin",
        "i would like to add you to my professional network on linkedin",
        "i'd like to add you to my professional network",
        "i would like to add you to my professional network",
        "i want to add you to my professional network",
        "i'd like to add you to my network",
        "i would like to add you to my network",
        "i'd like to join your linkedin network",
        "i would like to join your linkedin network",
        "i'd like to join your professional network",
        "i would like to join your professional network",
        "i'd like to connect with you on linkedin",
        "i would like to connect with you on linkedin",
        "please accept my invitation to connect",
        "please join my network",
    ])
});

/// Something the sender and the recipient share (read by `no-common-ground`).
pub static COMMON_GROUND: LazyLock<PhraseSet> = LazyLock::new(|| {
    PhraseSet::new(&[
        "we met",
        "met you at",
        "met at",
        "meeting you at",
        "mutual",
        "in common",
        "we're both",
        "we are both",
        "we both",
        "you and i both",
        "both of us",
        "fellow",
        "alumni",
        "alumnus",
        "alumna",
        "alum",
        "same group",
        "same team",
        "same school",
        "same university",
        "same program",
        "same class",
        "same conference",
        "same community",
        "same meetup",
        "worked together",
        "work together",
        "we worked",
        "also worked at",
        "used to work",
        "our time at",
        "graduated from",
        "also studied",
        "i also studied",
        "both studied",
        "both attended",
        "also attended",
        "we both attended",
        "your talk",
        "your post",
        "your article",
        "your session",
        "your presentation",
        "your keynote",
        "your panel",
        "your podcast",
        "your newsletter",
        "your book",
        "your comment",
        "your paper",
        "your research",
        "your thread",
        "your episode",
        "your webinar",
        "your workshop",
        "saw you speak",
        "heard you speak",
        "heard you on",
        "introduced us",
        "introduce us",
        "suggested i reach out",
        "suggested we connect",
        "suggested i contact",
        "recommended i reach out",
        "referred me",
        "pointed me to you",
        "shared connection",
        "shared interest",
        "share an interest",
        "share a passion",
        "also passionate about",
        "member of",
        "members of",
    ])
});

/// Concrete references to the recipient's work or situation.
pub static CONCRETE: LazyLock<PhraseSet> = LazyLock::new(|| {
    PhraseSet::new(&[
        "your talk",
        "your post",
        "your article",
        "your book",
        "your podcast",
        "your newsletter",
        "your paper",
        "your research",
        "your session",
        "your keynote",
        "your presentation",
        "your panel",
        "your thread",
        "your comment",
        "your episode",
        "your webinar",
        "your workshop",
        "your work on",
        "your work at",
        "your work with",
        "your project",
        "your team's",
        "your company's",
        "your startup",
        "your launch",
        "your recent",
        "your new role",
        "your promotion",
        "your move to",
        "your course",
        "your repo",
        "your library",
        "your open-source",
        "your open source",
        "your portfolio",
        "your thesis",
        "your study",
        "your report",
        "your essay",
        "your video",
        "your blog",
        "your campaign",
        "your app",
        "your product launch",
        "we met",
        "met you at",
        "saw you speak",
        "heard you speak",
        "heard you on",
        "congrats on",
        "congratulations on",
        "read your",
        "saw your",
        "enjoyed your",
        "loved your",
        "noticed your",
        "watched your",
        "listened to your",
        "mutual",
        "fellow",
        "we're both",
        "we are both",
        "we both",
        "alumni",
        "alum",
        "same group",
    ])
});

/// Writing to someone because of their job title (reported by `title-targeting`).
pub static TITLE: LazyLock<PhraseSet> = LazyLock::new(|| {
    PhraseSet::new(&[
        "as a ceo",
        "as a cto",
        "as a cfo",
        "as a cmo",
        "as a coo",
        "as a founder",
        "as a vp",
        "as a director",
        "as a head of",
        "as a leader",
        "as an executive",
        "as a senior",
        "as a manager",
        "as a decision-maker",
        "as a decision maker",
        "decision-maker",
        "decision-makers",
        "decision maker",
        "decision makers",
        "c-level",
        "c-suite",
        "leaders like you",
        "executives like you",
        "founders like you",
        "ceos like you",
        "people in your position",
        "someone in your position",
        "someone in your role",
        "people at your level",
        "senior leaders",
        "top executives",
    ])
});

/// A stated purpose (read by `no-reason`).
pub static REASON: LazyLock<PhraseSet> = LazyLock::new(|| {
    PhraseSet::new(&[
        "because",
        "since i",
        "reaching out",
        "i'd like to",
        "i would like to",
        "i'd love to",
        "i would love to",
        "would love to",
        "love to hear",
        "love to learn",
        "love to chat",
        "i want to",
        "i wanted to",
        "would value",
        "would appreciate",
        "i'd appreciate",
        "i'm hiring",
        "i am hiring",
        "we're hiring",
        "we are hiring",
        "i'm looking for",
        "i am looking for",
        "i'm looking to",
        "looking to",
        "i'm working on",
        "i am working on",
        "i'm building",
        "i am building",
        "i'm researching",
        "i'm writing",
        "i'm organizing",
        "i'm organising",
        "i'm putting together",
        "i'm curious",
        "curious",
        "hoping to",
        "i hope to",
        "so that",
        "to learn",
        "learn more",
        "to hear",
        "to ask",
        "to discuss",
        "to exchange",
        "swap notes",
        "compare notes",
        "your advice",
        "your perspective",
        "your thoughts",
        "your view",
        "your take",
        "your input",
        "your insight",
        "pick your brain",
        "interested in",
        "keen to",
        "would you be open",
        "are you open",
        "would you be up for",
        "could you",
        "would you",
        "happy to share",
        "happy to help",
        "invite you",
        "to collaborate",
        "collaborate",
        "collaboration",
        "partner with",
        "the reason",
        "my reason",
        "quick question",
        "a question",
        "i'm applying",
        "i am applying",
        "i'm moving",
        "i'm transitioning",
        "i'm exploring",
        "i am exploring",
        "so i can",
    ])
});

/// Intent phrases that only count when followed by more than "connect".
pub const NEEDS_OBJECT: &[&str] = &[
    "i'd like to",
    "i would like to",
    "i'd love to",
    "i would love to",
    "would love to",
    "i want to",
    "i wanted to",
    "hoping to",
    "i hope to",
    "keen to",
    "looking to",
    "i'm looking to",
];

/// Words after an intent phrase that make it the bare request to connect.
pub const NOT_A_REASON: &[&str] = &[
    "connect", "add", "join", "be", "network", "expand", "grow", "invite", "link", "stay", "keep",
    "include",
];

/// Words that make a question an ask of the recipient (a reason to write): a question word, or what a
/// professional ask is about. "Are you open to a chat?" and "How did you test it?" are asks; "Are you
/// single?" and "Want to grab a drink?" are not.
pub static ASK_WORDS: &[&str] = &[
    "how",
    "what",
    "which",
    "who",
    "when",
    "where",
    "why",
    "open",
    "worth",
    "interested",
    "chat",
    "call",
    "talk",
    "meet",
    "share",
    "help",
    "advice",
    "thoughts",
    "view",
    "take",
    "opinion",
    "feedback",
    "intro",
    "introduce",
    "invite",
    "invitation",
    "connect",
    "hear",
    "learn",
    "send",
    "work",
    "recommend",
    "suggest",
    "refer",
    "available",
    "time",
    "minutes",
    "week",
    "role",
    "position",
    "team",
    "project",
    "hiring",
    "interview",
    "questions",
    "idea",
    "ideas",
    "sense",
    "fit",
    "useful",
    "relevant",
    "priority",
    "list",
    "quarter",
];

/// What the patterns below stand for: the questions rules ask about a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Question {
    /// The sender says why they write, or asks the recipient something.
    Reason,
    /// Something the sender and the recipient share.
    CommonGround,
    /// A concrete reference to the recipient's work or situation.
    Concrete,
    /// The sender offers a product or service, or shows results for one.
    Pitch,
    /// A meeting or demo asked of a stranger (a pitch in a connection request).
    MeetingAsk,
    /// Scarcity, deadlines: pressure to act now.
    Pressure,
    /// Guilt for not answering ("I guess you're not interested", "you ignored my messages"): the
    /// breakup message's typical fault, wrong in any message.
    Guilt,
    /// Personal or romantic remarks: looks, photos, dating, private meetings.
    Personal,
    /// An ask with no object ("learn from your experience", "pick your brain"): not a reason when it
    /// ends its sentence.
    VagueAsk,
    /// A courtesy formula ("I hope this finds you well", "thanks for your time").
    Courtesy,
    /// What a job offers ("we offer a four-day week"): a recruiter's terms, not a sales pitch.
    JobTerms,
    /// A slot that names the sender's side, not the recipient's ("an opportunity at [Company]", "we're
    /// looking for a {{position}}"): it does not make the message about the recipient.
    SenderSlot,
}

/// Nouns for what a sender sells (stems), shared by the pitch patterns below.
macro_rules! products {
    () => {
        "platform|product|solut|softwar|tool|servic|app|programm|program|offer|cours|packag|api|plugin|pricing|demo|subscript|suit|assist|bot|simul|simulat|dashboard|integr|extens|widget|framework|retain|technolog|algorithm"
    };
}

/// Who a sender sells to (stems), shared by the pitch patterns below.
macro_rules! clients {
    () => {
        "compani|team|busi|brand|founder|leader|firm|client|agenc|startup|sender|organ|store|shop|restaur|practic|owner|peopl|recruit|distributor|retail|manufactur|contractor|clinic|@slot"
    };
}

/// The word patterns behind `Question` (syntax in `crate::language::pattern`). Written as general shapes
/// of the sentence ("our ..3 app|service|platform"), not as sentences seen once.
pub static QUESTIONS: &[(&str, Question)] = &[
    // Reasons: an intent with its object, an ask, a purpose.
    ("love|like|hope|want|keen|need|wish to ..3 exchange|swap|compare|hear|learn|chat|talk|speak|discuss|share|ask|understand|pick|get|trade|introduce|invite|collaborate|partner|help|say|compar|find|walk|show|send|meet|review|explor|mentor|offer|work|see|follow|catch|interview", Question::Reason),
    ("keep learn|learning|follow|following", Question::Reason),
    ("speak|talk|chat ..4 about", Question::Reason),
    ("looking for", Question::Reason),
    ("(we're|we are|i'm|i am) ..1 hiring|recruiting|building|organising|organizing|launching|researching|writing|raising|studying|exploring|moving|starting|working", Question::Reason),
    ("congratulations|congrats|congratulate", Question::Reason),
    ("happy|glad to ..2 send|share|help|intro|introduce|connect|answer|chat|mentor|meet|show|walk|review|find|talk|speak", Question::Reason),
    ("could|can|may|would|should i|we", Question::Reason),
    ("anything|someth|someone i|we can|could", Question::Reason),
    ("let me know", Question::Reason),
    ("pleas send|share|forward|review|reply|confirm|tell|introduc|pass", Question::Reason),
    ("(thank you|thanks) ..2 for ..2 invit|invitation|request|reach|messag|note|email|ask|think", Question::Reason),
    ("great|good|strong|perfect|ideal fit", Question::Reason),
    ("@reason", Question::Reason),
    // Common ground.
    ("your ..2 post|article|talk|podcast|piece|newsletter|webinar|keynote|panel|thread|paper|book|episode|interview|video|present|presentation|comment|session|workshop|course|essay|blog|report|write", Question::CommonGround),
    ("(i'm|i am|we're|we are) also ..2 in|at|from|a|an|into|work|working|build|building|attend|go|speak", Question::CommonGround),
    ("(we both|we're both|both of us|we share|we have ..2 in common|we were both|we've both)", Question::CommonGround),
    ("fellow", Question::CommonGround),
    ("same ..2 school|univers|program|programm|group|team|compani|event|confer|meetup|citi|industri|field|communiti|cohort|bootcamp|club", Question::CommonGround),
    ("we met|spoke|chat|chatted|talk|talked|worked|studi|overlap|overlapped|crossed", Question::CommonGround),
    ("(worked|studied|volunteered) together", Question::CommonGround),
    ("met|saw|heard|seen you at|on|speak|speaking|talk|present|in|dure", Question::CommonGround),
    ("meet|see you at|there", Question::CommonGround),
    ("(i'll be|i will be|i'm|i am) (there|attending|going) ..2 too", Question::CommonGround),
    ("mutual ..1 connect|connection|friend|contact", Question::CommonGround),
    ("@common", Question::CommonGround),
    // Concrete references to the recipient.
    ("given your", Question::Concrete),
    // (Not "your profile while researching": the noun, close to "your".)
    ("your ..1 research", Question::Concrete),
    ("your ..2 work|project|launch|move|promot|hire|raise|round|expans|startup|product|app|site|shop|store|portfolio|thesi|open-sourc|repo|librari|talk|post|articl|write|episod|interview", Question::Concrete),
    ("noticed|notice|saw|see|read|watched|heard|came|found|follow|following|finish|finished ..3 your|you ..3 post|articl|talk|work|project|launch|comment|paper|book|podcast|repo|product|app|announc|news|rais|hire|hiring|promot|move|thread|newslett|piec|video|expans|open-sourc|librari|portfolio|thesi|case|keynot|episod|switch|migrat", Question::Concrete),
    ("noticed|notice|saw|see|read|watched|heard|came|found|check|checked|review|visit|test|audit ..3 @recipient", Question::Concrete),
    ("(look|looked) (at|into|through|over) ..2 @recipient|@slot", Question::Concrete),
    ("you ..2 recently|just", Question::Concrete),
    // "the comments you've been leaving on …", "the talk you gave", "the thread you started".
    ("post|articl|talk|comment|thread|piec|video|episod|answer|keynot|present|paper|book|newslett|podcast|report|studi|demo (you|you've|you'd|you have) (been)? ..1 post|posted|leav|left|wrote|written|writ|shar|shared|publish|gave|given|made|record|recorded|host|hosted|ran|run|start|started|present|presented|put", Question::Concrete),
    ("(in|from) my ..2 note|messag|email|invit|invitation|request", Question::Concrete),
    // What the person said or did with the sender: a past conversation, their advice, their posting.
    ("you ..1 mention|mentioned|said|suggest|suggested|recommend|recommended|told|explain|explained|wrote|shared", Question::Concrete),
    ("for ..4 talk|talking|speak|speaking|chat|chatting|meet|meeting with|to me", Question::Concrete),
    ("our ..1 convers|conversation|chat|talk|meet|meeting|call|coffe|coffee|exchang", Question::Concrete),
    ("appli|applied ..8 role|posit|position|job|opening|vacanc", Question::Concrete),
    ("role|posit|position|job|opening|vacanc on|in|at|with your ..1 team|compani|group|depart|department|@recipient", Question::Concrete),
    ("the|your ..2 posting|listing|job post|job descript|job ad", Question::Concrete),
    // "Your background in fleet maintenance" (not "your experience in the industry": filtered in signals).
    ("your ..1 background|experi|experience|career|path|journey|expertis|expertise in|at|with|on|from|as", Question::Concrete),
    // Pitches: offers, services, results shown to sell.
    ("we specialize|specialise|specialis|specializ in", Question::Pitch),
    ("we offer|provide|sell|deliver", Question::Pitch),
    (concat!("we|i|we've|i've|we're|i'm help|helped|helping ..3 ", clients!(), "|like"), Question::Pitch),
    // "We help fintechs cut payout fees": helping anyone to a result is the offer, whoever they are.
    ("we|i|we've|i've|we're|i'm help|helped|helping ..3 cut|grow|increas|reduc|save|doubl|tripl|recov|book|scale|win|generat|automat|streamlin|improv|boost|land|close|launch|fill|turn|get|lower|hire|ship", Question::Pitch),
    ("@recipient|you|team|compani|busi|organis|organiz ..1 could|would|might|can ..1 benefit from", Question::Pitch),
    ("(we've|we have|i've|i have) been help|helping", Question::Pitch),
    (concat!("we|i work with ..3 ", clients!(), "|like"), Question::Pitch),
    (concat!(clients!(), " we|i ..1 work|partner with"), Question::Pitch),
    (concat!("our ..3 ", products!()), Question::Pitch),
    ("our ..2 agenc|studio|firm build|offer|help", Question::Pitch),
    // (Not "our rates of churn": a price is a pitch when it is stated.)
    ("our ..1 rate|rates|fee|fees|price|prices start|starts|rise|rises|is|are|begin|from", Question::Pitch),
    ("we built|build|made|make|creat|develop|launch ..3 tool|platform|app|product|softwar|ai|solut|system|simul|simulat|assist|bot|agent|dashboard|plugin|extens", Question::Pitch),
    (concat!("we|i set|implement|instal|deploy|roll ..4 for ..1 ", clients!()), Question::Pitch),
    ("free ..1 trial|demo|audit|consult|consultation|estim|quot|assess|call|analysi|access|session|month|week|shipping|review|setup|instal|onboard|pilot|reward|gift|bonus|credit|upgrad|evalu|mockup|proposal", Question::Pitch),
    ("show you ..3 demo|tool|platform|product|how|what", Question::Pitch),
    ("send|show|give you? ..2 walkthrough|demo|tour", Question::Pitch),
    ("# minut|min ..1 demo|walkthrough|tour", Question::Pitch),
    ("# a|per month|year|user|seat|mo", Question::Pitch),
    ("at|for|from just|only ..1 #|@slot", Question::Pitch),
    ("# off|discount", Question::Pitch),
    ("increas|boost|grow|doubl|tripl|improv|cut|save|lift ..1 your ..2 revenu|sale|pipelin|lead|convers|meet|roi|cost|time|hour|book|signup|retent", Question::Pitch),
    ("help|helping|helped you ..2 increas|boost|grow|doubl|tripl|improv|cut|save|lift|win|book|close|generat|keep|track|automat|streamlin", Question::Pitch),
    ("cut|cutting|reduc|lower|slash ..2 cost|spend|bill", Question::Pitch),
    ("our|my ..1 client|custom ..2 see|save|pay|cut|increas|reduc|doubl", Question::Pitch),
    ("client|custom typic|usual|averag|often ..2 see|save|pay|cut|gain|reduc|increas|doubl|grow", Question::Pitch),
    ("(share|show) how (we've|we have|we) (help|helped|helping)", Question::Pitch),
    ("(share|show) how (they|two|three|other|similar|teams|companies|clients|customers|our clients|our customers) ..4 fix|fixed|solv|cut|doubl|tripl|grew|grow|save|boost|improv|increas|reduc|went", Question::Pitch),
    ("match ..3 price", Question::Pitch),
    ("competit|low|lowest|best|afford|unbeat|great price|pricing|rate|rates", Question::Pitch),
    ("used this ..1 approach|tool|system|method to", Question::Pitch),
    ("went from ..4 to", Question::Pitch),
    // A case study the sender brings is selling; "the case study in your talk" is their topic.
    ("(a|an|our|this|one|two|three|recent|quick|short|brief|relev|similar|attach|full|detail) ..1 case stud|studi", Question::Pitch),
    ("case stud|studi (on|about|from|with|show|shows|showing|where) ..3 (how|we|our|client|custom|compani|team)", Question::Pitch),
    // Selling what the sender can do for them: "how we can grow your …", a result
    // told about "a similar company", "the steps our agency uses", a price that is about to go up.
    ("how (we|i) (can|could|would) ..2 help|grow|increas|boost|improv|scale|transform|fix|doubl|get ..1 your", Question::Pitch),
    ("at|for|with (a|one|another) similar|compar ..1 compani|compan|team|client|busi|brand|firm ..3 we|they ..2 cut|brought|reduc|doubl|tripl|grew|save|saved|increas|boost|got|took", Question::Pitch),
    ("our ..2 agenc|studio|firm|team use|uses|run|runs ..3 with|for ..1 client|custom|brand", Question::Pitch),
    ("pricing|price|prices go|goes|going|rise|rises up", Question::Pitch),
    // Results and proof told to sell: "we raise retention by 12%", "30% more bookings", "an extra
    // 30 slots a month", "75 qualified meetings", "the top apps already use us", "trusted by 400 teams".
    ("we|our ..2 increas|rais|boost|grow|doubl|tripl|improv|cut|reduc|lift|save|generat|drive|deliv ..4 by #", Question::Pitch),
    ("# more|fewer|less|extra|addit|new ..2 lead|meet|appoint|booking|book|sale|revenu|signup|custom|client|patient|order|repli|demo|deal|slot|conver", Question::Pitch),
    ("# ..1 qualifi ..1 lead|meet|meetings|appoint|opportun|call|prospect", Question::Pitch),
    ("alreadi use|uses|trust|trusts|choos us|our", Question::Pitch),
    ("trust|trusted|used|chosen by ..2 #|top|lead|leading|over|more|hundr|thousand", Question::Pitch),
    // What it costs, said to sell: "costs you nothing", "at no cost" (not "free of charge", which is
    // as often a favour offered).
    ("cost|costs you nothing", Question::Pitch),
    // A guaranteed result is a selling claim (not pressure: nothing is asked of the reader yet).
    ("result|return|roi|save|saving|growth|lead|meet|sale|convers ..3 guarante", Question::Pitch),
    ("guarante ..3 result|return|roi|lead|meet|growth|save|saving|sale|convers", Question::Pitch),
    ("(at no|no upfront|zero|no extra|no addit) cost", Question::Pitch),
    ("launch|introductori|intro|earli|founder|special|exclus|limit|spring|summer|holiday|black ..1 discount|pricing|offer|deal|rate", Question::Pitch),
    // The sales call-to-action: "what this could look like for {{company}}", a fundraise announced.
    ("(what|how) (this|that|it|we) (could|would|might|can) (look|work|do) ..1 for ..1 you|your|@recipient|@slot", Question::Pitch),
    ("(we're|we are|i'm|i am) (raising|closing) ..2 seed|pre|preseed|round|seri|fund|bridg", Question::Pitch),
    ("# second|sec ..1 demo|walkthrough|video|tour", Question::Pitch),
    // (A chat asked as a question, "open to a quick chat about X?", is a reason, not a pitch.)
    ("(book|schedul|grab|set up) ..3 demo|call|meet|meeting", Question::MeetingAsk),
    ("worth ..2 call|demo|meet|meeting", Question::MeetingAsk),
    ("# minut|min ..1 call|demo|meet", Question::MeetingAsk),
    ("walk you through", Question::MeetingAsk),
    // Pressure: scarcity, deadlines.
    ("only|just # ..2 spot|place|seat|slot|open|opening|left|remain|avail", Question::Pressure),
    ("last # ..2 spot|place|seat|slot", Question::Pressure),
    ("(last|final) few ..1 spot|place|seat|slot|day|hour|copi|unit|ticket", Question::Pressure),
    ("spot|place|seat|slot|space ..2 alreadi ..1 taken|gone|fill|book|claim", Question::Pressure),
    ("first come ..1 first serv", Question::Pressure),
    ("this week|month only", Question::Pressure),
    ("today|tonight only", Question::Pressure),
    ("miss ..3 window|chanc|opportun|out|boat", Question::Pressure),
    ("spot|place|seat|slot|offer ..3 gone|fill|run|expir|close|end", Question::Pressure),
    ("repli|respond|answer|act|sign|decid|confirm ..2 today|tonight|now|immedi|asap", Question::Pressure),
    ("repli|respond|answer|sign|book|decid|confirm|act|hear ..2 by|befor ..2 monday|tuesday|wednesday|thursday|friday|saturday|sunday|tomorrow|#|end|midnight|then|noon", Question::Pressure),
    ("unless you ..2 repli|respond|answer|get|write|call", Question::Pressure),
    // An offer tied to a near deadline: "only if you apply this week", "claim it by Friday".
    ("regist|enrol|claim|secur|lock|reserv ..3 this|by|befor|within ..1 week|month|weekend|friday|monday|tuesday|wednesday|thursday|tomorrow|today|#", Question::Pressure),
    ("only if you ..2 appli|apply|regist|sign|book|act|repli|respond|decid|confirm", Question::Pressure),
    ("price|rate|fee|cost|pricing rise|rais|increas|doubl|jump ..3 on|from|after|next|soon|#|in", Question::Pressure),
    ("price|rate|fee|cost|pricing (go|goes|going|will go) (back)? up", Question::Pressure),
    ("don't|do not let ..3 slip|pass", Question::Pressure),
    ("not give up on you", Question::Pressure),
    ("go|goe|went away in", Question::Pressure),
    ("expir|end|close ..2 tonight|today|tomorrow|midnight|friday|soon|hour", Question::Pressure),
    ("competitor ..3 alreadi", Question::Pressure),
    ("what a shame", Question::Pressure),
    // Guilt for not answering.
    ("(you've|you have|you've been|you keep|you) ignor|ignored|ignoring", Question::Guilt),
    ("you never ..2 answer|answered|repli|replied|respond|responded|wrote|got", Question::Guilt),
    ("guess|assum|suppos|gather ..3 not|don't|doesn't|didn't|aren't|isn't|never ..2 interest|care|bother|want|matter|worth", Question::Guilt),
    ("take the hint", Question::Guilt),
    // Reproach for the silence, in other words: "you haven't answered any of my messages", "I still
    // haven't heard back", "surprised I haven't heard back", "anyone home?".
    ("you (haven't|have not|didn't|did not) ..2 answer|answered|repli|replied|respond|responded|get|got ..3 my|ani|of", Question::Guilt),
    ("still (haven't|have not|not) ..2 heard|got|gotten|receiv", Question::Guilt),
    ("surpris|disappoint|shock ..4 (haven't|not|no|never) ..2 heard|repli|respons|answer", Question::Guilt),
    ("anyon|anybodi home", Question::Guilt),
    ("thought you were|would ..1 differ|better|profession|polit", Question::Guilt),
    ("common courtesy", Question::Guilt),
    // Personal remarks.
    ("like|love your ..1 picture|pictur|photo|pic|headshot|selfi", Question::Personal),
    ("look|looking|stare|staring|went ..3 your ..1 photo|pictur|pic|headshot|selfi", Question::Personal),
    ("gorgeous|stun|beauti|pretti|cute|hot|sexi|lovely|attract ..2 picture|pictur|photo|pic|headshot|profil|smile|woman|ladi|girl|face", Question::Personal),
    ("woman|ladi|girl like you", Question::Personal),
    ("your ..1 photo|pictur|pic|headshot|smile|selfi is|look|looks ..2 cute|gorgeous|beauti|stun|hot|sexi|pretti", Question::Personal),
    ("cheer|thank|thanks|bye|hi|hey|hello|morn|night|later|miss|babi|babe honey|babi|babe|sweeti|sweetheart|darl|cutie", Question::Personal),
    ("your beauti is|was|has|make|left|took", Question::Personal),
    ("are you ..1 single|married|seeing|taken|dating", Question::Personal),
    ("(you're|you are|you look|you seem) ..1 cute|hot|gorgeous|beauti|stun|sexi|handsom|pretti|love|lovely|attract|charm", Question::Personal),
    ("(you're|you are) a|an|such a ..2 woman|ladi|girl|lass", Question::Personal),
    ("look|looking|search|searching for a|an ..2 wife|husband|girlfriend|boyfriend|soulmat|companion|date", Question::Personal),
    ("settl down", Question::Personal),
    ("your ..1 whatsapp|snapchat|kik|wechat|viber", Question::Personal),
    ("(go on|ask you on|take you on|ask you out on) ..1 date", Question::Personal),
    ("play|playing hard to get", Question::Personal),
    ("(just the two of us|get to know you better)", Question::Personal),
    ("see where ..2 take|takes|lead|leads|goe|goes us", Question::Personal),
    ("any|your plan (for)? tonight", Question::Personal),
    ("any|your plan for the weekend", Question::Personal),
    ("your personal|privat|home ..1 number|phone|email|address|whatsapp", Question::Personal),
    ("your whatsapp|snapchat|snap|insta|instagram|telegram", Question::Personal),
    ("outsid ..1 of? work|offic|office|linkedin", Question::Personal),
    ("somewher nice|quiet|privat", Question::Personal),
    ("my hotel|apart|apartment", Question::Personal),
    // Asks with nothing to ask about: "learn from your experience.", "pick your brain sometime!"
    // (vague only when nothing follows in the sentence: checked in signals).
    ("learn|hear from ..1 you|your ..1 experi|experience|expertis|expertise|journey|success|career|insight|insights|background|wisdom|stori|story", Question::VagueAsk),
    ("learn from you", Question::VagueAsk),
    ("pick your brain", Question::VagueAsk),
    // Courtesy formulas: their "you" is politeness, not attention to the reader.
    ("(find|finds) you well", Question::Courtesy),
    ("hope you ..2 well|good|great", Question::Courtesy),
    ("thank|thanks ..1 for your time|consider|consideration", Question::Courtesy),
    ("hear|hearing back? from you", Question::Courtesy),
    ("appreci ..1 your time|consider|consideration", Question::Courtesy),
    // The terms of a job a recruiter offers ("we offer a four-day week, remote work"): not a sale.
    ("we|they offer|provid|give ..3 week|remot|salari|salary|equiti|equity|benefit|budget|leav|leave|relocat|flexibl|flexible|visa|bonus|pension|insur|vacat|holiday|hour|parent|parental|stipend|sabbat|sabbatical|health|mentor|mentorship|learn|learning", Question::JobTerms),
    // The sender's side in a slot.
    ("(we have|we've got|there's|i have) ..3 opportun|role|posit|job|open|opening|vacanc ..1 at|with @recipient", Question::SenderSlot),
    ("(look|looking) for a|an ..1 @recipient", Question::SenderSlot),
    // Slots that describe the sender's own search or background: "looking for [Industry] recruiters in
    // [Location]", "exploring roles in [field]", "I'm a [Job Title] with [X] years of experience".
    ("look|looking|search|searching|research|researching|explor|exploring|hunt|hunting ..2 for|in ..4 @recipient", Question::SenderSlot),
    ("(i'm|i am|i was|i've been|from) a|an ..1 @recipient", Question::SenderSlot),
    ("(with|have|i've|i have) ..1 @recipient year|years", Question::SenderSlot),
    ("(my|i have|i've) ..3 experi|experience|background|career|degre|degree ..2 in|as ..1 @recipient", Question::SenderSlot),
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::language::pattern::Patterns;
    use crate::language::Words;

    fn answers(text: &str) -> Vec<Question> {
        let patterns = Patterns::new(QUESTIONS);
        let words = Words::read(text, 0..text.len(), &[]);
        let mut tags: Vec<Question> = patterns.find(&words).into_iter().map(|m| m.tag).collect();
        tags.dedup();
        tags
    }

    /// Each question is answered by sentences it was not written from, and not by near misses: the
    /// patterns are shapes of sentences (word forms, optional words, a few words between), not lists.
    #[test]
    fn questions_generalise_and_keep_near_misses_out() {
        let yes: &[(&str, Question)] = &[
            (
                "I'd really love to swap notes on cold storage.",
                Question::Reason,
            ),
            (
                "I need to speak with someone about your vendor list.",
                Question::Reason,
            ),
            (
                "We are currently hiring two data engineers.",
                Question::Reason,
            ),
            ("Thank you so much for the invitation.", Question::Reason),
            ("I'm also based in Porto.", Question::CommonGround),
            ("We were both at the Lisbon meetup.", Question::CommonGround),
            (
                "Loved your latest newsletter issue.",
                Question::CommonGround,
            ),
            (
                "I think we overlapped at Acme in 2019.",
                Question::CommonGround,
            ),
            ("We specialise in flat roofs.", Question::Pitch),
            (
                "I've helped three logistics firms with this.",
                Question::Pitch,
            ),
            (
                "Clients usually save a fifth of their spend.",
                Question::Pitch,
            ),
            ("We offer free estimates.", Question::Pitch),
            ("Our fees start at $900.", Question::Pitch),
            ("Only 12 places are left.", Question::Pressure),
            ("Reply by Friday to keep the price.", Question::Pressure),
            ("Two of the places are already taken.", Question::Pressure),
            ("You've ignored every message so far.", Question::Guilt),
            ("I'll assume you simply don't care.", Question::Guilt),
            ("I really like your picture.", Question::Personal),
            ("I hope this message finds you well.", Question::Courtesy),
            ("Thanks for your time,", Question::Courtesy),
            (
                "We're helping e-commerce brands recover abandoned carts.",
                Question::Pitch,
            ),
            ("We help fintechs cut payout fees.", Question::Pitch),
            ("I think {company} could benefit from it.", Question::Pitch),
            (
                "Our matching software can rank applicants.",
                Question::Pitch,
            ),
            (
                "We offer a four-day week and remote work.",
                Question::JobTerms,
            ),
            (
                "Thank you for taking the time to talk with me.",
                Question::Concrete,
            ),
            (
                "I enjoyed our conversation about pricing.",
                Question::Concrete,
            ),
            (
                "I applied this week for the support lead role.",
                Question::Concrete,
            ),
            (
                "Your background in fleet maintenance stood out.",
                Question::Concrete,
            ),
            (
                "Send me your WhatsApp so we can chat outside of work?",
                Question::Personal,
            ),
            (
                "I'd love to learn from your experience.",
                Question::VagueAsk,
            ),
            ("Are you still single?", Question::Personal),
            (
                "Let's be friends and see where it takes us.",
                Question::Personal,
            ),
        ];
        for (text, q) in yes {
            assert!(
                answers(text).contains(q),
                "{text:?} should answer {q:?}: {:?}",
                answers(text)
            );
        }
        let no: &[(&str, Question)] = &[
            // "engineer" and "engine" share a stem: a person on the team is not a product.
            (
                "Our materials engineer will join the call.",
                Question::Pitch,
            ),
            (
                "I found your profile while researching openings in fintech.",
                Question::Concrete,
            ),
            (
                "I'd love to connect and learn more about pricing.",
                Question::VagueAsk,
            ),
            ("We offer free estimates.", Question::JobTerms),
            ("Thank you for the invitation.", Question::Courtesy),
            ("I'm a big fan of {company}.", Question::SenderSlot),
            ("I'd like to connect.", Question::Reason),
            (
                "Our rates of churn dropped after we copied your idea.",
                Question::Pitch,
            ),
            (
                "I specialise in Brazilian Portuguese localisation.",
                Question::Pitch,
            ),
            (
                "Would you share how you fixed the flaky tests?",
                Question::Pitch,
            ),
            (
                "Feel free to ignore this if the timing is off.",
                Question::Guilt,
            ),
            (
                "I'm guessing this isn't a priority right now.",
                Question::Guilt,
            ),
            ("I'll assume the timing isn't right.", Question::Guilt),
            (
                "We support one single interface for every carrier.",
                Question::Personal,
            ),
            ("It's a hot topic on my team.", Question::Personal),
            (
                "Let's run the pilot and see where it leads.",
                Question::Personal,
            ),
            ("No pressure at all.", Question::Pressure),
            ("Costs go down after the first month.", Question::Pressure),
        ];
        for (text, q) in no {
            assert!(
                !answers(text).contains(q),
                "{text:?} should not answer {q:?}"
            );
        }
    }
}
