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
your yours yourself allowed okay ok please something anything someone anyone thing stuff
""".split())

DEFAULT_VOCABULARY: dict[str, tuple[str, ...]] = {
    # Employment
    "sacked": ("dismissal", "disciplinary", "misconduct"),
    "sack": ("dismissal", "disciplinary", "misconduct"),
    "fired": ("dismissal", "disciplinary", "misconduct"),
    "trouble": ("disciplinary", "misconduct"),
    "punished": ("disciplinary", "misconduct"),
    "arrested": ("arrested", "cautioned", "charged", "convicted"),
    "police": ("police", "arrested", "criminal"),
    # Media and social media
    "press": ("media", "journalist", "publicly"),
    "journalist": ("journalist", "media", "publicly"),
    "reporter": ("journalist", "media", "publicly"),
    "newspaper": ("journalist", "media", "publicly"),
    "facebook": ("social media", "official account"),
    "instagram": ("social media", "messaging app"),
    "tiktok": ("social media",),
    "snapchat": ("social media", "messaging app"),
    "twitter": ("social media",),
    "whatsapp": ("messaging app", "social media"),
    "messaged": ("contacts", "message", "messaging"),
    "messages": ("message", "email", "messaging"),
    "friend request": ("connect", "connection request"),
    "read": ("monitor", "review"),
    "dm": ("message", "messaging app"),
    "nasty": ("abusive", "inappropriate", "unkind"),
    "rude": ("abusive", "inappropriate"),
    "delete": ("remove", "take down", "delete"),
    # Devices and IT
    "phone": ("phone", "device", "mobile"),
    "mobile": ("phone", "device"),
    "laptop": ("laptop", "device"),
    "ipad": ("tablet", "device"),
    "tablet": ("tablet", "device"),
    "computer": ("device", "laptop", "school systems"),
    "usb": ("memory stick", "usb"),
    "gmail": ("personal account", "personal email"),
    "hotmail": ("personal account", "personal email"),
    "dodgy": ("suspicious", "unsuitable"),
    "scam": ("suspicious", "phishing"),
    "hacked": ("hacking", "breach", "password"),
    "wifi": ("wi-fi", "network"),
    # Photographs
    "photo": ("photograph", "photo", "image"),
    "photos": ("photograph", "photo", "image"),
    "picture": ("photograph", "photo", "image"),
    "pic": ("photograph", "photo", "image"),
    "video": ("video", "photograph"),
    # People
    "kid": ("child", "pupil"),
    "kids": ("child", "pupil"),
    "student": ("pupil",),
    "mum": ("parent", "carer"),
    "dad": ("parent", "carer"),
    "colleague": ("colleague", "member of staff", "adult"),
    "teacher": ("member of staff",),
    # Pupils' welfare and conduct
    "hug": ("physical contact",),
    "hugging": ("physical contact",),
    "touch": ("physical contact",),
    "toilet": ("intimate care", "toileting"),
    "nappy": ("intimate care",),
    "lift": ("drive", "car"),
    "hurt": ("harm", "abuse", "disclosure", "worrying"),
    "fgm": ("female genital mutilation",),
    "tell": ("tell", "report", "speak to"),
    "inappropriate": ("unsuitable", "inappropriate"),
    "online": ("online", "internet", "website"),
    "abuse": ("abuse", "harm", "concern"),
    "worried": ("concern", "worried", "worries"),
    "disclosure": ("tells you", "disclosure"),
    "wear": ("dress",),
    "clothes": ("dress",),
    "alone": ("alone", "one to one"),
    # Data protection
    "gdpr": ("data protection", "personal data"),
    "ico": ("information commissioner",),
    "home": ("home", "off site"),
    "sar": ("subject access request",),
    "file": ("record", "file"),
    "files": ("record", "file"),
    "shred": ("shredding", "confidential"),
    "leak": ("breach",),
    # Absence and cover
    "sick": ("absent", "away", "not available"),
    "off": ("absent", "away", "not available"),
    # Common misspellings
    "safegaurding": ("safeguarding",),
    "safeguading": ("safeguarding",),
    "recieve": ("receive",),
    "recieved": ("received",),
    "confidentual": ("confidential",),
    "harrassment": ("harassment",),
    "disiplinary": ("disciplinary",),
    "priviledge": ("privilege",),
    "seperate": ("separate",),
}

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
