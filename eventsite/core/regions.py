"""Country groupings for balance statistics.

UN regional groups: the five groups of Member States used for elections and rotation
(the United States, an observer of WEOG, is counted with it). Countries in no group
(observer States, territories) count as "other".

Developed and developing: the United Nations M49 standard's historical "developed
regions" — Europe, Northern America, Japan, Australia and New Zealand; every other
country counts as developing, i.e. the Global South share.
"""
from flask_babel import lazy_gettext as _l

AFRICAN = set("DZ AO BJ BW BF BI CV CM CF TD KM CG CD CI DJ EG GQ ER SZ ET GA GM GH GN GW KE LS LR LY MG MW ML "
              "MR MU MA MZ NA NE NG RW ST SN SC SL SO ZA SS SD TZ TG TN UG ZM ZW".split())
ASIA_PACIFIC = set("AF BH BD BT BN KH CN CY KP FJ IN ID IR IQ JP JO KZ KI KW KG LA LB MY MV MH FM MN MM NR NP OM "
                   "PK PW PG PH QA KR WS SA SG SB LK SY TJ TH TL TO TM TV AE UZ VU VN YE".split())
EASTERN_EUROPEAN = set("AL AM AZ BY BA BG HR CZ EE GE HU LV LT ME MD PL RO RU RS SK SI MK UA".split())
LATIN_AMERICAN_CARIBBEAN = set("AG AR BS BB BZ BO BR CL CO CR CU DM DO EC SV GD GT GY HT HN JM MX NI PA PY PE "
                               "KN LC VC SR TT UY VE".split())
WESTERN_EUROPEAN_OTHERS = set("AD AU AT BE CA DK FI FR DE GR IS IE IL IT LI LU MT MC NL NZ NO PT SM ES SE CH TR "
                              "GB US".split())

REGION_LABELS = {
    "african": _l("African States"), "asia_pacific": _l("Asia-Pacific States"),
    "eastern_european": _l("Eastern European States"),
    "latin_american_caribbean": _l("Latin American and Caribbean States"),
    "western_european_others": _l("Western European and other States"), "other": _l("Other"),
    "unknown": _l("Not given"),
}

REGIONAL_GROUPS = {
    "african": AFRICAN,
    "asia_pacific": ASIA_PACIFIC,
    "eastern_european": EASTERN_EUROPEAN,
    "latin_american_caribbean": LATIN_AMERICAN_CARIBBEAN,
    "western_european_others": WESTERN_EUROPEAN_OTHERS,
}
_GROUP_OF = {code: group for group, codes in REGIONAL_GROUPS.items() for code in codes}

EUROPE = set("AL AD AT BY BE BA BG HR CZ DK EE FI FR DE GI GR GG VA HU IS IE IM IT JE LV LI LT LU MT MC ME NL MK "
             "NO PL PT MD RO RU SM RS SK SI ES SJ SE CH UA GB AX FO".split())
NORTHERN_AMERICA = set("BM CA GL PM US".split())
DEVELOPED = EUROPE | NORTHERN_AMERICA | {"JP", "AU", "NZ"}


def regional_group(country: str | None) -> str | None:
    """The UN regional group of an ISO 3166 alpha-2 code; "other" outside the five; None when unknown."""
    if not country:
        return None
    return _GROUP_OF.get(country.upper(), "other")


def is_developing(country: str | None) -> bool | None:
    if not country:
        return None
    return country.upper() not in DEVELOPED
