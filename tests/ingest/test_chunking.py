from ingest.chunking import Chunker, embedding_text
from ingest.config import EMBEDDER_MAX_TOKENS
from ingest.embedder import load_tokenizer, load_word_pieces
from ingest.loaders import load_corpus
from ingest.records import record_from_dict
from tests.conftest import CORPUS


def _chunker():
    tokenizer = load_tokenizer(None)
    return tokenizer, Chunker(load_word_pieces(None), EMBEDDER_MAX_TOKENS)


def test_every_default_corpus_node_fits_the_embedder():
    tokenizer, chunker = _chunker()
    nodes = [n for r in load_corpus([CORPUS]).records for n in chunker.nodes(r)]
    assert len(nodes) > 1500
    longest = max(len(tokenizer(embedding_text(n))["input_ids"]) for n in nodes)  # includes [CLS]/[SEP]
    assert longest <= EMBEDDER_MAX_TOKENS
    for key in ("doc_id", "title", "issuer", "date", "country", "language", "heading", "source_file"):
        assert all(key in n.metadata for n in nodes), key
    assert len({n.node_id for n in nodes}) == len(nodes)


def test_long_principles_split_on_sentences_and_ids_are_stable():
    _, chunker = _chunker()
    sentences = [f"Sentence number {i} says that governments should cooperate on topic {i}." for i in range(60)]
    record = record_from_dict({"title": "Long", "text": " ".join(sentences)}, "mem.jsonl", 1)
    nodes = chunker.nodes(record)
    assert len(nodes) > 2
    assert all(n.text.rstrip().endswith(".") for n in nodes)  # cut at sentence ends
    assert [n.node_id for n in nodes] == [n.node_id for n in chunker.nodes(record)]
    changed = record_from_dict({"title": "Long", "text": " ".join(sentences[:-1])}, "mem.jsonl", 1)
    assert nodes[0].node_id == chunker.nodes(changed)[0].node_id  # untouched chunk keeps its id
    assert nodes[-1].node_id != chunker.nodes(changed)[-1].node_id


def test_unspaced_chinese_text_is_cut_to_fit():
    tokenizer, chunker = _chunker()
    record = record_from_dict({"title": "长文", "language": "zh", "text": "人工智能治理需要国际合作" * 80},
                              "zh.jsonl", 1)
    nodes = chunker.nodes(record)
    assert len(nodes) > 1
    assert max(len(tokenizer(embedding_text(n))["input_ids"]) for n in nodes) <= EMBEDDER_MAX_TOKENS


def test_word_pieces_are_the_tokenizers_own():
    """The fast path must cut exactly where tokenizer.tokenize would (node ids depend on the cuts)."""
    tokenizer, pieces = load_tokenizer(None), load_word_pieces(None)
    texts = [p.text for r in load_corpus([CORPUS]).records for p in r.principles]
    assert [pieces(t) for t in texts] == [tokenizer.tokenize(t) for t in texts]


def test_a_principle_that_fits_is_one_node_exactly_as_the_splitter_would_cut_it():
    """The chunker skips llama-index's splitter for texts that fit; node ids depend on it cutting the same."""
    _, chunker = _chunker()
    fitting = 0
    for record in load_corpus([CORPUS]).records:
        for principle in record.principles:
            prefix = f"{record.title}. {principle.heading}." if principle.heading else f"{record.title}."
            budget = chunker.max_tokens - len(chunker.tokenize(prefix + "\n"))
            if len(chunker.tokenize(principle.text)) <= budget:
                fitting += 1
                assert chunker.splitter.split_text_metadata_aware(principle.text, prefix + "\n") == [principle.text]
                assert chunker._split(record.title, principle.heading, principle.text) == [principle.text]
    assert fitting > 1400


def test_a_long_principle_over_two_pages_gives_each_passage_the_page_it_starts_on():
    _, chunker = _chunker()
    first = " ".join(f"Page four sentence {i} is about oversight of systems." for i in range(30))
    second = " ".join(f"Page five sentence {i} is about audits of systems." for i in range(30))
    text = f"{first} {second}"
    record = record_from_dict({"title": "Paged", "principles": [
        {"heading": "Article 9", "text": text, "pages": [[0, 4], [len(first) + 1, 5]]}]}, "mem.pdf", None)
    nodes = chunker.nodes(record)
    assert len(nodes) >= 3
    pages = [n.metadata["page"] for n in nodes]
    assert pages[0] == 4 and pages[-1] == 5 and pages == sorted(pages)
    for node in nodes:  # each passage's page is where its first sentence is
        assert node.metadata["page"] == (4 if node.text.startswith("Page four") else 5)
    plain = chunker.nodes(record_from_dict({"title": "Plain", "text": text}, "mem.txt", None))
    assert all("page" not in n.metadata for n in plain)  # no pages: no page key (corpus ids unchanged)
