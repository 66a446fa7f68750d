"""Real corpus principles as Sources, shared by the citation tests (judge, relevance gate, draft check)."""
import pytest

from rag.types import Source


@pytest.fixture
def toronto() -> Source:
    return Source(n=1, node_id="x", doc_id="toronto", title="The Toronto Declaration",
                  issuer="Amnesty International, Access Now", date="2018", url="", country="Canada", language="en",
                  heading="Human Formation/Education",
                  text="States should ensure that public bodies carry out training in human rights and data analysis "
                       "for officials involved in the procurement, development, use, and review of machine learning "
                       "tools.", score=0.7)


@pytest.fixture
def asilomar() -> Source:
    return Source(n=2, node_id="y", doc_id="asilomar", title="Asilomar AI Principles",
                  issuer="Future of Life Institute", date="2017", url="", country="United States of America",
                  language="en", heading="Beneficence/Non-Maleficence",
                  text="An arms race in lethal autonomous weapons should be avoided.", score=0.6)
