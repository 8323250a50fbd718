"""Numeric claims ("figures") in article text.

Reads plain article text and returns one :class:`Figure` per numeric claim: the value (or a
range), its unit, what is counted, the approximation written before it, the period it covers,
who says so and how the claim is hedged, with character offsets into the text it was given.

Conventions, chosen so that figures can be compared and charted:

* Percentages keep their written value: "35%" is ``35`` with unit ``"%"``. Fractions and
  "one in five" become percentages ("a third" is 33.33 %, "one in five" is 20 %).
* Money is a number with an ISO-like code (``USD``, ``KRW``, ``KPW``, ``EUR``, ``CNY``, ``RUB``,
  ``JPY``, ``GBP``). A bare "won" is read from its context: ``KPW`` in North Korean market prices
  and exchange rates (North Korean places, markets, rates, prices per kilogram in the sentence),
  ``KRW`` where the money is South Korean (Seoul, defectors, remittances, money sent to family);
  a sentence that says neither takes the article's reading. "8,000 to the dollar" is in won
  when the sentence is about the won.
* Korean-language numbers are read with their counter or unit ("168명", "2발", "약 3억1천만
  달러", "3만4천여 명", "20억 달러 이상"): 만, 억 and 조 (with 천 and 백 inside them) scale the
  digits, 약/여/이상/넘는 are kept as ``approx``.
* Bare counts ("11,000 troops") have no unit; the counted noun goes to ``counted``. When the
  number is the predicate, ``counted`` is the subject or object it measures ("Annual arrivals
  peaked at 2,914", "147 were women", "put deliveries at 1 million barrels", "rice remains 60
  percent more expensive").
  Multipliers ("tenfold", "three times", "twice the rate", "has tripled", "double the thrust",
  "more than doubling") have unit ``"times"``; "a pair of missions" is two missions. A sum
  priced per share ("$82 per share offer", "$60 per share in cash") counts what follows the
  rate; after an article the sum modifies the next noun ("a $5 billion hit"). A length counts
  what is that long ("a fence about eight feet tall"), a distance between places nothing
  ("3,380 kilometers from North Korea").
* Vague plurals are order-of-magnitude lower bounds with the phrase kept as ``approx``:
  "dozens of" is 12, "scores of" 20, "hundreds of" 100, "thousands of" 1,000, "tens of
  thousands of" 10,000; "tens of millions of dollars" is 10 million USD. "Several", "a few" and
  "many" alone give no figure; before a scale word they are its approximation ("several
  thousand workers" is 1,000 with approx "several").
* Hyphenated sizes are figures when the suffix is a measure or a strength ("a 5,000-tonne
  destroyer", "a 3,000-strong force", "a 300-member troupe"), and so are hyphenated durations
  of a thing ("a five-year sentence", "a 24-hour curfew", "a two-day trial"); a duration that
  places a level in time ("a four-year high") and other modifiers ("six-party talks") are not.
* Not figures: dates and years ("in 2018" is a period, so a bare 1800-2100 is a year), clock
  times, ordinals ("the third launch"), ages of people ("a 26-year-old", "aged 37", "Kim, 26,"),
  decades ("the 1990s"), model and product names ("Hwasong-19", "KN-23", "G7"), labels
  ("Resolution 2397", "Camp 16", "Room 39", "Section 4.2"), list markers, phone numbers, URLs,
  relative times ("3 hours ago", "12 days after"; but "flew 89 minutes before crashing" is a
  duration), the lone word "one", small numbers after
  "the" ("the two leaders", but "three of the five launches" counts), and numbers inside a
  named source ("two defectors told..."). Lines that do not end a sentence and have fewer than
  twelve words (headlines, menus, "Comments 0", "Page 2 of 5") are page chrome and skipped,
  unless they state a toll ("Seven killed as ...", "Boko Haram frees 21 Chibok girls") or an
  offer's price ("Sonos Move for $400"). Also not figures: a number right after a capitalised
  name ("Chang’e 4", "Apollo 11"), codes with a leading zero ("0800 0560154") or with slashes
  ("FHC/ABJ/03/095/2018"), ages in months and ranges of ages ("ages 16 to 18", "aged between 12
  to 17"), runs of days ("Oct. 11–21"), colon ratios ("16:9"), names of formats ("4K", "1080p",
  "5.1 surround"), times that place an event ("four hours into its journey", "20 minutes from
  now", "after 12 years of waiting") and windows that bound one ("within 24 hours", "in the
  following 3-5 years", "over the course of 12 months"). "From X to Y" after a change ("rose by
  37 percent, from 0.90 percent to 1.23 percent") is two levels, not a range.
* Claimants named outside the figure's sentence: a bare "he"/"she" is the latest named speaker
  before it (", said Scott Strenfel," names one), unless another speaker came between, or else
  a person named with a title in the two sentences before ("Mr. Trump wasn't satisfied.");
  an embedded post is its signer's ("— Name (@handle)") for every sentence of its line; a
  quotation that a later sentence closes ('...," Name told reporters') or an earlier one opens
  ('Name said: "') is that speaker's; in a transcript with speaker labels ("WALT: ..."), each
  paragraph is its label's speaker's.
* A hedge governs its own clause: not one in a later clause after the figure ("after a tram,
  believed to ..."), in an aside before it (", believed to be an ICBM,"), before a subordinate
  clause ("where ...") that holds the figure, nor an attributive "a suspected X". "would" is a
  hedge, except in "which would".
* Hyphenated pairs: an ascending pair is a range ("10-15 minutes", "$40-50 billion", the scale
  written once applying to both ends); a descending pair, a pair after "won", "beat" or "led" or
  before "win", "lead" or "vote", and win-loss records in parentheses ("(6-5, 3-4)") are scores
  or codes, not figures. "down by 30 to 126" is a change and a level, not a range.
* Also not figures: a size in a product's name ("the 16-inch MacBook Pro"), emergency numbers
  ("called 911"), reference markers ("[1]"), capitalised number words inside a name ("Zero
  Gravity Seats", "the Big Ten"), a speaker's age ("since I was 17"), "an app or two", "doubled
  down", rank lists ("top 10") and a span after a superlative ("the largest sale for nine
  years"). "scored four times" counts occurrences (no unit, counted "times"); "three times the
  rate" multiplies. Hyphenated counts of countable parts count the part ("a two-car tram",
  "a four-game streak"); "a 96 percent drop in operating income" measures the income. Rupees
  ("Rs 24 lakh", with lakh and crore as scales), Hong Kong dollars and a currency's price per
  dollar ("the yen ... at 108.55 per dollar") carry their codes.
* A number the article writes as a model's name ("777x", "787-9", "five 787 Dreamliner sales",
  "its 737 Max jet") is a name wherever it stands bare in that article. A fraction with a slash
  is a price move after a verb of movement ("rose 7/32") or a mixed number before a unit ("a
  1-1/2 year war"). A short line that prices something after a label and a colon ("RRP:
  £23.99", "VIP : 60,000₩") is a price list's row, not page chrome.
* Claimants in clauses: "with officials saying" names a source for its own clause; the subject
  of a reporting verb in a relative clause ("which Nissan claims"); a progressive forecast
  ("analysts were expecting"); "denied that", "insisted:" and ", arguing"; the speaker before a
  long "who" clause. A market move ("the Nasdaq added 20 points") is no remark. "appears to" and
  "are said to" hedge; a relative clause's "that appeared to" describes its noun.
* Periods: "fourth-quarter" is the quarter; "next week/month/year" the coming one; a bare
  month in a sentence about a plan ("will launch in June") is the coming one; a time after a
  participle that dates the counted noun's past ("schoolgirls abducted two years ago") is not
  the claim's period, nor is a time inside a relative aside about someone else ("The company,
  which was founded in 1990, said it would cut 300 jobs"). "year-to-date" and "so far this
  year" run to the article's date; "as of October" and "fiscal 2019" are periods.
"""

from __future__ import annotations

import bisect
import itertools
import logging
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from nkwatch.enrich.claims import Figure, Rejection, vague_scale
from nkwatch.enrich.periods import FIXED_HOLIDAYS, filed_day, resolve
from nkwatch.lexicon import DATELINE_HEAD, WEB_ADDRESS
from nkwatch.lexicon import NUMBER_WORDS as _SMALL_NUMBERS
from nkwatch.sentences import split_sentences

logger = logging.getLogger(__name__)

# --------------------------------------------------------------------------------------------
# Rule tables
# --------------------------------------------------------------------------------------------


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


_SCALES = {
    "dozen": 12.0,
    "hundred": 100.0,
    "thousand": 1e3,
    "million": 1e6,
    "billion": 1e9,
    "trillion": 1e12,
}
#: Abbreviated multipliers written after digits. "m" and "b" count only after a currency.
_SUFFIX_MULTIPLIERS = {"k": 1e3, "mn": 1e6, "mln": 1e6, "m": 1e6, "bn": 1e9, "b": 1e9, "tn": 1e12}
#: South Asian scale words written after digits ("Rs 24 lakh", "Rs 1,200 crore").
_SUFFIX_MULTIPLIERS |= {"lakh": 1e5, "lakhs": 1e5, "crore": 1e7, "crores": 1e7}
#: Vague plural magnitudes ("hundreds of soldiers"): the lower bound of each order of magnitude.
#: A chain multiplies ("tens of thousands" 10 x 1,000, "hundreds of billions" 100 x 10^9), so
#: every chain the pattern accepts has a value; "tens" only ever leads a chain.
_VAGUE_WORDS = {
    "dozens": 12.0,
    "scores": 20.0,
    "tens": 10.0,
    "hundreds": 100.0,
    "thousands": 1e3,
    "millions": 1e6,
    "billions": 1e9,
    "trillions": 1e12,
}
#: The longest chain read as one magnitude ("tens of hundreds of thousands of millions").
_MAX_VAGUE_CHAIN = 4
#: Largest magnitude a figure may have (a hundred trillion): above it a number is a misreading
#: (a table cell, an identifier, digits run together) and is rejected with a reason.
MAX_VALUE = 1e14
#: Longest digit run read as a number; longer runs are identifiers, not quantities.
MAX_DIGITS = 15
_FRACTIONS = {"half": 50.0, "third": 100 / 3, "quarter": 25.0, "fifth": 20.0, "tenth": 10.0}
_FOLD_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8}
_FOLD_WORDS |= {"nine": 9, "ten": 10, "twenty": 20, "hundred": 100, "thousand": 1000}

#: Every word that can carry a number's value; what a figure's text span must contain.
NUMBER_WORDS = frozenset([*_SMALL_NUMBERS, *_SCALES, *_VAGUE_WORDS, *_FRACTIONS, "halves", "fold"])

_CURRENCY_SYMBOLS = {"US$": "USD", "$": "USD", "€": "EUR", "£": "GBP", "₩": "KRW", "¥": "JPY"}
_CURRENCY_SYMBOLS |= {"₽": "RUB", "HK$": "HKD", "₹": "INR"}
#: Currency codes and abbreviations written before the number, by the unit they stand for.
_CURRENCY_CODES = {"RMB": "CNY", "Rs": "INR", "Rs.": "INR"}

#: Placeholder unit for a bare "won" until its sentence and article say which won it is.
_BARE_WON = "won"

#: Units written after the number, most specific first: (pattern, normalised unit).
#: Words between a number and its period that make a run of periods ("four straight years").
_RUN = r"(?:(?:straight|consecutive|successive)\s+)?"
_UNIT_TABLE: tuple[tuple[str, str], ...] = (
    (r"%|percent(?:age)?\s+points?|per[\s-]?cent|pct", "%"),
    (r"(?:Hong\s+Kong|HK)\s+dollars?", "HKD"),
    (r"(?:US|U\.S\.|American)\s+dollars?|dollars?", "USD"),
    (r"(?:Indian\s+)?rupees?", "INR"),
    (r"Egyptian\s+pounds?", "EGP"),
    (r"pounds?\s+sterling|British\s+pounds?", "GBP"),
    (r"North\s+Korean\s+won", "KPW"),
    (r"South\s+Korean\s+won", "KRW"),
    # A bare "won" is North or South Korean by its context; see _won_unit.
    (r"won", _BARE_WON),
    (r"yuan|renminbi|RMB", "CNY"),
    (r"r[ou]bles?", "RUB"),
    (r"euros?", "EUR"),
    (r"yen", "JPY"),
    (r"USD|EUR|GBP|KRW|KPW|CNY|RUB|JPY|INR|HKD", ""),
    (r"₩", "KRW"),
    (r"square\s+kilomet(?:re|er)s?|sq\.?\s*km|km2|km²", "km2"),
    (r"cubic\s+met(?:re|er)s?|m3|m³", "m3"),
    (r"km/h|kph|kilomet(?:re|er)s\s+(?:per|an)\s+hour", "km/h"),
    (r"mph|miles\s+(?:per|an)\s+hour", "mph"),
    (r"inch(?:es)?", "inches"),
    (r"lbs?[-\s]ft|pound[-\s]feet", "lb-ft"),
    (r"lbs?|pounds?(?=\s+of\b)", "lb"),
    (r"ounces?|oz", "oz"),
    # A bare "pounds" is money or weight by its context; see _pound_unit.
    (r"pounds?", "pound"),
    (r"(?:degrees?\s+)?(?:Celsius|centigrade)|°\s?C\b", "°C"),
    (r"(?:degrees?\s+)?Fahrenheit|°\s?F\b", "°F"),
    (r"pixels?", "pixels"),
    (r"light[-\s]years?", "light-years"),
    (r"kilomet(?:re|er)s?|km", "km"),
    (r"miles?", "miles"),
    (r"feet|foot|ft", "ft"),
    (r"yards?|yds?", "yards"),
    (r"millimet(?:re|er)s?|mm", "mm"),
    (r"centimet(?:re|er)s?|cm", "cm"),
    (r"met(?:re|er)s?|(?<=\d)m", "m"),
    (r"kilo(?:ton|tonne)s?|kt", "kilotons"),
    (r"(?:metric\s+)?(?:tons?|tonnes?)", "tons"),
    (r"kilo(?:gram)?s?|kg", "kg"),
    (r"grams?", "g"),
    (r"barrels?", "barrels"),
    (r"lit(?:re|er)s?", "litres"),
    (r"gallons?", "gallons"),
    # Case matters: "500 HP laptops" are laptops, "5 ps" nothing.
    (r"newton[\s-]met(?:re|er)s?|(?-i:Nm)", "Nm"),
    (r"horsepower|(?-i:b?hp)", "hp"),
    (r"(?-i:PS)", "PS"),
    (r"hectares?|ha", "hectares"),
    (r"acres?", "acres"),
    (r"kilowatt[-\s]hours?|(?-i:kWh)", "kWh"),
    (r"megawatt[-\s]hours?|(?-i:MWh)", "MWh"),
    (r"gigawatt[-\s]hours?|(?-i:GWh)", "GWh"),
    (r"megawatts?|MW", "MW"),
    (r"gigawatts?|GW", "GW"),
    (r"kilowatts?|kW", "kW"),
    # A capital W only when joined to its number ("a 60W port"; "60 W 57th St" is an address).
    (r"watts?|(?<=\d)(?-i:W)", "W"),
    (r"gigahertz|(?-i:GHz)", "GHz"),
    (r"megahertz|(?-i:MHz)", "MHz"),
    (r"hertz|(?-i:Hz)", "Hz"),
    (r"teraflops?", "teraflops"),
    (r"gigabytes?|(?-i:GB)", "GB"),
    (r"terabytes?|(?-i:TB)", "TB"),
    (r"megapixels?|(?-i:MP)", "MP"),
    (r"frames\s+per\s+second|(?-i:fps)", "fps"),
    (r"(?-i:ppi)", "ppi"),
    (r"milliseconds?|(?-i:ms)", "ms"),
    # "four straight years", "six consecutive days": a run of periods is still a duration.
    (rf"{_RUN}(?:hours?|hrs?)", "hours"),
    (r"minutes?|mins?", "minutes"),
    (r"seconds?|secs?", "seconds"),
    (rf"{_RUN}days?", "days"),
    (rf"{_RUN}weeks?", "weeks"),
    (rf"{_RUN}months?", "months"),
    (rf"{_RUN}years?", "years"),
    (rf"{_RUN}decades?", "decades"),
    (r"times", "times"),
    (r"degrees?", "degrees"),
    (r"knots?", "knots"),
)
_TIME_UNITS = {"hours", "minutes", "seconds", "days", "weeks", "months", "years", "decades"}
_MONEY_UNITS = {"USD", "KRW", "KPW", "EUR", "CNY", "RUB", "JPY", "GBP", "EGP", "LBP", "SYP", "SDG"}
_MONEY_UNITS |= {"INR", "HKD"}
_MONEY_UNITS |= {_BARE_WON}
#: Placeholder unit for a bare "pounds" until its context says money or weight.
_BARE_POUND = "pound"
#: Countries whose money is a pound, by the words that name them; Britain's is the default.
_POUND_COUNTRIES = (
    (re.compile(r"\b(?:Egypt|Egyptians?|Cairo)\b"), "EGP"),
    (re.compile(r"\b(?:Lebanon|Lebanese|Beirut)\b"), "LBP"),
    (re.compile(r"\b(?:Syria|Syrians?|Damascus)\b"), "SYP"),
    (re.compile(r"\b(?:Sudan|Sudanese|Khartoum)\b"), "SDG"),
)
_BRITAIN_RE = re.compile(r"\b(?:Britain|British|UK|U\.K\.|England|English|Scotland|Wales|London)\b")
#: Words that make a bare "pounds" money ("fined 30,000 pounds", "ordered to pay").
_MONEY_CUE_RE = re.compile(
    r"[$€£]|\b(?:fined?|fines|pay|paid|pays|paying|cost|costs|worth|prices?|priced|compensation|"
    r"bail|salary|salaries|wages?|budget|spent|spend|spending|funds?|funding|damages|awarded|"
    r"earn\w*|fees?|tax(?:es)?|bought|sold|raised|donat\w+|loans?|debts?|prize|invest\w*|"
    r"bribes?|ransom|reward)\b",
    re.IGNORECASE,
)
#: Words that make it weight ("a payload of 119,000 pounds", "weighs 300 pounds").
_WEIGHT_CUE_RE = re.compile(
    r"\b(?:payload|weigh\w*|heav(?:y|ier|iest)|lift\w*|carr(?:y|ies|ying)|cargo|loads?|mass|"
    r"thrust)\b",
    re.IGNORECASE,
)


def _article_pound(text: str) -> str:
    """The pound an article's money is in: the country it names most, else Britain's."""
    britain = len(_BRITAIN_RE.findall(text))
    best, most = "GBP", britain
    for pattern, code in _POUND_COUNTRIES:
        count = len(pattern.findall(text))
        if count > most:
            best, most = code, count
    return best


def _pound_unit(sentence: str, start: int, end: int, article_pound: str) -> str:
    """Money (the article's pound) or weight (``lb``) for a bare "pounds"."""
    if _WEIGHT_CUE_RE.search(_left(sentence, start, 40)):
        return "lb"
    if _MONEY_CUE_RE.search(sentence):
        return article_pound
    return "lb"


# Which won a bare "won" is. Money that is South Korean: sent from the South, paid by people
# living there, or named with Seoul's institutions.
_SOUTH_WON_RE = re.compile(
    r"\b(?:South\s+Korea\w*|Seoul|defectors?|remittances?|resettle\w*|brokers?|transfers?|"
    r"(?:sent|send|sends|sending|paid|pays|pay)\b[^.;]{0,40}\bto\s+(?:her|his|their|a|the)\s+"
    r"(?:mother|father|family|families|relatives?|parents?|sister|brother|son|daughter))\b",
    re.IGNORECASE,
)
# Money in North Korean markets: North Korean places and markets, exchange rates, prices per kilo.
_NORTH_WON_RE = re.compile(
    r"\b(?:North\s+Korea\w*|the\s+North|Pyongyang|Hyesan|Sinuiju|Chongjin|Hamhung|Wonsan|Rason|"
    r"Rajin|Kaesong|Nampo|Hoeryong|Musan|Manpo|Ryanggang|Yanggang|Hamgyong|Jagang|Chagang|"
    r"jangmadang|markets?|money\s+changers?|exchange\s+rates?|kilo(?:gram)?s?|kg|yuan|"
    r"(?:to|per|against)\s+the\s+(?:U\.?S\.?\s+)?dollar|per\s+dollar)\b",
    re.IGNORECASE,
)


def _won_unit(sentence: str, article_default: str) -> str:
    """KRW or KPW for a bare "won": the sentence decides, else the article."""
    if _SOUTH_WON_RE.search(sentence):
        return "KRW"
    if _NORTH_WON_RE.search(sentence):
        return "KPW"
    return article_default


def _article_won(text: str) -> str:
    """The won an article's prices are in when a sentence does not say: KPW in market reports."""
    north = len(_NORTH_WON_RE.findall(text))
    south = len(_SOUTH_WON_RE.findall(text))
    return "KPW" if north > south else "KRW"


#: Approximations written before a number, as written (longest alternatives first).
_APPROX_BEFORE = (
    "approximately",
    "approx.",
    "an estimated",
    "estimated",
    "as high as",
    "as low as",
    "as many as",
    "as much as",
    "as few as",
    "as little as",
    "no fewer than",
    "no more than",
    "no less than",
    "not more than",
    "not less than",
    "more than",
    "less than",
    "fewer than",
    "in excess of",
    "upwards of",
    "close to",
    "just over",
    "just under",
    "well over",
    "well under",
    "at least",
    "at most",
    "up to",
    "nearly",
    "almost",
    "roughly",
    "around",
    "about",
    "some",
    "over",
    "under",
    "above",
    "below",
    "past",
)
#: Approximations written after a number ("11,000 or more").
_APPROX_AFTER = ("or more", "or so", "or fewer", "or less")

#: Hedge words (case-insensitive), plus lower-case "may" and "thought to", "assumed to",
#: "presumed to".
_HEDGES = (
    "reportedly",
    "allegedly",
    "alleged",
    "believed",
    "believes",
    "believe",
    "estimated",
    "estimates",
    "estimate",
    "estimating",
    "suspected",
    "claimed",
    "claims",
    "could",
    "might",
    "possibly",
    "probably",
    "likely",
    "apparently",
    "purportedly",
    "supposedly",
    "presumably",
    "rumoured",
    "rumored",
    "expected",
    "expects",
    "expecting",
    "perhaps",
    "potentially",
    "would",
    "purporting",
    "purported",
    "unconfirmed",
    "unverified",
)

#: Verbs whose subject is the source of what follows ("X said", "Satellite images show").
#: Verbs by which a subject claims what it will do: a claimant only before "to" and a verb.
_PLEDGE_VERBS = frozenset(
    {"threatened", "threatens", "vowed", "vows", "pledged", "pledges", "promised", "promises"}
)
_REPORTING_VERBS = (
    "said",
    "says",
    "say",
    "told",
    "tells",
    "estimated",
    "estimates",
    "estimate",
    "reported",
    "reports",
    "claimed",
    "claims",
    "claim",
    "stated",
    "announced",
    "announces",
    "added",
    "adds",
    "noted",
    "wrote",
    "writes",
    "confirmed",
    "confirms",
    "believes",
    "believe",
    "thinks",
    "think",
    "alleged",
    "alleges",
    "warned",
    "warns",
    "revealed",
    "reveals",
    "reveal",
    "indicates",
    "indicate",
    "suggests",
    "suggest",
    "put",
    "puts",
    "expects",
    "expected",
    "expecting",
    "predicts",
    "predicted",
    "forecasts",
    # A company's guidance: "Home Depot sees sales growth of 1.8 percent".
    "sees",
    "projects",
    "projected",
    "recounted",
    "recalled",
    "disclosed",
    "showed",
    "shows",
    "show",
    "found",
    "finds",
    "assessed",
    "assesses",
    "counted",
    "detected",
    "observed",
    "recorded",
    "spotted",
    "quoted",
    "quoting",
    "allege",
    "identified",
    "estimating",
    "accuses",
    "putting",
    "spoke",
    "spoken",
    "speaks",
    "highlighted",
    "highlights",
    # Only before what the subject will do ("threatened to fire four missiles").
    *sorted(_PLEDGE_VERBS),
    # Title-case headlines: "Nigeria Says 21 Schoolgirls ... Released".
    "Says",
    # Only with what they assert after them ("denied that", "insisted:"); see _THAT_VERBS.
    "denied",
    "denies",
    "insisted",
    "insists",
    "acknowledged",
    "acknowledges",
    "admitted",
    "admits",
    "argued",
    "argues",
    "maintained",
    "maintains",
)
#: Reporting verbs that name a claimant only when a claim follows them: "denied that the 21
#: girls were exchanged", not "denied entry to 40 people".
_THAT_VERBS = _word_set(
    "denied denies insisted insists acknowledged acknowledges admitted admits argued argues"
    " maintained maintains"
)
#: Verbs that link a measured thing to its figure ("Exports fell 12%", "The fee is $75").
_CHANGE_VERBS = (
    "rose",
    "risen",
    "rise",
    "rises",
    "fell",
    "fallen",
    "falls",
    "dropped",
    "drops",
    "declined",
    "declines",
    "decreased",
    "increased",
    "increases",
    "grew",
    "grown",
    "grows",
    "jumped",
    "jumps",
    "surged",
    "soared",
    "plunged",
    "slumped",
    "shrank",
    "shrunk",
    "contracted",
    "climbed",
    "climbs",
    "widened",
    "narrowed",
    "expanded",
    "extended",
    "cut",
    "measures",
    "measured",
    "displaces",
    "estimated",
    "reached",
    "reaches",
    "hit",
    "totalled",
    "totaled",
    "totals",
    "amounted",
    "amounts",
    "stood",
    "stands",
    "was",
    "were",
    "is",
    "are",
    "cost",
    "costs",
    "weighs",
    "weighed",
    "worth",
    # Prices: "a kilogram of rice sold for", "the dollar fetched", "the yuan traded at".
    "sold",
    "sells",
    "selling",
    "fetched",
    "fetches",
    "traded",
    "trades",
    "trading",
    "run",
    "runs",
    # "Annual arrivals peaked at 2,914", "losses had exceeded 6,000", "rice remains 60% dearer".
    "peaked",
    "peaks",
    "exceeded",
    "exceeds",
    "topped",
    "surpassed",
    "passed",
    "remained",
    "remains",
    "hovered",
    "averaged",
    # Market moves: "Broadcom shares edged up 0.2 percent", "the stock slipped 3%".
    "edged",
    "slipped",
    "gained",
    "tumbled",
    "sank",
    "dipped",
    "slid",
    "rallied",
    "lost",
    "shed",
    "added",
    "advanced",
    "retreated",
    "eased",
    "strengthened",
    "weakened",
    "closed",
    "opened",
    "ended",
    "finished",
    "settled",
    "valued",
    "priced",
)
_CHANGE_PARTICLES = ("by", "to", "at", "up", "down", "from", "for")
#: Words that end a counted noun phrase.
_NP_FUNCTION_WORDS = _word_set(
    """a an the this that these those its their his her our my your of in on at to from for by
    with into onto across near since during over under per after before as than about around
    between among within without through toward towards against along via and or but nor so yet
    who whom whose which what where when while whereas although though if because was were is
    are be been being am has have had having will would could can may might must shall should
    do does did not no each every last next most all some any both either neither only just
    also still already even now then there here they them he she it we you i up down out off
    back away alone far ago later earlier worth enough too very less fewer including excluding"""
)
#: Verbs and adjectives that end a counted phrase ("100 people work there", "50 km long").
_NP_VERB_WORDS = _word_set(
    """remain remains live lives work works die arrive arrives attend fire fires carry face leave
    leaves stay go went come came join sent left fled fought took made built held lost met ran
    rose fell grew seen gone got cost costs hit set put kept brought caught paid sold stole flew
    say said told think believe show shows showed shown need needs like per cent percent long
    wide high deep tall old away apart comes goes means meant says become becomes became began
    seems seemed lasts lasted requires required allows allowed gave gives takes brings"""
)
_NP_STOP = _NP_FUNCTION_WORDS | _NP_VERB_WORDS
#: Leading modifiers dropped from a counted phrase when a noun follows.
_NP_LEADING_MODIFIERS = (
    ("north", "korean"),
    ("south", "korean"),
    ("korean",),
    ("russian",),
    ("chinese",),
    ("ukrainian",),
    ("japanese",),
    ("american",),
    ("more",),
    ("additional",),
    ("new",),
    ("other",),
    ("extra",),
    ("further",),
    ("fresh",),
)
#: Heads that hand over to the noun after "of": "the number of markets" counts markets.
_NP_CONTAINERS = frozenset({"number", "numbers", "total", "count", "amount", "share", "proportion"})
#: Measures that hand over to the goods after "of": "a kilogram of rice" prices rice.
_MEASURE_HEADS = _word_set(
    "kilogram kilograms kilo kilos kg tonne tonnes ton tons sack sacks bag bags litre litres"
)
#: Nouns in -s that modify the noun after them: "a sports car", "an arms deal".
_PLURAL_MODIFIERS = _word_set("sports arms news goods savings customs sales species series")
_IRREGULAR_PLURALS = _word_set("women men children people personnel police")
_TIME_NOUN_WORDS = _word_set("hour day week month year decade ago")
_TIME_PLURALS = _word_set("seconds minutes hours days weeks months years decades")
_NP_ED_NOUNS = frozenset({"need", "red", "seed", "speed", "feed", "bed", "shed"})
#: -ing words that are nouns at the end of a phrase ("perimeter fencing", "state funding").
_NP_ING_NOUNS = _word_set(
    "fencing housing funding clothing shipping shelling bombing training lending spending mining"
    " building buildings bedding"
)
#: Participles that stay with a container head: "the amount sent", "the total stolen".
_CONTAINER_PARTICIPLES = _word_set("sent paid spent stolen taken lost earned raised received")
#: Lower-case directions end a phrase ("200 km west of"); capitalised ones are names.
_NP_DIRECTIONS = _word_set("north south east west northeast northwest southeast southwest off")
_NP_ADVERB_EXCEPTIONS = frozenset({"family", "ally", "supply", "assembly", "rally", "italy"})
#: Heads before "of" that say nothing about what is measured ("the equivalent of $1").
_EMPTY_HEADS = _word_set("equivalent total sum average maximum minimum figure estimate tally")
#: Hyphenated suffixes that turn a number into the size of the following noun.
#: Countable parts a hyphenated count is made of: "a two-car tram", "a nine-engine rocket", "a
#: four-game winning streak", "a two-goal lead".
_PART_SUFFIXES = _word_set(
    """car carriage wagon coach engine door seat cylinder storey story bedroom lane wheel spoke
    game match goal run set stage class track vehicle ship vessel"""
)
_SIZE_SUFFIXES = frozenset({"strong", "member", "man", "person"}) | _PART_SUFFIXES
#: Of those, the ones that say what is counted: "a 15-member council" counts members.
_MEMBER_SUFFIXES = frozenset({"member", "man", "person"}) | _PART_SUFFIXES
#: Words before a number that make it a label, not a quantity ("Resolution 2397").
_LABEL_WORDS = (
    "article|articles|section|sections|chapter|resolution|resolutions|paragraph|clause|page|pages|"
    "pp?|nos?|number|vol|volume|issue|room|camp|kwalliso|unit|bureau|office|gate|line|route|"
    "highway|building|floor|type|model|block|version|phase|episode|season|part|item|table|figure|"
    "fig|annex|appendix|exhibit|platform|flight|reactor|photo|image|slide|picture|brigade|"
    "regiment|battalion|corps|division|district|zone|level|grade|category|class|step|round"
)
_MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December|"
    "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
)
_WEEKDAYS = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
_TIME_NOUNS = "hour|day|week|month|year|quarter|decade|winter|summer|spring|autumn|season"

# --------------------------------------------------------------------------------------------
# Patterns built from the tables
# --------------------------------------------------------------------------------------------

_NUMBER_WORD = "|".join(sorted([*_SMALL_NUMBERS, *_SCALES], key=len, reverse=True))
_WORDS_RE = re.compile(
    rf"\b(?:{_NUMBER_WORD})(?:(?:\s+and\s+|[\s-]+)(?:{_NUMBER_WORD}))*\b", re.IGNORECASE
)
_DIGITS_RE = re.compile(
    r"(?<![\w.,])(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?![\d,.]?\d)"
    r"|\d+(?:\.\d+)?)(?!\d)"
)
_VAGUE_WORD = "|".join(_VAGUE_WORDS)
# Each repetition consumes its own "of", so the chain is read in one left-to-right pass.
_VAGUE_RE = re.compile(
    rf"\b(?:(?:{_VAGUE_WORD})\s+of\s+){{0,{_MAX_VAGUE_CHAIN - 1}}}"
    rf"(?:dozens|scores|hundreds|thousands|millions|billions|trillions)(?:\s+of\b|(?=\s+more\b))",
    re.IGNORECASE,
)
# "killing dozens", "hundreds more were hurt", "Millions are at risk": a vague plural standing
# for its noun. Not "scores" (a game's), not after "the" or a number ("the thousands who").
_VAGUE_ALONE_RE = re.compile(
    r"(?<!\bthe\s)(?<!\bof\s)\b(?:dozens|hundreds|thousands|millions|billions)\b(?!\s+of\b)(?![\w-])",
    re.IGNORECASE,
)
_FRACTION_RE = re.compile(
    r"\b(?:(a|one|two|three|four|five|six|seven|eight|nine)[\s-]+)?"
    r"(half|halves|thirds?|quarters?|fifths?|tenths?)\b",
    re.IGNORECASE,
)
_RATIO_RE = re.compile(
    r"\b(one|two|three|four|five|six|seven|eight|nine|\d{1,3})\s+(?:in|out\s+of)\s+"
    r"(two|three|four|five|six|seven|eight|nine|ten|hundred|\d{1,3}(?![\d,]))\b"
    rf"(?!\s+(?:{_TIME_NOUNS})s?\b)",
    re.IGNORECASE,
)
_NUMBER_TOKEN_RE = re.compile(r"[A-Za-z]+")
#: The longest number written in words that is parsed as one ("nine hundred and ninety...").
_MAX_NUMBER_WORDS = 16
_MODALS = ("will", "would", "could", "might", "shall", "to", "can", "may")
_BE_FORMS = ("was", "were", "is", "are", "been")
_MULTIPLIER_VERB_RE = re.compile(
    r"\b(?:(?P<past>doubled|tripled|trebled|quadrupled|doubling|tripling|trebling|quadrupling)"
    r"(?![\s-]+down\b)"
    # "the cost will double by 2030", "is expected to triple": the verb after a modal or "to"
    r"|(?:" + "|".join(rf"(?<=\b{w} )" for w in _MODALS) + r")"
    r"(?P<modal>double|triple|treble|quadruple)"
    # not "double down", nor "pods that would double as cabins"
    r"(?![\s-]+(?:down|as)\b)(?=\s|[.,;!?])"
    r"|(twice|thrice)(?=\s+(?:the|as|that|what)\b)"
    # "he was twice divorced": the count of a state
    r"|(?:" + "|".join(rf"(?<=\b{w} )" for w in _BE_FORMS) + r")(twice|thrice)(?=\s+[a-z]+ed\b)"
    # "celebrated New Year's Eve twice in one day", "... the start of 2018 twice."
    r"|(?<=\w\s)(?P<alone>twice|thrice)(?=\s+in\s+(?:one|a|the\s+same)\b|\s*[.!?]\s*$)"
    # "double the thrust", "triple that figure", "will have double thrust of the next rocket";
    # not "a double murder".
    r"|(?<!\ba\s)(?<!\bthe\s)(double|triple)(?=\s+(?:the|that|its|their)\s|\s+[a-z]+\s+of\s)"
    # "a pair of missions" is two missions.
    r"|(?<=\ba\s)(?P<pair>pair)(?=\s+of\s))"
)
_MULTIPLIER_VERBS = {"doubled": 2, "tripled": 3, "trebled": 3, "quadrupled": 4}
_MULTIPLIER_VERBS |= {"twice": 2, "thrice": 3, "doubling": 2, "tripling": 3}
_MULTIPLIER_VERBS |= {"double": 2, "triple": 3, "pair": 2, "treble": 3, "quadruple": 4}
_MULTIPLIER_VERBS |= {"trebling": 3, "quadrupling": 4}
_FOLD_RE = re.compile(r"\b(\d+(?:\.\d+)?|[a-z]+?)-?fold\b", re.IGNORECASE)

_UNIT_RES = tuple(
    (re.compile(rf"\s?(?:{pattern})(?![A-Za-z0-9])", re.IGNORECASE), unit)
    for pattern, unit in _UNIT_TABLE
)
_MULTIPLIER_RE = re.compile(
    # Possessive spaces around the optional dash: a long run is read once, never re-split.
    r"(?:\s*+-?\s*+(?P<word>thousand|million|billion|trillion|lakhs?|crores?)\b|(?P<abbr>k|mn|mln|bn|tn)\b"
    r"|\s(?P<spaced>mn|bn|tn)\b|(?P<short>m|b)\b)",
    re.IGNORECASE,
)
_CURRENCY_BEFORE_RE = re.compile(
    r"(?:(?P<sym>HK\$|US\$|\$|€|£|₩|¥|₽|₹)"
    r"|\b(?P<code>USD|EUR|GBP|KRW|KPW|CNY|RMB|RUB|JPY|INR|HKD|Rs\.?)\s?)$"
)
_APPROX_BEFORE_RE = re.compile(
    r"(?<![\w-])(" + "|".join(re.escape(a) for a in _APPROX_BEFORE) + r")\s+$", re.IGNORECASE
)
_APPROX_ALTERNATIVES = "|".join(re.escape(a) for a in _APPROX_BEFORE)
_APPROX_AFTER_RE = re.compile(
    r"(?:\s+(" + "|".join(a.replace(" ", r"\s+") for a in _APPROX_AFTER) + r")\b|-plus\b|\+(?!\d))",
    re.IGNORECASE,
)
_RANGE_CONNECTOR_RE = re.compile(r"\s*(–|—|-|\bto\b|\band\b|\bor\b)\s*", re.IGNORECASE)
_CHANGE_FROM_RE = re.compile(
    r"\b(?:rose|risen|rising|increased|grew|grown|fell|fallen|dropped|declined|jumped|surged|"
    r"climbed|soared|plunged|cut|reduced|raised|went\s+up|went\s+down|going|goes|gone|moved|"
    r"moving|changed|changing|shifted|increase|rise|fall|drop|decline|change|shift)\b"
    # the size of the change may stand between: "rose by 37 percent, from 0.90 to 1.23 percent"
    r"(?:[^,;]{0,30}|[^,;]{0,25},[^,;]{0,25})\bfrom\s+$",
    re.IGNORECASE,
)
_LABEL_BEFORE_RE = re.compile(rf"\b(?:{_LABEL_WORDS})\.?\s+(?:no\.?\s*)?$", re.IGNORECASE)
_ARTICLE_BEFORE_RE = re.compile(r"\b(?:a|one)\s+$", re.IGNORECASE)
_AGE_BEFORE_RE = re.compile(r"\b(?:aged?|turned|turns|turning|at\s+age)\s+$", re.IGNORECASE)
_DEFINITE_BEFORE_RE = re.compile(
    # A quotation mark may open between them: 'threatened the "four islands"'.
    r"\b(?:the|these|those|its|their|his|her|our|both|all)\s+[\"“‘']?$",
    re.IGNORECASE,
)
_AND_A_HALF_RE = re.compile(r"(?:\s+|-)and(?:\s+|-)a(?:\s+|-)half\b", re.IGNORECASE)
_KNOWN_SET_BEFORE_RE = re.compile(
    r"\bthe\s+(?:earlier|other|remaining|latter|former|same)\s+$", re.IGNORECASE
)
_PERIOD_LEADIN_RE = re.compile(
    r"\b(?:past|last|next|previous|coming|first|final)\s+$", re.IGNORECASE
)
_SIZE_SUFFIX_RE = re.compile(r"^-([A-Za-z]+)")
_WORD_RE = re.compile(r"[A-Za-z][A-Za-z'’\-]*[A-Za-z'’]|[A-Za-z]")
_HANGUL_WORD_RE = re.compile(r"[가-힣]+")
_NP_WORD_RE = re.compile(
    r"(?:[A-Z]\.){2,}|[A-Za-z]+-\d+[A-Za-z]*\b|#?[A-Za-z][A-Za-z'’\-]*[A-Za-z'’]|[A-Za-z]"
)

_NUMWORD_OR_DIGITS = rf"(?:\d+|{_NUMBER_WORD})"
_SUPERLATIVES = (
    "largest|biggest|highest|lowest|best|worst|strongest|weakest|fastest|slowest|deadliest|"
    "longest|shortest|greatest|smallest|steepest|sharpest|heaviest|hottest|coldest|wettest|"
    "driest|busiest|cheapest|costliest"
)
_BLOCK_RES = tuple(
    re.compile(pattern, flags)
    for pattern, flags in (
        (WEB_ADDRESS.pattern, re.IGNORECASE),
        (r"(?<![\w.+-])[\w.+-]+@[\w-]+\.[\w.]+", 0),
        (r"\+\d{1,3}(?:[\s.-]?\(?\d{1,4}\)?){2,6}", 0),
        # A rank list's name: "ECRI top 10 Health Technology Hazard", "top-5 scams".
        (r"\b[Tt]op[\s-]\d{1,3}\b", 0),
        # A product named in camel case with its number: "iPhone 11 Pro", "iPadOS 13".
        (r"(?<![\w-])[a-z]{1,3}[A-Z][A-Za-z]*\s\d{1,3}(?![\d,.%]|\s?(?:[-–]|to|or|and)\s?\d)", 0),
        (r"\(?\b0\d{1,2}\)?[\s.-]\d{3,4}[\s.-]\d{4}\b", 0),
        (r"\b\d{3}[.-]\d{3,4}[.-]\d{4}\b", 0),
        (rf"\b(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?(?![\d,]\d)(?:,?\s+\d{{4}})?", 0),
        # A run of days: "Oct. 11–21", "March 3-5, 2019".
        (
            rf"\b(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?\s*[-–—]\s*\d{{1,2}}"
            r"(?:st|nd|rd|th)?\b(?:,?\s+\d{4})?",
            0,
        ),
        (rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_MONTHS})\b\.?(?:,?\s+\d{{4}})?", 0),
        (rf"\b(?:{_MONTHS})\.?,?\s+\d{{4}}\b", 0),
        (r"\b\d{4}[-/.]\d{1,2}[-/.]\d{1,2}\b", 0),
        (r"\b\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\b", 0),
        # A day and a month ("11/9"); not a written fraction ("rose 7/32", "1-1/2 years").
        (r"(?<!\d-)\b(?:0?[1-9]|[12]\d|3[01])/(?:0?[1-9]|[12]\d|3[01])\b", 0),
        # Korean dates and clock times ("2024년", "15일", "10시 30분"), not durations ("40분 만에").
        (r"(?<!\d)\d+\s*(?:년(?!간)|월|일(?!간)|시(?!간))(?:\s*\d+\s*분)?", 0),
        (r"\b\d{1,2}:\d{2}(?::\d{2})?(?:\s*[ap]\.?m\b\.?)?", re.IGNORECASE),
        (r"\b\d{1,2}(?:\.\d{2})?\s*[ap]\.?m\b\.?", re.IGNORECASE),
        (r"\b\d{3,4}\s*(?:GMT|UTC|KST|JST|hrs)\b", 0),
        (r"\b\d{1,3}[\s-]+(?:years?|months?|weeks?)[\s-]+old\b", re.IGNORECASE),
        (
            rf"\b{_NUMWORD_OR_DIGITS}(?:[\s-]+{_NUMWORD_OR_DIGITS}){{0,3}}[\s-]+"
            r"(?:years?|months?|weeks?)[\s-]+old\b",
            0,
        ),
        # Telephone numbers and codes written with a leading zero ("0800 0560154").
        (r"(?<![\d.,])(?<!\d[ \u00a0\u202f])0\d{2,}(?:[\s-]\d{3,}){0,3}\b", 0),
        (r"\bin\s+(?:his|her|their)\s+(?:early\s+|mid-?|late\s+)?\d0'?s\b", re.IGNORECASE),
        # A person's age between commas or a comma and a dash: "Braun, 38 – who reps ...".
        (r"(?<=[A-Za-z]),\s*(?:now\s+|aged?\s+)?\d{1,3}\s*(?:,|[–—]\s)", 0),
        (
            r"\bage[ds]?\s+(?:between\s+)?\d{1,3}\s*(?:or|to|and|-|–)\s*\d{1,3}\b",
            re.IGNORECASE,
        ),
        (r"(?<=[A-Za-z])\s\(\d{1,3}\)", 0),
        (r"\b\d+(?:st|nd|rd|th)\b", re.IGNORECASE),
        (r"\b\d{2,4}'?s\b", 0),
        (r"\bGroup\s+of\s+\d+\b", 0),
        # Emergency numbers: "called 911", "911 calls".
        (r"\b(?:call(?:s|ed|ing)?|dial(?:l?ed|ing|s)?)\s+(?:911|999|112)\b", re.IGNORECASE),
        (r"\b(?:911|999)\s+(?:calls?|dispatch\w*|operators?|centers?|centres?)\b", re.IGNORECASE),
        # Reference markers: "up to 1,000 alarms per shift [1]".
        (r"\[\d{1,3}\]", 0),
        # A speaker's age: "since I was 17", "when she was 12".
        (r"\b(?:since|when|until|before)\s+(?:I|he|she|we|they|you)\s+(?:was|were)\s+\d{1,3}\b", 0),
        # "an app or two", "a drink or two": a vague few.
        (r"\b(?:a|an)\s+[a-z]+\s+or\s+two\b", re.IGNORECASE),
        # A span after a superlative only bounds it: "the largest sale for nine years", "their
        # highest in nearly two years" (the figure is the record, not the span).
        (
            rf"\b(?:{_SUPERLATIVES})\b[^.;:!?]{{0,80}}?\b(?:in|for)\s+(?P<block>(?:(?:nearly|"
            rf"almost|more\s+than|over|about|around|some|at\s+least)\s+)?{_NUMWORD_OR_DIGITS}\s+"
            r"(?:years?|months?|weeks?|days?|decades?))\b",
            re.IGNORECASE,
        ),
        # Win-loss records after a team: "the Eagles (6-5, 3-4)".
        (r"\(\d{1,3}-\d{1,3}(?:-\d{1,3})?(?:,\s*\d{1,3}-\d{1,3}(?:-\d{1,3})?){0,3}\)", 0),
        # Relative times that place an event: "after 15 years", "the second time in four days".
        (
            rf"\b(?:after|the\s+\w+\s+time\s+in)\s+{_NUMWORD_OR_DIGITS}\s+"
            # "after 12 years of waiting" too; "after 15 years of war" is the war's length
            r"(?:minutes?|hours?|days?|weeks?|months?|years?|decades?)\b(?!\s+of\b(?!\s+\w+ing\b))",
            re.IGNORECASE,
        ),
        # A deadline or a window bounds a period: "treated within 24 hours", "a risk in the
        # following 3-5 years", "over the course of 12 months".
        (
            rf"\b(?:within|in\s+the\s+following|over\s+the\s+course\s+of)\s+(?:the\s+)?"
            rf"{_NUMWORD_OR_DIGITS}(?:\s*[-–]\s*{_NUMWORD_OR_DIGITS})?\s+"
            r"(?:minutes?|hours?|days?|weeks?|months?|years?|decades?)\b",
            re.IGNORECASE,
        ),
        # Names of formats: a video resolution ("4K", "1080p"), a sound layout ("5.1 surround").
        (r"\b(?:4|5|8|16)K\b|\b(?:480|720|1080|1440|2160)[pi]\b", 0),
        (r"\b\d\.\d\s+(?:surround|channels?)\b", re.IGNORECASE),
        # Ratios and references written with a colon: "16:9", "50:50", "John 3:16".
        (r"\b\d{1,4}:\d{1,4}\b", 0),
        # Codes of cases and files: "FHC/ABJ/03/095/2018".
        (r"\b[A-Z]{2,}(?:/[A-Z0-9]+){2,}\b", 0),
        (r"\b[A-Za-z]+-\d[\w./-]*", 0),
        (r"\b[A-Za-z]+\d[\w-]*", 0),
        (r"\b\d+\.\d+\.\d+\b", 0),
        (r"#\d+", 0),
        (r"^\s*\d{1,2}[.)](?=\s)", 0),
        (r"\bpage\s+\d+\s+of\s+\d+", re.IGNORECASE),
        (r"\b\d+\s+of\s+\d+\s+(?:photos|images|slides|pictures)\b", re.IGNORECASE),
        (r"\b(?:comments?|shares?|likes?|views?)\s*[:(]?\s*\d+\)?", re.IGNORECASE),
        (r"\b\d+\s*min(?:ute)?s?\s+read\b", re.IGNORECASE),
        (
            rf"\b{_NUMWORD_OR_DIGITS}(?:[\s-]+{_NUMWORD_OR_DIGITS}){{0,3}}\s+"
            r"(?:seconds?|minutes?|hours?|days?|weeks?|months?|years?|decades?)\s+"
            # "four hours into its journey", "about 20 minutes from now" place an event too.
            r"(?:ago|later|earlier|into|from\s+now|(?:after|before)(?!\s+\w+ing\b))\b",
            re.IGNORECASE,
        ),
        (
            rf"\b(?:past|last|next|previous|coming|first|final)\s+{_NUMWORD_OR_DIGITS}"
            rf"(?:[\s-]+{_NUMWORD_OR_DIGITS}){{0,3}}\s+(?:{_TIME_NOUNS})s?\b",
            re.IGNORECASE,
        ),
    )
)

_RATE_PERIOD_RE = re.compile(
    rf"\b(?:per|a|an|each|every)\s+(?:{_TIME_NOUNS})\b(?:\s+(?:earlier|later|ago|before))?",
    re.IGNORECASE,
)
_OF_TIME = (
    r"\s+of\s+(?:the\s+year|this\s+year|last\s+year|(?:the\s+)?\d{4}"
    rf"|(?:{_MONTHS})\b(?:\s+\d{{4}})?|(?:the\s+|this\s+|last\s+)?week\b)"
)
_PERIOD_RES = tuple(
    re.compile(pattern, re.IGNORECASE if insensitive else 0)
    for pattern, insensitive in (
        (
            rf"\b(?i:since|by|until|before|in|during|through|throughout|as\s+of)\s+"
            rf"(?:(?i:early|late|mid-?)\s*)?(?:{_MONTHS})\b(?:\s+\d{{4}})?",
            False,
        ),
        (
            r"\b(?:since|by|until|before|in|during|through|throughout|from)\s+(?:the\s+)?"
            r"(?:(?:early|late|mid-?)\s*)?\d{4}s?\b",
            True,
        ),
        (
            # An edge only of a named time (a bare "at the beginning" names none); a half or a
            # quarter alone is this year's.
            r"\b(?:by|in|at|since|until|before|during|for)\s+(?:the\s+)?(?:(?:end|start|beginning|"
            rf"middle){_OF_TIME}|(?:first\s+half|second\s+half|"
            rf"(?:first|second|third|fourth|last)\s+quarter)(?:{_OF_TIME})?)",
            True,
        ),
        (r"\bto\s+(?:begin|start|open|end|close)\s+the\s+week\b", True),
        (
            r"\b(?:(?:so\s+far\s+)|(?:(?:in|over|during)\s+))?(?:this|last|next|the\s+past|"
            r"the\s+previous|the\s+last|the\s+next)\s+(?:\w+\s+)?(?:year|month|week|quarter|"
            r"decade|days|weeks|months|years|decades|spring|summer|autumn|fall|winter)\b",
            True,
        ),
        (r"\bwithin\s+(?:a|an|one|\d+|[a-z]+)\s+(?:hour|day|week|month|year)s?\b", True),
        # "fourth-quarter net income": the quarter of the article's year.
        (r"\b(?:first|second|third|fourth)-quarter\b", True),
        (
            r"\b(?:[Mm]onthly|[Aa]nnually|[Yy]early|[Dd]aily|[Ww]eekly|[Oo]vernight)\b(?! [A-Z])",
            False,
        ),
        (r"\bthe\s+(?:year|month|week|day)\s+(?:before|earlier)\b", True),
        (r"\byear[\s-]on[\s-]year\b|\byear-over-year\b", True),
        # "fiscal year 2019 sales", "year-to-date": a year, and the year up to the article's date.
        (r"\bfiscal\s+(?:year\s+)?\d{4}\b|\byear[\s-]to[\s-]date\b", True),
        (r"\bover\s+the\s+weekend\b", True),
        (
            # "last Tuesday" and "next Friday" keep their word: it moves the day a week.
            rf"\b(?:(?i:on)\s+)?(?:(?i:last|next|this\s+past)\s+)?(?:(?i:early|late)\s+)?"
            rf"(?:{_WEEKDAYS})"
            r"(?:\s+(?:morning|afternoon|evening|night))?\b",
            False,
        ),
        (r"\b(?:[Tt]oday|[Yy]esterday|[Tt]onight)\b", False),
        # A holiday on a fixed day: "on Christmas Day", "since New Year's Eve".
        (
            r"\b(?:on|since|by|until|before|over)\s+(?:the\s+)?(?:"
            + "|".join(
                r"\s+".join(word.replace("'", "['’]") for word in name.split())
                for name in sorted(FIXED_HOLIDAYS, key=len, reverse=True)
            )
            + r")\b",
            True,
        ),
        # A time named only by reference ("that year", "the same month") cannot be placed.
        (r"\b(?:that|the\s+same|the\s+following)\s+(?:year|month|week|day)\b", True),
        # "in the 14th Century", "during the fourteenth century"
        (
            r"\b(?:in|during|since|by|until|through|throughout)\s+the\s+(?:\d{1,2}(?:st|nd|rd|th)"
            r"|[a-z]+(?:st|nd|rd|th))\s+century\b",
            True,
        ),
        # A full date: "on April 14, 2014", "since Dec. 23", "June 12 last year".
        (
            rf"\b(?:(?i:on|since|by|until|before|from)\s+)?(?:{_MONTHS})\.?\s+\d{{1,2}}"
            r"(?:st|nd|rd|th)?\b(?:,?\s+\d{4})?(?:\s+last\s+year)?",
            False,
        ),
        (
            # "since the deployment began in the autumn of 2024", "... in February 2022"
            r"\bsince\s+(?:the|their|its|his|her)\s+[^,;.]{0,40}?\bin\s+(?:the\s+)?"
            r"(?:(?:early|late|mid-?)\s*)?"
            rf"(?:(?:spring|summer|autumn|fall|winter)\s+of\s+|(?:{_MONTHS})\.?\s+)?\d{{4}}\b",
            True,
        ),
        (r"\b(?:between|from)\s+\d{4}\s+(?:and|to|-|–)\s+\d{4}\b", True),
        (
            r"\b(?:in|during|over|for)\s+the\s+(?:first|last|past)\s+(?:\w+\s+)?(?:months?|weeks?|"
            r"quarters?|half)\s+of\s+(?:the\s+year|this\s+year|last\s+year|\d{4})\b",
            True,
        ),
        (
            rf"\b(?:between|from)\s+(?:{_MONTHS})(?:\s+\d{{4}})?\s+(?:and|to|-|–)\s+(?:{_MONTHS})"
            r"(?:\s+\d{4})?\b",
            False,
        ),
        (
            rf"\b(?:\d{{1,3}}|a|an|{_NUMBER_WORD}|several|a\s+few)\s+(?:days?|weeks?|months?|"
            r"years?|decades?)\s+ago\b",
            True,
        ),
        (
            r"\b(?:in|during|over|through|throughout|since|by)\s+(?:the\s+)?(?:early\s+|late\s+)?"
            r"(?:spring|summer|autumn|fall|winter)(?:\s+of\s+\d{4})?\b",
            True,
        ),
    )
)
_HEDGE_RE = re.compile(
    r"\b(?:(?i:" + "|".join(_HEDGES) + r")|may|(?i:thought|assumed|presumed)(?=\s+to\b)"
    # "the driver appears to have made dozens of deaths"; not a relative clause's "a missile
    # that appeared to have been fired", which describes the noun.
    r"|(?<!\bthat )(?<!\bwhich )(?<!\bwho )(?i:appears?|appeared|seems?|seemed)(?=\s+to\b)"
    # "They are said to have been among the 276 girls": hearsay, like "reportedly".
    r"|(?:(?<=\bis )|(?<=\b(?:are|was) )|(?<=\bwere ))said(?=\s+to\b))\b",
)
_REPORTING_RE = re.compile(r"\b(" + "|".join(_REPORTING_VERBS) + r")\b")
_PASSIVE_BEFORE_RE = re.compile(
    r"\b(?:is|are|was|were|be|been|being|an|a|the|widely|it|one|this|its|their|our|his|her)\s+"
    r"(?:(?:now|also|not|still|officially|already)\s+)?$",
    re.IGNORECASE,
)
_SIGNATURE_RE = re.compile(
    r"\s[—–-]\s*(?P<name>[A-Z][\w.'’-]*(?:\s[A-Z][\w.'’-]*){0,4})\s\(@\w{1,30}\)"
)
#: A named owner of a statement: "NASA's Monday announcement", "the ministry's latest estimate".
_POSSESSIVE_SOURCE_RE = re.compile(
    r"(?P<source>\b[A-Z][\w&.-]*(?:\s+[A-Z][\w&.-]*){0,3})['’]s\s+(?:[A-Za-z]+\s+){0,2}?"
    r"(?:announcement|statement|estimates?|report|tally|count|forecast|assessment|findings)\b"
)
_ACCORDING_RE = re.compile(
    # "..., per Teigen" names a source the way "according to" does.
    r"\b(according\s+to|citing|per(?=\s+(?-i:[A-Z])))\s+",
    re.IGNORECASE,
)
_SOURCE_END_RE = re.compile(
    rf"[,;()\[\]\"“”—]|\.(?:\s|$)|\s(?:that|which|who|as|when|on\s+(?:{_WEEKDAYS}))\b"
)
_SOURCE_WRAPPER_RE = re.compile(
    r"^(?:(?:a|an|the)\s+)?(?:[\w-]+\s+){0,2}(?:report|reports|statement|analysis|estimates?|"
    r"data|figures|survey|study|assessment)\s+(?:by|from|of)\s+(?P<source>.+)$",
    re.IGNORECASE,
)
_SUBJECT_TRAILING_RE = re.compile(
    r"(?:\s+(?:has|have|had|also|previously|separately|earlier|recently|later|further|would|"
    rf"will|did|does|then|again|once|now|publicly|officially|privately|on\s+(?:{_WEEKDAYS})|"
    r"was|were|is|are|been|being|"
    r"(?:last|this)\s+(?:week|month|year)|in\s+a\s+(?:statement|report|briefing)))+$",
    re.IGNORECASE,
)
_SUBJECT_LEADING_RE = re.compile(
    r"^(?:(?:and|but|while|as|so|then|meanwhile|however|also|when|where|after)\s+)+",
    re.IGNORECASE,
)
#: Lower-case heads that make a source ("blockchain investigators say", "customs data showed").
_SOURCE_HEADS = _word_set(
    """officials investigators researchers analysts experts sources traders residents prosecutors
    lawmakers diplomats data figures report study survey team agency ministry government
    authorities police scientists economists doctors witnesses observers monitors documents
    records estimates statement"""
)
_PRONOUNS = frozenset({"it", "this", "that", "which", "who", "there", "what"})
_PERSONAL_PRONOUNS = frozenset({"he", "she", "they", "we", "i", "you"})
_CLAUSE_BOUNDARY_RE = re.compile(
    r";|:\s|\s[–—]\s|,?\s(?:but|while|whereas)\s|,\s(?:although|though|as|when|because|and)\s"
    # "..., with officials saying ...": the absolute clause has its own source.
    r"|,\s(?=with\s+(?:[\w.'’-]+\s+){1,5}(?:saying|claiming|estimating|warning)\b)"
    # "3,000 troops, a move which officials said would anger Seoul", "two missiles ... and one
    # that analysts said was aimed at buyers": a comment on the clause before, with a speaker of
    # its own, is a clause of its own.
    r"|(?:,|\sand)\s(?=(?:a|an|one|another)\s+(?:[\w-]+\s+){0,2}?(?:that|which)\s+"
    r"(?:[\w.'’-]+\s+){1,4}?(?:said|says|say|believe|believed|believes|called|described)\b)",
    re.IGNORECASE,
)
# "12,000 now, up from about 10,000 in the summer": the older figure has its own time, though
# the same source and hedge.
_COMPARISON_BOUNDARY_RE = re.compile(
    r",\s(?:up|down)\s+from\s|,?\s(?:compared\s+(?:with|to)|against|versus)\s", re.IGNORECASE
)
#: A count inside a compound modifier: "15-member", "11-country".
_COMPOUND_COUNT_RE = re.compile(r"\b\d{1,3}-[a-z]{3,}\b")
#: A closing quote and the speaker's name before a reporting verb: ',” Mr. Trump '.
_QUOTE_TAG_RE = re.compile(r"[,!?][\"”’]\s+(?:[A-Z][\w.'’-]*\s+){1,4}$")
_SENTENCE_FINAL_CUE_RE = re.compile(
    # "..., two law enforcement sources told CNN.", "..., an official told reporters on Monday."
    r"(?:\s+(?:reporters|journalists|lawmakers|parliament|(?:the\s+)?[A-Z][\w.&'’-]*"
    r"(?:\s+[A-Z][\w.&'’-]*){0,3}))?"
    # "..., the group said in its second report on Thursday."
    r"(?:\s+in\s+(?:a|an|its|their|his|her|the)\s+(?:[\w-]+\s+){0,2}(?:statement|report"
    r"|interview|briefing|letter|post|filing|release|notice|assessment|speech))?"
    rf"\s*(?:(?:on\s+)?(?:{_WEEKDAYS})|last\s+week|this\s+week)?\s*[.!?\"”’)]*\s*$"
)
_SUBJECT_CUT_RE = re.compile(
    r"[,;:()\"“”]|\b(?:that|while|but|whereas|and|saying|claiming|adding|noting|warning|as|"
    r"because|although|though|" + "|".join(_REPORTING_VERBS) + r")\b"
)
#: What may stand between a change verb and its amount: a place or time ("closed in New York
#: on Tuesday at", "weakened sharply in the past week, hitting"), the move before the level it
#: reaches ("rose 7/32 in price to yield"), and a participle that goes on with the same move.
_CHANGE_ADJUNCT = (
    r"(?:\s+(?:in|on|during|over|across)\s+(?:the\s+)?(?:[A-Za-z]+\s+){0,2}[A-Za-z]+"
    r"|\s+[a-z]+ly|\s+\d[\d.,/]*%?|,?\s+(?:hitting|reaching|touching|yielding|to\s+yield))"
)
_CHANGE_BEFORE_RE = re.compile(
    r"(?P<verb>\b(?:"
    + "|".join(_CHANGE_VERBS)
    + r"))(?:(?:\s+(?:less|more|most|much|far|last|now|still))?(?:\s+[a-z]+ly)?"
    + r"(?:\s+(?:unchanged|steady|stable"
    + r"|flat|higher|lower|cheaper|dearer))?,?\s+(?:"
    + "|".join(_CHANGE_PARTICLES)
    # A copula's phrase is its complement, not an adjunct: "are on the hook for no more than $50".
    + rf")|(?<!\bis)(?<!\bare)(?<!\bwas)(?<!\bwere){_CHANGE_ADJUNCT}{{1,3}}(?:,?\s+(?:"
    + "|".join(_CHANGE_PARTICLES)
    + r"))?)?(?:\s+between)?\s+$",
    re.IGNORECASE,
)
_OBJECT_BEFORE_RE = re.compile(
    r"\b(?:put|puts|putting|bring|brings|bringing|brought|push|pushes|pushed|pushing|drive|drives"
    r"|drove|driving|raise|raises|raised|raising|lift|lifts|lifted|lifting"
    # Transitive changes: "expand the fleet by 30%", "cut its workforce to 9,000".
    r"|expand|expands|expanded|expanding|increase|increases|increased|increasing|reduce|reduces"
    r"|reduced|reducing|cut|cuts|cutting|boost|boosts|boosted|boosting|lower|lowers|lowered"
    r"|lowering|grow|grows|grew|growing)\s+"
    r"(?P<object>[^,;:()\d]{1,80}?)\s+(?:up\s+|down\s+)?(?:at|to|by)\s+(?:between\s+)?$",
    re.IGNORECASE,
)
#: "147 were women": the number is the subject and the noun after the copula what it counts.
_COPULA_AFTER_RE = re.compile(r"\s+(?:were|are)\s+(?=[a-z])")
#: "60 percent more expensive": a comparison, so the clause's subject is what is measured.
_COMPARATIVE_AFTER_RE = re.compile(
    r"\s+(more|less|higher|lower|cheaper|dearer|bigger|smaller|larger|fewer)\b", re.IGNORECASE
)
#: "a fee of 30%", "guidance of up 2.3 percent": the noun before "of" names what is measured.
_OF_BEFORE_RE = re.compile(
    r"\s(of|at|above|below|worth)\s+(?:(?:between|up|down|plus|minus|up\s+to)\s+)?$", re.IGNORECASE
)
_CHROME_START_RE = re.compile(
    r"^\s*(?:comments?|shares?|likes?|views?|page|photo|posted|updated|read|listen|watch)\b",
    re.IGNORECASE,
)
_DETERMINER_MULTIPLIERS = frozenset({"double", "triple"})
_OBJECT_DETERMINER_RE = re.compile(r"\s+(?:that|this|its|their)(?=\s)")
_TWICE_LEAD_RE = re.compile(r"\s+(?:the|as\s+(?:many|much)|that\s+of|what)\s+")
_OBJECT_AFTER_RE = re.compile(r"\s+(?:its|their|his|her|our|the)\s+")
_OF_AFTER_RE = re.compile(
    # "30 of Boeing's jets": a possessive name makes a partitive, as "of the" does.
    r"\s+of\s+((?:the|its|their|his|her|our|these|those|all)\s+"
    r"|(?:[A-Z][\w&-]*\s+){0,2}[A-Z][\w&-]*\s?['’]s\s+)?"
)
_MONEY_IN_RE = re.compile(r"\s+(?:in|worth\s+of)\s+(?=[A-Za-z])")
_HYPHENATED_RATE_RE = re.compile(r"-(?:a|per)-[a-z]+\b")
_SINGULAR_TIME_END_RE = re.compile(r"\b(?:second|minute|min|hour|hr|day|week|month|year)$")
_DIMENSION_WORDS = r"(?:long|tall|high|wide|deep)\b"
_LENGTH_UNITS = frozenset({"km", "miles", "m", "ft", "yards", "inches", "cm", "mm", "light-years"})
_DISTANCE_AFTER_RE = re.compile(
    r"(?:\s*\([^()]{1,40}\))?\s+(?:from|behind|away|beyond|off|short\s+of|"
    r"(?:north|south|east|west|northeast|northwest|southeast|southwest)(?:ern)?\s+of)\b"
)
#: A measure converted into other units in brackets: "5 inches (127 millimeters)".
_CONVERTED_AFTER_RE = re.compile(r"\s*\(\s*(?:about\s+|some\s+)?[\d.,]+\s?[A-Za-z/°]{1,15}\s*\)")
#: The subject of a copula before a measure: "Top speed is an electronically-limited ".
_MEASURE_SUBJECT_RE = re.compile(
    r"(?:^|[,;:(]\s*)(?P<np>(?:[A-Za-z][\w'’-]*\s+){0,4}[A-Za-z][\w'’-]*)\s+(?:is|was|are|were)"
    r"\s+(?:(?:an?|the)\s+)?(?:[a-z][\w-]*ly[\s-][a-z]+\s+|[a-z][\w-]*\s+)?"
    rf"(?:(?:{_APPROX_ALTERNATIVES})\s+)?$"
    # "the display size will remain 13.3 inches": a subject after its article, and a verb of
    # being or staying with its auxiliary
    r"|\b(?:the|its|their)\s+(?P<np2>(?:[a-z][\w-]*\s+){0,2}[a-z][\w-]*)\s+"
    r"(?:will|would|should|could|may|might|is\s+expected\s+to|is\s+set\s+to)\s+"
    r"(?:be|remain|stay|measure)\s+"
    rf"(?:(?:{_APPROX_ALTERNATIVES})\s+)?$",
    re.IGNORECASE,
)
#: A measure's name after an article or an owner and before "of" and the value ("has a top
#: speed of over", "the missile's range of about"), or right before a value that opens with its
#: approximation ("a top speed over 250mph").
_MEASURE_OF_RE = re.compile(
    r"\b(?P<det>a|an|the|its|their|his|her|[\w-]+['’]s)\s+"
    r"(?P<np>(?:(?!of\b)[a-z][\w-]*\s+){0,2}(?!of\b)[a-z][\w-]*)"
    rf"\s+(?:(?P<of>of)\s+(?:(?:{_APPROX_ALTERNATIVES})\s+)?)?$",
    re.IGNORECASE,
)
#: Words before "of" that name no measure: "the equivalent of 90 miles", "an average of".
_NO_MEASURE_NAME = frozenset(
    {"equivalent", "average", "maximum", "minimum", "total", "mean", "median", "sum"}
)
_APPROX_START_RE = re.compile(rf"(?:{_APPROX_ALTERNATIVES})\s", re.IGNORECASE)
#: A measure that ends its clause: not "a 30 min activity", whose noun follows it.
_CLAUSE_END_AFTER_RE = re.compile(
    # ("152mm and 122mm rounds": a measure joined to another names the noun after both)
    r"\s*(?:[.,;:!?)\u2014\u2013]|$|\s(?:in|on|at|for|with|from|to|by|per|a|an)\b)"
)
_PRODUCT_WORD = r"(?:[A-Z0-9][\w'’&.+-]*|i[A-Z][\w-]*)"
#: An offer line: a product's name in capitals from the line's start, then "for" and the price.
_OFFER_BEFORE_RE = re.compile(
    rf"(?:^|:\s+)(?P<np>{_PRODUCT_WORD}(?:\s+{_PRODUCT_WORD}){{0,7}})"
    r"(?:\s+(?:in|with|and|or)\s+[^.;:!?]{0,60}?)?\s+for\s+$"
)
_DIMENSION_AFTER_RE = re.compile(rf"(?:\s*\([^()]{{1,40}}\))?\s+{_DIMENSION_WORDS}")
_NOUN_BEFORE_MEASURE_RE = re.compile(
    # "a fence about eight feet tall", "the new Sportback is just over 16 feet long"
    rf"\b([a-z][a-z-]+)(?:,|\s+(?:is|was|are|were|stands|stood|measures|measured))?\s+"
    rf"(?:(?:{_APPROX_ALTERNATIVES}|perhaps|some)\s+)?$",
    re.IGNORECASE,
)
_DETERMINER_BEFORE_RE = re.compile(r"\b(?:a|an|its|their|his|her|our)\s+$", re.IGNORECASE)
_BARE_NOUN_AFTER_RE = re.compile(r"\s+([a-z][a-z-]{1,30})\b(?![-’'])")
#: A price per share between a sum and the noun it prices: "$82 per share offer".
_SHARE_RATE_RE = re.compile(
    r"(?:\s+(?:per|a)\s+(?P<share>(?:[a-z]+\s+)?share)|-a-share)\b", re.IGNORECASE
)
#: What a sum is paid for or spent on: "pay Rs 300 for fresh air", "Rs 40 lakh on advocacy".
_MONEY_FOR_RE = re.compile(r"\s+(?:for|on)\s+(?:(?:some|part|most|all)\s+of\s+)?(?=[a-z])")
_DETERMINER_RE = re.compile(r"(?:a|an|the|its|their|his|her|this|that)\b")
_RATE_AFTER_RE = re.compile(r"\s+(?:a|an|per|each|every)\b")
_RATE_SPENT_ON_RE = re.compile(
    rf"\s+(?:a|an|per|each|every)\s+(?:{_TIME_NOUNS})\s+(?:on|for)\s+(?=[a-z])", re.IGNORECASE
)
_CONTAINER_OF_RE = re.compile(r"\s+of\s+(?:(?:the|its|their|his|her|our)\s+)?")
_POSSESSIVE_QUANTITY_RE = re.compile(
    r"\s*(?:(?:[A-Z][\w-]*\s+){0,3}[\w-]+['’]s\s+)?"
    r"(?:(?:more\s+than|fewer\s+than|less\s+than|about|around|nearly|almost|some|over)\s+)?"
    r"(?:\d[\d,.]*|(?i:"
    + "|".join(_SMALL_NUMBERS)
    + r"))(?:\s+(?:thousand|million|billion))?(?=\s)"
)
_SENTENCE_END_RE = re.compile(r"[.!?…。？！]['\"”’)\]]*\s*$")

# Korean numbers: digits with the large-number words 만, 억, 조 (and 천, 백 inside them), then a
# counter or unit: "168명", "약 3억1천만 달러", "2발", "200여 개", "20억 달러 이상".
_KOREAN_SCALES = {"백": 1e2, "천": 1e3, "만": 1e4, "억": 1e8, "조": 1e12}
_KOREAN_UNITS = {
    "명": None,
    "발": None,
    "개": None,
    "척": None,
    "곳": None,
    "건": None,
    "달러": "USD",
    "원": "KRW",
    "위안": "CNY",
    "유로": "EUR",
    "엔": "JPY",
    "루블": "RUB",
    "%": "%",
    "퍼센트": "%",
    "분": "minutes",
    "시간": "hours",
    "일간": "days",
    "개월": "months",
    "년간": "years",
    "배": "times",
    "km": "km",
    "킬로미터": "km",
    "톤": "tons",
    "kg": "kg",
    "킬로그램": "kg",
    "배럴": "barrels",
}
_KOREAN_NUMBER = r"\d[\d,]*(?:\.\d+)?"
_HANGUL_UNITS = "|".join(
    sorted((re.escape(u) for u in _KOREAN_UNITS if re.match(r"[가-힣]", u)), key=len, reverse=True)
)
_ALL_KOREAN_UNITS = "|".join(sorted(map(re.escape, _KOREAN_UNITS), key=len, reverse=True))
# Either a number with a Korean large-number word and any unit ("3억1천만 달러", "20억%"), or
# plain digits with a Hangul counter ("168명", "2발"); "35%" alone is left to the digit reader.
# The scaled number is one character class run (no nested repetition), so a run of scale words
# is read in linear time; _korean_value then rejects scale words out of order ("1만만만").
_KOREAN_NUMBER_RE = re.compile(
    rf"(?<![\w.,])(?:(?P<scaled>{_KOREAN_NUMBER}[백천만억조][\d,.백천만억조]*?)"
    rf"(?P<about>여)?\s?(?P<unit>{_ALL_KOREAN_UNITS})"
    rf"|(?P<plain>{_KOREAN_NUMBER})(?P<plain_about>여)?\s?(?P<plain_unit>{_HANGUL_UNITS}))"
)
_KOREAN_APPROX_AFTER_RE = re.compile(r"\s*(?:이상|가량|남짓|넘게|(?:가|이)\s+넘는)")
_KOREAN_COUNTED_AFTER_RE = re.compile(
    # Possessive spaces: a long run of them is read once, never re-split between the two.
    r"\s*+(?:이상|가량|여)?\s*+(?:규모)?의\s+([가-힣]+?)(?:을|를|이|가|은|는|에|의)?(?=[\s,.]|$)"
    r"|\s*+(?:가|이)\s+넘는\s+([가-힣]+?)(?:을|를|이|가|은|는)?(?=[\s,.]|$)"
)
_KOREAN_TOPIC_BEFORE_RE = re.compile(
    r"(?<![\d가-힣])([가-힣]+?)(?<!에)(?<!서)(?:은|는|이|가)\s+(?:모두\s+|총\s+)?(?:\d{4}년\s+)?$"
)
_KOREAN_PERIOD_RE = re.compile(
    r"올해(?:\s*\d{1,2}월부터\s*\d{1,2}월까지|\s*들어서만|\s*들어)?|\d{4}년대?(?:\s*이후)?"
)
_KOREAN_SOURCE_RES = (
    re.compile(r"(?:^|,\s*)([^,]{1,40}?)에\s+따르면"),
    re.compile(r"([가-힣A-Za-z]+)(?:이|가|은|는)\s+(?:\d+일\s+)?(?:밝혔다|말했다|전했다|발표했다)"),
    re.compile(r"^([가-힣A-Za-z]+?)(?:은|는)\s.*(?:보고\s+있다|밝혔다|말했다|추정했다)"),
)

_RATE_CURRENCIES = {"yen": "JPY", "yuan": "CNY", "renminbi": "CNY", "euro": "EUR"}
_RATE_CURRENCIES |= {"rupee": "INR", "rouble": "RUB", "ruble": "RUB"}
_RATE_CURRENCY_RE = re.compile(r"\b(yen|yuan|renminbi|euro|rupee|rouble|ruble)s?\b", re.IGNORECASE)
_RATE_AGAINST_RE = re.compile(
    r"\s+(?:to|per|against)\s+(?:the\s+|one\s+|a\s+)?(?:U\.?S\.?\s+)?(?:dollar|yuan)\b", re.I
)

_LEFT_WINDOW = 120
_RIGHT_WINDOW = 160


# --------------------------------------------------------------------------------------------
# Public records
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FigureScores:
    """Agreement of extracted figures with labelled ones.

    ``precision``/``recall``/``f1`` count a figure as found when value, upper bound and unit
    agree; the field scores are accuracies over those matched pairs.
    """

    gold: int
    predicted: int
    matched: int
    precision: float
    recall: float
    f1: float
    counted: float
    attribution: float
    hedge: float
    approx: float
    period: float


@dataclass(frozen=True, slots=True)
class _Quantity:
    """A number with what sits right on it (currency, multiplier, unit), before the context."""

    start: int
    end: int
    value: float
    unit: str | None
    approx: str | None
    kind: str
    scaled: bool
    tight_end: int
    counted_hint: str | None = None
    multiplier: float = 1.0


@dataclass(frozen=True, slots=True)
class _Cue:
    """A source named in the sentence: where its cue sits, the source, and where that is."""

    start: int
    end: int
    text: str
    rank: int
    source_start: int
    source_end: int
    #: Said in a relative clause ("a scheme that officials say funnels …"): it speaks for
    #: what follows its source, not for the figures before the clause.
    relative: bool = False


# --------------------------------------------------------------------------------------------
# Extraction
# --------------------------------------------------------------------------------------------


def extract_figures(
    text: str,
    *,
    max_figures: int = 500,
    published: date | datetime | None = None,
    rejected: list[Rejection] | None = None,
) -> list[Figure]:
    """Numeric claims in ``text``, in reading order, at most ``max_figures`` of them.

    ``published`` (the article's date) resolves relative periods ("last year", "two years ago")
    into ``period_start``/``period_end``. Numbers read but not kept because they cannot be a
    quantity (too large, too many digits, not finite) are appended to ``rejected`` with a reason.
    """
    figures: list[Figure] = []
    if max_figures <= 0 or not text:
        return figures
    article_won = _article_won(text) if re.search(r"\bwon\b", text) else "KRW"
    article_pound = _article_pound(text) if re.search(r"\bpounds?\b", text) else "GBP"
    anchor = filed_day(text, published.date() if isinstance(published, datetime) else published)
    # A transcript's speaker labels ("WALT: ..."), read once: with two or more, each paragraph
    # until the next label is its speaker's.
    labels = [(m.start(), m.group(1).title()) for m in _SPEAKER_LABEL_RE.finditer(text)]
    label_starts = [start for start, _name in labels] if len(labels) >= 2 else []
    models = _model_numbers(text)
    for offset, sentence in _sentence_spans(text):
        if _is_chrome(sentence):
            continue
        calm = _calm(sentence)
        before = len(rejected) if rejected is not None else 0
        found = _sentence_figures(
            calm,
            offset,
            article_won=article_won,
            article_pound=article_pound,
            rejected=rejected,
            models=models,
        )
        if calm is not sentence:
            found = [_restore_calmed(figure, sentence) for figure in found]
            if rejected is not None:
                # a rejection quotes the sentence as written, not its walled form
                rejected[before:] = [replace(r, sentence=sentence) for r in rejected[before:]]
        for figure in found:
            speaker = _speaker_from_article(text, figure, labels, label_starts)
            figures.append(resolve_period(speaker, anchor))
            if len(figures) >= max_figures:
                logger.debug("stopped at %d figures", max_figures)
                return figures
    return figures


# --- claimants stated outside the figure's sentence -------------------------------------------

_NAME = r"[A-Z][a-z]+(?:['’][a-z]+)?(?:[ -][A-Z][a-z]+(?:['’][a-z]+)?){0,2}"
_SAYS = (
    r"(?:said|says|told|tweeted|posted|wrote|added|boasted|confirmed|announced|insisted|explained"
    r"|admitted)"
)
#: "Musk says", "Musk also last week tweeted": the latest named speaker before a pronoun.
_NAMED_SPEAKER_RE = re.compile(
    # '…," said Singh Jabarjung': the name may follow its verb after a quotation.
    # '…," said Singh Jabarjung' and "…, said Scott Strenfel, PG&E's meteorologist", without quotes.
    rf"\b({_NAME})\s+(?:[a-z]+\s+){{0,3}}{_SAYS}\b|(?:[,.!?][\"”]|,)\s+{_SAYS}\s+({_NAME})"
)
#: A person named with a title: "Mr. Trump wasn't satisfied. ... he said", the pronoun's name.
_TITLED_NAME_RE = re.compile(rf"\b(?:Mr|Mrs|Ms|Dr)\.?\s+{_NAME}")
_SAYS_RE = re.compile(rf"\b{_SAYS}\b")
_PRONOUN_SUBJECT_RE = re.compile(r"\b(?:[Hh]e|[Ss]he)\s+(?:[a-z]+\s+){0,2}$")
_NOT_NAMES = _word_set("he she it they we i you the this that a an there these those then but and")
#: An embedded post's signature line: "— Elon Musk (@elonmusk) December 2, 2017".
_LINE_SIGNATURE_RE = re.compile(r"[—–]\s*([A-Z][^\n(@—–]{0,60}?)\s*\(@\w{1,30}\)")
#: A transcript's speaker label at the start of a paragraph: "WALT: We hear that ...".
_SPEAKER_LABEL_RE = re.compile(r"(?m)^([A-Z][A-Z'’.-]+(?: [A-Z][A-Z'’.-]+)?):\s")
#: 'Nikki Haley, speaking in New York, said: "' opens a quotation that later sentences continue.
_COLON_QUOTE_RE = re.compile(
    rf"({_NAME})(?:,[^,\"“”\n]{{0,160}},)?\s+(?:said|says|added|told\s+\w+|wrote):\s*[\"“][^\"”]*$"
)
#: '... brought back. They are well," Osinbajo told reporters': the speaker closing a quotation.
_QUOTE_CLOSER_RE = re.compile(
    rf"(?:[,.!?]?[\"”]|[,.!?]['’])\s+(?:({_NAME}|[Hh]e|[Ss]he)\s+(?:[a-z]+\s+)?{_SAYS}\b"
    rf"|{_SAYS}\s+({_NAME}))"
)
_QUOTE_OPENERS = ('"', "“", "'", "‘")


def _speaker_from_article(
    text: str,
    figure: Figure,
    labels: Sequence[tuple[int, str]] = (),
    label_starts: Sequence[int] = (),
) -> Figure:
    """A claimant the sentence does not name but the article does: a pronoun's name, an embedded
    post's signature, a transcript's speaker, the speaker of a quotation spanning sentences."""
    said = figure.attribution
    if said is not None and said.lower() not in {"he", "she"}:
        return figure
    line_start = text.rfind("\n", 0, figure.start) + 1
    line_end = text.find("\n", figure.end)
    line_end = len(text) if line_end < 0 else line_end
    name: str | None = None
    head = figure.sentence[:20]
    sentence_start = text.rfind(head, max(0, line_start - 1), figure.start + len(head))
    if said is not None:
        speaker = _latest_speaker(text, sentence_start)
        return replace(figure, attribution=speaker) if speaker else figure
    signature = _LINE_SIGNATURE_RE.search(text, figure.end, line_end)
    if signature:
        name = signature.group(1).strip()
    opens_quote = figure.sentence.startswith(_QUOTE_OPENERS) or _inside_quotation(
        text[line_start : max(line_start, sentence_start)]
    )
    if name is None and opens_quote:
        closer = _QUOTE_CLOSER_RE.search(text, figure.end, min(line_end, figure.end + 600))
        closer_name = (closer.group(1) or closer.group(2)) if closer else None
        if closer_name and closer_name.split()[0].lower() in {"he", "she"}:
            # '…," he admitted': the quotation is the latest named speaker's.
            closer_name = _latest_speaker(text, sentence_start)
        if closer_name and closer_name.split()[0].lower() not in _NOT_NAMES:
            name = closer_name
    if name is None and opens_quote and sentence_start > 0:
        before = text[max(0, sentence_start - 400) : sentence_start].rstrip()
        colon = _COLON_QUOTE_RE.search(before)
        if colon:
            name = colon.group(1)
    if name is None and label_starts:
        index = bisect.bisect_right(label_starts, figure.start) - 1
        if index >= 0:
            name = labels[index][1]
    if name is None and sentence_start > 0 and _IT_SAYS_RE.search(figure.sentence):
        # "..., it said": the organisation or document that spoke last before the sentence.
        name = _latest_body(text, sentence_start)
    return replace(figure, attribution=name) if name else figure


#: "it said", "it also reported": a claim of a body named before.
_IT_SAYS_RE = re.compile(
    r"\b[Ii]t\s+(?:also\s+)?(?:said|says|added|reported|announced|stated|claimed)\b"
)
#: A body that speaks: "The government said", "the agency told", "KCNA reported", "the
#: Ministry of Unification said in a statement".
_BODY_SAYS_RE = re.compile(
    r"\b((?:[Tt]he\s+)(?:[A-Z][\w.&'’-]*\s+){0,4}(?:[a-z]+\s+)?(?:government|ministry|agency"
    r"|service|office|command|military|army|navy|police|court|company|firm|report|statement"
    r"|committee|council|commission|group|organi[sz]ation|newspaper|network|broadcaster|website"
    r"|embassy|department|bank|authority|authorities|Ministry|Agency|Service|Office|Command"
    r"|Committee|Council|Commission|Department|Bank|Authority|Institute|Center|Centre)"
    r"(?:\s+of(?:\s+[A-Z][\w.&'’-]*){1,4})?"
    r"|[A-Z]{2,6})\s+(?:also\s+)?(?:said|says|told|reported|announced|stated|claimed)\b"
)


def _latest_body(text: str, position: int) -> str | None:
    """The body (an organisation, an office, a report) that spoke last in the 1,000 characters
    before ``position``, unless a named person spoke after it."""
    window = text[max(0, position - 1000) : position]
    bodies = list(_BODY_SAYS_RE.finditer(window))
    if not bodies:
        return None
    people = [
        m
        for m in _NAMED_SPEAKER_RE.finditer(window, bodies[-1].end())
        if (m.group(1) or m.group(2)).split()[0].lower() not in _NOT_NAMES
    ]
    return None if people else bodies[-1].group(1)


def _latest_speaker(text: str, position: int) -> str | None:
    """The latest named speaker before ``position``, unless someone else spoke since."""
    window = text[max(0, position - 2000) : max(0, position)]
    # "he said", "she added" continue the same speaker; any other speaker breaks the chain.
    verbs = [
        v
        for v in _SAYS_RE.finditer(window)
        if not _PRONOUN_SUBJECT_RE.search(window, max(0, v.start() - 30), v.start())
    ]
    names = [
        m
        for m in _NAMED_SPEAKER_RE.finditer(window)
        if (m.group(1) or m.group(2)).split()[0].lower() not in _NOT_NAMES
    ]
    if names and verbs and names[-1].end() >= verbs[-1].end():
        return names[-1].group(1) or names[-1].group(2)
    # No named speaker: the person named with a title in the two sentences before, if nobody
    # spoke since.
    near = window[-400:]
    titled = list(_TITLED_NAME_RE.finditer(near))
    if titled and not _SAYS_RE.search(near, titled[-1].end()):
        return titled[-1].group(0)
    return None


def _inside_quotation(before: str) -> bool:
    """Whether a paragraph that begins with ``before`` has opened a quotation not yet closed."""
    if before.startswith(('"', "“")):
        return before.count("“") > before.count("”") or before.count('"') % 2 == 1
    if before.startswith(("'", "‘")):
        return not re.search(r"[,.!?]['’]", before)
    return False


# Runs of whitespace this long are layout (tables, padding), never part of a claim.
_LONG_SPACE_RE = re.compile(r"\s{9,}")
#: A "word" no language writes: a run of 65 or more characters without a space.
_LONG_WORD_RE = re.compile(r"[^\s\x00]{65,}")
_FILLER = "\x00"


def _calm(sentence: str) -> str:
    """The sentence with each long whitespace run, and each overlong word that has a letter,
    turned into a wall of the same length.

    A space run keeps a space at each end, so words on either side stay words, and offsets do
    not move; but no pattern can stretch across it, so patterns with several optional runs of
    spaces stay linear on padded or hostile text. An overlong word ("A-A-A-…", a pasted token)
    is walled whole: patterns that read a name or a noun as a run of word characters would
    otherwise try it again from each of its letters. A word with a digit stays, so that an
    overlong number is still read, or rejected with its reason.
    """
    calm = sentence
    if _LONG_SPACE_RE.search(calm):
        calm = _LONG_SPACE_RE.sub(
            lambda run: run.group(0)[0] + _FILLER * (len(run.group(0)) - 2) + run.group(0)[-1],
            calm,
        )
    if _LONG_WORD_RE.search(calm):
        calm = _LONG_WORD_RE.sub(_wall_word, calm)
    return calm


def _wall_word(word: re.Match[str]) -> str:
    """An overlong word of letters walled; one with a digit stays (a number is read there)."""
    text = word.group(0)
    if any(c.isdigit() for c in text) or not any(c.isalpha() for c in text):
        return text
    return _FILLER * len(text)


def _restore_calmed(figure: Figure, sentence: str) -> Figure:
    """A figure read on the calmed sentence, with its text fields as the sentence wrote them."""
    changes: dict[str, Any] = {"sentence": sentence}
    for name in ("clause", "attribution", "counted", "approx", "period", "hedge", "part"):
        value = getattr(figure, name, None)
        if isinstance(value, str) and _FILLER in value:
            changes[name] = " ".join(value.replace(_FILLER, " ").split())
    return replace(figure, **changes)


_BARE_MONTH_RE = re.compile(rf"(?:in\s+|by\s+)?(?:{_MONTHS})", re.IGNORECASE)
_FUTURE_RE = re.compile(
    r"\b(?:will|shall|(?:is|are)\s+(?:scheduled|set|due|expected|planned|slated)\s+to)\b",
    re.IGNORECASE,
)


def resolve_period(figure: Figure, published: date | None) -> Figure:
    """The figure with ``period_start``/``period_end`` read from its period and the date."""
    span = resolve(figure.period, published)
    if span is None:
        return figure
    if (
        published is not None
        and span[1] < published
        and _BARE_MONTH_RE.fullmatch(figure.period or "")
        and _FUTURE_RE.search(figure.sentence)
    ):
        # "will launch in June", written in January: the coming June, not the last one.
        span = (span[0].replace(year=span[0].year + 1), span[1].replace(year=span[1].year + 1))
    return replace(figure, period_start=span[0].isoformat(), period_end=span[1].isoformat())


def _sentence_spans(text: str) -> Iterable[tuple[int, str]]:
    cursor = 0
    for sentence in split_sentences(text):
        found = text.find(sentence, cursor)
        if found < 0:
            continue
        yield from _captions(found, sentence)
        cursor = found + len(sentence)


#: A photo gallery's counter before each caption ("1/8 The scene after ... 2/8 Police ...").
_GALLERY_COUNTER_RE = re.compile(r"(?<!\S)\d{1,2}/(\d{1,2})(?=\s)")


def _captions(offset: int, sentence: str) -> Iterable[tuple[int, str]]:
    """A run of gallery captions (three counters or more out of one total) cut into one
    "sentence" per caption; any other sentence as it is."""
    counters = list(_GALLERY_COUNTER_RE.finditer(sentence))
    totals = {match.group(1) for match in counters}
    if len(counters) < 3 or len(totals) != 1:
        yield offset, sentence
        return
    cuts = [0, *(match.start() for match in counters), len(sentence)]
    for start, end in itertools.pairwise(cuts):
        piece = sentence[start:end].rstrip()
        if piece.strip():
            yield offset + start, piece


# A headline states a claim when a count comes with what happened to it ("Florida club: 49
# killed", "21 Schoolgirls Abducted By Boko Haram Released", "millions are at risk").
_HEADLINE_CLAIM_RE = re.compile(
    r"(?:\b\d[\d,.]*|\b(?:dozens|hundreds|thousands|millions|scores|two|three|four|five|six|"
    r"seven|eight|nine|ten|eleven|twelve|twenty))\s+"
    r"(?:[A-Za-z]+\s+)?(?:(?:are|were)\s+)?(?:killed|dead|died|injured|wounded|hurt|missing|arrested|"
    r"freed|released|rescued|evacuated|abducted|kidnapped|displaced|homeless|at\s+risk)\b"
    # "Boko Haram frees 21 Chibok girls": the verb before the count.
    r"|\b(?:kills?|frees?|releases?|rescues?|evacuates?|arrests?|injures?|wounds?|abducts?)\s+"
    r"(?:(?:about|nearly|at\s+least|more\s+than)\s+)?(?:\d|dozens|hundreds|scores)",
    re.IGNORECASE,
)


#: A price after a label and a colon: "RRP: £23.99", "VIP : 60,000₩", a line of a price list;
#: or a price an offer states: "Sonos Move for $400", "Now $649.99", "(Originally $200)".
_PRICE_LINE_RE = re.compile(
    r"[:：]\s*(?:[$£€₩¥]\s?\d|\d[\d,]*(?:\.\d+)?\s?(?:[$£€₩¥]|(?:euros?|dollars?|won|yen)\b))"
    r"|\b(?:for|now|only|originally|from)\s+(?:US)?[$£€₩¥]\s?\d",
    re.IGNORECASE,
)


def _is_chrome(sentence: str) -> bool:
    if _PRICE_LINE_RE.search(sentence):
        return False
    words = _WORD_RE.findall(sentence) + _HANGUL_WORD_RE.findall(sentence)
    if len(words) < 3:
        return True
    if (
        not _SENTENCE_END_RE.search(sentence)
        and len(words) < 12
        and not _HEADLINE_CLAIM_RE.search(sentence)
    ):
        return True
    return len(words) <= 8 and bool(_CHROME_START_RE.match(sentence))


def _sentence_figures(
    sentence: str,
    offset: int,
    *,
    article_won: str = "KRW",
    article_pound: str = "GBP",
    rejected: list[Rejection] | None = None,
    models: frozenset[str] = frozenset(),
) -> list[Figure]:
    quantities = _quantities(sentence, models, offset, rejected)
    if not quantities:
        return []
    # A period inside a quantity ("60 miles per hour") is part of its unit, not a time.
    periods = [
        span
        for span in _period_spans(sentence)
        if not any(q.start < span[1] and span[0] < q.end for q in quantities)
    ]
    clauses = [m.start() for m in _CLAUSE_BOUNDARY_RE.finditer(sentence)]
    time_clauses = sorted(
        [*clauses, *(m.start() for m in _COMPARISON_BOUNDARY_RE.finditer(sentence))]
    )
    hedges = [
        (m.start(), m.end(), m.group(0).lower())
        for m in _HEDGE_RE.finditer(sentence)
        if not _ATTRIBUTIVE_HEDGE_RE.search(_left(sentence, m.start(), 8))
        or not re.match(r"\s+[a-z]", sentence[m.end() : m.end() + 3])
    ]
    sources = _attribution_cues(sentence)
    # A number inside the named source counts the sources ("Two defectors told..."), not a
    # claim; a count in a compound modifier says what the source is ("the 15-member Council").
    quantities = [
        q
        for q in quantities
        if not any(c.source_start <= q.start and q.end <= c.source_end for c in sources)
        or _COMPOUND_COUNT_RE.fullmatch(sentence[q.start : q.end])
    ]
    figures: list[Figure] = []
    # The latest count with a noun and no unit, kept as figures are read (looked for again at
    # each figure, a sentence of thousands of figures took the square of their number).
    latest_bare: Figure | None = None
    index = 0
    while index < len(quantities):
        first = quantities[index]
        index += 1
        value_max: float | None = None
        last = first
        value, unit = first.value, first.unit
        if index < len(quantities):
            joined = _join_range(sentence, first, quantities[index])
            if joined is not None:
                value, value_max, unit = joined
                last = quantities[index]
                index += 1
        start = first.start
        approx = first.approx
        approx_match = _APPROX_BEFORE_RE.search(_left(sentence, start, 40))
        if approx_match and first.kind != "vague":
            qualifier = " ".join(approx_match.group(1).lower().split())
            # "at least several hundred": the qualifier goes before the quantifier
            approx = f"{qualifier} {approx}" if vague_scale(approx, first.value) else qualifier
            start -= len(approx_match.group(0))
        end = last.end
        after = _APPROX_AFTER_RE.match(sentence, end)
        if approx is None and after:
            approx = " ".join(after.group(1).lower().split()) if after.group(1) else "plus"
        if unit is None and _RATE_AGAINST_RE.match(sentence, end):
            # "the won traded at about 8,000 to the dollar": the won is the unit, unwritten.
            won = re.search(r"\b(North\s+Korean\s+)?won\b", sentence)
            named = _RATE_CURRENCY_RE.findall(sentence[:start])
            if won:
                unit = "KPW" if won.group(1) else _BARE_WON
            elif named:
                # "the yen strengthened ... at 108.55 per dollar": the named currency's price.
                unit = _RATE_CURRENCIES[named[-1].lower()]
        if unit == _BARE_WON:
            unit = _won_unit(sentence, article_won)
        elif unit == _BARE_POUND:
            unit = _pound_unit(sentence, start, end, article_pound)
        counted, np_end = _counted(sentence, first, last, unit, periods, start)
        if (
            (counted is None or _STATE_WORD_RE.fullmatch(counted))
            and unit is None
            and figures
            and figures[-1].unit is None
            and figures[-1].counted
            and not _STATE_WORD_RE.fullmatch(figures[-1].counted)
            and _ELIDED_GAP_RE.fullmatch(sentence[figures[-1].end - offset : start])
        ):
            # "killing 13 people and wounding 42": the second count names no noun of its own.
            counted = figures[-1].counted
        if counted is not None and counted.lower() == "more":
            # "seven people were killed and dozens more": more of the noun named before.
            counted = figures[-1].counted if figures else None
        if (
            counted is None
            and figures
            and _SAME_MOVE_GAP_RE.fullmatch(sentence[figures[-1].end - offset : start])
        ):
            # "rose from 5,000 won to 9,000 won": both ends of a change measure the same thing,
            # and so do a move restated and the level it reaches ("fell 102.2 points, or 0.36%,
            # to 27,934.02", "closed at $185.25, up 0.35%").
            counted = figures[-1].counted
        elif (
            counted is None
            and figures
            and figures[-1].unit == unit
            and _COMPARISON_GAP_RE.fullmatch(sentence[figures[-1].end - offset : start])
        ):
            # "around 12,000 soldiers, up from about 10,000": the older value counts the same.
            counted = figures[-1].counted
        elif counted is None and figures and unit in _MONEY_UNITS and figures[-1].unit == unit:
            # "sold for 12,500 won, up from 10,800 won", "12,600 won in Hyesan, 12,300 won in
            # Sinuiju": later prices in the sentence price the same thing.
            counted = figures[-1].counted
        if figures and _RESTATED_RE.fullmatch(sentence[figures[-1].end - offset : start]):
            # "1,700 miles (2,735km)", "30,000 pounds (about $1,680)": the same quantity in
            # other units measures what the figure it restates measures.
            counted = figures[-1].counted or counted
        if (
            counted is None
            and unit in _MONEY_UNITS
            and _FINED_BEFORE_RE.search(_left(sentence, start, 30))
        ):
            counted = "fine"  # "were fined 30,000 pounds"
        if counted is not None and _TIME_WORD_RE.fullmatch(counted.split()[-1]):
            # "shares closed on Tuesday at $185.25": a day is when, never what is measured.
            counted = None
        if value_problem(value) or value_problem(value_max):
            continue
        part, part_of = _part_of_whole(sentence, start, end, first.kind, figures, offset)
        if (
            part is None
            and figures
            and figures[-1].part is not None
            and _ELIDED_GAP_RE.fullmatch(sentence[figures[-1].end - offset : start])
        ):
            # "20 people, four of whom were seriously injured and 16 who were walking
            # wounded": the next count of the enumeration is a part of the same whole.
            part, part_of = figures[-1].part, figures[-1].part_of
        if (
            part in {"of the", "of them"}
            and part_of is not None
            and figures
            and figures[-1].value == part_of
        ):
            # "147 of the 168 defectors", "25 defendants, five of whom": the whole was read
            # before the part, and the part counts the whole's noun.
            counted = counted or figures[-1].counted
        if (
            counted is None
            and part is None
            and unit is None
            and first.kind in {"digits", "words"}
            and not _COMPLEMENT_BEFORE_RE.search(_left(sentence, start, 12))
            and (antecedent := _antecedent_count(latest_bare))
        ):
            # "three of those companies ..., only two committed": a count with no noun of its
            # own takes the noun of the sentence's earlier count. A level, a comparison or a
            # complement ("putting the figure as high as 12 million") measures what it is said
            # of instead.
            counted = antecedent
        figures.append(
            Figure(
                value=value,
                value_max=value_max,
                unit=unit,
                counted=counted,
                approx=approx,
                period=(
                    _korean_period(sentence, start)
                    if first.kind == "korean"
                    else _period_for(
                        sentence,
                        start,
                        end,
                        np_end,
                        periods,
                        time_clauses,
                        # "a five-year sentence ... in 2013": the length of a thing is dated
                        # only by a time attached to the thing ("a two-day trial in September")
                        attached_only=first.kind == "size" and unit in _TIME_UNITS,
                    )
                ),
                sentence=sentence,
                start=offset + start,
                end=offset + end,
                attribution=(
                    _korean_source(sentence)
                    if first.kind == "korean"
                    else _nearest_cue(sentence, sources, clauses, start, end)
                ),
                hedge=(
                    _korean_hedge(sentence)
                    if first.kind == "korean"
                    else _hedge_for(hedges, clauses, start, end, sentence)
                ),
                part=part,
                part_of=part_of,
                clause=_clause_text(sentence, clauses, start, end),
            )
        )
        if figures[-1].unit is None and figures[-1].counted:
            latest_bare = figures[-1]
    # "a 20% and 16% improvement", "three or four boats": the first takes the noun after both;
    # "guidance of up 2.3 percent and up 4 percent": the second names no noun of its own.
    for index in range(len(figures) - 2, -1, -1):
        figures[index] = _noun_shared(sentence, offset, figures[index], figures[index + 1])
    for index in range(1, len(figures)):
        figures[index] = _noun_shared(sentence, offset, figures[index], figures[index - 1])
    return _with_contexts(sentence, offset, figures, clauses)


def _noun_shared(sentence: str, offset: int, figure: Figure, neighbour: Figure) -> Figure:
    """``figure`` with its neighbour's counted noun, when it has none, their units agree and
    only a conjunction-like gap stands between the two numbers."""
    first, second = (figure, neighbour) if figure.start < neighbour.start else (neighbour, figure)
    if (
        figure.counted is None
        and neighbour.counted is not None
        and figure.unit == neighbour.unit
        and _SHARED_NOUN_GAP_RE.fullmatch(sentence, first.end - offset, second.start - offset)
    ):
        return replace(figure, counted=neighbour.counted)
    return figure


_SHARED_NOUN_GAP_RE = re.compile(
    # "16 feet long and six feet wide, but 5.3 feet tall": the dimensions of one thing.
    rf"(?:\s+{_DIMENSION_WORDS}\s*,?)?\s+(?:and|or)\s+(?:(?:up|down)\s+)?"
    rf"|\s+{_DIMENSION_WORDS}\s*,\s+(?:but\s+)?"
)


#: Before a number that is a level or a comparison, or the complement of a noun named right
#: before it ("put the figure as high as 12 million").
_COMPLEMENT_BEFORE_RE = re.compile(
    r"\b(?:as|than|at|to|by|(?:the|its|their|this|that)\s+[a-z]+)\s+$", re.IGNORECASE
)


def _antecedent_count(latest_bare: Figure | None) -> str | None:
    """The noun of the latest bare count before (a count with a noun and no unit, so its
    ``counted`` is set), when it names a kind of thing."""
    if latest_bare is None or _STATE_WORD_RE.fullmatch(latest_bare.counted or ""):
        return None
    return latest_bare.counted


#: Between two amounts of one move: "to", ", or", ", up", ", down from".
_SAME_MOVE_GAP_RE = re.compile(r"\s*,?\s+(?:to|or|(?:up|down)(?:\s+from)?)\s+")
_RESTATEMENT_AFTER_RE = re.compile(r"\s*\([^()\d]{0,20}\d[^()]{0,30}\)")
_RESTATED_RE = re.compile(r"\s*\(\s*(?:(?:about|around|roughly|approximately|some|nearly)\s+)?")
_FINED_BEFORE_RE = re.compile(
    r"\bfined\s+(?:(?:about|around|roughly|nearly|some|more\s+than|up\s+to)\s+)?$", re.I
)
_ELIDED_GAP_RE = re.compile(
    r"[^.;:()]{0,50}?,?\s+and\s+(?:[a-z]+\s+){0,2}",
    re.IGNORECASE,
)
#: Nouns of change whose "in" names what changed: "a 12% rise in profit".
_CHANGE_NOUNS = _word_set(
    "drop fall decline rise increase gain jump surge reduction growth slump plunge cut climb"
)
_CHANGE_IN_RE = re.compile(r"\s+in\s+(?:(?:the|its|their|his|her|our)\s+)?")
_TIME_WORD_RE = re.compile(
    # Month names only capitalised: "a 5,000-strong march" counts a march.
    rf"(?:{_WEEKDAYS}|{_MONTHS})|(?i:today|yesterday|tomorrow|tonight|year-to-date|versus|late"
    r"|early)"
)
#: A counted "noun" that is what happened to those counted ("taken", "dead"): no noun of its own.
_STATE_WORD_RE = re.compile(r"[a-z]{3,}ed|taken|dead|missing|hurt", re.IGNORECASE)
_COMPARISON_GAP_RE = re.compile(
    r"[^.;]{0,40}?,?\s+(?:(?:up|down)\s+from|compared\s+(?:with|to)|against|versus|from)\s+"
    r"(?:(?:" + "|".join(re.escape(a) for a in _APPROX_BEFORE) + r")\s+)?",
    re.IGNORECASE,
)
#: Words before a number that make it part of a whole named earlier ("including 3,000 who...").
_PART_BEFORE_RE = re.compile(
    r"(?:\b(?P<word>including|among\s+them|among\s+whom|of\s+whom|of\s+which|of\s+those|"
    r"of\s+these)\s+(?:(?:" + "|".join(re.escape(a) for a in _APPROX_BEFORE) + r")\s+)?$)",
    re.IGNORECASE,
)
#: "Of the 168 arrivals, 147 were women", "Among the dead, 40 were...": a fronted whole.
_PART_FRONTED_RE = re.compile(
    r"^\s*(?:of|among)\s+(?:the|those|these|them|its|their)\b[^,]*,\s*$", re.I
)
#: "147 of the 168", "147 of them": the whole follows the part.
_PART_AFTER_RE = re.compile(
    r"\s+(?:of|out\s+of)\s+(?:(?:the|its|their|these|those)\s+)?"
    rf"(?P<whole>\d[\d,]*(?:\.\d+)?|{_NUMBER_WORD})\b"
    r"|\s+of\s+(?:them|those|these|whom|which)\b",
    re.IGNORECASE,
)
#: A count narrowed by how badly or in what state ("critically injured", "in serious
#: condition", "with serious injuries"): part of the plain count, never its rival.
_NARROWER_AFTER_RE = re.compile(
    r"(?:\s+[a-z]+){0,2}?\s+(?:(?:are|were|is|was|have|had|has)\s+(?:been\s+|now\s+)?)?"
    r"(?P<which>(?:critically|seriously|severely|gravely|slightly|lightly|badly|mortally)\s+"
    r"[a-z]+ed|(?:with|had|have|suffered)\s+(?:serious|critical|severe|minor|life-threatening|"
    r"serious\s+or\s+life-threatening)\s+injuries|in\s+(?:a\s+)?(?:critical|serious|stable)\s+"
    r"condition)\b",
    re.IGNORECASE,
)
#: Korean "입국자 가운데 여성은 147명": a part among a group.
_KOREAN_PART_RE = re.compile(r"(?:가운데|중에서|중)\s+[가-힣]*(?:은|는|이|가)?\s*$")


def _part_of_whole(
    sentence: str,
    start: int,
    end: int,
    kind: str,
    earlier: Sequence[Figure],
    offset: int,
) -> tuple[str | None, float | None]:
    """Whether a figure counts part of a whole ("147 of the 168", "including 3,000 who...").

    Returns the words that make it a part and the whole's value when the sentence gives it.
    """
    previous = earlier[-1].value if earlier else None
    after = _PART_AFTER_RE.match(sentence, end)
    if after and kind not in {"fraction", "ratio"}:
        whole = after.group("whole")
        if whole:
            value = (
                _parse_digits(whole)
                if whole[0].isdigit()
                else _parse_number_words([whole.lower()])[0]
            )
            if value > 0 and not value_problem(value):
                return "of the", value
            return None, None
        return "of them", previous
    narrower = _NARROWER_AFTER_RE.match(sentence, end)
    if narrower:
        # "18 are critically injured", "eight people with serious injuries": a sub-count.
        return " ".join(narrower.group("which").lower().split()), previous
    left = _left(sentence, start, 60)
    before = _PART_BEFORE_RE.search(left)
    if before:
        return " ".join(before.group("word").lower().split()), previous
    if _PART_FRONTED_RE.match(sentence[:start]):
        # "Of the 168 arrivals, 147 were women": the whole is the count the fronted phrase holds
        wholes = [f.value for f in earlier if f.unit is None and f.counted and f.part is None]
        return "of the", (wholes[0] if wholes else None)
    if kind == "korean" and _KOREAN_PART_RE.search(_left(sentence, start, 30)):
        return "가운데", None
    return None, None


def _with_contexts(
    sentence: str, offset: int, figures: list[Figure], clauses: Sequence[int]
) -> list[Figure]:
    """Each figure's context stops where a neighbouring figure's begins (a lone figure's is
    its whole sentence).

    In "trapping five people and injuring another 40", "injuring" is the 40's: the context of
    a figure ends at the last "and" or comma before the next figure and starts after the first
    one following the previous figure.
    """
    if len(figures) == 1:
        # A figure alone in its sentence owns all of it.
        return [replace(figures[0], clause=sentence.strip())]
    result = []
    for index, figure in enumerate(figures):
        start, end = figure.start - offset, figure.end - offset
        context = _clause_text(sentence, clauses, start, end)
        begin = sentence.find(context, max(0, start - _CONTEXT_CHARS - 2))
        if begin < 0:
            result.append(replace(figure, clause=context))
            continue
        finish = begin + len(context)
        if index + 1 < len(figures):
            following = figures[index + 1].start - offset
            cut = _last_joint(sentence, end, following)
            if cut is not None:
                finish = min(finish, cut)
        if index:
            previous = figures[index - 1].end - offset
            cut = _first_joint(sentence, previous, start)
            if cut is not None:
                begin = max(begin, cut)
        result.append(replace(figure, clause=sentence[begin:finish].strip(" ,;:–—")))
    return result


_JOINT_RE = re.compile(r",|\band\b|\bwhile\b|\bwhereas\b|\bbut\b")


def _last_joint(sentence: str, start: int, stop: int) -> int | None:
    found = [m.start() for m in _JOINT_RE.finditer(sentence, start, stop)]
    return found[-1] if found else None


def _first_joint(sentence: str, start: int, stop: int) -> int | None:
    found = _JOINT_RE.search(sentence, start, stop)
    return found.end() if found else None


#: How far either side of a figure its context reaches, inside its clause.
_CONTEXT_CHARS = 80


def _clause_text(sentence: str, clauses: Sequence[int], start: int, end: int) -> str:
    """A figure's context: its clause, at most 80 characters either side of the number.

    The tracker looks for a measure's cues and exclusions here: the words that say what
    happened to what is counted ("killed", "injured", "held as prisoners of war").
    """
    index = bisect.bisect_right(clauses, start)
    begin = max(clauses[index - 1] if index else 0, start - _CONTEXT_CHARS)
    finish = min(clauses[index] if index < len(clauses) else len(sentence), end + _CONTEXT_CHARS)
    return sentence[begin:finish].strip(" ,;:–—")


def _left(sentence: str, position: int, width: int = _LEFT_WINDOW) -> str:
    return sentence[max(0, position - width) : position]


# "Falcon 9", "Apollo 11": a number that ends a capitalised name (not in a title-case headline,
# where every word is capitalised: "Nigeria Says 21 Schoolgirls ... Released").
_NAME_NUMBER_RE = re.compile(
    # "the Saturn V Apollo 11 rocket", "In 2013 Chang’e 3": a capitalised name after a word; at
    # the start of a sentence only a name no sentence opens with ("Chang’e 4, however, ...").
    # "the teams' Week 13 rematch" too; "Rs 300" is money.
    r"(?:(?<=[A-Za-z\d,;:'’] )(?!Rs\.?\s)(?:[A-Z][a-z]+(?:['’][a-z]+)?[A-Z]?[a-z]*|[A-Z]{2,})"
    r"|(?<![\w’'] )\b[A-Z][a-z]+['’][a-z]+"
    # "NBC 5 has edited the video": a station or channel that opens the sentence.
    r"|^[A-Z]{2,5}(?=\s\d{1,2}\s+(?:has|had|is|was|will|said|says|reported|reports)\b))"
    r"\s\d{1,3}"
    r"(?![\d%]|[,.]\d|\s?(?:[-–]|to|or|and)\s?\d)"
)


#: A capitalised number word inside a name: "NASA-inspired Zero Gravity Seats", "the Big Ten's".
_NAME_NUMBER_WORD_RE = re.compile(
    r"(?:(?<=[a-z,;:] )(?P<lead>Zero|One|Two|Three|Four|Five|Six|Seven|Eight|Nine|Ten|Eleven|"
    r"Twelve|Twenty|Hundred|Thousand)(?=\s+[A-Z])"
    r"|\b[A-Z][a-z]+\s+(?:Zero|One|Two|Three|Four|Five|Six|Seven|Eight|Nine|Ten|Eleven|Twelve|"
    r"Twenty|Hundred|Thousand)\b(?![-\s]+(?:[a-z]|\d)))"
)


def _is_title_case(sentence: str) -> bool:
    words = [w for w in _WORD_RE.findall(sentence) if len(w) > 3]
    return len(words) >= 3 and sum(w[0].isupper() for w in words) >= 0.8 * len(words)


#: Signs that a number of three or more digits names a model rather than counting: glued to a
#: code ("777x", "787-9"), right after a count ("five 787 Dreamliner sales", "400 737 Max
#: jets"), or before a name and a singular noun that a count could not take ("its 737 Max jet").
_MODEL_CODE_RE = re.compile(r"(?<![\w.,$£€₩¥-])(\d{3,4})(?:([A-Za-z]{1,3})\b|-(\d{1,3})(?![\d,.]))")
_MODEL_AFTER_COUNT_RE = re.compile(
    rf"\b(?<![\d,])(?:\d[\d,]*|(?i:{_NUMBER_WORD}))\s+(\d{{3,4}})(?=\s+[A-Z][a-z]+\b)"
)
_MODEL_SINGULAR_RE = re.compile(
    r"(?<![\w.,$£€₩¥-])(?<!\d\s)(\d{3,4})\s+([A-Z][A-Za-z]+)\s+([a-z]{3,})\b(?!['’-])"
)
#: A model number written bare: the digits alone, not money, a part of a larger number or a range.
_BARE_DIGITS_RE = re.compile(r"(?<![\w.,$£€₩¥/-])\d{3,4}(?![\w,.%/-]|\s?(?:[-–]|to)\s?\d)")


def _model_numbers(text: str) -> frozenset[str]:
    """Numbers the article writes as names of models ("777x", "the 737 Max jet")."""
    found = set()
    for match in _MODEL_CODE_RE.finditer(text):
        letters, code = match.group(2), match.group(3)
        if (letters and not _attached_unit(letters)) or (code and int(code) < int(match.group(1))):
            found.add(match.group(1))
    found.update(match.group(1) for match in _MODEL_AFTER_COUNT_RE.finditer(text))
    for match in _MODEL_SINGULAR_RE.finditer(text):
        name, noun = match.group(2), match.group(3)
        if not any(_is_plural_word(word) or word in _NP_STOP for word in (name, noun)):
            found.add(match.group(1))
    return frozenset(number for number in found if not 1800 <= int(number) <= 2100)


def _blocked_mask(sentence: str, models: frozenset[str] = frozenset()) -> bytearray:
    mask = bytearray(len(sentence))
    if models:
        for match in _BARE_DIGITS_RE.finditer(sentence):
            if match.group(0) in models:
                mask[match.start() : match.end()] = b"\x01" * (match.end() - match.start())
    patterns = (
        _BLOCK_RES
        if _is_title_case(sentence)
        else (*_BLOCK_RES, _NAME_NUMBER_RE, _NAME_NUMBER_WORD_RE)
    )
    for pattern in patterns:
        for match in pattern.finditer(sentence):
            # A pattern with a "block" group blocks only that group, the rest is context.
            start, end = match.span("block") if "block" in pattern.groupindex else match.span()
            mask[start:end] = b"\x01" * (end - start)
    return mask


# --- numbers ---------------------------------------------------------------------------------


_Raw = tuple[int, int, str, "re.Match[str] | tuple[int, int, float]"]


def _raw_numbers(sentence: str) -> list[_Raw]:
    found: list[_Raw] = []
    for match in _WORDS_RE.finditer(sentence):
        found.extend(
            (start, end, "words", (start, end, value))
            for start, end, value in _number_word_chunks(sentence, match)
        )
    for kind, pattern in (
        ("digits", _DIGITS_RE),
        ("vague", _VAGUE_RE),
        ("vague", _VAGUE_ALONE_RE),
        ("fraction", _FRACTION_RE),
        ("ratio", _RATIO_RE),
        ("fold", _FOLD_RE),
        ("verb", _MULTIPLIER_VERB_RE),
        ("korean", _KOREAN_NUMBER_RE),
        ("slash", _SLASH_FRACTION_RE),
    ):
        found.extend((m.start(), m.end(), kind, m) for m in pattern.finditer(sentence))
    found.sort(key=lambda item: (item[0], -(item[1] - item[0])))
    chosen: list[_Raw] = []
    reach = -1
    for item in found:
        if item[0] >= reach:
            chosen.append(item)
            reach = item[1]
    return chosen


def _number_word_chunks(sentence: str, match: re.Match[str]) -> Iterable[tuple[int, int, float]]:
    """The numbers in a run of number words: "two or three" is two runs, "one two" two numbers."""
    tokens = [
        (m.group(0).lower(), m.start(), m.end())
        for m in _NUMBER_TOKEN_RE.finditer(sentence, match.start(), match.end())
    ]
    index = 0
    while index < len(tokens):
        window = [word for word, _start, _end in tokens[index : index + _MAX_NUMBER_WORDS]]
        value, used = _parse_number_words(window)
        if used == 0:
            index += 1
            continue
        yield tokens[index][1], tokens[index + used - 1][2], value
        index += used


def _quantities(
    sentence: str, models: frozenset[str], offset: int, rejected: list[Rejection] | None
) -> list[_Quantity]:
    quantities: list[_Quantity] = []
    raw = _raw_numbers(sentence)
    if not raw:
        return quantities  # most sentences hold no number: no mask of names and codes
    blocked = _blocked_mask(sentence, models)
    reach = 0
    for start, end, kind, match in raw:
        if start < reach:
            continue
        if any(blocked[start:end]):
            cut = blocked.find(1, start, end)
            shorter = _DIGITS_RE.match(sentence, start, cut) if kind == "digits" else None
            if shorter is None or not sentence[shorter.end() : cut].isspace():
                continue
            # "400 737 Max jets": a count before a blocked model number is not grouped with it.
            end, match = shorter.end(), shorter
        reason = _digit_run_problem(sentence[start:end])
        quantity = None if reason else _quantity(sentence, kind, match)
        if quantity is not None and not reason:
            reason = value_problem(quantity.value)
        if reason:
            logger.debug("number %r not kept: %s", sentence[start:end][:40], reason)
            if rejected is not None:
                rejected.append(
                    Rejection(reason, sentence[start:end], sentence, offset + start, offset + end)
                )
            reach = end
            continue
        if quantity is not None:
            quantities.append(quantity)
            reach = quantity.end
    return quantities


def value_problem(value: float | None) -> str | None:
    """Why a value cannot be a figure (``"not-finite"``, ``"too-large"``), or ``None``."""
    if value is None:
        return None
    if not math.isfinite(value):
        return "not-finite"
    if abs(value) > MAX_VALUE:
        return "too-large"
    return None


def _digit_run_problem(token: str) -> str | None:
    longest = max((len(run) for run in re.findall(r"\d+", token)), default=0)
    digits = sum(c.isdigit() for c in token)
    if longest > MAX_DIGITS or digits > MAX_DIGITS + 6:
        return "too-many-digits"
    return None


def _quantity(
    sentence: str, kind: str, found: re.Match[str] | tuple[int, int, float]
) -> _Quantity | None:
    if isinstance(found, tuple):
        return _word_quantity(sentence, *found)
    match = found
    start, end = match.span()
    if kind == "digits":
        return _digit_quantity(sentence, match)
    if kind == "korean":
        return _korean_quantity(sentence, match)
    if kind == "vague":
        phrase = " ".join(match.group(0).lower().split())
        magnitude = vague_magnitude(phrase)
        money, money_end = _unit_after(sentence, end + 1)
        if money in _MONEY_UNITS and sentence[end : end + 1].isspace():
            # "tens of millions of dollars": the vague magnitude of a sum of money.
            return _Quantity(start, money_end, magnitude, money, phrase, kind, True, money_end)
        return _Quantity(start, end, magnitude, None, phrase, kind, True, end)
    if kind == "fraction":
        return _fraction_quantity(sentence, match)
    if kind == "slash":
        return _slash_quantity(sentence, match)
    if kind == "verb":
        factor = float(_MULTIPLIER_VERBS[match.group(0).lower()])
        if match.group("pair"):
            # "a pair of missions": a count of what follows "of", like "dozens of".
            return _Quantity(start, end, factor, None, None, "pair", True, end, None)
        if match.group("alone"):
            # A standalone "twice": how many times something happened, of nothing named.
            return _Quantity(start, end, factor, "times", None, kind, True, end, None)
        verb = match.group("past") or match.group("modal")
        return _Quantity(start, end, factor, "times", None, kind, True, end, verb)
    if kind == "ratio":
        numerator = _word_or_digit(match.group(1))
        denominator = _word_or_digit(match.group(2))
        if numerator and denominator and numerator < denominator:
            share = round(100 * numerator / denominator, 2)
            return _Quantity(start, end, share, "%", None, kind, True, end, "of")
        return None
    prefix = match.group(1).lower()
    factor = _FOLD_WORDS.get(prefix) or (_parse_digits(prefix) if prefix[0].isdigit() else 0)
    if factor:
        return _Quantity(start, end, float(factor), "times", None, kind, True, end)
    return None


#: A fraction written with a slash, alone ("7/32") or after a whole number ("1-1/2").
_SLASH_FRACTION_RE = re.compile(
    r"(?<![\w/.,-])(?:(?P<whole>\d{1,3})-)?(?P<num>\d{1,2})/(?P<den>\d{1,3})(?![\w/.,-])"
)


def _slash_quantity(sentence: str, match: re.Match[str]) -> _Quantity | None:
    """A written fraction: a price move ("rose 7/32") or a mixed number ("a 1-1/2 year war")."""
    numerator, denominator = int(match.group("num")), int(match.group("den"))
    if not 0 < numerator < denominator:
        return None
    start, end = match.span()
    value = numerator / denominator
    if match.group("whole"):
        unit, unit_end = _unit_after(sentence, end + 1)
        if unit is None or not sentence[end : end + 1].isspace():
            return None
        value += int(match.group("whole"))
        return _Quantity(start, unit_end, value, unit, None, "digits", False, unit_end)
    if not _MOVE_BEFORE_RE.search(_left(sentence, start, 40)):
        return None  # a score, a ratio or a label, not an amount
    return _Quantity(start, end, value, None, None, "digits", False, end)


def vague_magnitude(phrase: str) -> float:
    """Lower bound of a vague plural chain: "hundreds of billions of" -> 1e11."""
    magnitude = 1.0
    for word in re.findall(r"[a-z]+", phrase.lower()):
        magnitude *= _VAGUE_WORDS.get(word, 1.0)
    return magnitude


def _korean_value(number: str) -> float | None:
    """ "3억1천만" -> 310,000,000; "3만4천" -> 34,000; "2,914" -> 2914; "1만만" -> None.

    Large scale words (만, 억, 조) must fall in value and small ones (백, 천) inside a group must
    fall too, as in any well-formed number; anything else is not a number.
    """
    total = group = 0.0
    pending: float | None = None
    last_large = math.inf
    last_small = math.inf
    for digits, scale in re.findall(r"(\d[\d,]*(?:\.\d+)?)|([백천만억조])", number):
        if digits:
            if pending is not None:
                return None
            pending = _parse_digits(digits)
            continue
        size = _KOREAN_SCALES[scale]
        if size < 1e4:
            if size >= last_small:
                return None
            last_small = size
            group += (pending if pending is not None else 1.0) * size
        else:
            if size >= last_large:
                return None
            last_large = size
            last_small = math.inf
            group += pending or 0.0
            total += (group or 1.0) * size
            group = 0.0
        pending = None
    return total + group + (pending or 0.0)


def _korean_quantity(sentence: str, match: re.Match[str]) -> _Quantity | None:
    start, end = match.span()
    number = match.group("scaled") or match.group("plain")
    value = _korean_value(number)
    if value is None:
        return None
    unit = _KOREAN_UNITS[match.group("unit") or match.group("plain_unit")]
    approx = "여" if match.group("about") or match.group("plain_about") else None
    before = re.search(r"(?:^|\s)(약|대략|최소|최대)\s*$", _left(sentence, start, 10))
    if before:
        approx = before.group(1)
        start -= len(before.group(0).lstrip())
    after = _KOREAN_APPROX_AFTER_RE.match(sentence, end)
    if after and approx is None:
        approx = after.group(0).strip().split()[-1]
    counted: str | None = None
    named_after = _KOREAN_COUNTED_AFTER_RE.match(sentence, end)
    if named_after and unit not in _TIME_UNITS:
        counted = named_after.group(1) or named_after.group(2)
    topic = _KOREAN_TOPIC_BEFORE_RE.search(_left(sentence, start, 40))
    if counted is None and topic and unit is None:
        counted = topic.group(1)
    scaled = any(c in number for c in _KOREAN_SCALES)
    return _Quantity(start, end, value, unit, approx, "korean", scaled, end, counted)


# The three readings of a Korean sentence below are made once per sentence, not once per
# figure: a sentence of thousands of figures read again for each was quadratic in its length.


@lru_cache(maxsize=64)
def _korean_source(sentence: str) -> str | None:
    """ "통일부에 따르면", "통일부가 15일 밝혔다": who a Korean sentence cites."""
    for pattern in _KOREAN_SOURCE_RES:
        found = pattern.search(sentence)
        if found:
            return found.group(1).strip()
    return None


def _korean_period(sentence: str, start: int) -> str | None:
    """The nearest time phrase before a Korean figure ("2024년", "올해 1월부터 9월까지")."""
    spans = _korean_periods(sentence)
    index = bisect.bisect_left(spans, (start,)) - 1  # the last phrase that begins before it
    if index >= 0 and spans[index][1] > start:
        # A phrase running past the figure's start (a figure inside a time phrase) is read
        # as it would be in the sentence cut at the figure.
        found = [m.group(0) for m in _KOREAN_PERIOD_RE.finditer(sentence, 0, start)]
        return found[-1] if found else None
    return spans[index][2] if index >= 0 else None


@lru_cache(maxsize=64)
def _korean_periods(sentence: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group(0)) for m in _KOREAN_PERIOD_RE.finditer(sentence)]


@lru_cache(maxsize=64)
def _korean_hedge(sentence: str) -> str | None:
    """ "추정된다", "것으로 보인다": how a Korean sentence hedges its figures."""
    found = re.search(r"(추정|추산|전망|보인다|알려졌다)", sentence)
    return found.group(1) if found else None


def _word_or_digit(token: str) -> float:
    token = token.lower()
    if token.isdigit():
        return float(token)
    return float(_SMALL_NUMBERS.get(token) or _SCALES.get(token) or 0)


def _parse_digits(token: str) -> float:
    return float(re.sub(r"[,\s\u00a0\u202f]", "", token))


def _digit_quantity(sentence: str, match: re.Match[str]) -> _Quantity | None:
    start, end = match.span()
    token = match.group(0)
    value = _parse_digits(token)
    left = _left(sentence, start, 40)
    if left.endswith("-") and re.search(r"[A-Za-z\d]-$", left):
        # "10-15 minutes", "$40-50 billion": the upper end of a hyphenated range is read; a
        # code ("787-9"), a score ("4-1") or a name ("Su-57") is not.
        low = _HYPHEN_LOW_RE.search(left)
        if (
            low is None
            or _parse_digits(low.group(1)) >= value
            or _is_score(sentence, start - len(low.group(0)), end)
        ):
            return None
    pair = _HYPHEN_HIGH_RE.match(sentence, end)
    if pair is not None and (
        _parse_digits(pair.group(1)) <= value or _is_score(sentence, start, pair.end())
    ):
        # "a 4-1 win", "787-9 jets", "led 14-7": a score or a code, not a range or a quantity.
        return None
    if _LABEL_BEFORE_RE.search(left) or _AGE_BEFORE_RE.search(left):
        return None
    unit: str | None = None
    currency = _CURRENCY_BEFORE_RE.search(left)
    if currency:
        code = currency.group("code")
        unit = _CURRENCY_SYMBOLS.get(currency.group("sym") or "") or _CURRENCY_CODES.get(code, code)
        start -= len(currency.group(0))
    scaled = False
    factor = 1.0
    multiplier = _MULTIPLIER_RE.match(sentence, end)
    if multiplier:
        name = next(g for g in multiplier.groups() if g).lower()
        if (multiplier.group("short") is None or unit is not None) and name in (
            *_SCALES,
            *_SUFFIX_MULTIPLIERS,
        ):
            factor = _SCALES.get(name) or _SUFFIX_MULTIPLIERS[name]
            value *= factor
            end = multiplier.end()
            scaled = True
    tight_end = end
    rest = sentence[end : end + 40]
    size = _SIZE_SUFFIX_RE.match(rest)
    if size and unit is not None and _HYPHENATED_RATE_RE.match(rest):
        # "a $110-a-share offer": a price per share, not the size of a thing.
        size = None
        rest = rest[rest.index(" ") :] if " " in rest else ""
    if size:
        suffix = size.group(1).lower()
        if suffix in _SIZE_SUFFIXES:
            end += size.end()
            hint = suffix if suffix in _MEMBER_SUFFIXES else None
            return _Quantity(start, end, value, unit, None, "size", scaled, end, hint, factor)
        if suffix in {"percent", "per"}:
            rest = rest[1:]
            end += 1
        elif suffix == "plus":
            end += size.end()
            return _Quantity(start, end, value, unit, "plus", "digits", scaled, end, None, factor)
        else:
            measure, measure_end = _unit_after(sentence, end + 1)
            if measure is None or measure in {"times", "%"}:
                return None
            if measure in _TIME_UNITS and not _DURATION_CLAIM_RE.match(sentence, measure_end):
                # "a 26-year-old", "a four-year high", "a 24-hour" at the end: no claim
                return None
            # "a 5,000-tonne destroyer" measures the destroyer; "a 24-hour curfew" is excluded.
            if _PRODUCT_NAME_RE.match(sentence, measure_end):
                # "the 16-inch MacBook Pro", "a 65-inch Samsung TV": a size in a product's name.
                return None
            end = measure_end
            return _Quantity(
                start, end, value, unit or measure, None, "size", scaled, end, None, factor
            )
    if rest[:1].isalpha() and not _attached_unit(rest):
        return None
    found_unit, unit_end = _unit_after(sentence, end)
    if found_unit is not None:
        if unit is None or found_unit not in _MONEY_UNITS:
            unit = unit or found_unit
            end = unit_end
    elif (
        unit is None
        and (points := _POINTS_RE.match(sentence, end))
        and _MOVE_BEFORE_RE.search(_left(sentence, start, 40))
    ):
        # "the Dow fell 102.2 points": the size of a move; "scored 24 points" counts points.
        unit, end = "points", points.end()
    elif scaled is False and _is_year(token, value, unit):
        return None
    if (
        unit in _TIME_UNITS
        and not scaled
        and _PERIOD_LEADIN_RE.search(_left(sentence, match.start(), 30))
    ):
        return None
    if unit == "times" and _is_occurrence(sentence, start, end):
        return _Quantity(start, end, value, None, None, "size", scaled, end, "times", factor)
    return _Quantity(start, end, value, unit, None, "digits", scaled, tight_end, None, factor)


_OR_TWO_BEFORE_RE = re.compile(r"\b(?:the\s+one|an?(?:\s+[\w-]+){1,2})\s+or\s+$", re.IGNORECASE)
_POINTS_RE = re.compile(r"\s+points?\b")
#: A verb of movement right before an amount: "fell 102.2 points", "was up about 3 points".
_MOVE_BEFORE_RE = re.compile(
    r"\b(?:rose|risen|fell|fallen|gained|lost|added|shed|dropped|climbed|declined|slipped|"
    r"jumped|advanced|eased|tumbled|slid|sank|dipped|rallied|surged|plunged|soared|up|down|"
    # A difference: "won by 30 points", "a margin of 20 points", "a lead of 5 points".
    r"higher|lower|by|(?:margin|lead|advantage|deficit)\s+of)\s+"
    r"(?:(?:" + "|".join(re.escape(a) for a in _APPROX_BEFORE) + r")\s+)?$",
    re.IGNORECASE,
)
#: What follows "N times" when it multiplies a quantity: "three times the rate", "ten times
#: faster", "five times as many", "four times more".
_MULTIPLE_AFTER_RE = re.compile(
    r"\s*(?:the|as|more|less|that|what|its|their|his|her|our|this|those|these|over|higher|"
    r"lower|larger|bigger|greater|smaller|[a-z]+er|[a-z]+ier)\b",
    re.IGNORECASE,
)


def _is_occurrence(sentence: str, start: int, end: int) -> bool:
    """Whether "N times" counts how often something happened ("scored four times")."""
    if _MULTIPLE_AFTER_RE.match(sentence, end):
        return False
    return not re.search(r"\b(?:by|to|of|than)\s+$", _left(sentence, start, 10), re.IGNORECASE)


#: A product name after a size: two capitalised words or one with a capital inside ("MacBook").
#: What a hyphenated duration must be followed by to be a claim of its own ("a five-year
#: sentence", "a 10-minute hold up", "a two-day trial"): a noun, not "-old" (an age) and not a
#: level it places in time ("a four-year high", "a 10-year low").
_DURATION_CLAIM_RE = re.compile(
    r"(?!-|s?-old\b)[ ](?!(?:high|low|peak|record|best|worst|lows|highs"
    # a maturity that names a security ("10-year notes", "three-month aluminum")
    r"|notes?|bonds?|bills?|treasur(?:y|ies)|yields?|gilts?|bunds?|swaps?|futures|paper|debt"
    r"|aluminium|aluminum|copper|nickel|zinc|tin|lead|rates?|libor)\b)(?:[a-z][\w-]*)",
    re.IGNORECASE,
)
_PRODUCT_NAME_RE = re.compile(r"\s+(?:[A-Z][a-z]*[A-Z]\w*|i[A-Z]\w*|[A-Z]\w*\s+[A-Z0-9]\w*)")
#: The lower end of a hyphenated range before its upper end: "10-" of "10-15 minutes".
_HYPHEN_LOW_RE = re.compile(r"(?<![\w.,/-])\$?(\d{1,3}(?:,\d{3})*(?:\.\d+)?)-$")
#: The upper end of a hyphenated pair after its lower end: "-15" of "10-15 minutes".
_HYPHEN_HIGH_RE = re.compile(r"-(\d{1,3}(?:,\d{3})*(?:\.\d+)?)(?![\d/.-]|,\d)")
#: Words around a hyphenated pair that make it a result: "won 3-2", "a 2-3 loss".
_SCORE_BEFORE_RE = re.compile(
    r"\b(?:won|win|wins|lost|lose|loses|beat|beats|led|leads|trailed|trails|drew|draw|tied|"
    r"defeated|edged|rolled\s+past|scored|score|scoreline)\s+(?:[a-z][\w.]*,?\s+){0,3}$",
    re.IGNORECASE,
)
_SCORE_AFTER_RE = re.compile(
    r"[\d-]*\s+(?:win|wins|victory|loss|losses|defeat|lead|record|draw|tie|vote|decision|"
    r"margin|bulge|advantage|scoreline|triumph|rout|thrashing)\b",
    re.IGNORECASE,
)


def _is_score(sentence: str, pair_start: int, pair_end: int) -> bool:
    """Whether the hyphenated pair at ``sentence[pair_start:pair_end]`` is a result or a tally."""
    return bool(
        _SCORE_BEFORE_RE.search(_left(sentence, pair_start, 60))
        or _SCORE_AFTER_RE.match(sentence, pair_end)
    )


def _attached_unit(rest: str) -> bool:
    """Letters glued to digits are a unit or multiplier ("5km", "$1.2bn"), else a model name."""
    word = re.match(r"[A-Za-z²³/]+", rest)
    if word is None:
        return True
    if word.group(0).lower() in _SUFFIX_MULTIPLIERS:
        return True
    # Matched as written, after a digit: "60W" and "120Hz" are units, "60w" and "HZ" are not.
    glued = "0" + word.group(0)
    return any(
        (found := pattern.match(glued, 1)) is not None and found.end() == len(glued)
        for pattern, _ in _UNIT_RES
    )


def _unit_after(sentence: str, position: int) -> tuple[str | None, int]:
    for pattern, unit in _UNIT_RES:
        found = pattern.match(sentence, position)
        if found:
            if not unit:
                return found.group(0).strip().upper(), found.end()
            return unit, found.end()
    return None, position


def _is_year(token: str, value: float, unit: str | None) -> bool:
    return unit is None and token.isdigit() and len(token) == 4 and 1800 <= value <= 2100


def _word_quantity(
    sentence: str, start: int, end: int, value: float, *, quantifier: bool = True
) -> _Quantity | None:
    words = [w.lower() for w in _NUMBER_TOKEN_RE.findall(sentence, start, end)]
    used = len(words)
    number_start = start
    left = _left(sentence, start, 40)
    half = _AND_A_HALF_RE.match(sentence, end)
    if half and words[-1] not in _SCALES:
        # "two and a half years", "lost by five-and-a-half points"
        value, end = value + 0.5, half.end()
    article = _ARTICLE_BEFORE_RE.search(left) if words[0] in _SCALES else None
    if article:
        # "a dozen", "a million": the article is the count.
        start -= len(article.group(0))
    rest = sentence[end : end + 40]
    if rest.startswith("-") and not re.match(r"-\d", rest):
        size = _SIZE_SUFFIX_RE.match(rest)
        if size and value != 1 and not _DEFINITE_BEFORE_RE.search(left):
            # "a five-year sentence", "a two-day trial": a duration of a thing ("the five-year
            # plan" names the plan, as "the two leaders" a known set)
            measure, measure_end = _unit_after(sentence, end + 1)
            if measure in _TIME_UNITS and _DURATION_CLAIM_RE.match(sentence, measure_end):
                return _Quantity(start, measure_end, value, measure, None, "size", False, end)
        if not (size and size.group(1).lower() in _SIZE_SUFFIXES):
            return None
        suffix = size.group(1).lower()
        if suffix in _PART_SUFFIXES and value == 1:
            # "a one-game suspension", as the lone "one".
            return None
        end += size.end()
        hint = suffix if suffix in _MEMBER_SUFFIXES else None
        return _Quantity(start, end, value, None, None, "size", False, end, hint)
    if left.endswith("-") or _LABEL_BEFORE_RE.search(left) or _AGE_BEFORE_RE.search(left):
        return None
    vague = (
        re.search(r"\b(?:several|a\s+few|many)\s+$", left, re.IGNORECASE)
        if words[0] in _SCALES and quantifier
        else None
    )
    if vague and all(word in _SCALES for word in words[:used]):
        # "several hundred people", "a few thousand workers", "several hundred thousand": the
        # scale words are the lower bound, the quantifier its approximation, as "hundreds of"
        # (the real-news labels); a qualifier before it stays ("at least several hundred").
        found = _word_quantity(sentence, start, end, value, quantifier=False)
        if found is None:
            return found
        lead = " ".join(vague.group(0).lower().split())
        if found.approx is not None:
            return found
        return replace(found, start=start - len(vague.group(0)), approx=lead)
    if vague:
        return None
    single = used == 1 and words[0] not in _SCALES
    if (
        single
        and value <= 10
        and (_DEFINITE_BEFORE_RE.search(left) or _KNOWN_SET_BEFORE_RE.search(left))
        and not re.search(rf"\b(?!one\b)(?:\d+|{_NUMBER_WORD})\s+of\s+the\s+$", left, re.IGNORECASE)
    ):
        # "the two leaders", "the earlier two" refer to a known set; "three of the five
        # launches" counts them (but "one of the two main forms" does not).
        return None
    if (
        single
        and value == 1
        and not re.match(rf"\s+(?:or|to)\s+(?:{_NUMBER_WORD})\b", rest, re.IGNORECASE)
    ):
        return None
    if single and value == 2 and _OR_TWO_BEFORE_RE.search(left):
        # "a chicken wing or two", "the one or two indulgences": a vague few, as "an app or
        # two" ("fired one or two shells" stays a range).
        return None
    unit, unit_end = _unit_after(sentence, end)
    if unit in _TIME_UNITS and _PERIOD_LEADIN_RE.search(_left(sentence, number_start, 30)):
        return None
    factor = _SCALES[words[-1]] if words[-1] in _SCALES and _SCALES[words[-1]] >= 1e3 else 1.0
    if unit == "times" and _is_occurrence(sentence, start, unit_end):
        return _Quantity(start, unit_end, value, None, None, "size", False, end, "times", factor)
    if unit is not None:
        return _Quantity(start, unit_end, value, unit, None, "words", False, end, None, factor)
    if (points := _POINTS_RE.match(sentence, end)) and _MOVE_BEFORE_RE.search(
        _left(sentence, number_start, 40)
    ):
        # "lost by five-and-a-half points": a difference in points, as with digits.
        return _Quantity(start, points.end(), value, "points", None, "words", False, end)
    return _Quantity(start, end, value, None, None, "words", False, end, None, factor)


def _parse_number_words(words: Sequence[str]) -> tuple[float, int]:
    """Value of the longest well-formed prefix of number words, and how many words it used."""
    total = 0.0
    current = 0.0
    used = 0
    last_small: float | None = None
    pending_and = False
    for index, word in enumerate(words):
        if word == "and":
            if last_small is not None or used == 0:
                break
            pending_and = True
            continue
        if word in _SMALL_NUMBERS:
            small = float(_SMALL_NUMBERS[word])
            if last_small is not None and not (
                last_small >= 20 and last_small % 10 == 0 < small < 10
            ):
                break
            current += small
            last_small = small
        elif word in _SCALES:
            if pending_and:
                break
            scale = _SCALES[word]
            if scale <= 100.0:
                current = (current or 1.0) * scale
            else:
                total += (current or 1.0) * scale
                current = 0.0
            last_small = None
        else:
            break
        pending_and = False
        used = index + 1
    return total + current, used


_FRACTION_OF_SCALE_RE = re.compile(
    r"\s+(?:of\s+)?an?\s+(dozen|hundred|thousand|million|billion|trillion)\b", re.IGNORECASE
)


def _fraction_quantity(sentence: str, match: re.Match[str]) -> _Quantity | None:
    start, end = match.span()
    numerator_word = (match.group(1) or "").lower()
    denominator = match.group(2).lower().rstrip("s")
    if denominator == "halve":
        denominator = "half"
    if denominator != "half" and not numerator_word:
        return None
    numerator = 1.0 if numerator_word in ("", "a", "one") else float(_SMALL_NUMBERS[numerator_word])
    scale = _FRACTION_OF_SCALE_RE.match(sentence, end)
    if scale is not None:
        # "half a million dollars", "a quarter of a billion": a share of a round number.
        value = numerator * _FRACTIONS[denominator] / 100 * _SCALES[scale.group(1).lower()]
        unit, unit_end = _unit_after(sentence, scale.end())
        if unit is not None and unit not in _MONEY_UNITS and unit != _BARE_WON:
            unit, unit_end = None, scale.end()
        return _Quantity(start, unit_end, value, unit, None, "words", False, scale.end())
    share = round(numerator * _FRACTIONS[denominator], 2)
    if share >= 100:
        return None
    if re.search(
        r"\b(?:the|first|second|last|latter|former|other|(?:north|south|east|west)(?:ern)?|"
        r"upper|lower)\s+$",
        _left(sentence, start, 20),
        re.I,
    ):
        return None
    followed_by_of = re.match(r"\s+of\b", sentence[end : end + 6]) is not None
    approx_before = _APPROX_BEFORE_RE.search(_left(sentence, start, 40)) is not None
    if not (followed_by_of or approx_before):
        return None
    return _Quantity(start, end, share, "%", None, "fraction", True, end, "of")


_NOT_RANGE_KINDS = frozenset({"vague", "fraction", "ratio", "fold", "size", "verb", "pair"})


# --- ranges -----------------------------------------------------------------------------------


def _join_range(
    sentence: str, first: _Quantity, second: _Quantity
) -> tuple[float, float | None, str | None] | None:
    if first.kind in _NOT_RANGE_KINDS:
        return None
    if second.kind in _NOT_RANGE_KINDS:
        return None
    connector = _RANGE_CONNECTOR_RE.match(sentence, first.end)
    if connector is None:
        connector = _RANGE_CONNECTOR_RE.match(sentence, first.tight_end)
        if connector is None or first.unit not in (None, "%"):
            return None
    gap = sentence[connector.end() : second.start]
    if gap.strip() and gap.strip() not in _CURRENCY_SYMBOLS:
        return None
    if second.start < connector.end() - 1 or second.start > connector.end() + 4:
        return None
    word = connector.group(1).lower()
    left = _left(sentence, first.start, 60)
    approx = _APPROX_BEFORE_RE.search(left)
    left_core = left[: approx.start()] if approx else left
    if word == "and" and not re.search(r"\bbetween\s+$", left_core, re.IGNORECASE):
        return None
    if word == "to" and (
        _CHANGE_FROM_RE.search(left_core) or re.search(r"\bby\s+$", left_core, re.IGNORECASE)
    ):
        # "rose from 5 to 9", "down by 30 to 126": a change and the level it reached.
        return None
    tight = word in {"–", "—", "-"}
    low, high = first.value, second.value
    if (
        second.multiplier > 1
        and first.multiplier == 1
        and first.kind == second.kind
        and low * second.multiplier <= high
    ):
        # "15 to 20 million won": the multiplier written once applies to both ends.
        low *= second.multiplier
    unit: str | None
    if first.unit and second.unit:
        if first.unit != second.unit:
            return None
        unit = first.unit
    elif first.unit:
        if not tight:
            return None
        unit = first.unit
    else:
        unit = second.unit
    if high <= low:
        return None
    if low == 0 and (word == "to" or (tight and unit in {"mph", "km/h"})):
        # "0 to 60 miles per hour", "0-62 mph": a specification's starting point, only the end
        # is claimed.
        return high, None, unit
    return low, high, unit


# --- counted noun phrase ------------------------------------------------------------------------


def _counted(
    sentence: str,
    first: _Quantity,
    last: _Quantity,
    unit: str | None,
    periods: Sequence[tuple[int, int, str, bool]],
    start: int,
) -> tuple[str | None, int]:
    position = last.end
    period_starts = {span[0] for span in periods}
    approx_after = _APPROX_AFTER_RE.match(sentence, position)
    if approx_after and approx_after.group(1):
        # "a million or more Uighurs": the approximation stands between number and noun.
        position = approx_after.end()
    if first.kind == "size":
        if first.counted_hint:
            return first.counted_hint, position
        lead = _SIZE_LEAD_RE.match(sentence, position)
        if lead and _DETERMINER_LEAD_RE.search(_left(sentence, first.start, 40)):
            # "the 25-ton, unmarked truck", "a 75-minute long non-verbal play": the size and
            # the other modifiers of one noun.
            phrase, np_end = _noun_phrase_after(sentence, lead.end(), period_starts)
            if phrase:
                return phrase, np_end
        return _noun_phrase_after(sentence, position, period_starts)
    if first.kind == "verb":
        return _counted_by_multiplier_verb(sentence, first), position
    if first.kind == "korean":
        # Set from the particles around the number (see _korean_quantity).
        return first.counted_hint, position
    if unit in _LENGTH_UNITS:
        if _DISTANCE_AFTER_RE.match(sentence, position):
            # "Guam is 3,380 kilometers from North Korea": a distance between places.
            return None, position
        dimension = _DIMENSION_AFTER_RE.match(sentence, position)
        if dimension:
            # "a 330 foot long vessel", "a fence about eight feet tall": what is that long.
            before = _NOUN_BEFORE_MEASURE_RE.search(_left(sentence, start, 60))
            if before and before.group(1).lower() not in _NP_STOP:
                return before.group(1), position
            after = _BARE_NOUN_AFTER_RE.match(sentence, dimension.end())
            if after and after.group(1) not in _NP_STOP:
                return after.group(1), position
            return None, position
    phrase, np_end = None, position
    share_rate: re.Match[str] | None = None
    if unit is not None and (converted := _CONVERTED_AFTER_RE.match(sentence, position)):
        # "about 2 inches (50.8 millimeters) of rain": past the value converted in brackets.
        position = np_end = converted.end()
    of = _OF_AFTER_RE.match(sentence, position)
    if first.kind in ("vague", "pair"):
        # "dozens of the Chibok schoolgirls": the determiner after "of" is passed over.
        determiner = re.match(
            r"\s+(?:the|its|their|his|her|our|these|those)(?=\s)", sentence[position:]
        )
        start_np = position + (determiner.end() if determiner else 0)
        if first.kind == "pair" and of:
            start_np = of.end()
        elif (
            unit in _MONEY_UNITS
            and (bare_in := _MONEY_IN_RE.match(sentence, position))
            and not _DETERMINER_RE.match(sentence, bare_in.end())
        ):
            # "billions of dollars in tariff money": what the sum is, as after "$3 billion".
            start_np = bare_in.end()
        phrase, np_end = _noun_phrase_after(sentence, start_np, period_starts)
        if phrase and unit in _MONEY_UNITS and not phrase.split()[-1][:1].islower():
            phrase, np_end = None, position  # "millions of dollars in Seoul": a place
    elif of and (unit is not None or first.counted_hint or of.group(1)):
        phrase, np_end = _noun_phrase_after(sentence, of.end(), period_starts)
    elif unit is None and (copula := _COPULA_AFTER_RE.match(sentence, position)):
        phrase, np_end = _noun_phrase_after(sentence, copula.end(), period_starts)
        head = phrase.split()[-1] if phrase else ""
        if phrase and not (_is_plural(head) or head.lower() in _IRREGULAR_PLURALS):
            # "5 are missing", "3 were dead": a state, not a kind of thing counted.
            phrase, np_end = None, position
    elif unit in {"%", "times"} and (comparison := _COMPARATIVE_AFTER_RE.match(sentence, position)):
        if comparison.group(1).lower() not in {"more", "less"}:
            # "50% higher thrust": the noun the comparison qualifies; "60 percent more
            # expensive" compares an adjective, whose subject is found below.
            phrase, np_end = _noun_phrase_after(sentence, comparison.end(), period_starts)
    elif unit == "%" and (owner := _OBJECT_AFTER_RE.match(sentence, position)):
        # "lost half its value"
        phrase, np_end = _noun_phrase_after(sentence, owner.end(), period_starts)
    elif unit in _MONEY_UNITS:
        # "$3 billion in crypto assets", but not "$600 million in a single heist".
        share_rate = _SHARE_RATE_RE.match(sentence, position)
        if share_rate:
            # "$82 per share offer", "$60 per share in cash": what follows the price per share.
            position = share_rate.end()
        elif hyphen_rate := _HYPHENATED_RATE_RE.match(sentence, position):
            # "Disney's $6.99-a-month service": the price of the noun after the rate.
            position = hyphen_rate.end()
        bare_in = _MONEY_IN_RE.match(sentence, position)
        paid_for = None if share_rate else _MONEY_FOR_RE.match(sentence, position)
        if bare_in and not _DETERMINER_RE.match(sentence, bare_in.end()):
            phrase, np_end = _noun_phrase_after(sentence, bare_in.end(), period_starts)
            if phrase and not phrase.split()[-1][:1].islower():
                # "$5 million in Seoul" names a place; "$22 in Broadcom stock" names the stock.
                phrase, np_end = None, position
        elif _named_before_of(_left(sentence, start)):
            pass  # "a monthly wage of 40,000 won buys little": named before, found below
        elif paid_for:
            # "pay Rs 300 for fresh air", "$1 billion for some of the shares": what is bought.
            phrase, np_end = _noun_phrase_after(sentence, paid_for.end(), period_starts)
        elif not _RATE_AFTER_RE.match(sentence, position):
            phrase, np_end = _noun_phrase_after(sentence, position, period_starts)
            if phrase and phrase.split()[-1].lower().rstrip("s") in _TIME_NOUN_WORDS:
                # "compared with 8,000 won two years ago": when, not what.
                phrase, np_end = None, position
        elif spent_on := _RATE_SPENT_ON_RE.match(sentence, position):
            # "spending $20 billion a year on AR and VR technologies": what the sum is spent on.
            phrase, np_end = _noun_phrase_after(sentence, spent_on.end(), period_starts)
    elif unit not in _TIME_UNITS:
        phrase, np_end = _noun_phrase_after(sentence, position, period_starts)
    elif confined := _CONFINED_AFTER_RE.match(sentence, position):
        # "three years in prison": the time is spent in the place that follows.
        phrase = confined.group(1).lower()
    elif _SINGULAR_TIME_END_RE.search(sentence, max(0, position - 8), position):
        # "an 11 hour flight", "a billion year elliptic orbit": the time is the noun's length.
        phrase, np_end = _noun_phrase_after(sentence, position, period_starts)
    if (
        phrase is None
        and unit in _MONEY_UNITS
        and _DETERMINER_BEFORE_RE.search(_left(sentence, start, 12))
        and (noun := _BARE_NOUN_AFTER_RE.match(sentence, position))
        and noun.group(1) not in _NP_FUNCTION_WORDS
    ):
        # "a $5 billion hit to profits": after an article the sum modifies the noun that follows,
        # even one that can be a verb.
        phrase = noun.group(1)
    if (
        phrase is None
        and unit in _MONEY_UNITS
        and (paid_as := _PAID_AS_RE.match(sentence, position))
    ):
        # "1 million pounds ($56,270) as compensation": what the money is paid as.
        phrase = paid_as.group(1)
    if phrase is not None and unit in {"%", "times"}:
        change_in = _CHANGE_IN_RE.match(sentence, np_end)
        if change_in and phrase.split()[-1].lower() in _CHANGE_NOUNS:
            # "a 96 percent drop in operating income": what dropped, not the drop.
            measured, measured_end = _noun_phrase_after(sentence, change_in.end(), period_starts)
            if measured:
                phrase, np_end = measured, measured_end
    if phrase is not None and _TIME_WORD_RE.fullmatch(phrase.split()[-1]):
        # "up 39 percent year-to-date", "closed on Tuesday at $185": when, not what.
        phrase, np_end = None, position
    if (
        phrase is None
        and (noun := _NOUN_BEFORE_DASH_RE.search(_left(sentence, start, 40)))
        and _DASH_AFTER_RE.match(sentence, position)
        and noun.group(1).lower() not in _NP_STOP
    ):
        # "a life sentence -- 25 years --", "twice the payload — 119,000 pounds —": a figure
        # set off by dashes after a noun restates that noun.
        phrase = noun.group(1)
    if (
        phrase is None
        and unit is not None
        and unit not in _MONEY_UNITS
        and unit not in {"%", "times"}
        and (subject := _MEASURE_SUBJECT_RE.search(_left(sentence, start, 80)))
        and _CLAUSE_END_AFTER_RE.match(sentence, position)
    ):
        # "Top speed is an electronically-limited 124 mph", "the flight was 86 minutes": the
        # subject of the copula is what is measured.
        phrase = _subject_np(subject.group("np") or subject.group("np2"))
    if (
        phrase is None
        and unit is not None
        and unit not in _MONEY_UNITS
        and unit not in {"%", "times"}
        and unit not in _TIME_UNITS
        and (named := _MEASURE_OF_RE.search(_left(sentence, start, 60)))
        and named.group("np").split()[-1].lower() not in _NP_STOP | _NO_MEASURE_NAME
        # the bare form only where the value opens with its approximation: "a top speed over
        # 250mph"
        and (
            named.group("of")
            or (
                _APPROX_START_RE.match(sentence, start)
                and named.group("det").lower() in {"a", "an"}
                and named.group("np").islower()
                # (no past tense: "the missile travelled around 1,677 miles"; "speed" is none)
                and not any(
                    len(word) > 4 and word.endswith("ed") and not word.endswith("eed")
                    for word in named.group("np").split()
                )
            )
        )
    ):
        # "a top speed of over 250mph", "a range of 1,000 kilometres": the measure named before
        # "of" is what the value is.
        phrase = named.group("np")
    if (
        phrase is None
        and unit in _MONEY_UNITS
        and (offer := _OFFER_BEFORE_RE.search(_left(sentence, start, 120)))
    ):
        # "Sonos Move for $400", "Deal: PS4 DualShock Controller in Crystal for $39.99": an offer
        # line prices the product it names.
        phrase = offer.group("np")
    if (
        phrase is None
        and unit in _MONEY_UNITS
        and (bought := _FOR_SUM_BEFORE_RE.search(_left(sentence, start, 120)))
        and (price_of := _trailing_noun(bought.group("np")))
        and price_of.split()[-1].islower()
        and (
            determined := _OWNER_END_RE.search(
                bought.group("np"), 0, bought.group("np").rfind(price_of)
            )
        )
        and not determined.group("preposition")
    ):
        # "its offer to acquire Qualcomm for more than $121 billion", "the agency's 2020 budget
        # request for $22.6bn": the sum is the price of the noun before "for".
        phrase = price_of
    if phrase is None:
        phrase = _counted_before(sentence, start)
    if phrase is None and share_rate and share_rate.group("share"):
        # "$2.53 per diluted share" with nothing named for it: the price of one share.
        phrase = share_rate.group("share")
    if phrase is None and unit is None and first.kind in {"digits", "words"}:
        state = _STATE_AFTER_RE.match(sentence, position)
        if state:
            # "59 are dead and more than 500 were injured", "Florida club: 49 killed": the
            # number names no noun; what happened to those counted is what it counts.
            phrase = (state.group("state") or state.group("bare")).lower()
    return phrase, np_end


# A perfect passive ("15,000 have been deployed in total", "of those, 4,700 have been killed")
# sums up a group the text named before, so it does not name what is counted.
_STATE_AFTER_RE = re.compile(
    r"\s+(?:(?:are|were|is|was)\s+(?:now\s+)?"
    r"(?P<state>dead|missing|hurt|[a-z]{3,}ed)\b(?!\s+to\b)"
    r"|(?!(?:based|compared|located)\b)"
    r"(?P<bare>dead|missing|hurt|[a-z]{3,}ed)(?=\s*(?:[,.;:!?]|$)|\s+(?:and|in|at|on|during|"
    r"after|when|by|near|as)\b))",
)
#: A noun phrase, maybe with its complement ("of EMC", "to acquire Qualcomm"), then "for" and a
#: sum's approximation, before a sum of money.
_FOR_SUM_BEFORE_RE = re.compile(
    r"(?P<np>[^,;:()]{1,60}?)(?:\s+(?:of|to\s+[a-z]+)(?:\s+(?:the\s+)?[A-Z][\w.&'’-]*){1,4})?"
    r"\s+for\s+(?:(?:about|around|roughly|nearly|some|almost|just|more\s+than|less\s+than"
    r"|up\s+to|over|under)\s+)?$"
)
#: A determiner or an owner right before a noun ("its offer", "Dell's acquisition", "the
#: agency's 2020 budget request"); one governed by a preposition ("on the hook") is marked.
_OWNER_END_RE = re.compile(
    r"(?:^|\s)(?:(?P<preposition>on|in|at|under|off|by|with|into|onto|from|of|to|for|over"
    r"|through|across|via|about|around|near|behind|after|before|during|within|without|against"
    r"|toward|towards|upon|between|among|per)\s+)?"
    # (a contraction is no owner: "That's good for nearly $600 off")
    r"(?:the|a|an|its|their|his|her|our|this|that"
    r"|(?!(?:that|it|what|there|here|he|she|who|where|which|everyone|nobody)['’]s)[\w.&-]+['’]s)"
    r"\s+(?:\d+\s+)?$",
    re.IGNORECASE,
)
_NOUN_BEFORE_DASH_RE = re.compile(r"\b([a-z]{3,})\s*(?:--|[—–])\s*$")
_DASH_AFTER_RE = re.compile(r"\s*(?:--|[—–])")
#: Between a size and the rest of its noun phrase: a comma or a dimension word.
_SIZE_LEAD_RE = re.compile(rf"\s*,(?=\s+[a-z])|\s+{_DIMENSION_WORDS}(?=\s+[a-z])")
#: A determiner, maybe with one modifier, before a size: "the ", "an all-new ".
_DETERMINER_LEAD_RE = re.compile(r"\b(?:a|an|the|its|their|his|her|our)\s+(?:[\w-]+\s+)?$", re.I)
_CONFINED_AFTER_RE = re.compile(r"\s+(?:in|behind)\s+(prison|jail|detention|custody|bars)\b", re.I)
_PAID_AS_RE = re.compile(
    r"(?:\s*\([^()]{1,40}\))?\s+(?:each\s+)?(?:as|in)\s+(?:a\s+|an\s+)?"
    r"(compensation|damages|bail|fines?|ransom|bribes?|reward|bonus|aid|penalty|fees?)\b",
    re.IGNORECASE,
)


def _acronym(sentence: str, token: str, end: int) -> bool:
    """Whether an all-capitals word is an acronym inside a phrase ("North Korean IT workers",
    "US troops"), not a stop word of a line set in capitals ("50 OF THE GIRLS")."""
    following = _NP_WORD_RE.match(sentence, end + 1)
    return (
        2 <= len(token) <= 4
        and token.isupper()
        and following is not None
        and not following.group(0).isupper()
    )


def _noun_phrase_after(
    sentence: str, position: int, period_starts: set[int]
) -> tuple[str | None, int]:
    """The counted noun phrase starting at ``position``, and where it ends."""
    restated = _RESTATEMENT_AFTER_RE.match(sentence, position)
    if restated:
        # "The $200,000 (£151,000) sports car": the same sum in another currency is passed over.
        position = restated.end()
    position = _skip_possessive_quantity(sentence, position)
    tokens: list[str] = []
    end = cursor = position
    while len(tokens) < 7:
        gap = re.match(r"\s+", sentence[cursor : cursor + 8])
        if tokens and not gap:
            break
        word_start = cursor + (gap.end() if gap else 0)
        code = _NAME_CODE_RE.match(sentence, word_start)
        if code and ((tokens and tokens[-1][:1].isupper()) or sentence[code.end(1)].isupper()):
            # "Airbus A350-900 jets", "the 787-9 Dreamliner jets": a model code beside a
            # capitalised name is part of the name, not a number or the end of the phrase.
            cursor = code.start(1)
            continue
        word = _NP_WORD_RE.match(sentence, word_start)
        if word is None or word_start in period_starts:
            break
        token = word.group(0)
        lower = token.lower().rstrip("'’")
        if _CONTRACTION_RE.search(lower):
            break  # "the online information you're seeing": a clause starts
        if tokens and _is_plural(lower) and _OBJECT_AFTER_RE.match(sentence, word.end()):
            break  # "a four-cylinder engine replaces the previous one": a verb and its object
        if (
            lower in {"and", "or"}
            and tokens
            and not _is_plural_word(tokens[-1])
            and (joined := _JOINED_HEAD_RE.match(sentence, word.end()))
            and not any(
                w.lower() in _NP_STOP or w.lower() in NUMBER_WORDS for w in joined.group(1).split()
            )
        ):
            # "18 Northern and central California counties": modifiers joined before one head.
            tokens += [lower, *joined.group(1).split()]
            end = joined.end()
            break
        if (
            lower in _NP_VERB_WORDS
            and (not tokens or not _is_plural_word(tokens[-1]))
            and (following := _NP_WORD_RE.match(sentence, word.end() + 1)) is not None
            and sentence[word.end() : word.end() + 1] == " "
            and _is_plural(following.group(0))
            and following.group(0).lower() not in _NP_STOP
        ):
            # "subway work trains", "two fire engines": a noun before the plural head.
            tokens.append(token)
            cursor = end = word.end()
            continue
        if (lower in _NP_STOP and not _acronym(sentence, token, word.end())) or (
            lower in NUMBER_WORDS or token in _NP_DIRECTIONS
        ):
            break
        if lower.endswith("ly") and lower not in _NP_ADVERB_EXCEPTIONS:
            if tokens or not _ADVERB_MODIFIER_RE.match(sentence, word.end()):
                break
            # "highly enriched uranium", "two highly critical reports": the adverb and the
            # adjective describe the noun after them.
            cursor = end = word.end()
            continue
        if (
            tokens
            and not token.isupper()
            and lower.endswith(("ed", "ing"))
            and lower not in _NP_ED_NOUNS
            and lower not in _NP_ING_NOUNS
            and not (
                # "three different sized tips": a participle inside the phrase, before its head
                lower.endswith("ed")
                and not _is_plural_word(tokens[-1])
                and (following := _NP_WORD_RE.match(sentence, word.end() + 1)) is not None
                and sentence[word.end() : word.end() + 1] == " "
                and _is_plural(following.group(0))
                and following.group(0).lower() not in _NP_STOP
            )
        ):
            break
        if (
            tokens
            and _is_plural_word(tokens[-1])
            and tokens[-1].lower() not in _PLURAL_MODIFIERS
            and not (
                tokens[-1][:1].isupper()
                and not _AFTER_COUNT_RE.search(sentence, max(0, position - 24), position)
            )
            and not _is_plural(token)
        ):
            # A plural closes a compound ("artillery shells"); what follows it is a verb
            # ("drones struck"), unless it is another plural ("special forces troops"). A
            # capitalised word in -s is a plural right after a count ("a million Uighurs
            # began"), elsewhere a name ("the Emirates fleet", "an elliptic Mars orbit").
            break
        tokens.append(token)
        cursor = end = word.end()
        if lower in _NP_CONTAINERS or (len(tokens) == 1 and lower in _TIME_PLURALS):
            # "the number of markets", "fifteen minutes of pure air": what the container holds.
            of = _CONTAINER_OF_RE.match(sentence, cursor)
            if of:
                return _noun_phrase_after(sentence, of.end(), period_starts)
            participle = re.match(r"\s+([a-z]+)\b", sentence[cursor : cursor + 20])
            if participle and participle.group(1) in _CONTAINER_PARTICIPLES:
                tokens.append(participle.group(1))
                end = cursor + participle.end()
                break
        if sentence[cursor : cursor + 1] not in (" ", "\u00a0", "\t", "\n"):
            break
    while tokens and tokens[0].lower().endswith(("ed", "ing")):
        if len(tokens) == 1:
            if tokens[0].lower().endswith("ed"):
                tokens = []
            break
        if tokens[0].lower().endswith("ing"):
            break
        tokens = tokens[1:]
    if (
        len(tokens) == 1
        and tokens[0].lower().endswith("ing")
        and tokens[0].lower() not in _NP_ING_NOUNS
        and _VERB_OBJECT_AFTER_RE.match(sentence, end)
    ):
        # "gained 0.02% eking out its seventh gain": a participle with its particle or object.
        return None, position
    tokens = _strip_leading_modifiers(tokens)
    if not tokens or (tokens[0][:1].isupper() and sentence[end : end + 1] == ":"):
        # "RRP: £23.99 More info: www…": a capitalised label opens the next field of a line.
        return None, position
    return " ".join(tokens), end


_CONTRACTION_RE = re.compile(r"['’](?:re|ve|ll|d|m)$|n['’]t$")
#: After "and" in a counted phrase: words up to a plural head.
_JOINED_HEAD_RE = re.compile(r"\s+((?:[A-Za-z][\w-]*\s+){0,3}[a-z][\w-]*[^s\W]s)\b(?![-'’])")
#: A particle or a determiner after a word in -ing: the word is a participle ("eking out",
#: "leaving the"), not a noun.
_VERB_OBJECT_AFTER_RE = re.compile(r"\s+(?:out|up|down|off|its|their|his|her|our|the|a|an)\b")
#: The end of a count, right before its noun phrase: "12,000", "two", "a million or more".
_AFTER_COUNT_RE = re.compile(
    rf"(?:[\d%]|\b(?:{_NUMBER_WORD}))(?:\s+or\s+(?:more|so|fewer|less))?\s*$", re.IGNORECASE
)
#: A model code or number inside a name ("A350-900", "787-9", "737"), with the word after it.
_NAME_CODE_RE = re.compile(r"[A-Z]{0,3}\d(?:[\dA-Za-z-]{0,12}[\dA-Za-z])?(\s+)(?=[A-Za-z])")
#: After an adverb that opens a counted phrase: a participle and a word ("highly enriched
#: uranium"), or a word and a plural ("two relatively smaller organisations").
_ADVERB_MODIFIER_RE = re.compile(r"\s+[a-z]+ed\s+[a-z]|\s+[a-z]+\s+[a-z]+s\b(?<!ss)")


def _participle(word: str) -> bool:
    """A past participle ("deployed"), not a noun in -ed ("speed", "need")."""
    return word.endswith("ed") and word not in _NP_ED_NOUNS


def _is_plural(word: str) -> bool:
    lower = word.lower()
    return lower.endswith("s") and not lower.endswith(("ss", "us", "is", "'s", "’s"))


def _skip_possessive_quantity(sentence: str, position: int) -> int:
    """Skip "North Korea's 26 million" in "40% of North Korea's 26 million people"."""
    found = _POSSESSIVE_QUANTITY_RE.match(sentence, position)
    return found.end() if found else position


_GENERIC_MODIFIERS = frozenset({"more", "additional", "new", "other", "extra", "further", "fresh"})


def _is_plural_word(word: str) -> bool:
    return _is_plural(word) or word.lower() in _IRREGULAR_PLURALS


def _strip_leading_modifiers(tokens: list[str]) -> list[str]:
    changed = True
    while changed:
        changed = False
        lowered = [t.lower() for t in tokens]
        for modifier in _NP_LEADING_MODIFIERS:
            size = len(modifier)
            if tokens and modifier[0] in _GENERIC_MODIFIERS and not tokens[0].islower():
                continue  # "New York" is a name: generic modifiers go only in lower case
            if tuple(lowered[:size]) == modifier and len(tokens) > size:
                tokens = tokens[size:]
                changed = True
                break
    return tokens


def _named_before_of(left: str) -> str | None:
    """The noun right before "of"/"at" a figure: "a remittance fee of 30%"."""
    of = _OF_BEFORE_RE.search(left)
    if of:
        # "Its first offer, of $70 per share,": the noun before the comma of an apposition.
        segments = [part for part in left[: of.start()].split(",") if part.strip()]
        noun = _trailing_noun(segments[-1] if segments else "")
        if noun and of.group(1).lower() == "worth" and not noun.split()[-1].islower():
            return None  # "SoftBank worth $8 billion": what a name is worth is not a noun
        return noun
    return None


def _trailing_noun(text: str) -> str | None:
    """The noun phrase that ends ``text``: up to four words back to a function word or a verb."""
    words: list[str] = []
    for word in reversed(_WORD_RE.findall(text)):
        lower = word.lower()
        if lower in _NP_STOP or _participle(lower) or len(words) == 4:
            break
        words.insert(0, word)
    owner = next((i for i, w in enumerate(words[:-1]) if w.endswith(("'s", "’s", "s'"))), None)
    if owner is not None:
        # "a teacher's monthly salary of": the salary, not the teacher.
        words = words[owner + 1 :]
    words = _strip_leading_modifiers(words)
    if words and words[-1].lower() not in _EMPTY_HEADS:
        return " ".join(words)
    return None


def _counted_before(sentence: str, start: int) -> str | None:
    """What a figure measures when it is named before it ("a fee of 30%", "Exports fell 12%")."""
    left = _left(sentence, start)
    currency = _CURRENCY_BEFORE_RE.search(left)
    if currency:
        left = left[: currency.start()]
    moved = _OBJECT_BEFORE_RE.search(left)
    if moved:
        # "put deliveries at 1 million barrels", "bringing the force to about 12,000".
        position = moved.start("object")
        determiner = re.match(r"(?:(?:the|its|their|his|her|our|a|an)\s+)+", left[position:])
        if determiner:
            position += determiner.end()
        phrase = _noun_phrase_after(left, position, set())[0]
        if phrase and phrase.split()[-1].lower() not in _EMPTY_HEADS:
            return phrase
    worth = _OF_BEFORE_RE.search(left)
    if worth and worth.group(1).lower() == "worth" and (noun := _named_before_of(left)):
        # "in a deal worth $600 million": the noun before "worth", not the clause's subject.
        return noun
    cost = _COST_OBJECT_BEFORE_RE.search(left)
    if cost:
        # "The campaign ... cost the state roughly $449,000": what cost, not whom.
        return _subject_np(left[: cost.start()])
    moving = _MOVING_BEFORE_RE.search(left)
    if moving and not _TIME_WORD_RE.search(moving.group("np")):
        # "a major gain for shares, climbing more than 80%": a participle set off by a comma
        # moves the noun right before the comma.
        noun = _trailing_noun(moving.group("np"))
        if noun:
            return noun
    change = _CHANGE_BEFORE_RE.search(left)
    if change is None and (absolute := _WITH_MOVE_BEFORE_RE.search(left)):
        # "with the euro EUR= up 0.05%": a move stated in an absolute phrase measures its noun.
        return _subject_np(absolute.group("np"))
    if change is None:
        return _named_before_of(left)
    return _subject_np(left[: change.start("verb")])


#: "cost the state", "costs taxpayers": the verb of a price with whom it costs.
_COST_OBJECT_BEFORE_RE = re.compile(
    r"\s(?:cost|costs|costing)\s+(?:(?:the|its|their|each|every)\s+)?[a-z][\w-]*\s+$"
)
#: A participle of a move after a comma, and the words before the comma.
_MOVING_BEFORE_RE = re.compile(
    r"(?P<np>(?:[A-Za-z][\w'’&-]*\s+){0,3}[A-Za-z][\w'’&-]*),\s+(?:[a-z]+ly\s+)?"
    r"(?:rising|falling|climbing|jumping|dropping|gaining|losing|sliding|soaring|surging"
    r"|plunging|tumbling|declining|growing|increasing|decreasing|slipping|sinking|advancing)"
    r"(?:\s+(?:by|to))?\s+$"
)
#: An absolute phrase of a move: "with the euro EUR= up", "with Brent down".
_WITH_MOVE_BEFORE_RE = re.compile(r"\bwith\s+(?P<np>[^,;:()\d]{1,60}?\S)\s+(?:up|down)\s+$")


def _counted_by_multiplier_verb(sentence: str, quantity: _Quantity) -> str | None:
    """ "Output has tripled", "doubled its exports", "twice the rate", "twice as many troops"."""
    period_starts: set[int] = set()
    if quantity.counted_hint is None:
        lead = _TWICE_LEAD_RE.match(sentence, quantity.end)
        if (
            lead is None
            and sentence[quantity.start : quantity.end].lower() in _DETERMINER_MULTIPLIERS
        ):
            # "double thrust of the next rocket", "triple that figure": the noun right after.
            determiner = _OBJECT_DETERMINER_RE.match(sentence, quantity.end)
            start_np = determiner.end() if determiner else quantity.end + 1
            return _noun_phrase_after(sentence, start_np, period_starts)[0]
        if lead is None:
            return None
        return _noun_phrase_after(sentence, lead.end(), period_starts)[0]
    obj = _OBJECT_AFTER_RE.match(sentence, quantity.end) or _OBJECT_DETERMINER_RE.match(
        sentence, quantity.end
    )
    if obj:
        # "doubled its exports", "to triple that figure": the object is what is multiplied.
        return _noun_phrase_after(sentence, obj.end(), period_starts)[0]
    return _subject_np(_left(sentence, quantity.start))


#: Instrument codes in market reports ("Copper CMCU3", "the Dow Jones Industrial Average .DJI",
#: "the euro EUR="): not words of the subject's name.
_TICKER_RE = re.compile(
    r"\s(?:\.[A-Z][A-Z0-9]{1,14}|[A-Z][A-Za-z]{0,5}\d[A-Za-z0-9]{0,8}=?[A-Z]*"
    r"|[A-Z]{3}=[A-Z]*)(?=[\s,]|$)"
)


def _subject_np(before: str) -> str | None:
    """The subject noun phrase of the clause that ends with ``before``."""
    before = _TICKER_RE.sub("", before)
    before = re.sub(
        r"(?:\s+(?:has|have|had|was|were|is|are|been|also|more\s+than|nearly|almost|roughly|could|would"
        r"|may|might|will|can|should))+\s*$",
        "",
        before,
        flags=re.IGNORECASE,
    )
    relative = re.search(r"([A-Za-z][A-Za-z'’\s-]*),\s+(?:which|who)\s*$", before)
    if relative:
        # "covered bribes, which had roughly doubled": the noun the relative clause is about.
        noun: list[str] = []
        for word in reversed(_WORD_RE.findall(relative.group(1))):
            lower = word.lower()
            if lower in _NP_STOP or _participle(lower) or len(noun) == 3:
                break
            noun.insert(0, word)
        return " ".join(noun) or None
    bound = re.search(r"(\S[^,;:()]*?)\s+(?:that|which)\s*$", before)
    if bound and (noun_before := _trailing_noun(bound.group(1))):
        # "telephone wait times that exceeded two hours": what the relative clause is about.
        return noun_before
    appositive = re.match(r"^(.*?[^,]),[^,]+,\s*$", before)
    if appositive and "," not in appositive.group(1).split(". ")[-1]:
        # "Corn, the staple for poorer households, rose": the noun before the apposition.
        before = appositive.group(1)
    cuts = list(_SUBJECT_CUT_RE.finditer(before))
    subject = before[cuts[-1].end() :] if cuts else before
    words = _WORD_RE.findall(re.sub(r"\b\d[\d.,]*-[a-z]+\b", "", subject))
    if words and words[0].lower() in {"where", "when", "whereas", "if", "once", "unless"}:
        # "where the previous offer was $10": the clause's subject follows its opener.
        words = words[1:]
    if words and words[0].lower() in {"in", "at", "on", "across", "throughout", "with"}:
        # "In Sinuiju the price was": the place before the subject is not what is measured.
        words = words[1:]
        while words and words[0][:1].isupper():
            words = words[1:]
    while words and words[0].lower() in {"the", "a", "an", "its", "their", "his", "her", "our"}:
        words = words[1:]
    for index, word in enumerate(words[:4]):
        if word.endswith(("'s", "’s", "s'")) and index < len(words) - 1:
            words = words[index + 1 :]
            break
    phrase: list[str] = []
    for word in words:
        lower = word.lower()
        if lower == "of" and phrase and phrase[-1].lower() in _NP_CONTAINERS | _MEASURE_HEADS:
            phrase = []
            continue
        if lower in {"the", "its", "their"} and not phrase:
            continue
        if lower in _NP_STOP or len(phrase) == 5:
            break
        phrase.append(word)
    phrase = _strip_leading_modifiers(phrase)
    # A number in the subject is usually another figure's, unless it dates what follows the
    # noun ("losses since the first deployment in late 2024").
    trailer = re.search(r"\b(?:since|in|during|after|before|from|until)\b", subject)
    head_part = subject[: trailer.start()] if trailer else subject
    # "the S&P 500", "the STOXX 600 index": a number in a name is part of the name.
    head_part = re.sub(r"[A-Z][\w&]*\s\d{2,4}\b", "", head_part)
    # "Benchmark 10-year notes", "WeWork's 2025 bond": a maturity or a year names the thing.
    head_part = re.sub(r"\b\d{1,3}-[a-z]+|\b(?:1[89]|20)\d\d\b", "", head_part)
    if not phrase or phrase[0].lower() in _PRONOUNS or any(c.isdigit() for c in head_part):
        return None
    return " ".join(phrase)


# --- period, hedge, attribution --------------------------------------------------------------


#: A wire dateline that opens a sentence ("LONDON - ", "SEOUL, Oct 29 (Agency) -", "ERIMO,
#: Japan, Oct 19 (Agency) —"): not part of a source, and its day is when the story was filed,
#: never the time a figure is about.
_DATELINE_RE = re.compile(rf"^{DATELINE_HEAD}\s*(?:\([^()\n]{{2,40}}\)\s*)?(?:-{{1,2}}|[—–])\s+")


def _period_spans(sentence: str) -> list[tuple[int, int, str, bool]]:
    spans: list[tuple[int, int, str, bool]] = []
    dateline = _DATELINE_RE.match(sentence)
    filed = dateline.end() if dateline else 0
    for match in _RATE_PERIOD_RE.finditer(sentence):
        spans.append((match.start(), match.end(), match.group(0), True))
    for pattern in _PERIOD_RES:
        for match in pattern.finditer(sentence):
            spans.append((match.start(), match.end(), match.group(0), False))
    spans.sort(key=lambda span: (span[0], -(span[1] - span[0])))
    kept: list[tuple[int, int, str, bool]] = []
    reach = filed
    for span in spans:
        if span[0] >= reach:
            kept.append(span)
            reach = span[1]
    return kept


_PARTICIPLE_GAP_RE = re.compile(
    r"[^,;:()]{0,60}?\b(?:[a-z]{3,}ed|taken|stolen|held)\b[^,;:()]{0,60}?(?:more\s+than\s+|about\s+)?"
)


#: A relative clause set off by commas: ", which was founded in 1990,", ", who took office in May,".
_RELATIVE_ASIDE_RE = re.compile(r",\s+(?:which|who)\b[^,;:()]{1,120},")


def _period_for(
    sentence: str,
    start: int,
    end: int,
    np_end: int,
    periods: Sequence[tuple[int, int, str, bool]],
    clauses: Sequence[int],
    *,
    attached_only: bool = False,
) -> str | None:
    if not periods:
        return None
    anchor = max(end, np_end)
    # "The company, which was founded in 1990, said it would cut 300 jobs": a time inside a
    # relative clause about someone else dates that clause, not the figure.
    asides = [
        m.span() for m in _RELATIVE_ASIDE_RE.finditer(sentence) if not m.start() <= start < m.end()
    ]
    periods = [
        span
        for span in periods
        if not (
            span[0] >= anchor
            and span[2].lower().endswith("ago")
            and _PARTICIPLE_GAP_RE.fullmatch(sentence, anchor, span[0])
        )
        and not any(a <= span[0] and span[1] <= b for a, b in asides)
    ]
    # "21 of the schoolgirls abducted two years ago": the time of the noun's past, not the claim's.
    for span_start, _span_end, phrase, _is_rate in periods:
        if anchor <= span_start <= anchor + 30:
            gap = sentence[anchor:span_start]
            if not re.search(r"[,;:()]", gap) and len(gap.split()) <= 2:
                return " ".join(phrase.split())
    if attached_only:
        return None
    clause = bisect.bisect_right(clauses, start)
    best: tuple[int, str, int] | None = None
    fallback: tuple[int, str, int] | None = None
    for span_start, span_end, phrase, is_rate in periods:
        if (is_rate and phrase.lower().startswith("a")) or (start <= span_start < end):
            continue
        distance = span_start - end if span_start >= end else start - span_end
        if bisect.bisect_right(clauses, span_start) == clause:
            if best is None or distance < best[0]:
                best = (distance, phrase, span_end)
        elif span_end <= start and (fallback is None or distance < fallback[0]):
            fallback = (distance, phrase, span_end)
    chosen = best or fallback
    if chosen is None:
        return None
    phrase = " ".join(chosen[1].split())
    # "signed a treaty in June 2024, and has since sent 11,000 troops": "since" refers back to
    # that time, so the figure is a running total since it, not a count for June 2024.
    if chosen[2] <= start and _SINCE_THEN_RE.search(sentence, chosen[2], start):
        point = _POINT_PREPOSITION_RE.match(phrase)
        if point:
            return "since " + phrase[point.end() :]
    return phrase


#: "has since", "have since", "since then": an adverb "since" pointing back to a time named
#: earlier in the sentence.
_SINCE_THEN_RE = re.compile(r"\b(?:has|have|had)\s+(?:\w+\s+)?since\b(?!\s+\d)|\bsince\s+then\b")
#: A time phrase that names a point ("in June 2024", "on 3 May"), which "since" can start from.
_POINT_PREPOSITION_RE = re.compile(r"(?:in|on|at)\s+(?=\S)", re.IGNORECASE)


def _hedge_for(
    hedges: Sequence[tuple[int, int, str]],
    clauses: Sequence[int],
    start: int,
    end: int,
    sentence: str = "",
) -> str | None:
    clause = bisect.bisect_right(clauses, start)
    best: tuple[int, str] | None = None
    for hedge_start, hedge_end, word in hedges:
        if bisect.bisect_right(clauses, hedge_start) != clause:
            continue
        if (
            sentence
            and hedge_start >= end
            and _HEDGE_DETACHED_RE.search(sentence, end, hedge_start)
            and not _ACCORDING_LEAD_RE.search(_left(sentence, hedge_start, 60))
        ):
            # "50 taken to hospital after a tram, believed to ...": the hedge is another clause's.
            continue
        if (
            sentence
            and hedge_end <= start
            and _PARENTHETICAL_HEDGE_RE.match(sentence, max(0, hedge_start - 2), start)
        ):
            # "The rocket, believed to be an ICBM, flew 2,300 miles": the aside's, not the figure's.
            continue
        if sentence and hedge_end <= start and _SUBORDINATE_RE.search(sentence, hedge_end, start):
            # "A lasting fall would need imports, where shipments dropped by half": another clause.
            continue
        if word == "would" and _RELATIVE_BEFORE_RE.search(_left(sentence, hedge_start, 12)):
            # "..., which would give it three sites": a consequence, not a hedged figure.
            continue
        distance = hedge_start - end if hedge_start >= end else max(0, start - hedge_end)
        if best is None or distance < best[0]:
            best = (distance, word)
    return best[1] if best else None


#: Words between a figure and a later hedge that put the hedge in another clause.
_HEDGE_DETACHED_RE = re.compile(
    r",|;|\b(?:after|before|when|while|because|and|but|as|if|which|who|whose|whom|then)\b"
)
#: ", believed to be an ICBM," before the figure: an aside about a noun.
_PARENTHETICAL_HEDGE_RE = re.compile(
    r",\s(?:believed|thought|said|reported|expected|suspected|estimated)\s+to\s[^,;]{0,80},\s"
)
_ACCORDING_LEAD_RE = re.compile(r"\baccording\s+to\s+(?:[\w'’-]+\s+){0,3}$", re.IGNORECASE)
_SUBORDINATE_RE = re.compile(r"\b(?:where|when|whereas|because|while|although)\b")
_RELATIVE_BEFORE_RE = re.compile(r"\b(?:which|that|who)\s+$", re.IGNORECASE)
#: "a suspected ISIS fanatic": a hedge that qualifies the noun after it, not a figure.
_ATTRIBUTIVE_HEDGE_RE = re.compile(r"\b(?:a|an|the)\s+$", re.IGNORECASE)


def _attribution_cues(sentence: str) -> list[_Cue]:
    cues: list[_Cue] = []
    signed = _SIGNATURE_RE.search(sentence)
    if signed:
        # An embedded post signed "— Name (@handle) date": its author states all of it.
        name = signed.group("name")
        where = signed.start("name")
        cues.append(_Cue(signed.start(), len(sentence), name, 0, where, where + len(name)))
    for match in _ACCORDING_RE.finditer(sentence):
        source = _source_after(sentence, match.end())
        if source:
            rank = 0 if match.group(1).lower() == "citing" else 1
            where = sentence.find(source, match.end())
            cues.append(
                _Cue(
                    match.start(),
                    match.end() + len(source),
                    source,
                    rank,
                    where,
                    where + len(source),
                )
            )
    for match in _POSSESSIVE_SOURCE_RE.finditer(sentence):
        # "NASA's Monday announcement to expand by five ...": whose statement it is.
        where = match.start("source")
        source = match.group("source")
        if _TIME_WORD_RE.fullmatch(source):
            continue  # "Monday's announcement" says when, not who
        cues.append(_Cue(where, match.end(), source, 1, where, where + len(source)))
    for match in _WITH_SAYING_RE.finditer(sentence):
        # "..., with officials saying the toll could rise": the noun phrase before "saying".
        source = match.group("source")
        if source.split()[0].lower() not in _PRONOUNS | _PERSONAL_PRONOUNS:
            where = match.start("source")
            cues.append(_Cue(where, match.end(), source, 1, where, where + len(source)))
    saying = _SAYING_RE.search(sentence)
    if saying:
        opening = _OPENING_SUBJECT_RE.match(
            _DATELINE_RE.sub(lambda m: " " * len(m.group(0)), sentence)
        )
        if opening and opening.end() <= saying.start():
            source = opening.group("subject")
            words = source.split()
            if words[0].lower() not in _PRONOUNS | {"he", "she", "they", "we", "i"}:
                where = opening.start("subject")
                cues.append(
                    _Cue(saying.start(), saying.end(), source, 2, where, where + len(source))
                )
    for match in _REPORTING_RE.finditer(sentence):
        verb = match.group(1)
        left = _left(sentence, match.start(), 24)
        if verb.endswith("s") and _COUNT_BEFORE_NOUN_RE.search(left):
            # "released two reports", "three highly critical reports": a plural noun after a
            # count, not a verb.
            continue
        if _PASSIVE_BEFORE_RE.search(left) and not (
            # "analysts were expecting $2.52": a progressive, not a passive.
            verb.endswith("ing") and re.search(r"\b(?:is|are|was|were)\s+$", left)
        ):
            continue
        if re.search(r"\baccording\s+to\s+(?:the\s+)?$", left, re.IGNORECASE):
            # "according to reports": the noun is the source, read with "according to".
            continue
        after = sentence[match.end() : match.end() + 12]
        if verb in _THAT_VERBS and not re.match(r"\s+that\b|\s*[:,\"“]", after):
            continue
        if verb in _PLEDGE_VERBS and not re.match(r"\s+to\s+[a-z]", after):
            continue  # "promised aid", "the threatened strike": no claim of the subject's
        if verb in {"added", "adds"} and _ADDED_AMOUNT_RE.match(
            sentence, match.end(), match.end() + 60
        ):
            # "the Nasdaq added 20.72 points": a market move, not a remark.
            continue
        relative = _RELATIVE_SOURCE_RE.search(_left(sentence, match.start(), 60))
        if relative and relative.group("source").split()[-1].lower() not in (
            _PRONOUNS | _PERSONAL_PRONOUNS
        ):
            # "a 20% gain, which Nissan claims is", "the toll that police said was".
            source = relative.group("source")
            where = max(0, match.start() - 60) + relative.start("source")
            cues.append(
                _Cue(match.start(), match.end(), source, 2, where, where + len(source), True)
            )
            continue
        if verb == "claimed" and after.startswith(" the lives"):
            continue
        if (
            verb.endswith("ed")
            and re.match(r"\s+(?:for|by|in|at|from|during|since|near|over)\b", after)
            and not re.match(r"\s+in\s+\d{4}\b", after)
            # '“We had $20 billion done,” Mr. Trump recounted in a meeting': a speech tag
            and not _QUOTE_TAG_RE.search(_left(sentence, match.start(), 50))
        ):
            continue
        if verb in {"found", "finds", "identified"} and not re.match(
            rf"\s+that\b|\s*[.,;]|\s*$|\s+(?:{_APPROX_ALTERNATIVES})?\s*\d", after
        ):
            continue
        if verb in {"putting", "accuses"} and not re.search(
            r"\s(?:at|as\s+high\s+as|as\s+low\s+as|of)\s", sentence[match.end() : match.end() + 60]
        ):
            continue
        if verb == "quoted":
            quoted = re.match(r"\s+(.{2,60}?)\s+as\s+saying\b", sentence[match.end() :])
            if quoted:
                # "the lawmakers quoted the agency as saying": the agency is the source.
                where = match.end() + quoted.start(1)
                source = quoted.group(1)
                cues.append(
                    _Cue(match.start(), where + len(source), source, 2, where, where + len(source))
                )
                continue
        if verb in {"put", "puts"} and not re.search(
            r"\sat\s", sentence[match.end() : match.end() + 60]
        ):
            continue
        final = re.match(r"\s*(?:[.!?]|$)", sentence[match.end() : match.end() + 3]) is not None
        source = _subject_before(sentence, match.start(), final=final)
        if source is None and re.search(
            r"(?:^|[,;][\"”’']?\s*)$", _left(sentence, match.start(), 4)
        ):
            source = _source_after(sentence, match.end() + 1) if after[:1] == " " else None
        if source:
            where = sentence.rfind(source, 0, match.start())
            if where < 0:
                where = sentence.find(source, match.end())
            cues.append(_Cue(match.start(), match.end(), source, 2, where, where + len(source)))
    return cues


#: A count right before a word, or before an adjective and its adverb (not a year: "a 2023
#: survey shows").
_COUNT_BEFORE_NOUN_RE = re.compile(
    rf"(?:(?<![\d,.])(?!(?:19|20)\d\d\b)\d[\d,.]*|\b(?i:{_NUMBER_WORD}))"
    r"(?:\s+[a-z]+ly)?(?:\s+[a-z]+)?\s+$"
)


def _has_non_year_digits(text: str) -> bool:
    """Digits other than a year: "a 2023 survey" is a source, "40 percent of them" is not; a
    count inside a compound modifier is no figure ("an 11-country group")."""
    text = _COMPOUND_COUNT_RE.sub("", text)
    return any(not 1900 <= int(run) <= 2100 for run in re.findall(r"\d+", text)) or bool(
        re.search(r"\d[,.%]|\d\s*(?:percent|per\s?cent)", text)
    )


def _source_after(sentence: str, position: int) -> str | None:
    tail = sentence[position : position + _RIGHT_WINDOW]
    stop = _SOURCE_END_RE.search(tail)
    source = (tail[: stop.start()] if stop else tail).strip().rstrip(".")
    wrapped = _SOURCE_WRAPPER_RE.match(source)
    if wrapped:
        source = wrapped.group("source")
    source = _SUBJECT_TRAILING_RE.sub("", source).strip()
    words = source.split()
    if not words or len(words) > 10 or _has_non_year_digits(source):
        return None
    if words[0].lower() in _PRONOUNS | _PERSONAL_PRONOUNS or words[0].lower() == "that":
        return None
    if words[0].lower() in {"of", "in", "on", "at", "for", "to", "by", "with", "from", "about"}:
        # "said of the assault in which ...": what the remark is about, not who made it.
        return None
    return source


# Two noun phrases joined by "and" right before a reporting verb, after a comma or the start:
# each side a determiner or a capitalised word and up to three plain words, none a verb form.
_COORDINATED_SUBJECT_RE = re.compile(
    r"(?:^|[,;:(—]\s*)(?P<first>(?:(?:the|a|an|local|state)\s+)?[A-Za-z][\w.'’-]*"
    r"(?:\s+[A-Za-z][\w.'’-]*){0,3}?)\s+and\s+(?P<second>(?:(?:the|a|an)\s+)?[A-Za-z][\w.'’-]*"
    r"(?:\s+[A-Za-z][\w.'’-]*){0,3}?)\s*$"
)


#: "officials in Washington and Seoul", "sources in Musan and Hyesan": places joined inside the
#: source's own phrase, not two subjects.
_SOURCE_PLACES_RE = re.compile(
    r"(?:^|[,;:(—]\s*)(?P<head>(?:(?:the|a|an|[Tt]wo|[Ss]ome|[Ll]ocal)\s+)?(?P<noun>[A-Za-z][\w'’-]*)"
    r"\s+(?:in|from|of|at)\s+[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,2})\s+and\s+"
    r"(?P<second>[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,2}(?:\s+[a-z]+)?)\s*$"
)
_NAME_RE = re.compile(r"[A-Z][\w.'’-]+(?:\s[A-Z][\w.'’-]+){1,3}")
#: "X condemned the test, saying the missile flew ...": the sentence's subject is the source.
_SAYING_RE = re.compile(
    r",[\"”’']?\s+(saying|adding|noting|warning|arguing|insisting|claiming|estimating)\b"
)
#: "with officials saying", "with the ministry estimating": a source in an absolute clause.
_WITH_SAYING_RE = re.compile(
    r"\bwith\s+(?P<source>(?:(?:the|a|an)\s+)?(?:[A-Za-z][\w.'’-]*\s+){0,4}?[A-Za-z][\w.'’-]*)"
    r"\s+(?:saying|claiming|estimating|warning|adding|noting|putting)\b"
)
#: The subject of a reporting verb in a relative clause: "which Nissan claims", "that police said".
_RELATIVE_SOURCE_RE = re.compile(
    r"\b(?:which|that|what)\s+(?P<source>(?:the\s+)?(?:[A-Z][\w.'’&-]*\s+){0,3}[A-Z][\w.'’&-]*"
    r"|police|officials|authorities|analysts|experts|researchers|investigators"
    # "that the ministry said", "which the operator says"
    r"|the\s+(?:[a-z][\w'’-]*\s+)?[a-z][\w'’-]*)\s+$"
)
#: An amount right after "added": a market move ("added 20.72 points", "added 0.1% to").
_ADDED_AMOUNT_RE = re.compile(
    rf"\s+(?:(?:{_APPROX_ALTERNATIVES})\s+)?(?:[$€£]\d|\d[\d,.]*\s?(?:%|percent|per\s?cent|points?"
    r"|cents?|pence|basis\s+points|bps)(?![\w-]))",
    re.IGNORECASE,
)
#: Common irregular past forms: "South Korea's spy agency gave lower figures, estimating ...".
_IRREGULAR_PAST = (
    "gave|put|said|told|made|set|sent|took|found|saw|kept|held|cut|left|brought|thought|spent"
    "|paid|led|lost|met|rose|fell|grew|knew|won|wrote|spoke|chose|drew|hit|let|meant|read|sold"
    "|stood|struck|threw|went|came|became|began|got"
)
_OPENING_SUBJECT_RE = re.compile(
    r"\s*(?P<subject>(?:(?:The|A|An)\s+)?[A-Z][\w.'’-]*"
    r"(?:\s+(?:[A-Z][\w.'’-]*|(?!(?:who|which|that|and|but|or)\b)[a-z][\w'’-]*)){0,4}?)\s+"
    r"(?:(?:also|later|earlier|again)\s+)?"
    rf"(?:[a-z]+ed|has|have|had|was|were|is|are|{_IRREGULAR_PAST})\b"
)


_TRAILING_ALIAS_RE = re.compile(r"(?<=\w)\s*\([^()]{1,30}\)\s*$")


def _plain_noun_phrase(text: str) -> bool:
    """Words that can only be a noun phrase: no verb form, function word or digit after an
    optional determiner ("the British police", "emergency services")."""
    words = text.split()
    if words and words[0].lower() in {"the", "a", "an"}:
        words = words[1:]
    return bool(words) and all(
        not any(c.isdigit() for c in word)
        and word.lower() not in _NP_STOP
        and word.lower() not in _REPORTING_WORDS
        and not (word.islower() and (_participle(word) or word.endswith(("ing", "ly"))))
        for word in words
    )


_REPORTING_WORDS = frozenset(verb.lower() for verb in _REPORTING_VERBS)


#: A speaker followed by a relative clause without commas: "An aid worker who saw them".
_WHO_CLAUSE_RE = re.compile(r"(?P<speaker>(?:[\w.'’&-]+\s+){0,5}?[\w.'’&-]+)\s+who\s+\S")


_SUBJECT_PUNCTUATION_RE = re.compile(r"[,;:\"“”()—]")
_SUBJECT_CLAUSE_WORD_RE = re.compile(r"\bthat\b|\band\b|\bbut\b|\bwhile\b|\bwhen\b")


def _subject_before(sentence: str, position: int, *, final: bool = False) -> str | None:
    # "the National Intelligence Service (NIS) told": the name, not its initials.
    left = _TRAILING_ALIAS_RE.sub(" ", _left(sentence, position))
    commas = _SUBJECT_PUNCTUATION_RE.split(left)
    if len(commas) >= 3 and not commas[-1].strip() and left.rstrip().endswith(","):
        # An apposition may hold an "and" ("Gwynne Shotwell, president and chief operating
        # officer of SpaceX, said"): only the part before it is split at clause words.
        pieces = [*_SUBJECT_CLAUSE_WORD_RE.split(commas[-3]), commas[-2], commas[-1]]
    else:
        pieces = [part for piece in commas for part in _SUBJECT_CLAUSE_WORD_RE.split(piece)]
    if len(pieces) >= 3 and not pieces[-1].strip() and left.rstrip().endswith(","):
        # "Name, deputy head of the agency, said": the name, not the apposition; "The chief
        # Cabinet secretary, Yoshihide Suga, says": the name is the apposition.
        subject = pieces[-3]
        apposition = pieces[-2].strip()
        if re.match(r"(?i)(?:the|a|an)\s", subject.strip()) and re.fullmatch(
            r"[A-Z][\w.'’-]+(?:\s[A-Z][\w.'’-]+){1,3}", apposition
        ):
            subject = apposition
    else:
        subject = pieces[-1]
        if (
            len(pieces) >= 2
            and subject.strip()[:1].islower()
            and _NAME_RE.fullmatch(pieces[-2].strip())
            and left[: left.rfind(subject)].rstrip().endswith(",")
        ):
            # "..., Christian Estrosi, president of the region announced": the named person.
            subject = pieces[-2]
        joined = _COORDINATED_SUBJECT_RE.search(left)
        if (
            joined
            and joined.group("second").strip() == subject.strip()
            and _plain_noun_phrase(joined.group("first"))
            and _plain_noun_phrase(joined.group("second"))
        ):
            # "..., the British police and emergency services said": both are the source.
            subject = f"{joined.group('first').strip()} and {subject.strip()}"
        places = _SOURCE_PLACES_RE.search(left)
        if (
            places
            and places.group("second").strip() == subject.strip()
            and places.group("noun").lower() in _SOURCE_HEADS
        ):
            subject = f"{places.group('head')} and {subject.strip()}"
    subject = _SUBJECT_LEADING_RE.sub("", _SUBJECT_TRAILING_RE.sub("", subject.strip())).strip()
    subject = _DATELINE_RE.sub("", subject)
    relative = _WHO_CLAUSE_RE.match(subject)
    if relative and len(subject.split()) > 10:
        # "An aid worker who saw the the girls' after their release said": a relative clause
        # too long to keep; the speaker is the noun phrase before it.
        subject = relative.group("speaker")
    if re.search(r"\b(?:said|says|told|say)\s+(?:it|they|he|she|we)$", subject):
        # "The ministry said it had detected": the source is the subject of "said".
        return None
    words = subject.split()
    if not words or len(words) > 10 or _has_non_year_digits(subject):
        return None
    if words[0].lower() in _PRONOUNS:
        return None
    if final and len(words) <= 6:
        # "..., defectors say." closes the sentence: the words before the verb are the source.
        return subject
    if words[0].islower() and len(words) <= 4 and words[-1].lower() in _SOURCE_HEADS:
        return subject
    # "authorities in Beijing", "officials at the ministry": the head before its place
    head = re.split(r"\s(?:in|at|of|from|for)\s", subject, maxsplit=1)[0].split()
    if (
        words[0].islower()
        and len(words) <= 6
        and len(head) <= 3
        and head[-1].lower() in _SOURCE_HEADS
    ):
        return subject
    if words[0].islower() and words[0].lower() not in {
        "the",
        "a",
        "an",
        "state",
        "officials",
        "experts",
        "analysts",
        "sources",
        "he",
        "she",
        "they",
        "we",
        "local",
        "one",
        "two",
        "several",
        "some",
        "many",
        "police",
        "residents",
        "witnesses",
        "satellite",
        "north",
        "south",
        "government",
        "military",
        "intelligence",
    }:
        return None
    return subject


#: The words between a figure and a relative clause about its own noun: the noun phrase alone
#: ("North Korean troops that"), with no preposition or article that would start another one
#: ("troops to a region that").
_OWN_RELATIVE_RE = re.compile(
    r"(?:[ \t]+(?!(?:a|an|the|to|of|in|on|at|for|from|with|by|into|and|or|but|as|than|who)\b)"
    r"[A-Za-z][\w'’-]*){0,5}[ \t]+(?:that|which)[ \t]+(?:the[ \t]+)?"
)


def _nearest_cue(
    sentence: str, cues: Sequence[_Cue], clauses: Sequence[int], start: int, end: int
) -> str | None:
    """The source of the figure's clause, else one that frames the whole sentence."""
    clause = bisect.bisect_right(clauses, start)
    best: tuple[bool, int, int, str] | None = None
    for cue in cues:
        if cue.start < end and cue.end > start:
            continue
        if cue.source_start <= start and end <= cue.source_end:
            continue  # "the 15-member Council said": a count inside the source is not its claim
        if (
            cue.relative
            and end <= cue.source_start
            # "150 hp, which Nissan claims is a record": a comment on the figure itself
            and not re.fullmatch(r"[^,;]{0,30},\s*which\s+", sentence[end : cue.source_start])
            # "the 12,000 troops that Ukraine says are in Russia": the clause of the figure's noun
            and not _OWN_RELATIVE_RE.fullmatch(sentence, end, cue.source_start)
        ):
            continue  # "four companies, including a firm that the Treasury said hired …"
        same_clause = bisect.bisect_right(clauses, cue.start) == clause
        frames_sentence = (
            not sentence[: cue.start].strip()
            # "The agency, citing ..., said" / "It said the workers ...": a source that opens
            # the sentence frames all of it.
            or (cue.source_start < cue.start and not sentence[: cue.source_start].strip())
            # "In a public notice on Friday, the bureau said …": a phrase before the source
            or (
                cue.rank == 2
                and not cue.relative
                and cue.source_start < cue.start
                and re.fullmatch(
                    r"(?:In|At|On|During|After|Before|Speaking|Writing)\b[^,]{0,60},\s*",
                    sentence[: cue.source_start],
                )
                is not None
            )
            # "North Korea's payment, the report said, was ...": a parenthetical source.
            or (
                cue.source_start < cue.start
                and sentence[: cue.source_start].rstrip().endswith(",")
                and sentence[cue.end : cue.end + 1] == ","
            )
            or bool(_SENTENCE_FINAL_CUE_RE.fullmatch(sentence, max(cue.end, _source_end(cue))))
        )
        if not (same_clause or frames_sentence):
            continue
        distance = cue.start - end if cue.start >= end else start - cue.end
        # "X says the missile flew 770 km ..., according to Reuters": the speaker who opens the
        # sentence makes the claim; the trailing source only reports it.
        opens = (
            cue.rank == 2
            and cue.source_start < cue.start
            and re.fullmatch(r"(?:[^,]{0,80},\s*)?", sentence[: cue.source_start]) is not None
        )
        key = (not same_clause, -1 if opens else cue.rank, distance, cue.text)
        if best is None or key < best:
            best = key
    return best[3] if best else None


def _source_end(cue: _Cue) -> int:
    return cue.source_end if cue.source_start >= cue.end else cue.end


# --------------------------------------------------------------------------------------------
# Scoring against labelled figures
# --------------------------------------------------------------------------------------------


def score_figures(
    cases: Iterable[tuple[Sequence[Mapping[str, object]], Sequence[Figure]]],
) -> FigureScores:
    """Compare extracted figures with labelled ones, sentence by sentence."""
    gold_total = predicted_total = 0
    pairs: list[tuple[Mapping[str, object], Figure]] = []
    for gold, predicted in cases:
        gold_total += len(gold)
        predicted_total += len(predicted)
        free = list(predicted)
        for label in gold:
            for figure in free:
                if _same_quantity(label, figure):
                    pairs.append((label, figure))
                    free.remove(figure)
                    break
    matched = len(pairs)
    precision = matched / predicted_total if predicted_total else 1.0
    recall = matched / gold_total if gold_total else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0

    def share(agrees: Iterable[bool]) -> float:
        flags = list(agrees)
        return sum(flags) / len(flags) if flags else 1.0

    return FigureScores(
        gold=gold_total,
        predicted=predicted_total,
        matched=matched,
        precision=precision,
        recall=recall,
        f1=f1,
        counted=share(_same_counted(g.get("counted"), f.counted) for g, f in pairs),
        attribution=share(
            _normalise_source(g.get("attribution")) == _normalise_source(f.attribution)
            for g, f in pairs
        ),
        hedge=share(_lower(g.get("hedge")) == _lower(f.hedge) for g, f in pairs),
        approx=share(_lower(g.get("approx")) == _lower(f.approx) for g, f in pairs),
        period=share(_lower(g.get("period")) == _lower(f.period) for g, f in pairs),
    )


def _close(expected: object, actual: float | None) -> bool:
    if expected is None or actual is None:
        return expected is None and actual is None
    return math.isclose(float(str(expected)), actual, rel_tol=1e-3)


def _same_quantity(label: Mapping[str, object], figure: Figure) -> bool:
    return (
        _close(label.get("value"), figure.value)
        and _close(label.get("value_max"), figure.value_max)
        and label.get("unit") == figure.unit
    )


def _lower(value: object) -> str | None:
    return " ".join(str(value).lower().split()) if value is not None else None


def _head(phrase: str) -> str:
    words = re.split(r"\s+(?:of|in|at|for|from|to|on|per|between|among|with)\s+", phrase.lower())[0]
    return words.split()[-1].rstrip("'’").removesuffix("'s").removesuffix("’s")


def _same_counted(expected: object, actual: str | None) -> bool:
    if expected is None or actual is None:
        return expected is None and actual is None
    expected_text = str(expected).lower()
    return expected_text == actual.lower() or _head(expected_text) == _head(actual)


def _normalise_source(value: object) -> str | None:
    if value is None:
        return None
    text = re.sub(r"\([^)]*\)", "", str(value).lower())
    text = re.sub(r"^(?:the|a|an)\s+", "", text.strip())
    return " ".join(text.strip(" .,").split())
