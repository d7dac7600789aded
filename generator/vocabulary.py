"""The words staff type and the words the handbook uses: search vocabulary, engine-independent.

Staff search in their own words ("sacked", "journalist", "SLT", "hug") and
policies are written in formal ones ("dismissal", "media", "senior leader",
"physical contact"). The vocabulary maps the first to the second; the
search engine (``mkdocs_adapter``) treats each listed term as a match for
the word typed. It is made of, in order (later entries add to earlier ones):

1. ``DEFAULT_VOCABULARY``, common staff vocabulary in UK schools;
2. the roles' aliases: each alias ("DSL") finds the role's name;
3. definitions: an abbreviation defined in a policy ("SAR", from "Subject
   access request (SAR)") finds the term;
4. the handbook's own ``vocabulary:`` in handbook.yaml.

``STOP_WORDS`` are the words of a question that say nothing about its
subject ("can I", "a", "of", "my"): a clause is not a better answer for
containing them.
"""

from __future__ import annotations

import re

from .model import Handbook

STOP_WORDS = frozenset("""
a about after all also am an and any are as at be been being but by can could did do does doing done
for from get gets getting got had has have having he her hers him his how i if im in into is it its
ive just me my myself of on or our ours should so some than that the their theirs them then there these
they this those to too us was we were what whats when where which who whom whose why will with would you
your yours yourself allowed okay ok please something anything someone anyone thing stuff go goes going
cant dont doesnt didnt isnt arent wasnt werent wont wouldnt shouldnt couldnt hasnt havent hadnt theyre youre
hes shes theyve weve youve themself themselves himself herself ourselves yourselves during each other another
everything everyone everybody nothing somebody whether while very really actually onto via
up down now still already again ever always sometimes often probably maybe perhaps basically literally even
quite rather much yet every out whos
""".split())

#: Words of a question that say what the reader wants done, not what about
#: ("I want to", "give", "put", "start"): matched like any other, they count for
#: less than the words naming the subject when clauses are ranked by how much of
#: the question they cover.
LIGHT_WORDS = frozenset("""
want wants wanted wanting need needs needed give gives gave given giving put puts putting make makes made
making take takes took taken taking start starts started starting think thinks thought know knows knew
say says said saying ask asks asked asking see sees saw seen look looks looked looking find finds found
happen happens happened let lets help helps try tries tried come comes came use uses used using guy guys
new old big small little lot lots way sure right fine bit best
over off round around back one two three four five same different keeps feel feels felt turn turns turned early
today yesterday tomorrow tonight
""".split())

# Each row: the words staff type -> the words policies use for them. Rows are
# grouped by subject; a word typed in one row may be in another row too (its
# terms add up). Every term is a real synonym, the expansion of an
# abbreviation, or the formal word UK school policies use for the everyday
# one. Terms are looked up at query time only (the search worker carries
# them): they add nothing to the indexed text of any clause.
_DEFAULTS: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    # --- Employment: conduct, discipline, absence, leave ---------------------
    (("sacked", "sack", "fired", "dismissed", "lose my job", "lost my job"), ("dismissal", "disciplinary", "misconduct")),
    (("trouble", "punished", "told off", "warning"), ("disciplinary", "misconduct")),
    (("suspended", "suspension"), ("suspension", "disciplinary")),
    (("gross misconduct",), ("gross misconduct", "dismissal")),
    (("grievance", "complain", "complaint", "complaints"), ("grievance", "complaint", "concern")),
    (("whistleblowing", "whistleblower", "whistle blowing", "blow the whistle", "speak up", "go above", "go over",
      "escalate", "ignored", "not listened", "nothing happened", "cover up", "covered up"),
     ("whistleblowing", "raise a concern")),
    (("sick", "ill", "illness", "off sick", "sick note", "fit note", "poorly"),
     ("sickness", "absence", "absent", "away", "illness", "not available")),
    (("off", "away", "absent"), ("absent", "absence", "away", "not available")),
    (("late", "lateness"), ("punctuality", "late")),
    (("holiday", "time off", "annual leave"), ("leave", "leave of absence")),
    (("maternity", "paternity", "pregnant", "pregnancy", "adoption leave"), ("family leave", "maternity", "leave")),
    (("appraisal", "performance management", "observation", "observed"), ("appraisal", "performance", "capability")),
    (("cpd", "inset", "course", "training day"), ("training", "professional development")),
    (("second job", "side job", "tutoring", "private tuition", "moonlighting"),
     ("secondary employment", "outside work", "business interest")),
    (("present", "presents", "gift", "bribe", "wine", "bottle of wine", "chocolates", "flowers", "voucher", "vouchers",
      "gift card", "thank you present", "christmas present", "xmas present", "tip"), ("gift", "hospitality")),
    (("drunk", "hungover", "hangover", "alcohol", "drinking"), ("alcohol", "under the influence")),
    (("drugs", "cannabis", "weed"), ("drugs", "substance", "under the influence")),
    (("vape", "vaping", "smoke", "smoking", "cigarette"), ("smoking", "vaping", "e-cigarette")),
    (("arrested", "charged", "caution", "cautioned", "convicted", "conviction"),
     ("arrested", "cautioned", "charged", "convicted", "criminal")),
    (("police",), ("police", "arrested", "criminal")),
    (("wear", "clothes", "clothing", "uniform", "tattoo", "tattoos", "piercing", "piercings", "jeans", "trainers",
      "shorts", "leggings", "hoodie", "flip flops", "dress code", "outfit"), ("dress", "appearance")),
    (("dbs", "crb", "police check"), ("disclosure and barring", "criminal record check")),
    (("scr",), ("single central record",)),
    (("contract", "contracts", "terms and conditions", "working hours", "directed time", "ppa", "ppa time"),
     ("contract", "working hours", "terms and conditions")),
    (("pay", "salary", "wages", "payslip", "pay slip", "overtime", "pay rise", "pension", "payroll"),
     ("pay", "salary", "payroll")),
    (("toil", "time off in lieu", "extra hours"), ("time off in lieu", "overtime", "working hours")),
    (("part time", "flexible working", "job share", "compressed hours", "reduce my hours", "fewer days"),
     ("flexible working", "part-time", "working hours")),
    (("resign", "resigning", "resignation", "quit", "quitting", "hand in my notice", "notice period", "leaving the school",
      "leaving date", "last day"), ("resignation", "notice", "leaver", "leaving")),
    (("reference", "references", "referee"), ("reference",)),
    (("probation", "probationary", "first day", "new starter", "new starters", "new staff", "ect", "nqt", "trainee",
      "student teacher", "pgce", "new job"), ("induction", "new starter", "new member of staff")),
    (("union", "trade union", "neu", "nasuwt", "unison", "gmb", "strike", "strikes", "industrial action"),
     ("trade union", "industrial action")),
    (("redundancy", "redundant", "restructure", "restructuring", "job cuts"), ("redundancy", "restructuring")),
    (("underperforming", "under performing", "poor performance", "not good enough"), ("capability", "performance")),
    (("return to work", "rtw", "back to work", "phased return", "occupational health", "oh referral"),
     ("return to work", "occupational health", "absence")),
    (("compassionate leave", "bereavement", "bereaved", "funeral", "died", "death in the family"),
     ("compassionate leave", "bereavement", "leave of absence")),
    (("dependants leave", "emergency leave", "childcare", "sick child", "carers leave", "my kid is ill", "my child is ill"),
     ("dependants leave", "emergency leave", "leave of absence")),
    (("appointment", "appointments", "dentist", "doctors appointment", "hospital appointment", "medical appointment", "ivf",
      "jury service", "jury duty"), ("leave of absence", "appointment", "time off")),
    (("hr", "human resources", "personnel"), ("human resources", "personnel", "business manager")),
    (("interview", "interviews", "interviewing", "shortlist", "shortlisting", "recruitment", "recruiting", "hiring",
      "job application", "applicant", "applicants", "candidate", "candidates", "new hire"),
     ("recruitment", "safer recruitment", "interview", "candidate")),
    (("conflict of interest", "conflict of interests", "declare", "declaration", "relative", "relatives", "related to",
      "my son", "my daughter", "husband", "wife", "partner", "boyfriend", "girlfriend", "my brother", "my sister",
      "niece", "nephew", "family member", "my own child", "my own kid"),
     ("interest", "declare", "relative", "relationship", "conflict")),
    (("dating", "relationship", "relationships", "seeing someone", "romantic", "affair", "crush"),
     ("relationship", "personal relationship")),
    (("bullied at work", "bullying at work", "harassed", "harass", "harassment", "manager bullying", "picked on at work"),
     ("harassment", "bullying", "grievance")),
    (("discriminate", "discrimination", "discriminated", "equal opportunities", "equality", "protected characteristic",
      "protected characteristics", "unfair", "unfairly", "treated differently"),
     ("discrimination", "equality", "protected characteristic")),
    # --- Roles and people ----------------------------------------------------
    (("head", "headteacher", "head teacher", "principal", "boss"), ("headteacher",)),
    (("line manager", "manager", "boss"), ("line manager", "manager")),
    (("slt", "smt", "senior leaders", "senior leadership"), ("senior leadership team", "senior leader")),
    (("ta", "tas", "lsa", "teaching assistant", "support staff"), ("teaching assistant", "support staff")),
    (("senco", "sendco"), ("special educational needs co-ordinator", "special educational needs coordinator")),
    (("governor", "governors", "gb"), ("governor", "governing board", "governing body")),
    (("supply", "supply teacher", "agency staff", "cover teacher"), ("supply", "temporary staff", "agency")),
    (("helper", "parent helper", "volunteer", "volunteers"), ("volunteer",)),
    (("contractor", "contractors", "builder", "builders", "workmen"), ("contractor", "visitor")),
    (("dinner lady", "dinner ladies", "lunchtime", "midday", "lunch"), ("midday supervisor", "lunchtime")),
    (("kid", "kids", "student", "students", "learner", "learners"), ("pupil", "child")),
    (("son", "sons", "daughter", "daughters"), ("child", "pupil")),
    (("pupil", "pupils"), ("child",)),
    (("parent", "parents"), ("carer", "family")),
    (("child", "children", "childrens"), ("pupil",)),
    (("mum", "dad", "mother", "father", "guardian", "family", "step parent"), ("parent", "carer")),
    (("colleague", "coworker", "co-worker"), ("colleague", "member of staff", "adult")),
    (("teacher", "teachers", "staff member"), ("member of staff",)),
    (("council", "la"), ("local authority",)),
    (("caretaker", "site manager", "premises manager", "site staff", "janitor", "cleaner", "cleaners"),
     ("site manager", "premises", "caretaker")),
    (("receptionist", "admin", "admin staff", "office staff", "school office", "front desk", "front office",
      "office manager"), ("office staff", "school office", "office")),
    (("bursar", "business manager", "finance officer", "finance manager", "sbm"),
     ("business manager", "school business manager", "finance")),
    (("deputy", "deputy head", "assistant head"), ("deputy headteacher", "senior leader")),
    (("chair", "chair of governors", "cog"), ("chair of governors",)),
    (("academy trust", "multi academy trust", "trustees", "trust board", "ceo", "central team"),
     ("trust", "trustees", "governing board")),
    (("class teacher", "form tutor", "form teacher", "year leader", "phase leader", "head of year"),
     ("class teacher", "teacher")),
    (("nursery", "eyfs", "early years", "reception class", "foundation stage"), ("early years", "reception", "eyfs")),
    (("visitor", "visitors", "guest", "guests", "visiting speaker", "external speaker", "stranger", "strangers",
      "unknown adult", "intruder"), ("visitor",)),
    (("young carer", "young carers"), ("young carer",)),
    (("private fostering", "privately fostered", "living with relatives", "staying with a friend"), ("private fostering",)),
    # --- Safeguarding: acronyms, guidance, kinds of harm ---------------------
    (("kcsie", "keeping children safe"), ("keeping children safe in education",)),
    (("working together", "wttsc"), ("working together to safeguard children",)),
    (("dsl",), ("designated safeguarding lead",)),
    (("ddsl", "deputy dsl"), ("deputy designated safeguarding lead",)),
    (("lado",), ("local authority designated officer", "designated officer")),
    (("cpoms", "myconcern", "my concern"), ("safeguarding record", "record of concern", "concern")),
    (("mash",), ("multi-agency safeguarding hub", "children's social care", "referral")),
    (("social services", "social worker", "social care"), ("children's social care", "referral")),
    (("prevent", "radicalised", "radicalisation", "radicalization", "extremist", "extremism", "terrorism"),
     ("prevent", "radicalisation", "extremism", "channel")),
    (("cp",), ("child protection",)),
    (("cin", "child in need"), ("child in need",)),
    (("lac", "cla", "looked after", "foster"), ("looked-after", "looked after child", "virtual school")),
    (("cse",), ("child sexual exploitation", "sexual exploitation")),
    (("cce", "county lines"), ("child criminal exploitation", "criminal exploitation")),
    (("peer on peer", "child on child", "peer abuse"), ("child-on-child abuse", "peer-on-peer abuse")),
    (("sexting", "nudes", "nude", "nude selfie"), ("nude and semi-nude images", "indecent images", "sharing nudes")),
    (("upskirting",), ("upskirting", "sexual harassment")),
    (("groom", "grooming"), ("grooming", "abuse", "exploitation")),
    (("fgm",), ("female genital mutilation",)),
    (("forced marriage", "honour based", "honour violence"), ("forced marriage", "honour-based abuse")),
    (("neglect", "neglected", "hungry", "unkempt"), ("neglect",)),
    (("self harm", "self harming", "cutting themselves", "suicide", "suicidal"), ("self-harm", "mental health")),
    (("mental health", "anxiety", "anxious", "depression", "depressed", "wellbeing", "well being", "stress", "stressed"),
     ("mental health", "wellbeing")),
    (("hurt", "hurting", "hit", "hits", "hitting", "bruise", "bruises", "injury", "injured", "marks on"),
     ("harm", "injury", "abuse", "worrying")),
    (("abuse", "abused", "abusing"), ("abuse", "harm", "concern")),
    (("disclose", "discloses", "disclosed", "disclosing", "disclosure", "tells me", "told me", "confides",
      "confided", "opens up"),
     ("disclosure", "disclose", "tells you", "report")),
    (("tell", "raise a concern"), ("report", "speak to")),
    (("worried", "worry", "worries", "concerned", "uneasy"), ("concern", "worried", "worries")),
    (("secret", "keep a secret", "promise"), ("confidentiality", "secret", "promise")),
    (("allegation", "accused", "accusation", "complaint about a teacher"), ("allegation", "designated officer")),
    (("missing", "run away", "ran away", "absconded", "not collected", "uncollected"),
     ("missing", "missing child", "missing education")),
    (("hug", "hugging", "cuddle", "touch", "touching", "lap"), ("physical contact",)),
    (("restrain", "restraint", "positive handling", "physical intervention", "reasonable force"),
     ("reasonable force", "physical intervention", "restraint")),
    (("toilet", "toileting", "nappy", "nappies", "soiled", "changing nappies", "nappy changing", "change a nappy",
      "wet themselves", "soiled themselves", "accident in their pants"), ("intimate care", "toileting")),
    (("alone", "one to one", "1:1", "on my own"), ("alone", "one to one")),
    (("lift", "drive", "car", "car journey"), ("drive", "car", "transport")),
    (("how long", "how quickly", "how soon", "time limit", "how many days"), ("deadline", "within")),
    (("lost", "left", "mislaid", "misplaced", "left behind", "cant find", "nicked"), ("lost", "stolen", "missing")),
    (("domestic abuse", "domestic violence", "dv", "operation encompass", "violence at home", "parents fighting",
      "fighting at home"), ("domestic abuse", "abuse", "harm")),
    (("online safety", "e safety", "esafety", "internet safety", "staying safe online"), ("online safety",)),
    (("trafficking", "trafficked", "modern slavery", "slavery"), ("trafficking", "modern slavery", "exploitation")),
    (("eha", "caf", "tac", "team around the child", "team around the family", "taf", "family support"), ("early help",)),
    (("cp plan", "child protection plan", "section 47", "s47", "section 17", "s17", "strategy meeting", "core group",
      "case conference"), ("child protection plan", "child protection", "referral")),
    (("body map", "chronology", "cp file", "cp files", "safeguarding file"), ("child protection records", "record", "safeguarding record")),
    (("welfare", "welfare concern", "welfare check"), ("welfare", "safeguarding", "wellbeing")),
    (("upset", "distressed", "not themselves", "behaving differently", "acting differently", "mood swings"),
     ("mood", "wellbeing", "upset")),
    (("acting", "acting weird", "acting strange", "behaving", "behaving oddly", "creepy", "odd", "strange", "weird",
      "overfamiliar", "over familiar", "too close", "favourites", "favouritism"),
     ("behave", "behaviour", "conduct", "concern", "allegation")),
    (("sexual", "sexually", "groping", "grope", "inappropriate touching", "touched inappropriately", "sexual comments",
      "sexualised", "sexualized", "flicking skirts", "bra pinging"),
     ("sexual harassment", "sexual violence", "child-on-child abuse", "sexual")),
    (("collect", "collection", "collecting", "pick up", "picking up", "pickup", "home time", "late pick up",
      "late collection"), ("collection", "collect", "not collected", "home time")),
    (("badge", "badges", "lanyard", "lanyards", "id", "id badge", "id card", "identification", "photo id"),
     ("identification", "identity", "lanyard", "badge")),
    (("sign in", "signing in", "sign out", "signing out", "visitor book", "inventory", "inventry", "entry system"),
     ("sign in", "sign out", "visitor")),
    (("999", "ambulance", "emergency", "emergency services"), ("emergency", "999", "police", "immediate danger")),
    (("nspcc", "childline"), ("nspcc", "helpline", "advice line")),
    # --- Behaviour -----------------------------------------------------------
    (("behavior", "behave", "misbehave", "misbehaving", "naughty", "disruptive"), ("behaviour", "conduct")),
    (("detention", "punishment", "punish", "consequence", "consequences"), ("sanction", "consequence")),
    (("excluded", "exclusion", "expelled", "expel", "sent home"), ("exclusion", "suspension", "permanent exclusion")),
    (("reward", "rewards", "praise", "merit", "sticker"), ("reward", "praise")),
    (("bully", "bullies", "bullied", "bullying", "picked on", "picking on", "name calling", "teasing"),
     ("bullying",)),
    (("cyberbullying", "cyber bullying", "online bullying", "trolling"), ("cyberbullying", "online bullying")),
    (("racist", "racism", "homophobic", "homophobia", "transphobic", "sexist", "sexism", "hate"),
     ("prejudice", "prejudice-based", "discriminatory", "discrimination", "hate")),
    (("fight", "fighting", "kick", "kicked", "punch", "punched", "violent"), ("violence", "physical", "assault")),
    (("swear", "swearing", "swore", "nasty", "rude", "horrible", "vile", "hurtful", "mean comments", "being mean",
      "mean to"), ("abusive", "inappropriate", "offensive", "unkind")),
    (("say sorry", "saying sorry", "apologise", "apologize", "apology", "make up", "make friends", "mediation",
      "face to face"), ("restorative", "apology")),
    (("signs", "spot", "how would i know", "red flags", "indicators", "warning signs"),
     ("signs", "indicators", "alert")),
    (("confiscate", "confiscated", "confiscation", "take away", "search a bag", "searching"),
     ("confiscation", "confiscate", "search")),
    (("mean", "unkind", "horrible to", "being horrible", "bitchy", "spiteful", "cruel"), ("unkind", "bullying", "abusive")),
    (("leaving out", "left out", "leaving them out", "ignoring", "isolated", "no friends", "lonely"),
     ("leaving someone out", "alone", "bullying")),
    (("rumours", "rumors", "spreading rumours", "gossip", "gossiping"), ("rumours", "bullying", "confidential")),
    (("threat", "threats", "threatened", "threatening", "intimidate", "intimidating", "intimidation"),
     ("threats", "threatening", "intimidation")),
    (("banter", "joke", "jokes", "joking", "messing about", "play fighting", "falling out", "fell out", "argument",
      "arguing", "one off"), ("jokes", "falling out", "argument", "one-off")),
    # --- SEND and medical ----------------------------------------------------
    (("sen", "special needs", "additional needs", "learning difficulty", "learning difficulties"),
     ("special educational needs", "send", "disability")),
    (("dyslexia", "dyslexic", "dyspraxia", "dyscalculia", "autism", "autistic", "asd", "asc", "adhd",
      "aspergers", "speech and language", "slcn"),
     ("special educational needs", "send", "disability")),
    (("disabled", "disability", "wheelchair"), ("disability", "disabled", "special educational needs")),
    (("ehcp", "ehc plan"), ("education health and care plan", "special educational needs")),
    (("iep", "sen support plan", "pupil passport"), ("support plan", "special educational needs")),
    (("ihcp", "ihp", "care plan", "health plan"), ("individual healthcare plan", "healthcare plan", "medical")),
    (("medicine", "medicines", "medication", "tablets", "paracetamol", "calpol", "ibuprofen", "antibiotics",
      "prescription"), ("medicine", "medication", "medical")),
    (("inhaler", "asthma", "epipen", "epi pen", "auto injector", "allergy", "allergic", "anaphylaxis",
      "diabetes", "diabetic", "insulin", "epilepsy", "seizure", "seizures"),
     ("medical condition", "medical", "medicine", "healthcare plan")),
    (("first aid", "first aider", "plaster", "accident", "bumped", "nosebleed", "head bump"),
     ("first aid", "accident", "injury")),
    (("nurse", "doctor", "gp", "hospital"), ("medical", "health")),
    (("send needs", "send pupil", "send pupils", "send child", "send children", "send kids", "with send", "send register",
      "send support", "send team", "send code of practice", "sen support"),
     ("special educational needs", "disability", "special educational needs co-ordinator")),
    (("sensory", "meltdown", "meltdowns", "overwhelmed", "non verbal", "nonverbal", "cant explain", "cant communicate",
      "communication", "speech", "selective mutism"), ("communicate", "communication", "special educational needs")),
    (("reasonable adjustments", "adjustments", "access arrangements", "extra time"),
     ("reasonable adjustments", "disability", "special educational needs")),
    (("ed psych", "educational psychologist", "speech therapist", "salt", "occupational therapist", "camhs",
      "paediatrician"), ("specialist", "professional", "external agencies", "mental health")),
    (("pupil premium", "pp", "fsm", "free school meals", "disadvantaged"), ("pupil premium", "disadvantaged")),
    (("eal", "english as an additional language", "new to english", "interpreter", "translator"),
     ("english as an additional language", "interpreter")),
    (("sick bay", "medical room", "feeling ill", "temperature", "vomiting", "sick at school", "head lice", "nits",
      "chicken pox", "infectious", "contagious"), ("illness", "medical", "infection")),
    # --- Trips and transport -------------------------------------------------
    (("trip", "trips", "school trip", "outing", "excursion", "residential", "day out", "visit"),
     ("educational visit", "off-site visit", "off site", "trip")),
    (("evc",), ("educational visits coordinator", "educational visit")),
    (("minibus", "mini bus", "coach", "bus", "van", "taxi"), ("transport", "vehicle", "minibus", "driving")),
    (("risk assessment", "ra", "risk assess"), ("risk assessment",)),
    (("swimming", "pool", "beach", "river"), ("water", "swimming", "risk assessment")),
    (("overnight", "camp", "camping", "pgl", "field trip", "museum", "theatre", "zoo", "farm visit"),
     ("educational visit", "off-site visit", "residential", "trip")),
    (("club", "clubs", "after school club", "breakfast club", "wraparound", "wrap around", "extracurricular",
      "extra curricular", "football club", "sports club", "fixture", "fixtures"),
     ("club", "extra-curricular", "out of hours", "school activities")),
    (("ratio", "ratios", "how many adults", "staffing levels"), ("ratio", "supervision", "adults")),
    (("head count", "headcount", "registers", "taking the register", "attendance"), ("register", "attendance")),
    (("evolve", "visit form", "trip form", "trip approval"), ("educational visit", "approval")),
    # --- Data protection and records -----------------------------------------
    (("gdpr", "uk gdpr", "dpa", "data protection act"), ("data protection", "personal data")),
    (("ico",), ("information commissioner",)),
    (("dpo",), ("data protection officer",)),
    (("sar", "access request", "see my file", "see their file"), ("subject access request",)),
    (("foi", "freedom of information"), ("freedom of information", "request for information")),
    (("breach", "data breach", "leak", "leaked", "wrong person", "wrong email", "sent to the wrong", "stolen"),
     ("breach", "personal data breach", "lost", "stolen")),
    (("file", "files", "records", "paperwork", "notes"), ("record", "file")),
    (("retention", "how long keep", "keep records", "archive"), ("retention", "keep", "destroy")),
    (("shred", "shredding", "dispose", "disposal", "bin", "throw away", "throw out", "get rid of", "chuck",
      "clear out"), ("shredding", "disposal", "destroy", "confidential")),
    (("papers", "paperwork", "paper copies", "printouts", "printed"), ("paper records", "papers", "records")),
    (("names", "addresses", "dates of birth", "contact details"),
     ("personal data", "personal information")),
    (("everything you hold", "what you hold", "information you hold", "copy of their data",
      "copy of my data", "copy of everything"), ("subject access request", "personal data we hold")),
    (("encrypt", "encrypted", "encryption"), ("encryption", "encrypted")),
    (("consent", "permission", "permission slip"), ("consent", "permission")),
    (("privacy", "privacy notice"), ("privacy notice", "privacy", "personal data")),
    (("cctv", "camera", "cameras", "surveillance"), ("cctv", "camera", "surveillance")),
    (("confidentual", "confidential", "confidentiality", "private"), ("confidential", "confidentiality")),
    (("share information", "information sharing", "pass on information"), ("sharing information", "information sharing")),
    (("home", "take home", "working from home", "wfh"), ("home", "off site", "remote working")),
    (("dpia", "dpias", "impact assessment", "privacy impact assessment"),
     ("data protection impact assessment", "impact assessment", "data protection officer")),
    (("sims", "arbor", "bromcom", "scholarpack", "mis", "management information system", "pupil database",
      "school database", "database"), ("management information system", "school systems", "records", "personal data")),
    (("class dojo", "classdojo", "dojo", "seesaw", "tapestry", "evidence me", "google classroom", "microsoft teams",
      "teams", "zoom", "google meet", "purple mash", "times tables rock stars", "ttrs"),
     ("online service", "app", "school systems", "platform")),
    (("processor", "data processor", "third party", "third parties", "supplier", "suppliers", "vendor", "company",
      "companies", "firm", "provider", "catering", "caterers", "catering firm", "outside company"),
     ("supplier", "contractor", "processor", "third party")),
    (("controller", "data controller"), ("data controller",)),
    (("lawful basis", "legal basis", "legitimate interest", "legitimate interests"), ("lawful", "lawful basis", "legitimate")),
    (("special category", "sensitive data", "sensitive information", "health data", "medical records",
      "medical information", "ethnicity"), ("special category data", "sensitive", "health")),
    (("address", "addresses", "date of birth", "dob", "personal details"),
     ("personal data", "contact details", "personal information")),
    (("phone number", "phone numbers", "mobile number", "contact number", "number for"),
     ("phone", "mobile", "extension", "contact details")),
    (("look up", "looking up", "looked up", "nosy", "nosing", "curiosity", "curious", "snooping", "access records"),
     ("need to know", "access", "look at", "personal data")),
    (("keep", "kept", "keeping", "hold on to", "store", "storing", "stored"), ("keep", "retain", "retention", "store", "hold")),
    (("retention schedule", "retention period", "how long to keep", "how long we keep", "how long do we keep",
      "keep for"), ("retention", "how long we keep", "retention schedule")),
    (("password protect", "password protected", "password protecting"), ("encrypted", "password", "secure")),
    (("secure", "securely", "lock away", "locked", "lockable", "cabinet", "filing cabinet", "drawer"),
     ("secure", "locked", "cabinet")),
    (("recycling", "recycle", "recycling bin"), ("recycling", "shredding", "disposal")),
    # --- Technology: AI, social media, devices, networks, accounts ----------
    (("chatgpt", "chat gpt", "gpt", "openai", "copilot", "gemini", "bard", "claude", "chatbot", "chatbots", "ai"), ("generative ai", "artificial intelligence", "ai tool")),
    (("artificial intelligence",), ("generative ai", "artificial intelligence")),
    (("facebook", "fb"), ("social media", "official account")),
    (("instagram", "insta", "snapchat"), ("social media", "messaging app")),
    (("tiktok", "tik tok", "twitter", "youtube", "linkedin", "reddit", "bereal", "pinterest"),
     ("social media",)),
    (("whatsapp", "whats app", "messenger", "telegram", "discord", "imessage", "text", "texts", "texting",
      "sms", "dm", "dms"), ("messaging app", "message", "social media")),
    (("messages", "message"), ("message", "email", "messaging")),
    (("messaged",), ("contact", "message", "messaging")),
    (("friend request", "follower", "followers", "befriend", "mates", "be friends", "friends with", "add me",
      "added me", "follow", "followed", "follow back", "add them back"),
     ("connect", "connection request", "friend request")),
    (("tweet", "tweets", "tweeted", "status", "story", "stories", "reel", "reels", "comment", "comments"),
     ("post", "content", "comment")),
    (("quote", "statement", "comment on", "on the record"), ("comment", "publicly", "media")),
    (("rang", "ring", "rung", "phoned", "called me"), ("phone", "call", "contact")),
    (("reply", "replies", "respond", "answer", "get back to"), ("respond", "answer", "reply")),
    (("download", "downloading", "install", "installing", "software", "program", "programs", "extension",
      "extensions", "add on", "add ons", "plug in"), ("install", "software", "apps")),
    (("post", "posted", "posting", "upload", "uploaded"), ("post", "publish", "share", "content")),
    (("read", "snoop", "spy", "track", "tracking", "watching"), ("monitor", "monitoring", "review")),
    (("delete", "deleted", "take down", "remove"), ("remove", "take down", "delete")),
    (("phone", "mobile", "mobile phone", "smartphone", "iphone", "android", "cell phone"), ("phone", "device", "mobile")),
    (("ipad", "ipads", "tablet", "tablets", "kindle"), ("tablet", "device")),
    (("laptop", "laptops", "chromebook", "macbook"), ("laptop", "device")),
    (("pc", "computer", "computers", "desktop"), ("device", "laptop", "computer", "school systems")),
    (("smartwatch", "smart watch", "apple watch", "fitbit", "wearable"), ("smart watch", "device")),
    (("usb", "memory stick", "usb stick", "pen drive", "flash drive", "hard drive", "external drive"),
     ("memory stick", "usb", "removable media")),
    (("wifi", "wi fi", "wireless", "network", "hotspot", "internet connection", "broadband"),
     ("wi-fi", "network")),
    (("vpn", "remote desktop", "log in from home"), ("remote access", "network")),
    (("online", "internet", "web", "website", "websites", "browsing"), ("online", "internet", "website")),
    (("filter", "filtering", "blocked", "firewall"), ("filtering", "monitoring", "blocked")),
    (("password", "passwords", "passcode", "pin", "passphrase"), ("password", "passphrase")),
    (("login", "log in", "logon", "sign in", "username", "account", "accounts", "locked out"),
     ("account", "password", "log in")),
    (("two factor", "2fa", "two step", "2 step", "mfa", "authenticator", "verification code"),
     ("multi-factor authentication", "two-factor", "multi-factor")),
    (("own",), ("personal",)),
    (("write down", "write up", "jot down", "note down", "log it"), ("record", "log", "note")),
    (("talk about", "talk", "discuss", "chat about"), ("discuss", "speak", "express")),
    (("class", "classroom", "lesson", "lessons"), ("lesson", "classroom", "teaching")),
    (("weekend", "weekends", "evening", "evenings", "after school", "holidays"),
     ("out of hours", "outside working hours", "outside school")),
    (("pub", "bar", "party", "night out", "out with friends", "socially", "in public"), ("outside school", "out of hours")),
    (("borrow", "borrowing", "lend", "use for myself", "personal use"),
     ("private purposes", "personal use", "private use", "school property", "equipment", "resources")),
    (("vetting", "background check", "background checks", "dbs check", "checked out"),
     ("disclosure and barring", "vetting", "safer recruitment", "checks")),
    (("leave the room", "leave my desk", "unattended"), ("unattended", "lock")),
    (("lock", "lock screen", "screen lock", "walk away", "leave my desk"), ("lock", "lock screen", "unattended")),
    (("gmail", "hotmail", "yahoo", "outlook.com", "icloud", "personal email"), ("personal account", "personal email")),
    (("email", "e mail", "emails", "outlook"), ("email",)),
    (("dodgy", "suspicious", "weird"), ("suspicious", "unsuitable")),
    (("scam", "phishing", "spam", "fake email"), ("suspicious", "phishing")),
    (("hacked", "hack", "hacker", "virus", "malware", "ransomware", "cyber attack"),
     ("hacking", "breach", "password", "malware", "cyber")),
    (("cloud", "onedrive", "one drive", "google drive", "dropbox", "sharepoint", "icloud drive"),
     ("cloud storage", "storage", "personal account")),
    (("ict", "tech", "tech support", "helpdesk", "help desk", "technician"),
     ("it support", "technician", "network manager")),
    (("blog", "class blog", "newsletter", "website post"), ("website", "publish", "blog")),
    (("photo", "photos", "picture", "pictures", "pic", "pics", "selfie", "image"), ("photograph", "photo", "image")),
    (("video", "videos", "filming", "film", "recording"), ("video", "photograph", "recording")),
    (("photocopier", "photocopiers", "copier", "printer", "printers", "printing", "scanner", "laminator", "laminating",
      "projector", "whiteboard", "interactive whiteboard", "smartboard", "promethean", "visualiser", "speakers",
      "headphones", "charger", "chargers", "school kit", "stationery"),
     ("equipment", "resources", "school property", "device")),
    (("slagging off", "slag off", "slagged off", "slagging", "slating", "badmouth", "badmouthing", "bad mouthing",
      "bad mouth", "trash talk", "trash talking", "dissing", "diss", "criticise", "criticising", "criticize",
      "criticism", "negative comments", "negative post", "moan", "moaning", "moaned", "rant", "ranting", "vent",
      "venting", "whinge", "whinging", "complaining online", "bad review"),
     ("criticism", "negative", "poor light", "reputation", "disrepute", "damage", "complaint")),
    (("reputation", "image of the school", "look bad", "looks bad", "embarrass", "embarrassing", "embarrassment",
      "disrepute", "bad light", "bad press"), ("reputation", "disrepute", "poor light", "trust", "embarrassment")),
    (("screenshot", "screenshots", "screen shot", "screen grab", "screengrab", "screenshotted", "screenshotting"),
     ("screenshot", "copy", "evidence", "save")),
    (("group chat", "group chats", "gc", "chat", "chats", "chat group", "parents group", "class group",
      "parent whatsapp"), ("group chat", "messaging app", "message", "whatsapp groups")),
    (("retweet", "retweeted", "repost", "reposted", "reshare", "reshared"), ("share", "post")),
    (("tag", "tagged", "tagging"), ("tag", "name", "identify", "identifies")),
    (("profile", "profiles", "bio", "profile picture", "profile pic", "pfp", "public profile"),
     ("profile", "personal account", "account")),
    (("private account", "public account", "locked account", "make my account private"),
     ("privacy settings", "personal account", "private")),
    (("influencer", "content creator", "vlog", "vlogger", "vlogging", "podcast", "youtuber", "streamer", "side hustle"),
     ("blog", "personal account", "publish", "business interest")),
    (("livestream", "live stream", "live streaming", "going live", "streaming"), ("video", "live", "broadcast")),
    (("meme", "memes", "gif", "gifs", "emoji", "emojis"), ("image", "content", "post")),
    (("online game", "online games", "gaming", "xbox", "playstation", "fortnite", "roblox", "minecraft"),
     ("online games", "games", "online")),
    (("vpn", "vpns", "proxy", "proxies", "bypass", "get round", "get around", "get past", "unblock", "unblocked"),
     ("vpn", "proxy", "filtering", "get round")),
    (("remote learning", "remote teaching", "online lesson", "online lessons", "live lesson", "live lessons",
      "video call", "video calls", "teams call", "zoom call"), ("remote learning", "video call", "online")),
    (("personal device", "my own device", "own device", "my own laptop", "my phone", "personal phone", "personal laptop",
      "byod"), ("personal device", "personal phone")),
    (("backup", "back up", "backed up", "backing up"), ("backed up", "backup", "copy")),
    (("reply all", "cc", "bcc", "group email", "mass email", "email all parents", "mailing list"),
     ("bcc", "group of parents", "recipients")),
    (("attachment", "attachments", "link", "links", "clicked", "clicked a link", "clicked on a link"),
     ("attachments", "links", "phishing", "suspicious")),
    # --- Media, politics and public statements -------------------------------
    (("press", "journalist", "reporter", "newspaper", "news", "media", "tv", "radio"), ("media", "journalist", "publicly")),
    (("politics", "political", "politician", "election", "elections", "vote", "voting", "campaign",
      "protest", "mp", "brexit"), ("political", "impartial", "impartiality", "balanced")),
    (("opinion", "opinions", "views", "my views", "personal views"), ("views", "opinion", "impartial")),
    (("religion", "religious", "faith", "church", "mosque", "god"), ("religious", "religion", "belief")),
    (("british values",), ("fundamental british values",)),
    (("inappropriate", "unsuitable", "offensive"), ("unsuitable", "inappropriate")),
    (("local paper", "local news", "the papers", "bbc", "itv", "sky news"), ("media", "journalist", "newspaper")),
    # --- Money, purchasing and school property --------------------------------
    (("money", "cash", "dinner money", "trip money", "petty cash", "collecting money", "takings", "float"),
     ("money", "cash", "finance", "payment")),
    (("expenses", "expense", "claim", "claims", "mileage", "petrol", "receipt", "receipts", "reimburse", "reimbursed",
      "pay me back", "out of my own pocket"), ("expenses", "claim", "reimbursement", "receipt")),
    (("buy", "bought", "buying", "purchase", "purchasing", "invoice", "invoices", "spend", "spending", "budget", "budgets"),
     ("purchase", "procurement", "budget", "spend", "school money")),
    (("fundraising", "fundraiser", "raffle", "cake sale", "bake sale", "charity", "donation", "donations", "donate",
      "sponsorship", "sponsored", "pta", "pfa", "friends of the school", "school fund"),
     ("fundraising", "charity", "donation", "school fund")),
    (("parentpay", "parent pay", "scopay", "online payment", "card payment", "card machine", "bank transfer"),
     ("payment", "money")),
    (("bank details", "card details", "bank account", "sort code", "credit card", "debit card"),
     ("financial", "bank", "personal data", "payment")),
    (("fraud", "theft", "steal", "stealing", "stole", "embezzle", "fiddling"), ("fraud", "theft", "stolen", "wrongdoing")),
    (("my own stuff", "personal stuff", "own use", "side business", "private business", "my business", "selling", "sell"),
     ("private purposes", "personal use", "private business")),
    # --- Site, premises, health and safety -------------------------------------
    (("site", "premises", "building", "buildings", "grounds", "school site", "on site"), ("premises", "site", "school site")),
    (("keys", "key", "key fob", "fob", "alarm code", "alarm", "lock up", "locking up", "opening up"),
     ("keys", "security", "premises", "alarm")),
    (("fire", "fire alarm", "fire drill", "evacuation", "evacuate", "fire exit", "fire door", "fire doors",
      "assembly point"), ("fire", "evacuation", "emergency")),
    (("lockdown", "lock down", "invacuation", "dangerous person", "armed"), ("lockdown", "emergency", "intruder", "security")),
    (("gate", "gates", "fence", "fencing", "car park", "parking", "drop off"), ("site", "premises", "security", "gate")),
    (("faulty", "damaged", "repair", "repairs", "maintenance", "leaking", "hazard", "hazards", "trip hazard", "spillage",
      "spill", "slippery", "wet floor"), ("health and safety", "hazard", "report", "maintenance", "damaged")),
    (("asbestos", "legionella", "coshh", "chemicals", "chemical", "cleaning products", "bleach", "hazardous substances"),
     ("hazardous substances", "health and safety", "chemicals")),
    (("ladder", "ladders", "lifting", "carrying", "heavy", "manual handling", "moving furniture", "back injury"),
     ("manual handling", "health and safety", "lifting")),
    (("lone working", "working alone", "last one in", "last one out", "alone in school", "alone in the building"),
     ("lone working", "alone", "working alone")),
    (("riddor", "accident book", "accident form", "near miss", "injury at work", "hurt at work", "hurt myself"),
     ("accident", "injury", "report", "health and safety")),
    # --- Asking about rules, kinds and consequences -----------------------------
    (("types", "type of", "kinds", "kind of", "sorts", "sort of", "examples", "form of", "categories"),
     ("forms", "types", "kinds", "examples")),
    (("break the rules", "breaking the rules", "broke the rules", "broken the rules", "break the policy",
      "breach the policy", "not follow", "misuse"), ("breach", "misuse", "breaking this policy", "disciplinary")),
    (("what happens if", "consequences", "what will happen", "what happens to me"),
     ("consequences", "disciplinary", "breach", "may lead to")),
    # --- Common misspellings -------------------------------------------------
    (("safegaurding", "safeguading", "safe guarding"), ("safeguarding",)),
    (("recieve",), ("receive",)),
    (("recieved",), ("received",)),
    (("harrassment", "harasment"), ("harassment",)),
    (("disiplinary", "diciplinary"), ("disciplinary",)),
    (("priviledge",), ("privilege",)),
    (("seperate",), ("separate",)),
    (("behavour", "behaviuor"), ("behaviour",)),
    (("medecine",), ("medicine",)),
    (("grevance",), ("grievance",)),
)


def _merged(rows) -> dict[str, tuple[str, ...]]:
    """The rows as one mapping: a word in several rows finds every row's terms, in order."""
    merged: dict[str, list[str]] = {}
    for typed, terms in rows:
        for word in typed:
            known = merged.setdefault(word, [])
            known.extend(term for term in terms if term not in known)
    return {word: tuple(terms) for word, terms in merged.items()}


DEFAULT_VOCABULARY: dict[str, tuple[str, ...]] = _merged(_DEFAULTS)

_ABBREVIATION = re.compile(r"^(?P<term>.*\S)\s*\((?P<short>[A-Za-z][A-Za-z0-9]{1,9})\)\s*$")


def search_vocabulary(handbook: Handbook) -> dict[str, list[str]]:
    """Word or phrase staff type (lower case) -> the terms it also finds, for the search engine.

    Each list starts with the key's own other spellings where there are any;
    the engine matches the word itself as well.
    """
    vocabulary: dict[str, list[str]] = {}

    def add(word: str, terms) -> None:
        key = " ".join(word.lower().split())
        if not key:
            return
        known = vocabulary.setdefault(key, [])
        for term in terms:
            term = " ".join(str(term).lower().split())
            if term and term != key and term not in known:
                known.append(term)

    for word, terms in DEFAULT_VOCABULARY.items():
        add(word, terms)
    for role in handbook.roles:
        for alias in role.aliases:
            add(alias, (role.name,))
    for policy in handbook.policies:
        for version in policy.versions:
            for definition in version.definitions:
                match = _ABBREVIATION.match(definition.term)
                if match:
                    add(match["short"], (match["term"],))
    for word, terms in handbook.vocabulary:
        add(word, terms)
    return {word: terms for word, terms in vocabulary.items() if terms}


def stop_words() -> list[str]:
    return sorted(STOP_WORDS)


def light_words() -> list[str]:
    return sorted(LIGHT_WORDS)
