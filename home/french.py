"""Small pieces of French grammar the site needs to talk about places and words.

« à Tarascon », « au Parc Bellevue », « aux Lauriers »: the preposition in front of a neighbourhood's
name cannot be computed from the name, so it is part of the neighbourhood's data
(``NeighbourhoodPage.preposition``, chosen among ``PREPOSITIONS``). ``guess_preposition`` only proposes
a first value (new hubs, existing rows in the migration); an editor corrects it in the admin.

A preposition that contains the article takes the place of the article that starts the name:
« Les Lauriers – Olivier A » with « aux » reads « aux Lauriers – Olivier A », and « des Lauriers… » after
« de ». The pilots: « au Parc Bellevue – Félix Pyat » (people say « au parc Bellevue »), « aux Lauriers
– Olivier A », « à Tarascon »."""

import re

from django.utils.translation import gettext_lazy as _

# value -> (label in the admin, the « de » form, the article it absorbs at the start of the name)
PREPOSITIONS = {
    "à": (_("à (à Tarascon)"), "de", None),
    "au": (_("au (au Parc Bellevue)"), "du", "le"),
    "aux": (_("aux (aux Lauriers)"), "des", "les"),
    "à la": (_("à la (à la Busserine)"), "de la", "la"),
    "à l'": (_("à l' (à l'Estaque)"), "de l'", "l'"),
    "dans le": (_("dans le (dans le Panier)"), "du", "le"),
    "dans la": (_("dans la (dans la cité des Fleurs)"), "de la", "la"),
    "dans les": (_("dans les (dans les Hauts de Mazargues)"), "des", "les"),
}
PREPOSITION_CHOICES = [(value, label) for value, (label, _de, _article) in PREPOSITIONS.items()]
DEFAULT_PREPOSITION = "à"

# First words of place names that call for « au » or « à la » (« au Parc… », « à la Cité… »).
_MASCULINE_HEADS = {
    "parc",
    "domaine",
    "clos",
    "mas",
    "val",
    "plan",
    "mont",
    "centre",
    "grand",
    "petit",
    "haut",
    "vieux",
}
_FEMININE_HEADS = {"cité", "résidence", "butte", "plaine", "grande", "petite", "haute", "vieille"}
_VOWELS = "aeiouyàâäéèêëîïôöùûüœAEIOUYÀÂÄÉÈÊËÎÏÔÖÙÛÜŒ"
_LEADING_ARTICLE = re.compile(r"^(les|le|la|l['’])\s*", re.IGNORECASE)


def guess_preposition(name):
    """A first guess from the name, for an editor to check."""
    name = (name or "").strip()
    article = _LEADING_ARTICLE.match(name)
    if article:
        word = article.group(1).lower().replace("’", "'")
        return {"les": "aux", "le": "au", "la": "à la", "l'": "à l'"}[word]
    first = re.split(r"[\s\-–]", name, maxsplit=1)[0].lower()
    if first in _MASCULINE_HEADS:
        return "au"
    if first in _FEMININE_HEADS:
        return "à la"
    return DEFAULT_PREPOSITION


def _without_absorbed_article(preposition, name):
    absorbed = PREPOSITIONS.get(preposition, PREPOSITIONS[DEFAULT_PREPOSITION])[2]
    match = _LEADING_ARTICLE.match(name)
    if absorbed and match and match.group(1).lower().replace("’", "'") == absorbed:
        return name[match.end() :]
    return name


def _join(word, name):
    return f"{word}{name}" if word.endswith("'") else f"{word} {name}"


def in_place(preposition, name):
    """« à Tarascon », « aux Lauriers – Olivier A »."""
    preposition = preposition if preposition in PREPOSITIONS else DEFAULT_PREPOSITION
    return _join(preposition, _without_absorbed_article(preposition, name))


def of_place(preposition, name):
    """« de Tarascon », « d'Aubagne », « des Lauriers – Olivier A »."""
    preposition = preposition if preposition in PREPOSITIONS else DEFAULT_PREPOSITION
    rest = _without_absorbed_article(preposition, name)
    de = PREPOSITIONS[preposition][1]
    if de == "de" and rest[:1] in _VOWELS:
        de = "d'"
    return _join(de, rest)


def lower_first(text):
    """``text`` for the middle of a sentence: « Santé et social » -> « santé et social », but « BTP »,
    « CAP » or « E2C » keep their capitals (a first word in capitals is an acronym)."""
    if not text:
        return text
    first_word = re.split(r"[\s\-–']", text, maxsplit=1)[0]
    if len(first_word) > 1 and first_word.upper() == first_word and any(c.isalpha() for c in first_word):
        return text
    return text[0].lower() + text[1:]
