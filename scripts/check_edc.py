"""Validates European Digital Credentials that `kub export --format europass`
wrote against the EDC SHACL shapes (edc-generic-full with edc-generic-no-cv),
offline: the JSON-LD contexts and the shapes are the pinned copies under
tests/fixtures/interop, and nothing is fetched.

An unsealed credential lacks exactly two things that the issuing service
adds when it seals it: the date of issue (`issued`) and the issuer's eIDAS
legal identifier. Those two violations are expected and listed; any other
violation fails the check.

Usage: check_edc.py FIXTURES CREDENTIAL.jsonld...
"""

import json
import sys
from pathlib import Path

from pyshacl import validate
from rdflib import Graph, Namespace
from rdflib.namespace import RDF, SH

CRED = Namespace("https://www.w3.org/2018/credentials#")
ELM = Namespace("http://data.europa.eu/snb/model/elm/")

# The contexts an EDC names, and the pinned copy of each.
CONTEXTS = {
    "https://www.w3.org/2018/credentials/v1": "credentials-v1.jsonld",
    "http://data.europa.eu/snb/model/context/edc-ap": "edc-ap-context.jsonld",
}

# What sealing adds, by (class of the focus node, path): an unsealed
# credential cannot have them.
ADDED_WHEN_SEALED = {
    (CRED.VerifiableCredential, CRED.issued): "the date of issue (`issued`), set by the issuing service when it seals",
    (ELM.Organisation, ELM.eidasLegalIdentifier): "the issuer's eIDAS legal identifier, which the sealing certificate carries",
}


def inline_contexts(document, fixtures):
    """The credential with each named context replaced by its pinned copy,
    so that the JSON-LD parser has nothing to fetch."""
    named = document.get("@context")
    names = named if isinstance(named, list) else [named]
    inlined = []
    for name in names:
        if isinstance(name, str):
            if name not in CONTEXTS:
                sys.exit(f"no pinned copy of the context {name}")
            pinned = json.loads((fixtures / CONTEXTS[name]).read_text(encoding="utf-8"))
            inlined.append(pinned["@context"])
        else:
            inlined.append(name)
    return {**document, "@context": inlined}


def shapes(fixtures):
    graph = Graph()
    for name in ("EDC-generic-no-cv.ttl", "EDC-generic-full.ttl"):
        graph.parse(fixtures / "edc" / name, format="turtle")
    return graph


def added_when_sealed(report, data, result):
    """What sealing adds that `result` finds missing, or None. A result that
    only says a nested shape failed is judged by its details."""
    path = report.value(result, SH.resultPath)
    classes = set(data.objects(report.value(result, SH.focusNode), RDF.type))
    for (cls, missing), why in ADDED_WHEN_SEALED.items():
        if missing == path and cls in classes:
            return why
    details = [added_when_sealed(report, data, detail) for detail in report.objects(result, SH.detail)]
    return details[0] if details and all(details) else None


def describe(report, result, indent="  "):
    focus = report.value(result, SH.focusNode)
    path = report.value(result, SH.resultPath)
    message = report.value(result, SH.resultMessage)
    lines = [f"{indent}VIOLATION at {focus}, {path}: {message}"]
    for detail in report.objects(result, SH.detail):
        lines.extend(describe(report, detail, indent + "  "))
    return lines


def classify(report, data):
    """The report's results, split into what sealing adds and the rest."""
    expected, unexpected = set(), []
    for top in report.subjects(RDF.type, SH.ValidationReport):
        for result in report.objects(top, SH.result):
            why = added_when_sealed(report, data, result)
            if why:
                expected.add(why)
            else:
                unexpected.extend(describe(report, result))
    return expected, unexpected


def check(path, fixtures, shape_graph):
    document = json.loads(Path(path).read_text(encoding="utf-8"))
    data = Graph()
    data.parse(data=json.dumps(inline_contexts(document, fixtures)), format="json-ld")
    conforms, report, _ = validate(
        data, shacl_graph=shape_graph, inference="none", advanced=True, do_owl_imports=False, allow_warnings=True
    )
    expected, unexpected = classify(report, data)
    print(f"{path}: {len(data)} triples")
    for why in sorted(expected):
        print(f"  expected, added when sealed: {why}")
    for line in unexpected:
        print(line)
    return conforms or not unexpected


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    fixtures = Path(sys.argv[1])
    shape_graph = shapes(fixtures)
    results = [check(path, fixtures, shape_graph) for path in sys.argv[2:]]
    if not all(results):
        sys.exit("the EDC shapes found violations that sealing does not fix")
    print(f"{len(results)} credential(s) meet the EDC shapes but for what sealing adds")


if __name__ == "__main__":
    main()
