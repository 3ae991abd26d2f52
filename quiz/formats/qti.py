"""QTI 1.2 export for Canvas: a zip as Canvas's quiz importer takes it, in the structure text2qti
writes (`imsmanifest.xml`; `<assessment id>/<assessment id>.xml`, a `questestinterop` with one
`assessment`, one `section` and an `item` per question; `<assessment id>/assessment_meta.xml`).

Each item names its Canvas `question_type` in its metadata, with `points_possible`, and says
its answers in `presentation` (`response_lid` with `response_label`s to pick from,
`response_str` to type in) and how they score in `resprocessing` (`setvar` SCORE out of 100):

| quiz kind | Canvas question type |
| --- | --- |
| choice | multiple_choice_question (each fully right option scores 100) |
| multi | multiple_answers_question (Canvas's own partial credit) |
| truefalse | true_false_question |
| text | short_answer_question (fully right answers) |
| number | numerical_question (each fully right answer: exact, or a range) |
| match | matching_question (each pair adds its share; extra answers are options) |
| order | matching_question of item -> position (with a warning) |
| date | short_answer_question of the written date (with a warning) |

What Canvas cannot grade as quiz does (partial credit on one option, an accepted answer or a
number; multi credits; order and date questions) is named in a warning per question.
"""

from __future__ import annotations

import html
import io
import re
import zipfile
from typing import Any, cast
from xml.sax.saxutils import escape, quoteattr

from quiz.bank.model import (
    Bank,
    MatchQuestion,
    NumberQuestion,
    OrderQuestion,
    Question,
    Tolerance,
    TrueFalseQuestion,
)
from quiz.formats.gift import _decimal_text, _number_text, slug

QTI_NS = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"
MANIFEST_NS = "http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1"
CANVAS_NS = "http://canvas.instructure.com/xsd/cccv1p0"
# A fixed time for every member of the zip, so that one bank gives the same bytes every time.
_ZIP_TIME = (2000, 1, 1, 0, 0, 0)


_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _x(text: str) -> str:
    """Text for XML: escaped, without the control characters XML 1.0 cannot hold."""
    return escape(_NOT_XML.sub("", text))


def _attr(text: str) -> str:
    """An attribute's value for XML, quoted: as `_x`, without the control characters."""
    return quoteattr(_NOT_XML.sub("", text))


def _html(text: str, text_format: str | None) -> str:
    """Text as the HTML Canvas shows: HTML as it is, Moodle's auto-format (HTML with line
    breaks) with its line breaks, anything else (plain text, Markdown) escaped."""
    if text_format == "html":
        return text
    if text_format == "moodle":
        return text.replace("\n", "<br/>")
    return html.escape(text, quote=False).replace("\n", "<br/>")


def _mattext(question: Question, text: str, *, option: bool = False) -> str:
    """A text of the question as Canvas's HTML: the prompt, a feedback or the explanation in
    its own format or the question's; an option (`option`) in its own or else plain text."""
    own = question.own_format(text) if text != question.prompt or option else None
    text_format = own if option else own or question.format
    body = _x(_html(text, text_format))
    return f'<material><mattext texttype="text/html">{body}</mattext></material>'


def _metadata(question_type: str, points: float, ident: str, answer_ids: list[str]) -> str:
    fields = [
        ("question_type", question_type),
        ("points_possible", _decimal_text(_dec(points))),
        ("original_answer_ids", ",".join(answer_ids)),
        ("assessment_question_identifierref", f"{ident}_ref"),
    ]
    inner = "".join(
        f"<qtimetadatafield><fieldlabel>{label}</fieldlabel>"
        f"<fieldentry>{_x(entry)}</fieldentry></qtimetadatafield>"
        for label, entry in fields
    )
    return f"<itemmetadata><qtimetadata>{inner}</qtimetadata></itemmetadata>"


def _dec(value: float) -> Any:
    from decimal import Decimal

    return Decimal(repr(float(value)))


def _condition(inner: str, score: str, action: str = "Set", feedback: str | None = None) -> str:
    display = (
        f'<displayfeedback feedbacktype="Response" linkrefid="{feedback}"/>' if feedback else ""
    )
    return (
        f'<respcondition continue="No"><conditionvar>{inner}</conditionvar>'
        f'<setvar action="{action}" varname="SCORE">{score}</setvar>{display}</respcondition>'
    )


def _choices(question: Question, labels: list[tuple[str, str]]) -> str:
    return "".join(
        f'<response_label ident="{ident}">{_mattext(question, text, option=True)}</response_label>'
        for ident, text in labels
    )


def _resprocessing(conditions: list[str]) -> str:
    outcomes = (
        '<outcomes><decvar maxvalue="100" minvalue="0" varname="SCORE" vartype="Decimal"/>'
        "</outcomes>"
    )
    return f"<resprocessing>{outcomes}{''.join(conditions)}</resprocessing>"


def _feedback(question: Question, ident: str, text: str) -> str:
    return (
        f'<itemfeedback ident="{ident}"><flow_mat>{_mattext(question, text)}</flow_mat>'
        "</itemfeedback>"
    )


def _absolute(value: float, tolerance: Tolerance) -> float:
    return float(abs(value) * tolerance.value if tolerance.relative else tolerance.value)


def _item(question: Question, n: int, points: float, warn: Any) -> str:
    """One `<item>`: metadata, presentation, resprocessing and feedback."""
    from quiz.kinds import kind_of, shown_option

    kind = kind_of(question)
    ident = f"quiz_question_{n}_{slug(question.id) or n}"
    prompt = _mattext(question, question.prompt)
    feedback = dict(question.feedback)
    extra: list[str] = []
    general = []
    if question.explanation:
        general.append(
            '<respcondition continue="Yes"><conditionvar><other/></conditionvar>'
            '<displayfeedback feedbacktype="Response" linkrefid="general_fb"/></respcondition>'
        )
        extra.append(_feedback(question, "general_fb", question.explanation))
    name = kind.moodle_xml  # the kind's Moodle question type decides Canvas's
    multiple = kind.widget == "checkbox"
    if name in ("multichoice", "truefalse"):
        if name == "truefalse":
            right = "true" if cast(TrueFalseQuestion, question).answer else "false"
            credits = [("true", 1.0 if right == "true" else 0.0)]
            credits += [("false", 1.0 if right == "false" else 0.0)]
        else:
            credits = list(kind.credits(question) or ())
        labels = [(f"{ident}_a{i}", text) for i, (text, _) in enumerate(credits, 1)]
        shown = [(i, "True" if t == "true" else "False") for i, t in labels]
        cardinality = "Multiple" if multiple else "Single"
        presentation = (
            f"<presentation>{prompt}"
            f'<response_lid ident="response1" rcardinality="{cardinality}"><render_choice>'
            f"{_choices(question, shown if name == 'truefalse' else labels)}"
            "</render_choice></response_lid></presentation>"
        )
        conditions = [*general]
        for (label, text), (_, _credit) in zip(labels, credits, strict=True):
            if text in feedback:
                conditions.append(
                    '<respcondition continue="Yes"><conditionvar>'
                    f'<varequal respident="response1">{label}</varequal></conditionvar>'
                    f'<displayfeedback feedbacktype="Response" linkrefid="{label}_fb"/>'
                    "</respcondition>"
                )
                extra.append(_feedback(question, f"{label}_fb", feedback[text]))
        if multiple:
            if getattr(question, "credits", ()):
                warn("Canvas grades multiple answers by its own rule: the credits are not carried")
            inner = "".join(
                f'<varequal respident="response1">{label}</varequal>'
                if credit > 0
                else f'<not><varequal respident="response1">{label}</varequal></not>'
                for (label, _), (_, credit) in zip(labels, credits, strict=True)
            )
            conditions.append(_condition(f"<and>{inner}</and>", "100"))
            qtype = "multiple_answers_question"
        else:
            if any(0 < credit < 1 or credit < 0 for _, credit in credits):
                warn(
                    "Canvas's multiple choice has no partial credit or penalty: options worth"
                    " part of the marks count as wrong"
                )
            for (label, _), (_, credit) in zip(labels, credits, strict=True):
                if credit >= 1:
                    conditions.append(
                        _condition(f'<varequal respident="response1">{label}</varequal>', "100")
                    )
            qtype = "true_false_question" if name == "truefalse" else "multiple_choice_question"
        body = presentation + _resprocessing(conditions)
        return _wrap(ident, question, qtype, points, [i for i, _ in labels], body, extra)
    if name == "numerical":
        number = cast(NumberQuestion, question)
        presentation = (
            f"<presentation>{prompt}"
            '<response_str ident="response1" rcardinality="Single">'
            '<render_fib fibtype="Decimal"><response_label ident="answer1"/></render_fib>'
            "</response_str></presentation>"
        )
        conditions = [*general]
        answers = [(number.answer, number.tolerance, 1.0)]
        answers += [(a.value, a.tolerance, a.credit) for a in number.answers]
        if any(credit < 1 for *_, credit in answers):
            warn("Canvas's numerical answers have no partial credit: those answers are left out")
        for value, tolerance, credit in answers:
            if credit < 1:
                continue
            # exact decimals: 3.1415 ± 0.0005 is 3.141..3.142, not 3.1409999999999996
            centre, margin = _dec(value), _dec(_absolute(value, tolerance))
            low, high = _decimal_text(centre - margin), _decimal_text(centre + margin)
            inner = (
                f'<or><varequal respident="response1">{_number_text(value)}</varequal>'
                f'<and><vargte respident="response1">{low}</vargte>'
                f'<varlte respident="response1">{high}</varlte></and></or>'
            )
            conditions.append(_condition(inner, "100"))
        body = presentation + _resprocessing(conditions)
        return _wrap(ident, question, "numerical_question", points, [], body, extra)
    if name in ("matching", "ordering"):
        if name == "ordering":
            warn(
                "Canvas has no ordering question: written as matching (item -> position), which"
                " Canvas grades pair by pair, not by the longest run in order"
            )
            items = cast(OrderQuestion, question).items
            pairs: tuple[tuple[str, str], ...] = tuple(
                (item, str(n)) for n, item in enumerate(items, 1)
            )
            extras: tuple[str, ...] = ()
        else:
            pairs = cast(MatchQuestion, question).pairs
            extras = cast(MatchQuestion, question).distractors
        rights = list(dict.fromkeys([*(right for _, right in pairs), *extras]))
        labels = [(f"{ident}_r{i}", text) for i, text in enumerate(rights, 1)]
        by_text = {text: label for label, text in labels}
        responses = "".join(
            f'<response_lid ident="response_{ident}_l{i}">'
            f"<material><mattext>{_x(shown_option(question, left))}</mattext></material>"
            f"<render_choice>{_choices(question, labels)}</render_choice></response_lid>"
            for i, (left, _) in enumerate(pairs, 1)
        )
        share = _decimal_text(_dec(100 / len(pairs))) if pairs else "0"
        conditions = [*general]
        conditions += [
            "<respcondition><conditionvar>"
            f'<varequal respident="response_{ident}_l{i}">{by_text[right]}</varequal>'
            f'</conditionvar><setvar varname="SCORE" action="Add">{share}</setvar>'
            "</respcondition>"
            for i, (_, right) in enumerate(pairs, 1)
        ]
        body = f"<presentation>{prompt}{responses}</presentation>" + _resprocessing(conditions)
        answer_ids = [f"{ident}_l{i}" for i in range(1, len(pairs) + 1)]
        return _wrap(ident, question, "matching_question", points, answer_ids, body, extra)
    # text, and any kind Canvas lacks (a date): a short answer with the right texts
    if name == "shortanswer":
        credits = list(kind.credits(question) or ())
        if any(credit < 1 for _, credit in credits):
            warn("Canvas's short answers have no partial credit: those answers are left out")
        accepted = [text for text, credit in credits if credit >= 1]
    else:
        warn(f"Canvas has no {question.kind} question: written as a short answer compared as text")
        accepted = [kind.expected_text(question)]
    presentation = (
        f"<presentation>{prompt}"
        '<response_str ident="response1" rcardinality="Single">'
        '<render_fib><response_label ident="answer1" rshuffle="No"/></render_fib>'
        "</response_str></presentation>"
    )
    inner = "".join(f'<varequal respident="response1">{_x(text)}</varequal>' for text in accepted)
    conditions = [*general, _condition(inner, "100")]
    body = presentation + _resprocessing(conditions)
    return _wrap(ident, question, "short_answer_question", points, [], body, extra)


def _wrap(
    ident: str,
    question: Question,
    question_type: str,
    points: float,
    answer_ids: list[str],
    body: str,
    extra: list[str],
) -> str:
    title = quoteattr(question.id)
    metadata = _metadata(question_type, points, ident, answer_ids)
    return f'<item ident="{ident}" title={title}>{metadata}{body}{"".join(extra)}</item>'


def _manifest(assessment: str, dependency: str, manifest: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<manifest identifier="{manifest}" xmlns="{MANIFEST_NS}"'
        ' xmlns:imsmd="http://www.imsglobal.org/xsd/imsmd_v1p2">'
        "<metadata><schema>IMS Content</schema><schemaversion>1.1.3</schemaversion></metadata>"
        "<organizations/><resources>"
        f'<resource identifier="{assessment}" type="imsqti_xmlv1p2">'
        f'<file href="{assessment}/{assessment}.xml"/>'
        f'<dependency identifierref="{dependency}"/></resource>'
        f'<resource identifier="{dependency}"'
        ' type="associatedcontent/imscc_xmlv1p1/learning-application-resource"'
        f' href="{assessment}/assessment_meta.xml">'
        f'<file href="{assessment}/assessment_meta.xml"/></resource>'
        "</resources></manifest>\n"
    )


def _meta(bank: Bank, assessment: str, points: float) -> str:
    description = html.escape(bank.description or "", quote=False)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<quiz identifier="{assessment}" xmlns="{CANVAS_NS}">'
        f"<title>{_x(bank.title)}</title>"
        f"<description>{_x(description)}</description>"
        f"<shuffle_answers>{'true' if bank.defaults.shuffle_choices else 'false'}"
        "</shuffle_answers>"
        "<scoring_policy>keep_highest</scoring_policy>"
        "<quiz_type>assignment</quiz_type>"
        f"<points_possible>{_decimal_text(_dec(points))}</points_possible>"
        "<allowed_attempts>1</allowed_attempts>"
        "</quiz>\n"
    )


def qti_export(bank: Bank) -> tuple[bytes, list[str]]:
    """The bank as a Canvas QTI 1.2 zip, and a warning ("[question] what changes") for each
    question Canvas grades otherwise than quiz."""
    base = slug(bank.id) or "bank"
    assessment = f"quiz_assessment_{base}"
    warnings: list[str] = []
    items = []
    total = 0.0
    for n, question in enumerate(bank.questions, 1):
        said: list[str] = []
        points = float(bank.points(question))
        total += points
        items.append(_item(question, n, points, said.append))
        warnings += [f"[{question.id}] {message}" for message in dict.fromkeys(said)]
    document = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<questestinterop xmlns="{QTI_NS}">'
        f"<assessment ident={quoteattr(assessment)} title={_attr(bank.title)}>"
        "<qtimetadata><qtimetadatafield><fieldlabel>cc_maxattempts</fieldlabel>"
        "<fieldentry>1</fieldentry></qtimetadatafield></qtimetadata>"
        f'<section ident="root_section">{"".join(items)}</section>'
        "</assessment></questestinterop>\n"
    )
    members = [
        ("imsmanifest.xml", _manifest(assessment, f"quiz_dependency_{base}", f"quiz_{base}")),
        (f"{assessment}/{assessment}.xml", document),
        (f"{assessment}/assessment_meta.xml", _meta(bank, assessment, total)),
    ]
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, text in members:
            info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, text.encode("utf-8"))
    return stream.getvalue(), warnings
