"""Every regular expression, word list and threshold of citation parsing, in one place.

Grouped by what they find: dates, signals and short forms, report numbers, legal material,
books and outlets, names, the mechanics of cutting a note, and the thresholds of the small
heuristics (each with the reason for its value). Tuned on CRS reports, a law review, a
Supreme Court slip opinion, GAO and think-tank reports.
"""

from __future__ import annotations

import datetime as _dt
import re

from ..text import MONTH

# --------------------------------------------------------------------------- dates

MONTH_NUMBERS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}
# "December 14, 2012", "Feb. 13, 2004", "14 December 2012", "2012-12-14"
FULL_DATE_RE = re.compile(rf"\b(?P<m>{MONTH})\.?\s+(?P<d>\d{{1,2}}),?\s+(?P<y>\d{{4}})\b")
DMY_DATE_RE = re.compile(rf"\b(?P<d>\d{{1,2}})\s+(?P<m>{MONTH})\.?,?\s+(?P<y>\d{{4}})\b")
ISO_DATE_RE = re.compile(r"\b(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})\b")
MONTH_YEAR_RE = re.compile(rf"\b(?P<m>{MONTH})\.?,?\s+(?P<y>\d{{4}})\b")
# A year in parentheses, alone or at the end: "(2021)", "(6th Cir. 2024)", "(forthcoming 2025)".
PAREN_YEAR_RE = re.compile(r"\((?:[^()]*?\s)?(?P<y>\d{4})[a-z]?\)")
# A bare year closing a comma-separated field: "..., Seattle: NBR, 2007, pp. 1-2".
BARE_YEAR_RE = re.compile(r"(?:(?<=, )|(?<=^))(?P<y>\d{4})(?=[.,;)]|$)")
# A field that starts with a month name is a date, not an outlet or a publisher.
MONTH_START_RE = re.compile(MONTH + r"\b")
# "accessed May 3, 2021": the date the citer looked, not the work's.
ACCESSED_RE = re.compile(
    rf"\b(?:accessed|retrieved|visited|viewed|downloaded)(?:\s+on)?:?\s+(?:{MONTH}\.?\s+\d{{1,2}},?\s+\d{{4}}|\d{{1,2}}\s+{MONTH}\.?,?\s+\d{{4}})",
    re.IGNORECASE,
)
# An explanatory parenthetical ("(quoting X, May 26, 2023)"), but not "(forthcoming 2025)".
EXPLANATORY_PAREN_RE = re.compile(r"\((?=\s*[a-z])(?!\s*forthcoming)")

# --------------------------------------------------------------------------- pages

PAGES_RE = re.compile(r"\bpp?\.\s?\d[\d\-–,\s]*\d\b|\bpp?\.\s?\d+\b")
PIN_RE = re.compile(r"\bat (\d[\d\-–]*(?:\s*n\.\s*\d+)?)")

# --------------------------------------------------------------------------- signals, short forms

# Leading signal, optionally after a lead-in clause ("For more information, see ...").
SIGNAL_RE = re.compile(
    r"^(?:(?P<lead>[A-Z][^.;:“”\"()]{0,100}?),\s+)?"
    r"(?P<sig>see generally|see also|see|cf\.|but see|but cf\.|compare|accord|contra)"
    r"(?:,?\s+e\.g\.|,?\s+for example)?,?\s+",
    re.IGNORECASE,
)
SIGNAL_NAMES = {
    "see generally": "See generally", "see also": "See also", "see": "See", "cf.": "Cf.",
    "but see": "But see", "but cf.": "But cf.", "compare": "Compare", "accord": "Accord",
    "contra": "Contra",
}
# Lead-ins that may precede a signal: a short clause, not a sentence of prose.
LEAD_IN_RE = re.compile(r"^(?:for|as|on|in|also|and|e\.g\.)\b", re.IGNORECASE)
# "the study of this experience in Johan Engvall, Title, ..." -> "Johan Engvall, Title, ..."
LEAD_IN_NAME_RE = re.compile(r"^[a-z][^,;“\"]*?\b(?:in|by|from)\s+(?=[A-Z])")
EG_RE = re.compile(r"^(?:e\.g\.|for example),\s+", re.IGNORECASE)

IBID_RE = re.compile(r"^(?P<form>ibid|id)\.?(?=$|[\s,;.])", re.IGNORECASE)
SUPRA_RE = re.compile(r"^(?P<who>.{0,120}?),?\s+supra(?:\s+note\s+(?P<label>[\w*]+))?\b", re.IGNORECASE)
SUPRA_WORD_RE = re.compile(r"\bsupra\b", re.IGNORECASE)
SHORT_FORM_WORD_RE = re.compile(r"\bsupra\b|\bhereinafter\b", re.IGNORECASE)
# "(hereinafter X)", "[hereinafter X]", "hereinafter “X”": the short name a note defines.
HEREINAFTER_RE = re.compile(r"[(\[]\s*hereinafter,?\s+|\bhereinafter,?\s+(?=[“\"])", re.IGNORECASE)
# A quotation after "hereinafter" is the short name being defined, not a title.
HEREINAFTER_OPEN_RE = re.compile(r"hereinafter[^)\]]*$", re.IGNORECASE)

# --------------------------------------------------------------------------- report numbers

# CRS product numbers (R45281, RL33110, RS22331, IF12672, IN12633, LSB11111) and GAO numbers.
CRS_PRODUCT_RE = re.compile(
    r"\bCRS\s+(?:Report|In Focus|Insight|Legal Sidebar|Infographic|Testimony|Product)\s+"
    r"(?P<num>[A-Z]{1,3}\d{4,6})\b"
)
BARE_REPORT_RE = re.compile(r"\b(?P<num>(?:R|RL|RS|IF)\d{5})\b")
GAO_REPORT_RE = re.compile(r"\b(?P<num>GAO[-/](?:[A-Z]{2,5}-)?\d{2}-\d{2,4}[A-Z]{0,3})\b")
# After a CRS product number: ", Title, by Author".
CRS_TITLE_RE = re.compile(r",\s*(?P<title>.+?)(?:,\s+by\s+(?P<by>.+?))?\.?$")
REPORT_WORD_RE = re.compile(r"\b(?:Report|Working Paper|Paper|Form 10-K)\b")
DOI_RE = re.compile(r"\b(10\.\d{4,9}/[^\s\"“”<>]+[^\s\"“”<>.,;)\]])")

# --------------------------------------------------------------------------- legal material

# Reporters: "505 U.S. 1003", "141 S. Ct. 2063", "114 F.4th 593", "796 N.W.2d".
REPORTER_RE = re.compile(
    r"\b(?P<vol>\d+)\s+(?P<rep>U\.\s?S\.|S\.\s?Ct\.|L\.\s?Ed\.(?:\s?2d)?|F\.\s?(?:\d[a-z]{1,2}|Supp\.)|"
    r"[A-Z][A-Za-z.]*\d?d)\s+(?P<page>\d+|at\b)"
)
CASE_NAME_RE = re.compile(r"^(?P<name>[A-Z][^,;()]*?\sv\.\s[^,;()]+?),\s+\d")
# The short cite "Lucas, 505 U.S. at 1027": a name, then a volume.
CASE_SHORT_RE = re.compile(r"^[A-Z][^,;()]{0,60},\s+\d+\s")
DOCKET_RE = re.compile(r"\bno\.\s*\d+:\d+-cv", re.IGNORECASE)
STATUTE_RE = re.compile(
    r"U\.\s?S\.\s?C\.|C\.\s?F\.\s?R\.|\bCFR\s+\d|\bP\.\s?L\.\s+\d|\bPub\.\s+L\.|\d+\s+Stat\.\s+\d|"
    r"\bCONST\.|\bFed\.\s+Reg\.|\bFederal Register\b|§|\bAct of \w+\.? \d|\bCode\b|\bStatutes?\b"
)
# A statute cited by its name: "Water Services Pricing Act (Act No. 31 of 2021), Official Gazette
# ...", "Infrastructure Investment and Jobs Act (P.L. 117-58)", "Water Services Pricing Act, arts. 14".
NAMED_ACT_RE = re.compile(
    r"^(?P<name>(?:[A-Z][\w’'-]*\s+(?:(?:of|on|for|and|the|to)\s+)*){1,10}"
    r"(?:Act|Code|Law|Decree|Ordinance)(?:\s+of\s+\d{4})?)(?:\s*\([^()]*\))?(?:,\s*|\.?$)"
)
# The gazette that printed a named act ("..., Official Gazette No. 12, ...")...
GAZETTE_RE = re.compile(r"(?P<c>[A-Z][^,;()]+?)\s*(?:,|\.?$)")
# ...unless what follows the act's name is a locator of the act itself.
ACT_LOCATOR_RE = re.compile(r"(?:P\.\s?L\.|Pub\.|\d|Sec(?:tion|s?\.)|Title\b|Art|Chapter|Part\b|Schedule)")
GOV_AUTHORS_RE = re.compile(
    r"\b(?:Congress|Senate|House|Committee|Department|Testimony|hearing|Congressional Record|"
    r"Federal Register|White House|Executive Order|Administration|Agency|Commission)\b"
)
GOV_HOST_RE = re.compile(r"\.(?:gov|mil)$|\.gov\.[a-z]{2}$|^gov\.[a-z]{2}$")

# --------------------------------------------------------------------------- journals, books, outlets

# Law-review form: "Title, 35 ECOLOGY L.Q. 1, 19 (2008)" (volume, small-caps journal, page).
LAW_JOURNAL_RE = re.compile(r",\s+(?P<vol>\d+)\s+(?P<journal>[A-Z][A-Z.’'&\s]*[A-Z.])\s+(?P<page>\d+)")
JOURNAL_MARK_RE = re.compile(r"\bvol\.?\s+\d|\bno\.\s+\d|\b\d+\(\d+\),")
# "Washington: Publisher", "Lanham, MD: Rowman & Littlefield", "(Thousand Oaks, CA: Sage, 2005)".
PLACE_RE = re.compile(
    r"(?:(?<=, )|(?<=\()|(?<=^))"
    r"(?P<place>[A-Z][a-z]+\.?(?:\s[A-Z][a-z]+\.?){0,2}(?:,\s(?:[A-Z]{2}|D\.C\.|[A-Z][a-z]{2,5}\.))?)"
    r":\s(?P<pub>[^,;:()]+)"
)
# A year or ")" right after "Place: Publisher" shows it is one, not "Title: Subtitle".
AFTER_PUBLISHER_RE = re.compile(r"\s*(?:,\s*\d{4}\b|\))")
PUBLISHER_WORD_RE = re.compile(
    r"\b(?:Institute|Press|Program|Center|Centre|University|Publish\w*|Books|Foundation|"
    r"Council|Office|Research|GPO|Littlefield|Routledge|Sage|Wiley|Springer|Elsevier)\b"
)
PRESS_RE = re.compile(r"\((?P<pub>[^():,]*(?:Press|Publishing|Publications|Books)[^():,]*),\s+\d{4}\)")
EDITORS_RE = re.compile(r"\beds?\.")
# "in X, eds., Book, ...": the book a chapter is in.
IN_BOOK_RE = re.compile(r"in\s+(?:.+?,\s+eds?\.,?\s+)?(?P<book>[^,(]+)")
DOMAIN_TOKEN_RE = re.compile(r"^(?P<dom>[\w-]+(?:\.[\w-]+)*\.[a-z]{2,6})\b\.?\s*(?P<rest>.*)$")
# Comma-separated fields after a title; a quotation is one field whatever commas it holds.
OUTLET_FIELD_RE = re.compile(r"(?:“[^”]*”|\"[^\"]*\"|[^,(;])+")
# Author-date (APA, Harvard): "Slovic, P., 2010. The Psychology of risk. Journal, ..."
AUTHOR_DATE_RE = re.compile(
    r"^(?P<auth>[^()“\"]{2,160}?)\.?\s*(?:\((?:\d{4}[a-z]?|n\.d\.)\)|,\s\d{4})\.\s+(?P<title>[^.?]+[?]?)"
)
# The end of an author-date sentence: "WHO (2020)." or "Slovic, P., 2010."
AUTHOR_DATE_END_RE = re.compile(r"\((?:\d{4}[a-z]?|n\.d\.)\)\.?\s*$|,\s\d{4}\.\s*$")
# A title ends at a parenthesis or a comma, but "Year Ended December 31, 2025" goes on.
TITLE_STOP_RE = re.compile(r"\s\(|,\s(?!\d{4}\b)")
# A genre word before a law-review title: "Note, Title, 35 HARV. L. REV. 1".
GENRE_RE = re.compile(r"^(?:Essay|Note|Comment|Article),\s+")

# --------------------------------------------------------------------------- quotations, titles

QUOTE_RE = re.compile(r"“(?P<a>[^“”]+)”|\"(?P<b>[^\"]+)\"")
# A quoted phrase followed by lowercase words sits inside an unquoted title.
LOWER_AFTER_RE = re.compile(r"\s+[a-z]")
# Words after which a quotation is a title: "see “Title”", "in “Title”".
TITLE_LEAD_RE = re.compile(r"\b(?:see|in|and|also)$", re.IGNORECASE)

# --------------------------------------------------------------------------- names

NAME_TOKEN_RE = re.compile(r"^(?:[A-Z][\w’'.-]*|[A-Z]\.|de|da|del|der|van|von|la|le|al-\w+|bin)$")
CONTINUED_NAME_RE = re.compile(r"^(?:Jr\.|Sr\.|et al\.|eds?\.|Inc\.?|LLC|L\.L\.C\.|Ltd\.?|Corp\.?|Co\.)$")
# A lowercase "in X" / "by X" before the title: the authors are the capitalised words after it.
IN_BY_NAME_RE = re.compile(r"\b(?:in|by)\s+[A-Z]")
TRAILING_NAMES_RE = re.compile(r"\b(?:in|by|from)\s+((?:[A-Z][\w’'.-]*\s?)+)$")
NAME_FIELD_RE = re.compile(r"[^,]+(?:,|$)")
ET_AL_END_RE = re.compile(r"\s+et al\.?$")
AND_RE = re.compile(r"\s+(?:and|&)\s+")
# Lowercase words an organisation name may hold ("Committee on Foreign Affairs").
ORG_CONNECTORS = {"of", "the", "for", "and", "on", "&"}
# Characters no person or organisation name holds.
NOT_NAME_TOKEN_RE = re.compile(r"\d|[:;“”\"?]|[’']s$")
NOT_ORG_RE = re.compile(r"[:;“”\"?\d]")
# Where the first author's name ends: a comma, "and", "&" or "et al".
FIRST_AUTHOR_END_RE = re.compile(r",|\s+(?:and|&)\s+|\s+et al")

# --------------------------------------------------------------------------- cutting a note

ABBREVIATIONS = {
    "no", "nos", "vol", "vols", "p", "pp", "mr", "mrs", "ms", "dr", "jan", "feb", "mar", "apr",
    "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "inc", "co", "corp", "ltd", "al",
    "id", "ibid", "v", "vs", "rev", "stat", "cong", "sess", "ed", "eds", "st", "jr", "sr",
    "gen", "gov", "sen", "rep", "art", "cl", "ch", "ct", "supp", "cir", "app", "fed", "reg",
    "dept", "univ", "assn", "comm", "ann", "cf", "op", "cit", "n", "nn", "ex", "rel", "est",
    "amend", "const", "u", "l", "j", "q", "sec", "secs", "para", "fig", "approx", "cal", "mass",
}
# A sentence end: ". " (or ".” ") followed by a capital or an opening quote.
SENTENCE_END_RE = re.compile(r"[.?!][”\"’]?\s+(?=[A-Z“\"])")
LAST_TOKEN_RE = re.compile(r"(\S+)$")
# Small-caps journal names: "109 VA. L. REV. 233": an all-capitals token, then another.
CAPS_TOKEN_RE = re.compile(r"[A-Z’']+")
NEXT_CAPS_RE = re.compile(r"\s+([A-Z][A-Z.’']*)")
WORD_RE = re.compile(r"[A-Za-z][\w’'-]*")
# A lowercase word of four letters or more: the words before a parenthetical are prose.
PROSE_WORD_RE = re.compile(r"\b[a-z]{4,}\b")
LEADING_CONJ_RE = re.compile(r"^(?:and|or)\s+")
PAREN_GROUP_RE = re.compile(r"\([^()]*\)")
SPACED_PAREN_GROUP_RE = re.compile(r"\s*\([^()]*\)")
PUNCTUATION_RE = re.compile(r"[^\w\s]")
# A scheme cut from its "//" by a line break the extractor joined with a space: "https: //x.org".
SPLIT_SCHEME_RE = re.compile(r"\b(https?):\s+//(?=\w)", re.IGNORECASE)
# What stays with a URL: its archive link "[https://perma.cc/...]", parentheticals, punctuation.
AFTER_URL_RE = re.compile(r"(?:\s*\[[^\]]*\])?(?:\s*\((?:[^()]|\([^()]*\))*\))*[\s.,]*")
CONJ_RE = re.compile(r"(?:and|or)\s+", re.IGNORECASE)
# "...; also available at https://..." continues the citation before it.
CONTINUATION_RE = re.compile(r"^\s*(?:also\s+)?(?:available|accessed|archived|retrieved)\b", re.IGNORECASE)
# Lowercase words before a nested citation ("quoting", "citing", "see, e.g.,").
LEADING_LOWER_RE = re.compile(r"^(?:[a-z][\w.]*,?\s+)+(?=[A-Z“\"h])")
# Split "..., by A and CRS In Focus IF12576, ..." into one citation per CRS product.
CRS_JOIN_RE = re.compile(
    r",?\s+and\s+(?=CRS\s+(?:Report|In Focus|Insight|Legal Sidebar|Infographic)\s+[A-Z]{1,3}\d)"
)
# "..., p. 3, and Hannah Karp, “Title,” ...": a second work joined by "and".
AND_AUTHOR_RE = re.compile(
    r",\s+and\s+(?=(?:[A-Z][\w.'’-]*\s+|(?:and|&)\s+){0,6}[A-Z][\w.'’-]*(?:\s+et al\.)?,\s+[“\"])"
)
# "GAO-04-343SP (Washington, D.C.: ...), and Title, GAO-05-927 (...)" and "GAO-04-343SP, GAO-05-927".
GAO_JOIN_RE = re.compile(r"\)(,\s+and\s+)(?=[^()]*?\bGAO[-/])|\bGAO[-/][\w/-]+(,\s+)(?=GAO[-/])")
# The last token of a link target ("getrpt?GAO-05-927" -> "GAO-05-927").
URL_TOKEN_SEP_RE = re.compile(r"[?/=]")

# --------------------------------------------------------------------------- thresholds

# Printed years outside this range are page numbers, counts or street numbers, not dates.
MIN_YEAR, MAX_YEAR = 1600, _dt.date.today().year + 2
# Prose: at least 3 lowercase words of 4+ letters making up 30% of the words; titles are
# capitalised and short function words ("of", "the") are common in both.
PROSE_MIN_WORD = 4
PROSE_MIN_WORDS = 3
PROSE_MIN_SHARE = 0.3
# "supra" is a short form only near the start ("Smith, supra note 3"); later it is prose.
SUPRA_WINDOW = 160
# Author text longer than this is a sentence of commentary, not a byline.
MAX_AUTHORS_LEN = 100
# Past this many comma fields after a title, the text is a list or prose, not an outlet.
MAX_OUTLET_FIELDS = 4
# A person's name has 1-4 words ("S. Frederick Starr"); an organisation 2-12 with a
# connector ("Committee on Foreign Affairs").
MAX_NAME_WORDS = 4
MIN_ORG_WORDS, MAX_ORG_WORDS = 2, 12
# A one-word name must show 2+ capitals (an acronym "EDA" or CamelCase "IBISWorld").
MIN_CAPS_ONE_WORD_NAME = 2
# A "hereinafter" name this short ("Act", "Report") would match too many later notes.
MIN_SHORT_NAME_LEN = 6
# Unbalanced quotes, then unbalanced brackets, are given up in turn; the third pass is final.
DEPTH_PASSES = 3
