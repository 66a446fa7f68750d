"""20 users at once: how long each waits for the cited quotes and for the finished answer, on one `govrag ui`
(loopback, the bundled models), today's code against the commit before quotes-first, side by side.

Every user has their own HTTP client on Gradio's REST API (POST a question, read its event stream), then all
ask at the same moment (a barrier), each a different question. Now: /ask_stream, whose first output carries the cited
quotes; before (BASELINE_REV): /ask, where the quotes come only with the finished answer, one answer at a time.

    .venv/bin/python bench/concurrency.py INDEX_DIR [--users 20]"""
from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

#: The last commit before quotes-first (issue 18): one answer at a time, the quotes with the finished answer.
BASELINE_REV = "614b1a0"
USERS = 20
#: A bounded run: no user waits longer than this for anything.
TIMEOUT_S = 300


def questions(count: int) -> list[str]:
    """The first `count` questions of the eval's dev split: answerable and declined ones, as users ask them."""
    lines = (ROOT / "eval" / "questions.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["question"] for line in lines if line.strip()][:count]


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))], 2)


def _ask(client, url: str, endpoint: str, args: list) -> tuple[float, float, str]:  # noqa: ANN001 - httpx.Client
    """One question through Gradio's REST API (POST, then its event stream, as any HTTP client reads it):
    seconds to the first output (the cited quotes; /ask: the whole answer), seconds to the end, any error."""
    started = time.perf_counter()
    event = client.post(f"{url}/gradio_api/call{endpoint}", json={"data": args}).json()["event_id"]
    first = error = None
    with client.stream("GET", f"{url}/gradio_api/call{endpoint}/{event}") as stream:
        for line in stream.iter_lines():
            if line.startswith("event: error"):
                error = line
            payload = json.loads(line[5:]) if line.startswith("data:") else None
            if payload:  # not a heartbeat ("data: null")
                first = first or time.perf_counter() - started
                if isinstance(payload, list) and isinstance(payload[0], dict) and payload[0].get("error"):
                    error = payload[0]["error"]
    return first or time.perf_counter() - started, time.perf_counter() - started, error or ""


def users_at_once(url: str, asked: list[str], endpoint: str) -> dict:
    """Each question from its own HTTP client, all released together; per user the seconds to the first output
    holding the cited quotes (or a declined answer) and to the finished answer."""
    import httpx

    clients = [httpx.Client(timeout=TIMEOUT_S) for _ in asked]
    # A server that has answered before (its dictionaries loaded on the first question, as in service).
    _ask(clients[0], url, "/ask", ["How should AI protect children?", 5])
    barrier = threading.Barrier(len(asked))
    waits: list[tuple[float, float, str] | None] = [None] * len(asked)

    def user(i: int) -> None:
        barrier.wait()
        args = [asked[i], 5, None] if endpoint == "/ask_stream" else [asked[i], 5]
        waits[i] = _ask(clients[i], url, endpoint, args)

    threads = [threading.Thread(target=user, args=(i,)) for i in range(len(asked))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT_S)
    for client in clients:
        client.close()
    done = [w for w in waits if w and not w[2]]
    if len(done) != len(asked):
        raise RuntimeError(f"only {len(done)} of {len(asked)} users got an answer: {waits}")
    quotes, answers = [w[0] for w in done], [w[1] for w in done]
    return {"users": len(done), "endpoint": endpoint, "quotes_p50_s": round(statistics.median(quotes), 2),
            "quotes_p95_s": _p95(quotes), "answer_p50_s": round(statistics.median(answers), 2),
            "answer_p95_s": _p95(answers)}


def bench_concurrency(index_dir: Path, users: int = USERS) -> dict:
    """The same users and questions against a server of BASELINE_REV (a detached worktree) and of this
    checkout, one after the other."""
    from bench.serving import running_ui

    asked = questions(users)
    with tempfile.TemporaryDirectory(prefix="govrag-baseline-") as tmp:
        baseline = Path(tmp) / "checkout"
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(baseline), BASELINE_REV],
                       check=True, capture_output=True)
        try:
            with running_ui(index_dir, cwd=baseline, log_name="users-baseline") as served:
                before = users_at_once(served.url, asked, "/ask")
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(baseline)],
                           capture_output=True)
    with running_ui(index_dir, log_name="users-now") as served:
        now = users_at_once(served.url, asked, "/ask_stream")
    return {"now": now, "before": before, "baseline_rev": BASELINE_REV}


def rows(result: dict) -> list[tuple[str, str, str]]:
    ok = {True: "✓", False: "✗"}
    now, before = result["now"], result["before"]
    return [
        (f"{now['users']} users at once: time to the cited quotes p50 / p95 (before: {result['baseline_rev']}, "
         "quotes only with the answer)", f"{now['quotes_p50_s']} / {now['quotes_p95_s']} s (before "
         f"{before['quotes_p50_s']} / {before['quotes_p95_s']} s)", f"p95 ≤ 1.5 s {ok[now['quotes_p95_s'] <= 1.5]}"),
        (f"{now['users']} users at once: time to the finished answer p50 / p95, now vs before",
         f"{now['answer_p50_s']} / {now['answer_p95_s']} s vs {before['answer_p50_s']} / {before['answer_p95_s']} s",
         f"p95 ≤ before {ok[now['answer_p95_s'] <= before['answer_p95_s']]}"),
    ]


def main() -> int:
    index_dir = Path(sys.argv[1])
    users = int(sys.argv[sys.argv.index("--users") + 1]) if "--users" in sys.argv else USERS
    result = bench_concurrency(index_dir, users)
    print(f"command: .venv/bin/python bench/concurrency.py {index_dir} --users {users}\n")
    print("| measure | measured | target |\n|---|---|---|")
    for row in rows(result):
        print(f"| {' | '.join(row)} |")
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
