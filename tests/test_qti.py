"""QTI 1.2 export for Canvas (issue #17): the zip, its manifest, and per kind the item structure
text2qti writes and Canvas reads, with the answers and credits in it."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from quiz.bank.model import (
    Bank,
    ChoiceQuestion,
    DateQuestion,
    MatchQuestion,
    MultiQuestion,
    NumberAnswer,
    NumberQuestion,
    OrderQuestion,
    PartialDate,
    TextQuestion,
    Tolerance,
    TrueFalseQuestion,
)
from quiz.cli import cli
from quiz.formats.qti import qti_export

NS = {"q": "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"}
MANIFEST = {"m": "http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1"}

BANK = Bank(
    id="ports",
    title="Ports & <zones>",
    description="Where ships call.",
    questions=(
        ChoiceQuestion(
            id="c",
            prompt="Which port is in the zone?",
            answer="Rason",
            other_answers=("Rajin",),
            distractors=("Hamhung", "Sonbong"),
            credits=(("Sonbong", 0.5),),
            feedback=(("Hamhung", "Further south."),),
            explanation="Rason and Rajin are one city.",
            points=2,
        ),
        MultiQuestion(
            id="m", prompt="Which are ports?", answers=("Rason", "Nampo"), distractors=("Kaesong",)
        ),
        TrueFalseQuestion(id="t", prompt="Rason borders Russia.", answer=True),
        TextQuestion(
            id="s",
            prompt="Name the zone.",
            answer="Rason",
            accept=("Rajin-Sonbong",),
            credits=(("Rajin-Sonbong", 0.5),),
        ),
        NumberQuestion(
            id="n",
            prompt="Pi?",
            answer=3.1415,
            tolerance=Tolerance(0.0005),
            answers=(NumberAnswer(3.0, Tolerance(0), 1.0),),
        ),
        MatchQuestion(
            id="p",
            prompt="Match.",
            pairs=(("KOTRA", "South Korea"), ("MOFA", "Japan")),
            distractors=("China",),
        ),
        OrderQuestion(id="o", prompt="Order.", items=("first", "second", "third")),
        DateQuestion(id="d", prompt="When?", answer=PartialDate(2022, 12)),
    ),
)


@pytest.fixture(scope="module")
def export() -> tuple[zipfile.ZipFile, list[str]]:
    data, warnings = qti_export(BANK)
    return zipfile.ZipFile(io.BytesIO(data)), warnings


def _items(archive: zipfile.ZipFile) -> dict[str, ET.Element]:
    name = "quiz_assessment_ports/quiz_assessment_ports.xml"
    root = ET.fromstring(archive.read(name))
    assessment = root.find("q:assessment", NS)
    assert assessment is not None and assessment.get("title") == "Ports & <zones>"
    section = assessment.find("q:section", NS)
    assert section is not None and section.get("ident") == "root_section"
    return {item.get("title") or "": item for item in section.findall("q:item", NS)}


def _meta(item: ET.Element) -> dict[str, str]:
    fields = item.findall("q:itemmetadata/q:qtimetadata/q:qtimetadatafield", NS)
    return {f.findtext("q:fieldlabel", "", NS): f.findtext("q:fieldentry", "", NS) for f in fields}


def _labels(item: ET.Element) -> dict[str, str]:
    """response_label ident -> its text."""
    return {
        label.get("ident") or "": label.findtext("q:material/q:mattext", "", NS)
        for label in item.iter(f"{{{NS['q']}}}response_label")
    }


def _scores(item: ET.Element) -> list[tuple[str, str, str]]:
    """(action, score, the idents or values its condition asks) per scoring respcondition."""
    out = []
    for condition in item.findall("q:resprocessing/q:respcondition", NS):
        setvar = condition.find("q:setvar", NS)
        if setvar is None:
            continue
        asked = [
            e.text or ""
            for e in condition.iter()
            if e.tag.endswith(("varequal", "vargte", "varlte"))
        ]
        out.append((setvar.get("action") or "", setvar.text or "", " ".join(asked)))
    return out


def test_the_zip_and_its_manifest(export: tuple[zipfile.ZipFile, list[str]]) -> None:
    archive, _ = export
    names = archive.namelist()
    assert names == [
        "imsmanifest.xml",
        "quiz_assessment_ports/quiz_assessment_ports.xml",
        "quiz_assessment_ports/assessment_meta.xml",
    ]
    manifest = ET.fromstring(archive.read("imsmanifest.xml"))
    resources = manifest.findall("m:resources/m:resource", MANIFEST)
    assert [r.get("type") for r in resources] == [
        "imsqti_xmlv1p2",
        "associatedcontent/imscc_xmlv1p1/learning-application-resource",
    ]
    hrefs = [f.get("href") for r in resources for f in r.findall("m:file", MANIFEST)]
    assert hrefs == names[1:]
    dependency = resources[0].find("m:dependency", MANIFEST)
    assert dependency is not None and dependency.get("identifierref") == resources[1].get(
        "identifier"
    )
    meta = ET.fromstring(archive.read(names[2]))
    texts = {child.tag.split("}")[1]: child.text for child in meta}
    assert texts["title"] == "Ports & <zones>" and texts["points_possible"] == "9"


def test_choice_item(export: tuple[zipfile.ZipFile, list[str]]) -> None:
    archive, warnings = export
    item = _items(archive)["c"]
    assert _meta(item)["question_type"] == "multiple_choice_question"
    assert _meta(item)["points_possible"] == "2"
    lid = item.find("q:presentation/q:response_lid", NS)
    assert lid is not None and lid.get("rcardinality") == "Single"
    labels = _labels(item)
    assert sorted(labels.values()) == ["Hamhung", "Rajin", "Rason", "Sonbong"]
    by_text = {text: ident for ident, text in labels.items()}
    assert _scores(item) == [("Set", "100", by_text["Rason"]), ("Set", "100", by_text["Rajin"])]
    feedback = {f.get("ident") for f in item.findall("q:itemfeedback", NS)}
    assert {"general_fb", f"{by_text['Hamhung']}_fb"} == feedback
    assert any(w.startswith("[c]") and "partial credit" in w for w in warnings)


def test_multi_and_truefalse_items(export: tuple[zipfile.ZipFile, list[str]]) -> None:
    items = _items(export[0])
    multi = items["m"]
    assert _meta(multi)["question_type"] == "multiple_answers_question"
    lid = multi.find("q:presentation/q:response_lid", NS)
    assert lid is not None and lid.get("rcardinality") == "Multiple"
    by_text = {text: ident for ident, text in _labels(multi).items()}
    condition = multi.find("q:resprocessing/q:respcondition/q:conditionvar/q:and", NS)
    assert condition is not None
    right = [e.text for e in condition.findall("q:varequal", NS)]
    wrong = [e.text for e in condition.findall("q:not/q:varequal", NS)]
    assert right == [by_text["Rason"], by_text["Nampo"]] and wrong == [by_text["Kaesong"]]
    truefalse = items["t"]
    assert _meta(truefalse)["question_type"] == "true_false_question"
    labels = _labels(truefalse)
    assert sorted(labels.values()) == ["False", "True"]
    true_ident = next(i for i, t in labels.items() if t == "True")
    assert _scores(truefalse) == [("Set", "100", true_ident)]


def test_short_answer_and_numerical_items(export: tuple[zipfile.ZipFile, list[str]]) -> None:
    archive, warnings = export
    items = _items(archive)
    short = items["s"]
    assert _meta(short)["question_type"] == "short_answer_question"
    assert short.find("q:presentation/q:response_str/q:render_fib", NS) is not None
    assert _scores(short) == [("Set", "100", "Rason")]  # half credit has no Canvas form
    assert any(w.startswith("[s]") for w in warnings)
    number = items["n"]
    assert _meta(number)["question_type"] == "numerical_question"
    fib = number.find("q:presentation/q:response_str/q:render_fib", NS)
    assert fib is not None and fib.get("fibtype") == "Decimal"
    assert _scores(number) == [("Set", "100", "3.1415 3.141 3.142"), ("Set", "100", "3 3 3")]


def test_matching_order_and_date_items(export: tuple[zipfile.ZipFile, list[str]]) -> None:
    archive, warnings = export
    items = _items(archive)
    match = items["p"]
    assert _meta(match)["question_type"] == "matching_question"
    lids = match.findall("q:presentation/q:response_lid", NS)
    assert [lid.findtext("q:material/q:mattext", "", NS) for lid in lids] == ["KOTRA", "MOFA"]
    options = [
        label.findtext("q:material/q:mattext", "", NS)
        for label in lids[0].findall("q:render_choice/q:response_label", NS)
    ]
    assert options == ["South Korea", "Japan", "China"]  # the extra answer is an option
    by_text = {text: ident for ident, text in _labels(match).items()}
    assert _scores(match) == [
        ("Add", "50", by_text["South Korea"]),
        ("Add", "50", by_text["Japan"]),
    ]
    order = items["o"]
    assert _meta(order)["question_type"] == "matching_question"
    assert any(w.startswith("[o]") and "ordering" in w for w in warnings)
    date = items["d"]
    assert _meta(date)["question_type"] == "short_answer_question"
    from quiz.kinds import kind_of

    written = kind_of(BANK.questions[-1]).expected_text(BANK.questions[-1])
    assert _scores(date) == [("Set", "100", written)]
    assert any(w.startswith("[d]") and "date" in w for w in warnings)


def test_export_is_the_same_bytes_every_time() -> None:
    assert qti_export(BANK)[0] == qti_export(BANK)[0]


def test_export_command_needs_a_file(tmp_path: Path) -> None:
    bank = tmp_path / "b.yaml"
    runner = CliRunner()
    assert runner.invoke(cli, ["banks", "new", "demo", "-o", str(bank)]).exit_code == 0
    result = runner.invoke(cli, ["banks", "export", str(bank), "--to", "qti"])
    assert result.exit_code == 2 and "-o" in result.output
    out = tmp_path / "demo.zip"
    result = runner.invoke(cli, ["banks", "export", str(bank), "--to", "qti", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "imsmanifest.xml" in zipfile.ZipFile(out).namelist()


def test_each_text_is_written_as_canvas_html_in_its_own_format() -> None:
    # An option is plain text (escaped) unless it has a format of its own; feedback and the
    # explanation take their own format or the question's; a match's left side is plain text.
    from quiz.formats.gift import read_gift

    bank = read_gift(
        "::c:: [html]<p>Pick <b>one</b></p> {=a < b ~[html]<i>c</i> &amp; d "
        "#[plain]x < y ~e #<b>no</b>####[plain]1 < 2}\n\n"
        "::m:: Pair. {=[html]<i>Cuts</i> -> Saw =Drives -> Hammer}\n",
        "ports.gift",
    )
    data, _ = qti_export(bank)
    items = _items_of(zipfile.ZipFile(io.BytesIO(data)))
    choice = items["c"]
    assert choice.findtext("q:presentation/q:material/q:mattext", "", NS) == (
        "<p>Pick <b>one</b></p>"
    )
    assert sorted(_labels(choice).values()) == ["<i>c</i> &amp; d", "a &lt; b", "e"]
    feedback = {
        f.get("ident"): f.findtext("q:flow_mat/q:material/q:mattext", "", NS)
        for f in choice.findall("q:itemfeedback", NS)
    }
    assert feedback["general_fb"] == "1 &lt; 2"
    assert sorted(v for k, v in feedback.items() if k != "general_fb") == ["<b>no</b>", "x &lt; y"]
    lefts = [
        m.findtext("q:material/q:mattext", "", NS)
        for m in items["m"].iter(f"{{{NS['q']}}}response_lid")
    ]
    assert lefts == ["Cuts", "Drives"]


def _items_of(archive: zipfile.ZipFile) -> dict[str, ET.Element]:
    name = next(
        n for n in archive.namelist() if n.endswith(".xml") and "/" in n and "meta" not in n
    )
    section = ET.fromstring(archive.read(name)).find("q:assessment/q:section", NS)
    assert section is not None
    return {item.get("title") or "": item for item in section.findall("q:item", NS)}
