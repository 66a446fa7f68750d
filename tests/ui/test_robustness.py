"""The served UI under load and hostile input: many users at once, odd questions, requests for files it
must not serve. The real app on loopback with the full index and the bundled models."""
from __future__ import annotations

import http.client
import json
import statistics
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlparse

import pytest
from gradio_client import Client

from tests.conftest import ROOT

pytestmark = pytest.mark.slow

USERS, QUESTIONS_EACH = 20, 5
QUESTIONS = [
    "What do the OECD Principles say about international co-operation for trustworthy AI?",
    "What does the Beijing AI Principles say about privacy?",
    "全球人工智能治理倡议对发展中国家有什么主张?",
    "What does the Asilomar AI Principles say about an arms race in lethal autonomous weapons?",
    "What is the capital of Australia?",  # refused: not in the corpus
]
ARTIFACT = ROOT / "tests" / "artifacts" / "concurrency.json"


def _ask(client: Client, question: str) -> dict:
    return client.predict(question, api_name="/ask")


def _same(answer: dict) -> tuple:
    """What must not depend on who else is asking: the quotes and their citations, the sources, whether it is
    declined (the model's summary may be dropped under load, see _summary_or_busy)."""
    return (answer.get("error"), answer.get("parts", {}).get("evidence"), answer.get("citations"),
            answer.get("refused"), [s["node_id"] for s in answer.get("sources", [])])


def _summary_or_busy(answer: dict, alone: dict) -> bool:
    """The model's checked summary is the one a lone user gets, or — the model busy with others for longer
    than GOVRAG_LLM_WAIT_S — dropped, with the quotes alone and a notice saying so."""
    from rag.wording import CHINESE, ENGLISH

    busy = any(answer.get("notice", "").startswith(w.model_busy.split("{")[0]) for w in (ENGLISH, CHINESE))
    if busy:
        return answer.get("verdict") == "quotes_only" and not answer.get("parts", {}).get("synthesis")
    return (answer.get("parts", {}).get("synthesis"), answer.get("verdict")) == (
        alone.get("parts", {}).get("synthesis"), alone.get("verdict"))


def test_twenty_simultaneous_users_get_exactly_the_single_user_answers(ui_url: str):
    """20 clients send 100 questions at once. What it measures: isolation under load, not speed (that is
    bench/concurrency.py) — answers are worked on side by side and the model writes one at a time, so every
    answer must quote and cite exactly what a lone user gets, with the lone user's summary or, past the model
    wait, none and a notice; the latencies are written to tests/artifacts/concurrency.json."""
    alone = {q: _ask(Client(ui_url, verbose=False), q) for q in QUESTIONS}
    single = {q: _same(a) for q, a in alone.items()}
    assert all(a.get("error") is None and a["answer"] for a in alone.values())

    def user(number: int) -> list[tuple[str, dict, float]]:
        client = Client(ui_url, verbose=False)
        turn = number % len(QUESTIONS)  # every user asks all five, each starting elsewhere
        asked = []
        for question in (QUESTIONS[turn:] + QUESTIONS[:turn])[:QUESTIONS_EACH]:
            started = time.perf_counter()
            answer = _ask(client, question)
            asked.append((question, answer, time.perf_counter() - started))
        return asked

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=USERS) as pool:
        results = [r for rs in pool.map(user, range(USERS)) for r in rs]
    wall_s = time.perf_counter() - started
    latencies = sorted(seconds for _, _, seconds in results)
    figures = {"users": USERS, "requests": len(results), "wall_s": round(wall_s, 1),
               "latency_p50_s": round(statistics.median(latencies), 2),
               "latency_p95_s": round(latencies[int(0.95 * (len(latencies) - 1))], 2),
               "latency_max_s": round(latencies[-1], 2)}
    ARTIFACT.parent.mkdir(exist_ok=True)
    ARTIFACT.write_text(json.dumps(figures, indent=1), encoding="utf-8")
    print(figures)
    assert len(results) == USERS * QUESTIONS_EACH
    assert [a.get("error") for _, a, _ in results if a.get("error")] == []
    fields = ("error", "evidence", "citations", "refused", "sources")
    differing = [(q, [f for f, x, y in zip(fields, _same(a), single[q]) if x != y] or [
        f"summary: {a.get('verdict')} {a.get('parts', {}).get('synthesis')} vs {alone[q].get('verdict')} "
        f"{alone[q].get('parts', {}).get('synthesis')}"])
                 for q, a, _ in results if _same(a) != single[q] or not _summary_or_busy(a, alone[q])]
    assert differing == [], f"{len(differing)} answers differ from the single-user answer: {differing[:5]}"


@pytest.mark.parametrize("question", [
    "What does the OECD say about transparency?\x00\x07\x1b[31m\x08",  # control characters
    "\u202eWhat does the OECD say about transparency?\u202c",  # right-to-left override
    "ماذا تقول مبادئ منظمة التعاون الاقتصادي والتنمية عن الشفافية؟",  # Arabic, right to left
    "🤖🔒 What does the OECD say about privacy? 🇪🇺👍🏽",  # emoji, flags, skin tone
    "\ud800 What does the OECD say about privacy?",  # a lone surrogate, sent as a JSON escape
])
def test_odd_characters_get_an_answer_or_a_clear_message(ui_url: str, question: str):
    answer = _ask_raw(ui_url, question)
    assert answer.get("verdict") in {"supported", "partly_supported", "refused"} or answer.get("error"), answer
    if answer.get("error"):
        assert "question" in answer["error"]
    for field in ("question", "answer"):  # what is answered and shown is the cleaned text
        assert not any(c in answer.get(field, "") for c in "\x00\x07\x1b\x08\u202e\ud800"), answer.get(field)


def _ask_raw(url: str, question: str) -> dict:
    """/ask through Gradio's plain HTTP API, the JSON ASCII-escaped (gradio_client cannot send a lone
    surrogate; any other HTTP client can)."""
    import httpx

    base = url.rstrip("/")
    body = json.dumps({"data": [question, 5]}, ensure_ascii=True)
    started = httpx.post(f"{base}/gradio_api/call/ask", content=body,
                         headers={"Content-Type": "application/json"}, timeout=60)
    assert started.status_code == 200, started.text[:300]
    events = httpx.get(f"{base}/gradio_api/call/ask/{started.json()['event_id']}", timeout=120).text
    kind = [line for line in events.splitlines() if line.startswith("event:")][-1]
    data = [line for line in events.splitlines() if line.startswith("data:")][-1]
    assert kind == "event: complete", events[-500:]
    return json.loads(data[5:])[0]


def test_a_20000_character_question_is_refused_with_the_limit(ui_url: str):
    client = Client(ui_url, verbose=False)
    answer = _ask(client, "What about privacy? " * 1000)
    assert "the limit is 2000: shorten it" in answer["error"]
    assert _ask(client, QUESTIONS[1])["verdict"] != "refused"  # the same user carries on


def _raw_get(url: str, path: str) -> tuple[int, bytes]:
    """GET exactly `path`, unnormalised (an HTTP library would resolve the ../ itself)."""
    parsed = urlparse(url)
    connection = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=30)
    connection.request("GET", path)
    response = connection.getresponse()
    return response.status, response.read()


def test_file_routes_serve_nothing_outside_the_app(ui_url: str, full_index):
    secrets = {"/etc/passwd": b"root:", str(ROOT / "pyproject.toml"): b"[project]",
               str(full_index.chroma_path / "chroma.sqlite3"): b"SQLite format 3"}
    probes = []
    for target in secrets:
        up = "../" * 12 + target.lstrip("/")
        probes += [f"/gradio_api/file={target}", f"/gradio_api/file={up}",
                   f"/gradio_api/file={up.replace('/', '%2f')}", f"/gradio_api/file={up.replace('.', '%2e')}",
                   f"/gradio_api/file={up.replace('../', '..%252f')}", f"/gradio_api/file/{up}",
                   f"/gradio_api/file={up.replace('/', chr(92))}", f"/static/{up}", f"/assets/{up}",
                   f"/svelte/{up}", f"/static/{up.replace('/', '%2f')}", f"/assets/{up.replace('/', '%2f')}"]
    served = []
    for path in probes:
        status, body = _raw_get(ui_url, path)
        if any(marker in body for marker in secrets.values()):
            served.append((path, status))
    assert served == [], f"served what it must not: {served}"
    assert len(probes) == 36
    closed = ["/gradio_api/proxy=http://127.0.0.1:22/", "/monitoring", "/gradio_api/runs",
              "/gradio_api/run-history/records", "/gradio_api/run-history/buckets"]
    assert [(path, _raw_get(ui_url, path)[0]) for path in closed if _raw_get(ui_url, path)[0] == 200] == []


def test_uploads_are_capped(ui_url: str):
    import httpx

    response = httpx.post(f"{ui_url.rstrip('/')}/gradio_api/upload",
                          files={"files": ("big.txt", b"x" * 2_000_000, "text/plain")}, timeout=30)
    assert response.status_code == 413, response.text[:300]
