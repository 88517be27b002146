"""Hand-tagged English sentences for checking that substitutions keep their Penn tags.

Plain data (no pytest), so that ``benchmarks/augment_synonym.py`` can use it too.
"""

from __future__ import annotations

# Fully Penn-tagged sentences (by hand) with past tenses, participles, plurals, -ing forms,
# comparatives and proper nouns.
TAGGED = [
    "The/DT children/NNS were/VBD running/VBG quickly/RB through/IN the/DT old/JJ houses/NNS ./.",
    "She/PRP recommended/VBD two/CD cars/NNS to/TO her/PRP$ friends/NNS ./.",
    "The/DT committee/NN approved/VBD the/DT proposals/NNS after/IN long/JJ debates/NNS ./.",
    "I/PRP love/VBP New/NNP York/NNP and/CC its/PRP$ crowded/JJ streets/NNS ./.",
    "Our/PRP$ engineers/NNS have/VBP repaired/VBN the/DT broken/JJ machines/NNS ./.",
    "He/PRP bought/VBD bigger/JJR shoes/NNS for/IN the/DT winter/NN ./.",
    "The/DT students/NNS are/VBP studying/VBG difficult/JJ problems/NNS ./.",
    "Maria/NNP visited/VBD Paris/NNP and/CC admired/VBD the/DT buildings/NNS ./.",
    "The/DT company/NN announced/VBD large/JJ profits/NNS yesterday/NN ./.",
    "Doctors/NNS examined/VBD the/DT patients/NNS carefully/RB ./.",
    "We/PRP discussed/VBD the/DT results/NNS with/IN our/PRP$ colleagues/NNS ./.",
    "The/DT birds/NNS were/VBD singing/VBG in/IN the/DT trees/NNS ./.",
    "They/PRP purchased/VBD several/JJ books/NNS about/IN history/NN ./.",
    "The/DT teacher/NN explained/VBD the/DT rules/NNS clearly/RB ./.",
    "Microsoft/NNP released/VBD new/JJ products/NNS in/IN Seattle/NNP ./.",
    "The/DT workers/NNS demanded/VBD higher/JJR wages/NNS ./.",
    "My/PRP$ neighbours/NNS built/VBD a/DT beautiful/JJ garden/NN ./.",
    "The/DT police/NNS arrested/VBD three/CD suspects/NNS ./.",
    "The/DT soldiers/NNS defended/VBD the/DT cities/NNS bravely/RB ./.",
    "The/DT researchers/NNS collected/VBD samples/NNS from/IN rivers/NNS ./.",
    "The/DT kids/NNS enjoyed/VBD the/DT movies/NNS ./.",
    "The/DT manager/NN praised/VBD the/DT employees/NNS ./.",
    "She/PRP was/VBD reading/VBG interesting/JJ articles/NNS ./.",
    "The/DT farmers/NNS planted/VBD vegetables/NNS in/IN the/DT fields/NNS ./.",
]
PROPER = {"New", "York", "Maria", "Paris", "Microsoft", "Seattle"}


def detag(tagged: str) -> tuple[str, list[tuple[str, str]]]:
    """The plain sentence and its (word, tag) pairs."""
    pairs = [tuple(item.rsplit("/", 1)) for item in tagged.split()]
    text = " ".join(word for word, _ in pairs).replace(" .", ".")
    return text, [(w, t) for w, t in pairs]
