"""Which detail a question asks for, and whether a passage states one (rag/detail.py)."""
import pytest

from rag.detail import asked_detail, states
from rag.types import Source


def _source(text: str, date: str = "") -> Source:
    return Source(n=1, node_id="1", doc_id="d", title="T", issuer="", date=date, url="", country="", language="en",
                  heading="", text=text, score=0.5)


@pytest.mark.parametrize("question, detail", [
    ("How much funding does the plan commit?", "amount"), ("What is the maximum fine under the law?", "amount"),
    ("What percentage of systems must be audited?", "share"), ("How many principles does it list?", "count"),
    ("When was the charter adopted?", "date"), ("Who wrote it, and in which year?", "date"),
    ("What should users know when they use AI?", None), ("What does it say about penalties?", None),
    ("违反原则会被处以多少罚款?", "amount"), ("为实现目标划拨了多少卢布预算?", "amount"),
    ("事故后多少小时内必须报告?", "count"), ("委员会共有多少名成员?", "count"), ("设有几个风险等级?", "count"),
    ("它或多或少提到了隐私吗?", None), ("它对隐私说了什么?", None)])
def test_asked_detail_by_wording(question, detail):
    assert asked_detail(question) == detail


def test_a_passage_states_a_detail_of_the_kind_asked():
    assert states("amount", _source("It invests €2 billion in research."), "")
    assert not states("amount", _source("It invests in research in 2019."), "")
    assert states("count", _source("It sets out ten principles."), "")
    assert not states("count", _source("1. Fairness in 2019.\n2) Safety for one and all."), "")  # list numbers, years
    assert states("share", _source("At least 30% of the budget."), "")
    assert not states("date", _source("Fairness first."), "When will members comply?")
    assert states("date", _source("Fairness first.", date="2019"), "When was it published?")  # its own date
